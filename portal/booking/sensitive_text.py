"""Does the optional topic text look like it names someone? A CPR number, or a
full name together with a date, is what would let a reader find the family: the
parent is warned before saving and chooses "Ret teksten" or "Gem alligevel".

A warning, not a refusal: the check errs on the side of asking once.
"""

from __future__ import annotations

import re
from datetime import date

_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[\s-]?\d{4}(?!\d)")
# Two or more words that start with a capital letter in a row: "Peter Hansen".
_FULL_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ][a-zæøåé]+)+")
_MONTHS = (
    "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november"
    "|december|jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec"
)
_DATE = re.compile(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?(?!\d)"
    rf"|(?<!\d)\d{{1,2}}\.?\s+(?:{_MONTHS})\b",
    re.IGNORECASE,
)


def has_cpr_number(text: str) -> bool:
    """Ten digits (optionally ``DDMMYY-XXXX``) whose first six are a real date."""
    for match in _CPR.finditer(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            date(2000 + year, month, day)
        except ValueError:
            continue
        return True
    return False


def has_full_name_and_date(text: str) -> bool:
    """A full name (two capitalised words, not a sentence's first) and a date."""
    names = [
        match
        for line in text.splitlines()
        for match in _FULL_NAME.findall(line.strip())
    ]
    return bool(names) and _DATE.search(text) is not None


def looks_sensitive(text: str) -> bool:
    return has_cpr_number(text) or has_full_name_and_date(text)
