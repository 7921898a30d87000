"""A whole-day absence reads as one: "hele dagen" in the list, its own last day on
the availability page; the same absence saved twice is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.availability.models import Absence
from tests.calendar.conftest import t

FORM = {"start_date": "2026-03-26", "end_date": "2026-03-27", "reason": "Ferie"}


def test_whole_day_absence_reads_all_day_and_ends_on_its_last_day(
    client, auth, counsellor
):
    auth.login(counsellor)
    saved = auth.post_form("/kalender/tilgaengelighed/fravaer/ny", FORM)
    assert saved.status_code == 302
    page = client.get("/kalender/tilgaengelighed").get_data(as_text=True)
    assert "torsdag den 26. marts 2026 – fredag den 27. marts 2026, hele dagen" in page
    assert "28. marts" not in page  # not the midnight after the last day
    listed = client.get("/kalender/liste?dato=2026-03-23")
    text = listed.get_data(as_text=True)
    assert text.count(f"<p>{t('Absent all day')}</p>") == 2  # Thursday and Friday
    assert "00.00–00.00" not in text


def test_the_same_absence_saved_again_is_refused(client, auth, counsellor, db_session):
    auth.login(counsellor)
    assert (
        auth.post_form("/kalender/tilgaengelighed/fravaer/ny", FORM).status_code == 302
    )
    again = auth.post_form("/kalender/tilgaengelighed/fravaer/ny", FORM)
    assert again.status_code == 400
    assert t("You have already saved this absence.") in again.get_data(as_text=True)
    assert db_session.scalar(select(func.count()).select_from(Absence)) == 1
