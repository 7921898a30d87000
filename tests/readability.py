"""LIX (läsbarhetsindex) of a rendered page: words per sentence plus the share of
words longer than six letters, on the text inside ``<main>``. The same counting as
``../shared/tools/lix.py``, kept here so the suite needs nothing outside the repo."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Tags whose text is not read: scripts, styles, drawings.
_SKIP = {"script", "style", "svg", "noscript", "template"}
#: Tags that end a "sentence" for a reader (a heading, a list item, a button).
_ENDS_SENTENCE = {"h1", "h2", "h3", "h4", "li", "td", "th", "label", "button", "legend"}
_BREAKS = {"p", "br", "div"}


class _MainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.in_main = 0

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


def lix(html: str) -> float:
    parser = _MainText()
    parser.feed(html)
    text = " ".join(parser.parts)
    words = re.findall(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]+", text)
    assert words, "the page has no text inside <main>"
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)
