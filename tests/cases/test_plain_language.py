"""The family's pages of this package read easily in Danish (LIX at most 35, as
tests/families/test_plain_language.py measures), empty and full."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from tests.families.test_plain_language import assert_easy

pytestmark = pytest.mark.usefixtures("clock")
PAGES = ["/familie/adgang", "/familie/data", "/familie/data/udskrift"]


@pytest.mark.parametrize("path", PAGES)
def test_empty(client, auth, member, path):
    auth.login(member)
    assert_easy(client.get(path).get_data(as_text=True))


@pytest.mark.parametrize("path", PAGES)
def test_full(client, auth, family, member, counsellor, make_user, staff_did, path):
    staff_did(counsellor, family)
    staff_did(make_user(Role.LEADER, name="Lone Leder"), family, stated_reason="Klage")
    auth.login(member)
    assert_easy(client.get(path).get_data(as_text=True))


def test_the_access_matrix_covers_these_routes(app):
    from tests.families.test_access_matrix import _guarded_rules

    covered = {rule.endpoint for rule, _method in _guarded_rules(app)}
    assert {
        "cases.access_log_page",
        "cases.access_log_csv",
        "cases.export_page",
        "cases.export_json",
        "cases.export_print",
        "cases.leader_reason",
    } <= covered
