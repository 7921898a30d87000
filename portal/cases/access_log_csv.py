"""The access log as a CSV file a parent opens in Excel: UTF-8 with a byte order
mark (else Excel guesses the wrong encoding and Ø becomes Ã˜), semicolons (the
list separator of Danish Excel), Danish headers, every field quoted as needed.

A cell that starts with ``= + - @`` (or a tab or carriage return) would be read
by a spreadsheet as a formula: a staff member's name or reason could then run
one on the family's computer (CSV injection). Such cells get a leading ``'``.
"""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from portal.audit import AuditEvent
from portal.cases import access_log_labels as labels
from portal.i18n import LOCAL

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(events: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Time"), _("What"), _("Role"), _("Name"), _("Reason")])
    for event in events:
        row = [
            event.occurred_at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M"),
            labels.what(event),
            labels.role(event),
            labels.who(event),
            event.stated_reason or "",
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()
