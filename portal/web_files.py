"""Files a view hands to the browser to save (the access log's and the leader's
CSV, the family's JSON export): one place writes the attachment header."""

from __future__ import annotations

from flask import Response


def download(body: str, filename: str, mimetype: str) -> Response:
    """``body`` as a file the browser saves under ``filename``, not a page.
    ``filename`` is ours (ASCII, no quotes), never the user's words."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_download(body: str, filename: str) -> Response:
    return download(body, filename, "text/csv")
