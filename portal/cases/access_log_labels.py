"""What an audit row means, said to the family: "Looked at your case", "Changed
a talk". Rows keep stable English codes (action, object type, the page); the
words are chosen here, at the edge, in the reader's language. A code not listed
falls back to a general phrase, never to the code itself."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit import AuditAction, AuditEvent
from portal.i18n import LazyText
from portal.templating import role_name

#: What was touched, by the row's object type.
THINGS: dict[str, LazyText] = {
    "family": _l("your case"),
    "child": _l("a child"),
    "member": _l("a person in the family"),
    "family_assignment": _l("your counsellors"),
    "counselling_session": _l("a talk"),
    "invitation": _l("an invitation to log in"),
    "goal": _l("a goal"),
    "note": _l("a note"),
    "intervention": _l("the help you get"),
    "consent": _l("a consent"),
    "disclosure": _l("information about you"),
}
#: The page a VIEW of the family was, by its ``what`` (``web.open_family``).
PAGES: dict[str, LazyText] = {
    "counsellors": _l("your counsellors"),
    "family session": _l("a talk"),
    "book a family session": _l("your talks"),
    "goals": _l("your goals"),
    "notes": _l("the notes"),
    "interventions": _l("the help you get"),
    "consents": _l("your consents"),
    "consent": _l("a consent"),
    "disclosure": _l("your consents"),
    "disclosures without consent": _l("your consents"),
}


def what(event: AuditEvent) -> str:
    """One short sentence: the action and what it touched."""
    thing = THINGS.get(event.object_type, _l("your data"))
    if event.action == AuditAction.VIEW and event.object_type == "family":
        thing = PAGES.get(event.reason.split(":")[0], thing)
    if event.action == AuditAction.VIEW:
        return str(_("Looked at %(thing)s", thing=thing))
    if event.action == AuditAction.CREATE:
        return str(_("Added %(thing)s", thing=thing))
    if event.action == AuditAction.DELETE:
        return str(_("Removed %(thing)s", thing=thing))
    if event.action == AuditAction.SHARE:
        return str(_("Shared %(thing)s", thing=thing))
    if event.action == AuditAction.EXPORT:
        return str(_("Downloaded %(thing)s", thing=thing))
    return str(_("Changed %(thing)s", thing=thing))


def who(event: AuditEvent) -> str:
    """The staff member's name (as it is now; "unknown" if the row has none)."""
    return event.actor.name if event.actor is not None else _("unknown")


def role(event: AuditEvent) -> str:
    """The role they had when it happened."""
    return role_name(event.actor_role)
