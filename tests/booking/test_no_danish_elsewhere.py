"""Arabic and English complete where a parent looks: a public page shown in another
language holds no Danish text from the catalogue and no Danish configured text,
except inside an element marked ``lang="da"`` (a name, or a page kept Danish)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.booking.test_views import Parent
from tests.booking.test_views import counsellor as counsellor  # noqa: PLC0414
from tests.booking.test_views import parent as parent  # noqa: PLC0414

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = [
    "/",
    "/privatliv",
    "/tilgaengelighed",
    "/anonym-raadgivning",
    "/min-booking",
    "/findes-ikke",
    "/familie/log-ind",
    "/medarbejder/log-ind",
]


def danish_texts() -> set[str]:
    """The catalogue's Danish sentences that differ from the English ones."""
    with (ROOT / "translations/da/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    found = set()
    for message in catalogue:
        if not message.id or not isinstance(message.string, str):
            continue
        for part in re.split(r"%\(\w+\)s", message.string):
            part = part.strip(" .,:()")
            if len(part) >= 12 and part not in str(message.id):
                found.add(part)
    return found


class _Visible(HTMLParser):
    """The page's text outside elements marked lang="da" (and scripts)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "use", "path"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.VOID:
            return
        danish = dict(attrs).get("lang") == "da" or tag in ("script", "style")
        self.stack.append(danish or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    body = html[html.index("<body") :]
    parser = _Visible()
    parser.feed(body)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.mark.usefixtures("counsellor")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_show_no_danish_under_another_language(app, parent, language):
    danish = danish_texts() | {app.config["MUNICIPALITY_HOURS"]}
    shown: dict[str, list[str]] = {}
    Parent.get(parent, f"/?lang={language}")
    parent.answer_until_time()
    paths = [*PUBLIC, "/anonym-raadgivning/emne", "/anonym-raadgivning/tid"]
    for path in paths:
        text = visible_text(parent.get(path).get_data(as_text=True))
        found = sorted(phrase for phrase in danish if phrase in text)
        if found:
            shown[path] = found
    assert shown == {}
