"""The leader's statistics page (``/leder/vurderinger``) and its CSV, built from
the same rows, so the file holds exactly what the page shows."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from portal import db
from portal.accounts.models import Role
from portal.feedback import bp
from portal.feedback.stats import DIMENSIONS, K, Table, names, rating_table
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
    if table.dimension in ("topic", "counsellor"):
        return found.get(key) or _("Not given")
    return key


def header(table: Table) -> list[str]:
    first = {
        "month": _("Month"),
        "mode": _("Form of talk"),
        "topic": _("Topic"),
        "counsellor": _("Counsellor"),
    }[table.dimension]
    return [
        first,
        _("Answers"),
        _("Heard and respected"),
        _("What mattered"),
        _("Way of working"),
        _("Overall"),
    ]


def rows(table: Table, found: dict[str, str]) -> list[list[str]]:
    """The table as the page and the CSV show it: hidden groups say why."""
    hidden = _("Hidden: fewer than %(k)s answers", k=K)
    shown: list[list[str]] = []
    for group in table.groups:
        label = _label(table, group.key, found)
        if group.hidden:
            shown.append([label, hidden, "", "", "", ""])
        else:
            shown.append(
                [label, str(group.answers), *(f"{a:.1f}" for a in group.averages())]
            )
    if table.total is not None:
        shown.append(
            [
                _("All"),
                str(table.total.answers),
                *(f"{a:.1f}" for a in table.total.averages()),
            ]
        )
    return shown


def _table() -> tuple[Table, list[list[str]]]:
    table = rating_table(db.session(), _dimension())
    return table, rows(table, names(db.session(), table))


@bp.get("/leder/vurderinger")
@roles_required(Role.LEADER)
def leader_stats() -> str:
    mark_no_store()
    table, shown = _table()
    return render_template(
        "feedback/stats.html",
        table=table,
        header=header(table),
        rows=shown,
        dimensions=DIMENSIONS,
        k=K,
    )


@bp.get("/leder/vurderinger.csv")
@roles_required(Role.LEADER)
def leader_stats_csv() -> Response:
    mark_no_store()
    table, shown = _table()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header(table))
    writer.writerows(shown)
    return csv_download(out.getvalue(), f"vurderinger-{table.dimension}.csv")
