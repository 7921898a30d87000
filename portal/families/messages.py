"""Staff's words for the family records' error codes (``RecordError.code``)."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.families.members import YOUNG_PERSON_AGE


def error_message(code: str) -> str:
    messages: dict[str, str] = {
        "family_closed": _("The family is closed. Reopen it to change anything."),
        "family_open": _("The family is already open."),
        "birth_date_future": _("The birth date cannot be in the future."),
        "birth_date_too_early": _("Write a real birth date."),
        "child_not_in_family": _("Choose one of the family's children."),
        "member_not_in_family": _("The person is no longer a member of the family."),
        "reason_required": _("Write why."),
        "invalid_email": _("Write a valid e-mail, for example navn@eksempel.dk."),
        "email_taken": _("Another member of a family already has that e-mail."),
        "invalid_phone": _(
            "Write a Danish phone number with 8 digits, for example 12 34 56 78."
        ),
        "custody_not_adult": _("Only an adult member of the family can hold custody."),
        "too_young": _(
            "A child can become a member from the age of %(age)s.",
            age=YOUNG_PERSON_AGE,
        ),
        "already_member": _("That child is already a member."),
        "not_a_counsellor": _("Choose an active counsellor."),
        "already_assigned": _("That counsellor is already assigned to the family."),
        "not_assigned": _("That counsellor is not assigned to the family."),
    }
    return messages[code]
