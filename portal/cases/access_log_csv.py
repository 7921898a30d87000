"""The access log as rows for the CSV file a parent opens in Excel: Danish
headers, one row a staff opening, oldest first (``web_files.spreadsheet`` writes
them safely)."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.audit import AuditEvent
from portal.cases import access_log_labels as labels
from portal.i18n import LOCAL


def csv_rows(events: list[AuditEvent]) -> list[list[str]]:
    header = [_("Time"), _("What"), _("Role"), _("Name"), _("Reason")]
    return [header] + [
        [
            event.occurred_at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M"),
            labels.what(event),
            labels.role(event),
            labels.who(event),
            event.stated_reason or "",
        ]
        for event in events
    ]
