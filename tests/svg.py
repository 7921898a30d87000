"""Checks for inline SVG that must not make the browser fetch anything."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import segno

#: What a QR code drawing needs; anything else (<image>, <use>, <a>, <script>,
#: <style>, <foreignObject>) could load or link something from outside.
DRAWING_ELEMENTS = {"svg", "title", "desc", "g", "path", "rect"}
EXTERNAL = re.compile(r"url\(|://|^//|^data:", re.IGNORECASE)


def self_contained(svg: str, allowed=DRAWING_ELEMENTS) -> ElementTree.Element:
    """Parse the whole of ``svg``; fail on any element or attribute that could
    point outside the page, or any element not in ``allowed``. Returns the root
    for further checks."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - the portal's own output
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        assert name in allowed, f"<{name}> in the SVG"
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            assert local not in {"href", "src"}, f"{local}={value!r} in <{name}>"
            assert not EXTERNAL.search(value), f"{local}={value!r} in <{name}>"
            assert not local.startswith("on"), f"script {local} in <{name}>"
        assert not EXTERNAL.search(element.text or ""), f"text of <{name}>"
    return root


def title_of(root: ElementTree.Element) -> str:
    [title] = [e for e in root.iter() if e.tag.rpartition("}")[2] == "title"]
    return title.text or ""


def encoded_texts(monkeypatch) -> list[str]:
    """What the code under test asks segno to put in a QR code, from now on."""
    encoded: list[str] = []
    real_make = segno.make

    def make(data, **options):
        encoded.append(data)
        return real_make(data, **options)

    monkeypatch.setattr(segno, "make", make)
    return encoded
