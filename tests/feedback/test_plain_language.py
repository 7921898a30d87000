"""The family's feedback pages are written for a worried parent: LIX 35 or
lower in Danish (tests/readability.py)."""

from __future__ import annotations

from tests.readability import lix


def test_the_familys_feedback_pages_read_easily(
    client, auth, db_session, make_session, family, make_intervention, clock
):
    session = make_session(family=family)
    row = make_intervention()
    auth.login(family.members[0])
    pages = [
        "/familie",
        f"/familie/samtaler/{session.public_id}/vurdering",
        f"/familie/samtaler/{session.public_id}/trivsel",
        f"/familie/indsatser/{row.public_id}/vurdering",
    ]
    scores = {url: lix(client.get(url).get_data(as_text=True)) for url in pages}
    assert all(score <= 35 for score in scores.values()), scores


def test_every_slider_form_says_to_move_each_slider(
    client, auth, db_session, make_session, family, make_intervention, clock
):
    """An untouched slider sends 5, which is below the low mark (6): the page
    asks the parent to move each one (the decision is in the report)."""
    session = make_session(family=family)
    row = make_intervention()
    auth.login(family.members[0])
    for url in (
        f"/familie/samtaler/{session.public_id}/vurdering",
        f"/familie/samtaler/{session.public_id}/trivsel",
        f"/familie/indsatser/{row.public_id}/vurdering",
    ):
        assert "Træk i hver skyder" in client.get(url).get_data(as_text=True), url
