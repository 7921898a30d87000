"""A note's light formatting, turned into HTML that is safe to show the family.

The counsellor writes in a plain text area (pages work without JavaScript, so no
rich editor) with a small Markdown-like syntax, chosen over typing HTML because
it reads well as it is, in the form and in an export, and needs no tags:

* a blank line starts a new paragraph; a single line break stays a line break;
* lines that start with ``- `` or ``* `` are a list, ``1. `` a numbered list;
* ``**bold**`` and ``*italic*``; ``[text](https://...)`` is a link, and a bare
  ``https://...`` address becomes one.

The threat is stored cross-site scripting in the family's and colleagues'
browsers. Two independent lines: everything typed is HTML-escaped first, so
typed tags show as text; then bleach cleans the generated HTML with an allow-list
(p, br, ul, ol, li, strong, b, em, a[href] with http, https or mailto only), so a
bug in the small converter cannot let a ``javascript:`` link or an attribute
through. Every link gets ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import html
import re
from collections.abc import MutableMapping
from functools import partial

from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "b", "em", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
REL = "noopener noreferrer"

_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


_Attrs = MutableMapping[tuple[str | None, str], str]


def _rel(attrs: _Attrs, new: bool = False) -> _Attrs:
    """Every link, typed or found: no ``window.opener`` and no referrer. (An
    ``a`` whose address the cleaner removed stays, inert, without ``href``.)"""
    attrs[(None, "rel")] = REL
    return attrs


_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_rel])],
)


def clean_html(fragment: str) -> str:
    """``fragment`` with only the allowed tags, attributes and link protocols."""
    cleaned: str = _cleaner.clean(fragment)
    return cleaned


def _inline(line: str) -> str:
    """One escaped line with its links, bold and italics as tags."""
    line = _LINK.sub(r'<a href="\2">\1</a>', line)
    line = _BOLD.sub(r"<strong>\1</strong>", line)
    return _ITALIC.sub(r"<em>\1</em>", line)


def _block(lines: list[str]) -> str:
    """A paragraph, or a list when every line is an item of one kind."""
    for pattern, tag in ((_BULLET, "ul"), (_NUMBERED, "ol")):
        items = [pattern.match(line) for line in lines]
        if all(items):
            inner = "".join(f"<li>{_inline(m[1])}</li>" for m in items if m)
            return f"<{tag}>{inner}</{tag}>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def render(source: str) -> str:
    """The safe HTML of a note written in the light syntax above."""
    escaped = html.escape(source.replace("\r\n", "\n"), quote=True)
    blocks = re.split(r"\n\s*\n", escaped.strip())
    parts = [_block([ln for ln in b.split("\n") if ln.strip()]) for b in blocks]
    return clean_html("".join(part for part in parts if part != "<p></p>"))
