"""Forms of the family's own pages (labels with _l)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from portal.forms import PortalForm


class RemindersForm(PortalForm):
    wants_reminders = BooleanField(_l("Send me an e-mail the day before a talk"))
