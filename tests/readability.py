"""LIX of a rendered page, on the text inside ``<main>``: the tests' use of the
portal's one implementation (``portal.cases.readability``), which also gives the
counsellor the hint on a draft note."""

from __future__ import annotations

from portal.cases.readability import lix_of_html


def lix(html: str) -> float:
    found = lix_of_html(html, main_only=True)
    assert found is not None, "the page has no text inside <main>"
    return found
