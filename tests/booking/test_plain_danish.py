"""Plain Danish everywhere a parent looks: every public and booking page, rendered
in Danish, scores LIX <= 35 on the text in its <main> (tests/readability.py)."""

from __future__ import annotations

import re

import pytest

from portal.cases.readability import lix_of_text
from tests.booking.test_views import CODE_IN_PAGE, Parent
from tests.booking.test_views import counsellor as counsellor  # noqa: PLC0414
from tests.booking.test_views import parent as parent  # noqa: PLC0414
from tests.factories import local
from tests.readability import lix

EASY = 35
PUBLIC = ["/", "/privatliv", "/tilgaengelighed", "/anonym-raadgivning", "/min-booking"]


def scores(parent: Parent, paths: list[str]) -> dict[str, float]:
    return {path: lix(parent.get(path).get_data(as_text=True)) for path in paths}


def too_hard(found: dict[str, float]) -> dict[str, float]:
    return {path: round(score, 1) for path, score in found.items() if score > EASY}


@pytest.mark.usefixtures("counsellor")
def test_public_pages_and_the_404_page_are_plain_danish(parent):
    found = scores(parent, [*PUBLIC, "/findes-ikke"])
    assert too_hard(found) == {}


@pytest.mark.usefixtures("counsellor")
def test_every_booking_step_is_plain_danish(parent):
    parent.answer_until_time()
    steps = ["emne", "hvordan", "sprog", "tid"]
    found = scores(parent, [f"/anonym-raadgivning/{step}" for step in steps])
    parent.choose_time(local(2026, 3, 25, 10))
    found |= scores(parent, ["/anonym-raadgivning/kontakt"])
    parent.post("/anonym-raadgivning/kontakt", {})
    found |= scores(parent, ["/anonym-raadgivning/tjek"])
    confirmation, _data = parent.confirm()
    page = confirmation.get_data(as_text=True)
    assert CODE_IN_PAGE.search(page)
    found["bekraeft"] = lix(page)
    found |= scores(
        parent,
        ["/min-booking", "/min-booking/ny-samtale", "/min-booking/kontakt"],
    )
    found |= scores(parent, ["/min-booking/slet"])
    assert too_hard(found) == {}


DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


@pytest.mark.usefixtures("counsellor")
def test_every_page_has_a_plain_danish_description_and_errors_say_so_first(parent):
    for path in [*PUBLIC, "/medarbejder/log-ind", "/anonym-raadgivning/emne"]:
        page = parent.get(path).get_data(as_text=True)
        found = DESCRIPTION.search(page)
        assert found, f"no description on {path}"
        assert "gratis hjælp til familier" in found.group(1)
        assert lix_of_text(found.group(1)) <= EASY
    missing = parent.get("/findes-ikke").get_data(as_text=True)
    assert re.search(r"<title>Fejl: Siden findes ikke", missing)
    assert DESCRIPTION.search(missing)


@pytest.mark.usefixtures("counsellor")
def test_phone_numbers_are_links_a_phone_can_call(parent):
    front = parent.get("/").get_data(as_text=True)
    for number in ("112", "116111", "35555557"):
        assert f'<a href="tel:{number}">' in front, number
    code_page = parent.get("/min-booking").get_data(as_text=True)
    main = code_page[code_page.index("<main") :]
    assert re.search(r'<a href="tel:\d{8}"><bdi dir="ltr">', main)
    assert "&lt;a href" not in main  # the link is not written out as text
