"""The Nu HTML Checker runs here, and finds what it should.

Every browser test checks the pages it saw with the checker when its ``open_tab``
fixture closes (see ``conftest.py``). This test makes that check's absence visible
(a skip with the reason when Java or ``vnu-jar`` is missing) and shows the checker
is not silent: a page with the errors it once had is refused, the page fixed passes.
"""

from __future__ import annotations

import pytest

from tests.browser import html_checker

PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Tider</title></head>
<body><main>
<form method="post">
<input type="hidden" name="csrf_token" id="csrf_token" value="a"></form>
<form method="post">
<input type="hidden" name="csrf_token" id="csrf_token" value="a">
<label for="weekday">Dag</label>
<select id="weekday" name="weekday" required><option value="0">Mandag</option></select>
</form>
</main></body></html>
"""


def test_the_checker_refuses_duplicate_ids_and_a_required_select_without_empty_option():
    if (reason := html_checker.missing()) is not None:
        pytest.skip(f"Nu HTML Checker cannot run: {reason}")
    broken = html_checker.save("checker-self-test-broken", PAGE)
    fixed = html_checker.save(
        "checker-self-test-fixed",
        PAGE.replace(' id="csrf_token"', "").replace(
            '<option value="0">', '<option value="">Vælg</option><option value="0">'
        ),
    )
    found = html_checker.errors([broken, fixed])
    assert any("Duplicate ID" in error and "csrf_token" in error for error in found)
    assert any("select" in error for error in found), found
    assert all(error.startswith("checker-self-test-broken") for error in found)
