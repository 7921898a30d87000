"""Interventions and the leader's list of types: the rules (end after start,
goals of the same family, retired types), the leader's page, and the family
seeing each intervention with its goals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Role
from portal.cases import interventions, interventions_types
from portal.cases.interventions_models import (
    Intervention,
    InterventionStatus,
    InterventionType,
)
from portal.families.records import RecordError
from tests.conftest import Browserless

pytestmark = pytest.mark.usefixtures("clock", "types")


def _type(db_session, name="Familiebehandling"):
    return db_session.scalar(
        select(InterventionType).where(InterventionType.name == name)
    )


def _text(db_session, **changes):
    return interventions.InterventionText(
        **{
            "type": _type(db_session),
            "provider": "Familiehuset, Lise",
            "description": "Vi mødes hver uge og taler om morgenerne.",
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 6, 1),
            "status": InterventionStatus.ACTIVE,
            **changes,
        }
    )


def _refused(code, call, *args):
    with pytest.raises(RecordError) as refused:
        call(*args)
    assert refused.value.code == code


def test_an_intervention_ends_after_it_starts(db_session, family, counsellor):
    _refused(
        "end_before_start",
        interventions.create_intervention,
        db_session,
        counsellor,
        family,
        _text(db_session, ends_on=date(2026, 2, 1)),
    )
    row = interventions.create_intervention(
        db_session, counsellor, family, _text(db_session, ends_on=None)
    )
    row.ends_on = date(2026, 2, 1)  # the database refuses it too
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_linked_goals_are_the_same_familys(
    db_session, family, counsellor, make_goal, make_known_family
):
    own = make_goal(family, counsellor)
    other = make_goal(make_known_family("Familien Anden"), counsellor, title="Fremmed")
    _refused(
        "goal_not_in_family",
        interventions.create_intervention,
        db_session,
        counsellor,
        family,
        _text(db_session, goals=[own, other]),
    )
    row = interventions.create_intervention(
        db_session, counsellor, family, _text(db_session, goals=[own])
    )
    assert row.goals == [own]
    [exported] = interventions.interventions_for_export(db_session, family)
    assert exported["goals"] == [own.public_id]
    assert exported["type"] == "Familiebehandling"
    assert exported["ends_on"] == "2026-06-01"


def test_a_retired_type_is_not_offered_for_new_ones_but_stays_on_old(
    db_session, family, counsellor
):
    kind = _type(db_session)
    row = interventions.create_intervention(
        db_session, counsellor, family, _text(db_session)
    )
    interventions_types.retire_type(db_session, kind)
    interventions.update_intervention(
        db_session, counsellor, family, row, _text(db_session)
    )
    _refused(
        "type_retired",
        interventions.create_intervention,
        db_session,
        counsellor,
        family,
        _text(db_session),
    )


def test_type_names_are_unique_and_renaming_shows_everywhere(
    db_session, family, counsellor
):
    row = interventions.create_intervention(
        db_session, counsellor, family, _text(db_session)
    )
    _refused(
        "type_exists", interventions_types.add_type, db_session, " familiebehandling "
    )
    _refused("type_name_required", interventions_types.add_type, db_session, " ")
    interventions_types.rename_type(db_session, _type(db_session), "Familieterapi")
    assert row.type.name == "Familieterapi"
    assert len(interventions_types.all_types(db_session)) == 5


def test_the_leader_keeps_the_list_and_others_may_not(
    app, db_session, make_user, counsellor, family
):
    leader = Browserless(app.test_client(), db_session)
    leader.login(make_user(Role.LEADER, name="Lone Leder"))
    response = leader.post_form("/indsatstyper", {"name": "Weekendophold"})
    assert response.status_code == 302
    assert (
        leader.post_form("/indsatstyper", {"name": "weekendophold"}).status_code == 400
    )
    kind = _type(db_session, "Weekendophold")
    leader.post_form(f"/indsatstyper/{kind.public_id}/udfas", {}, page="/indsatstyper")
    db_session.refresh(kind)
    assert kind.is_retired
    response = leader.post_form(f"/indsatstyper/{kind.public_id}", {"name": "Weekend"})
    assert response.status_code == 302
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    assert staff.client.get("/indsatstyper").status_code == 403
    assert staff.client.get(f"/indsatstyper/{kind.public_id}").status_code == 403
    new_form = staff.client.get(f"/familier/{family.public_id}/indsatser/ny")
    assert "Weekend" not in new_form.get_data(as_text=True)


def test_a_counsellor_adds_one_and_the_family_sees_it_with_its_goals(
    app, db_session, auth, client, family, counsellor, make_goal, make_user
):
    goal = make_goal(family, counsellor, title="Rolige morgener")
    staff = Browserless(app.test_client(), db_session)
    staff.login(counsellor)
    url = f"/familier/{family.public_id}/indsatser/ny"
    form = {
        "type": _type(db_session).public_id,
        "provider": "Lise fra Familiehuset",
        "starts_on": "2026-03-01",
        "ends_on": "2026-02-01",
        "status": "active",
        "goals": [goal.public_id],
        "description": "Vi mødes hver uge.",
    }
    assert staff.post_form(url, form).status_code == 400
    assert staff.post_form(url, {**form, "ends_on": ""}).status_code == 302
    row = db_session.scalar(select(Intervention))
    assert row.goals == [goal] and row.ends_on is None
    leader = Browserless(app.test_client(), db_session)
    leader.login(make_user(Role.LEADER, name="Lone Leder"))
    reason = f"/familier/{family.public_id}/begrundelse"
    assert leader.post_form(reason, {"reason": "Tilsyn"}).status_code == 302
    edit = f"/familier/{family.public_id}/indsatser/{row.public_id}"
    assert leader.client.get(edit).status_code == 403
    assert (
        leader.client.get(f"/familier/{family.public_id}/indsatser").status_code == 200
    )
    auth.login(family.members[0])
    html = client.get("/familie/indsatser").get_data(as_text=True)
    assert "Familiebehandling" in html and "Rolige morgener" in html
    assert "Lise fra Familiehuset" in html
