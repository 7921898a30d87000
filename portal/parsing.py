"""Reading dates and ids from requests, so hostile values give 400/404, never 500.

Python's dates end at year 9999 and PostgreSQL's integer ids at 2**31 - 1: a date
or id beyond what the portal can use is refused where it is read, before any
arithmetic or query overflows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

#: The days the calendar and the leader's overview can show.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
#: The largest id an ``Integer`` primary key holds (32 bits on PostgreSQL).
MAX_ID = 2**31 - 1


#: The query argument of a page in a list (``?side=2``) and the last one served.
PAGE_ARG = "side"
LAST_PAGE = 10_000


def page_number() -> int:
    """The page asked for in ``?side=``; 1 for a missing or hostile value."""
    text = request.args.get(PAGE_ARG, "1")
    return max(1, min(int(text), LAST_PAGE)) if text.isdigit() else 1


def in_calendar_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in a route: only ids a database row can have (else 404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _contains_nul(pairs: Iterable[tuple[str, str]]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def refuse_nul_bytes() -> None:
    """404 for a NUL byte in the path (no page has one), 400 in a query argument
    or a form field.

    Nobody types one, and PostgreSQL text cannot hold it (the query would fail):
    refused here once, for every route, before any view reads the value."""
    if "\x00" in request.path:
        abort(404)
    if _contains_nul(request.args.items(multi=True)) or _contains_nul(
        request.form.items(multi=True)
    ):
        abort(400)


def init_app(app: Flask) -> None:
    """Before any blueprint: every ``<int:...>`` route then uses the bounded ids."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(refuse_nul_bytes)
