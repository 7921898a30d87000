"""How the printed view (``/familie/data/udskrift``) says the export's values to a
parent: times and dates in words, codes in words, yes/no; empty values and
codes meant for machines are left out."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.cases.notes_forms import KIND_LABELS
from portal.cases.notes_models import NoteKind
from portal.i18n import LazyText, format_date, format_datetime, mode_name
from portal.templating import role_name

#: Keys the printed view leaves out: codes for machines, not for a parent.
NOT_PRINTED = frozenset({"id", "action", "object_type", "html"})
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*[+-]\d{2}:\d{2}\Z")
#: A status code in words: the family, its sessions, goals and interventions
#: (the words their own pages use).
STATUS: dict[str, LazyText] = {
    "open": _l("Open"),
    "closed": _l("Closed"),
    "booked": _l("Booked"),
    "held": _l("Held"),
    "no_show": _l("Did not come"),
    "cancelled": _l("Cancelled"),
    "active": _l("Active"),
    "achieved": _l("Achieved"),
    "stopped": _l("Stopped"),
    "planned": _l("Planned"),
    "ended": _l("Ended"),
}
#: The family's answer to a goal, as the goal's page says it.
AGREEMENT: dict[str, LazyText] = {
    "agree": _l("Agrees"),
    "partly": _l("Agrees in part"),
    "disagree": _l("Does not agree"),
}


def printed(row: dict[str, Any]) -> list[tuple[str, Any]]:
    """The (key, value) pairs of ``row`` worth printing."""
    return [
        (key, value)
        for key, value in row.items()
        if key not in NOT_PRINTED and value not in (None, "", [])
    ]


def shown(value: Any, key: str = "") -> str:
    """A JSON value as a parent reads it."""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    text = str(value)
    if key == "status" and text in STATUS:
        return str(STATUS[text])
    if key == "agreement" and text in AGREEMENT:
        return str(AGREEMENT[text])
    if key == "kind" and text in KIND_LABELS:
        return str(KIND_LABELS[NoteKind(text)])
    if key == "role":
        return role_name(text)
    if key == "mode":
        return str(mode_name(text))
    if ISO_DATETIME.match(text):
        return format_datetime(datetime.fromisoformat(text))
    if ISO_DATE.match(text):
        return format_date(date.fromisoformat(text))
    return text
