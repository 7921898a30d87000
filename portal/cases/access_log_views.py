"""The family's "Hvem har set vores oplysninger" (``/familie/adgang``) and its
CSV download. Read only: the application has no route that changes or deletes
the log. Every view goes through ``access.family_for_member``."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_login import current_user

from portal import audit, db
from portal.accounts.models import Role
from portal.cases import access_log, bp
from portal.cases import access_log_labels as labels
from portal.cases.access_log_csv import csv_rows
from portal.families import access
from portal.families.models import Family
from portal.parsing import PAGE_ARG, page_number
from portal.security import mark_no_store, roles_required
from portal.web_files import csv_download

MONTH_ARG = "maaned"


def month_name(month: date) -> str:
    """ "marts 2026" in the reader's language."""
    return str(format_date(month, "MMMM y"))


def _own_log() -> tuple[Family, list[date], date | None]:
    """The member's family (its log is never cached), the months with entries,
    newest first, and the month asked for (``?maaned=``) or else the newest."""
    mark_no_store()
    family = access.family_for_member(current_user)
    months = access_log.months(db.session(), family)
    return family, months, access_log.parse_month(request.args.get(MONTH_ARG), months)


@bp.get("/familie/adgang")
@roles_required(Role.FAMILY)
def access_log_page() -> ResponseReturnValue:
    family, months, month = _own_log()
    found = access_log.entries(db.session(), family, month, page_number())
    return render_template(
        "cases/access_log.html",
        months=months,
        log=found,
        labels=labels,
        month_name=month_name,
        month_arg=MONTH_ARG,
        page_arg=PAGE_ARG,
    )


@bp.get("/familie/adgang.csv")
@roles_required(Role.FAMILY)
def access_log_csv() -> ResponseReturnValue:
    """The chosen month (``?maaned=2026-03``), or the whole log without one."""
    family, _, month = _own_log()
    if month is None or month.strftime("%Y-%m") != request.args.get(MONTH_ARG):
        month = None  # not asked, or a month without entries: the whole log
    session = db.session()
    rows = csv_rows(access_log.every_entry(session, family, month))
    name = f"adgang-{month:%Y-%m}.csv" if month else "adgang.csv"
    audit.record(
        session,
        actor=current_user,
        action=audit.AuditAction.EXPORT,
        object_type="access_log",
        object_id=family.public_id,
        family=family,
    )
    session.commit()
    return csv_download(rows, name)
