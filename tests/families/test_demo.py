"""The demo's two known families, seeded twice, are there once."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import Role, User
from portal.demo import seed
from portal.families.models import Family


def test_the_demo_families_are_seeded_once(app, db_session):
    seed(db_session)
    db_session.commit()
    seed(db_session)
    db_session.commit()
    families = {f.display_name: f for f in db_session.scalars(select(Family))}
    assert set(families) == {"Familien Jensen", "Familien Hansen"}
    jensen, hansen = families["Familien Jensen"], families["Familien Hansen"]
    assert sorted(c.first_name for c in jensen.children) == ["Emma", "Oskar"]
    for child in jensen.children:
        assert sorted(m.name for m in child.custody_holders) == [
            "Jonas Jensen",
            "Mette Jensen",
        ]
    assert [m.name for m in hansen.children[0].custody_holders] == ["Sara Hansen"]
    primaries = {
        f.display_name: [a.counsellor.name for a in f.assignments if a.is_primary]
        for f in (jensen, hansen)
    }
    assert primaries == {
        "Familien Jensen": ["Anna Andersen"],
        "Familien Hansen": ["Bo Berg"],
    }
    people = db_session.scalars(select(User).where(User.role == Role.FAMILY)).all()
    assert len(people) == 3
    assert all(p.email is None and p.contact_email and p.login_key for p in people)
