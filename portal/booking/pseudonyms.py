"""Pseudonyms staff see instead of a course's code: a Danish colour and an animal.

Only common-gender (en-) animals, so the indefinite adjective always agrees
("Blå Ugle", "Rød Ræv").
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

COLOURS = (
    "Blå",
    "Rød",
    "Grøn",
    "Gul",
    "Hvid",
    "Sort",
    "Brun",
    "Grå",
    "Lilla",
    "Orange",
    "Turkis",
    "Lyserød",
    "Sølv",
    "Gylden",
)
ANIMALS = (
    "Ugle",
    "Ræv",
    "Hare",
    "Ørn",
    "Odder",
    "Svale",
    "Sæl",
    "Hjort",
    "Grævling",
    "Mår",
    "Lærke",
    "Musvit",
    "Skildpadde",
    "Bæver",
    "Los",
    "Mus",
    "Spætte",
    "Sommerfugl",
    "Delfin",
    "Hval",
    "Krage",
    "Stær",
    "Gås",
    "And",
    "Due",
    "Mariehøne",
    "Ravn",
    "Sneppe",
    "Falk",
    "Spurv",
)


def new_pseudonym(db: Session) -> str:
    """A colour and an animal not used by a current course; a number if all are."""
    from portal.booking.models import Course

    taken = set(db.scalars(select(Course.pseudonym)))
    for _ in range(20):
        name = f"{secrets.choice(COLOURS)} {secrets.choice(ANIMALS)}"
        if name not in taken:
            return name
    base = f"{secrets.choice(COLOURS)} {secrets.choice(ANIMALS)}"
    n = 2
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"
