"""LIX (läsbarhetsindex): words per sentence plus the share of words longer than
six letters. One implementation for the counsellor's hint on a draft note and for
the tests that keep the family's pages plain (``tests/readability.py``); the same
counting as ``../shared/tools/lix.py``.

Levels (the hint the counsellor sees): at most 34 is easy ("Let"), 35 to 44
medium ("Middel"), 45 or more hard ("Svær"), on the rounded figure.
"""

from __future__ import annotations

import enum
import re
from html.parser import HTMLParser

#: Tags whose text is not read: scripts, styles, drawings.
_SKIP = {"script", "style", "svg", "noscript", "template"}
#: Tags that end a "sentence" for a reader (a heading, a list item, a button).
_ENDS_SENTENCE = {"h1", "h2", "h3", "h4", "li", "td", "th", "label", "button", "legend"}
_BREAKS = {"p", "br", "div"}
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]+")
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)")
#: The highest rounded LIX of an easy text, and of a medium one.
EASY_UP_TO = 34
MEDIUM_UP_TO = 44


class Level(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class _Text(HTMLParser):
    """The readable text of HTML, with a sentence break where a reader pauses;
    ``main_only``: only inside ``<main>`` (a whole page)."""

    def __init__(self, main_only: bool) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.in_main = 0 if main_only else 1

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _SKIP:
            self.skipping += 1
        if tag == "main":
            self.in_main += 1
        if self.in_main and tag in _ENDS_SENTENCE:
            self.parts.append(". ")
        elif self.in_main and tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag == "main" and self.in_main:
            self.in_main -= 1

    def handle_data(self, data: str) -> None:
        if self.in_main and not self.skipping:
            self.parts.append(data)


def text_of(html: str, *, main_only: bool = False) -> str:
    parser = _Text(main_only)
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def lix_of_text(text: str) -> float | None:
    """The LIX of plain text; None when it has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def lix_of_html(html: str, *, main_only: bool = False) -> float | None:
    return lix_of_text(text_of(html, main_only=main_only))


def level(lix: float) -> Level:
    rounded = round(lix)
    if rounded <= EASY_UP_TO:
        return Level.EASY
    return Level.MEDIUM if rounded <= MEDIUM_UP_TO else Level.HARD
