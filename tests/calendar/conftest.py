"""Calendar fixtures: counsellors and a leader with weekly times, and the Danish
words pages show (the factories and the stopped clock are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext, ngettext

from portal.accounts.models import Role
from tests.factories import NOW

#: Monday 23 March 2026, 09:00 in Copenhagen (week 13): the stopped clock's moment.
START = NOW


def t(message: str, **values) -> str:
    """The Danish text the page shows for ``message`` (English until translated)."""
    with force_locale("da"):
        return gettext(message, **values)


def tn(singular: str, plural: str, n: int, **values) -> str:
    with force_locale("da"):
        return ngettext(singular, plural, n, **values)


@pytest.fixture
def counsellor(make_user, give_calendar, clock):
    return give_calendar(make_user(Role.COUNSELLOR, name="Anna Andersen"))


@pytest.fixture
def colleague(make_user, give_calendar, clock):
    return give_calendar(make_user(Role.COUNSELLOR, name="Bo Berg"))


@pytest.fixture
def leader(make_user, clock):
    return make_user(Role.LEADER, name="Lone Leder")
