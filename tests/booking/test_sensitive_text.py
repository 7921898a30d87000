"""The optional topic text: a CPR number, or a full name with a date, gets a plain
warning before it is saved, with "Ret teksten" and "Gem alligevel"."""

from __future__ import annotations

import pytest

from portal.booking.sensitive_text import looks_sensitive
from tests.booking.test_views import Parent, counsellor  # noqa: F401 (fixture)

URL = "/anonym-raadgivning/emne"


@pytest.mark.parametrize(
    "text",
    [
        "Mit CPR-nummer er 120315-1234",
        "1203151234",
        "Min søn Peter Hansen er født 12.03.2015",
        "Peter Hansen, 3. marts",
    ],
)
def test_these_look_like_they_name_someone(text):
    assert looks_sensitive(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Min søn sover dårligt.",
        "Vores søn på 9 sover dårligt siden 1. maj.",
        "Min søn Peter Hansen har det svært.",
        "Ring på 20304050",
        "Nummer 991399-1234",  # no such day
    ],
)
def test_these_do_not(text):
    assert not looks_sensitive(text)


def test_the_parent_is_warned_and_chooses(client, counsellor):  # noqa: F811
    parent = Parent(client)
    parent.post("/anonym-raadgivning", {}, page="/anonym-raadgivning")
    text = "Min søn Peter Hansen er født 12.03.2015"
    warned = parent.post(URL, {"topic": "none", "topic_text": text})
    assert warned.status_code == 200
    page = parent.last_page
    assert "Din tekst kan vise, hvem du er" in page
    assert "Ret teksten" in page and "Gem alligevel" in page
    assert text in page  # the text is kept to be fixed
    # Fixed: on to the next step.
    fixed = parent.post(URL, {"topic": "none", "topic_text": "Min søn er 9 år."})
    assert fixed.headers["Location"] == "/anonym-raadgivning/hvordan"
    # Or kept as it is, on purpose.
    parent.post(URL, {"topic": "none", "topic_text": text})
    kept = parent.post(URL, {"topic": "none", "topic_text": text, "save_anyway": "1"})
    assert kept.headers["Location"] == "/anonym-raadgivning/hvordan"
    assert text in parent.get(URL).get_data(as_text=True)
