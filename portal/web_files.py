"""Files a view hands to the browser to save (the access log's and the leader's
CSV, the family's JSON export): one place writes the attachment header, and one
writes a CSV file as Danish Excel opens it safely.

A CSV file is UTF-8 with a byte order mark (else Excel guesses the wrong encoding
and Ø becomes Ã˜), with semicolons (the list separator of Danish Excel). A cell
that starts with ``= + - @`` (or a tab or carriage return) would be read by a
spreadsheet as a formula: a name or a reason could then run one on the reader's
computer (CSV injection). Such cells get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def spreadsheet(rows: Iterable[Sequence[str]]) -> str:
    """``rows`` (the first is the header) as CSV text for Danish Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def download(body: str, filename: str, mimetype: str) -> Response:
    """``body`` as a file the browser saves under ``filename``, not a page.
    ``filename`` is ours (ASCII, no quotes), never the user's words."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_download(rows: Iterable[Sequence[str]], filename: str) -> Response:
    return download(spreadsheet(rows), filename, "text/csv")
