"""The leader's statistics page (``/leder/vurderinger``) and its CSV, built from
the same rows, so the file holds exactly what the page shows."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from portal import db
from portal.accounts.models import Role
from portal.feedback import bp
from portal.feedback.stats import (
    BANDS,
    DIMENSIONS,
    Group,
    K,
    Table,
    cached_table,
    names,
    source,
)
from portal.feedback.stats_chart import averages_chart
from portal.i18n import mode_label
from portal.security import mark_no_store, roles_required
from portal.web_files import csv_download


def _dimension() -> str:
    dimension = request.args.get("efter", "month")
    if dimension not in DIMENSIONS:
        abort(404)
    return dimension


def _label(table: Table, key: str, found: dict[str, str]) -> str:
    if table.dimension == "mode":
        return str(mode_label(key))
    if table.dimension in ("topic", "counsellor", "intervention"):
        return found.get(key) or _("Not given")
    return key


def dimension_names() -> dict[str, str]:
    return {
        "month": _("Month"),
        "mode": _("Form of talk"),
        "topic": _("Topic"),
        "counsellor": _("Counsellor"),
        "intervention": _("Type of intervention"),
    }


def item_names() -> dict[str, str]:
    return {
        "heard": _("Heard and respected"),
        "focus": _("What mattered"),
        "method": _("Way of working"),
        "overall": _("Overall"),
        "difference": _("Difference in life"),
    }


def header(table: Table) -> list[str]:
    items = [item_names()[item] for item in source(table.dimension).items]
    bands = [_("%(low)s to %(high)s", low=low, high=high) for low, high in BANDS]
    return [dimension_names()[table.dimension], _("Answers"), *items, *bands]


def rows(table: Table, found: dict[str, str]) -> list[list[str]]:
    """The table as the page and the CSV show it: hidden groups say why."""
    hidden = _("Hidden: fewer than %(k)s answers", k=K)
    blank = [""] * (len(source(table.dimension).items) + len(BANDS))
    shown: list[list[str]] = []
    for group in table.groups:
        label = _label(table, group.key, found)
        shown.append([label, hidden, *blank] if group.hidden else _cells(label, group))
    if table.total is not None:
        shown.append(_cells(_("All"), table.total))
    return shown


def _cells(label: str, group: Group) -> list[str]:
    return [
        label,
        str(group.answers),
        *(f"{a:.1f}" for a in group.averages()),
        *(str(count) for count in group.bands),
    ]


def _table() -> tuple[Table, list[list[str]]]:
    table = cached_table(db.session(), _dimension())
    return table, rows(table, names(db.session(), table))


@bp.get("/leder/vurderinger")
@roles_required(Role.LEADER)
def leader_stats() -> str:
    mark_no_store()
    table, shown = _table()
    banded = item_names()[source(table.dimension).banded]
    return render_template(
        "feedback/stats.html",
        table=table,
        header=header(table),
        rows=shown,
        dimensions=DIMENSIONS,
        dimension_names=dimension_names(),
        banded=banded,
        chart=averages_chart(shown, len(source(table.dimension).items), banded),
        k=K,
    )


@bp.get("/leder/vurderinger.csv")
@roles_required(Role.LEADER)
def leader_stats_csv() -> Response:
    mark_no_store()
    table, shown = _table()
    return csv_download([header(table), *shown], f"vurderinger-{table.dimension}.csv")
