"""The notes' sanitiser: the light syntax becomes the allowed HTML, and nothing
that runs script, styles the page or leaves through a dangerous link survives,
whether typed into a note or handed to the cleaner as HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.cases.sanitise import clean_html, render

#: (payload, text that must not be in the output)
PAYLOADS = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<p style="position:fixed">x</p>', "style"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "script:"),
    ('<a href="  javascript:alert(1)">x</a>', "javascript"),
    ('<a href="java\tscript:alert(1)">x</a>', "script:"),
    ('<a href="javascript&#58;alert(1)">x</a>', 'alert(1)"'),
    ('<a href="&#106;avascript:alert(1)">x</a>', "href"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ("<svg onload=alert(1)>", "onload"),
    ("<math><mtext><img src=x onerror=alert(1)></mtext></math>", "<img"),
    ("<scr<script>ipt>alert(1)</script>", "<script"),
    ("<b><i><u>x</u></i></b><table><tr><td>y</td></tr></table>", "<table"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<a href="https://ok.dk" target="_blank" rel="opener">ok</a>', "target"),
    ('<form action="https://evil.example"><input></form>', "<form"),
    ("<!-- <script>alert(1)</script> -->", "<script"),
]
#: Tags, attributes and link protocols the output may contain.
ALLOWED = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "a"}


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))

    def handle_comment(self, data) -> None:
        self.found.append(("!--", []))


def assert_only_allowed(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED, html
        for name, value in attrs:
            assert name in {"href", "rel"}, html
            if name == "href":
                assert re.match(r"(https?|mailto):", value or ""), html
            if name == "rel":
                assert value == "noopener noreferrer", html


@pytest.mark.parametrize(("payload", "forbidden"), PAYLOADS)
def test_the_cleaner_strips_what_could_run_or_restyle(payload, forbidden):
    cleaned = clean_html(payload)
    assert forbidden.lower() not in cleaned.lower(), cleaned
    assert_only_allowed(cleaned)


@pytest.mark.parametrize(("payload", "forbidden"), PAYLOADS)
def test_a_typed_payload_shows_as_text(payload, forbidden):
    rendered = render(payload)
    assert_only_allowed(rendered)
    assert "<script" not in rendered and "<img" not in rendered


@pytest.mark.parametrize(
    "link",
    [
        "[klik](javascript:alert(1))",
        "[klik](  javascript:alert(1))",
        "[klik](data:text/html,x)",
        "[klik](vbscript:x)",
        "[klik](JAVASCRIPT:alert(1))",
        '[klik](https://ok.dk" onmouseover="alert(1))',
    ],
)
def test_a_link_in_the_syntax_keeps_only_safe_addresses(link):
    rendered = render(link)
    assert_only_allowed(rendered)


def test_the_light_syntax_becomes_paragraphs_lists_and_links():
    html = render(
        "Hej **Mette** og *Jonas*\nanden linje\n\n- skole\n- fritid\n\n"
        "1. først\n2. så\n\nSe [borger.dk](https://www.borger.dk) og https://ikast-brande.dk"
    )
    assert html == (
        "<p>Hej <strong>Mette</strong> og <em>Jonas</em><br>anden linje</p>"
        "<ul><li>skole</li><li>fritid</li></ul>"
        "<ol><li>først</li><li>så</li></ol>"
        '<p>Se <a href="https://www.borger.dk" rel="noopener noreferrer">borger.dk</a>'
        ' og <a href="https://ikast-brande.dk" rel="noopener noreferrer">'
        "https://ikast-brande.dk</a></p>"
    )


def test_every_link_gets_noopener_noreferrer():
    cleaned = clean_html('<a href="https://ok.dk" rel="opener">ok</a>')
    assert cleaned == '<a href="https://ok.dk" rel="noopener noreferrer">ok</a>'


def test_typed_html_is_shown_not_obeyed():
    assert render("<b>fed</b> & <i>x</i>") == (
        "<p>&lt;b&gt;fed&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;</p>"
    )
