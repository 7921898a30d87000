"""The cases tests use the families tests' known family and counsellor, and
write audit rows as staff would (``staff_did``)."""

from __future__ import annotations

import pytest

from portal import audit
from tests.families.conftest import counsellor, family  # noqa: F401 - fixtures


@pytest.fixture
def member(family):  # noqa: F811 - the imported fixture
    return family.members[0]


@pytest.fixture
def staff_did(db_session):
    """Log that ``who`` did ``action`` to the family ``of``, as services do."""

    def log(who, of, action=audit.AuditAction.VIEW, **columns):
        columns.setdefault("object_type", "family")
        columns.setdefault("object_id", of.public_id)
        event = audit.record(db_session, actor=who, action=action, family=of, **columns)
        db_session.commit()
        return event

    return log
