"""Forms of the public booking flow's steps: topic, way of talking, language and
time (labels via _l)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import InputRequired, Length, Optional

from portal.availability.models import LANGUAGES, Mode
from portal.booking.courses import MAX_TOPIC_TEXT
from portal.booking.models import Topic
from portal.forms import PortalForm
from portal.i18n import language_label, mode_label

NO_TOPIC = "none"


class TopicForm(PortalForm):
    topic = RadioField(
        _l("What would you like to talk about?"),
        validators=[Optional()],
        description=_l("You do not have to choose. It helps us prepare."),
    )
    topic_text = TextAreaField(
        _l("Do you want to tell us more?"),
        validators=[Optional(), Length(max=MAX_TOPIC_TEXT)],
        description=lazy_ngettext(
            "At most %(num)s character. Do not write names or CPR numbers.",
            "At most %(num)s characters. Do not write names or CPR numbers.",
            MAX_TOPIC_TEXT,
        ),
        render_kw={"rows": 4, "maxlength": MAX_TOPIC_TEXT},
    )

    def set_topics(self, topics: Iterable[Topic], locale: str) -> None:
        self.topic.choices = [
            SelectChoice(str(topic.id), topic.name_for(locale)) for topic in topics
        ] + [SelectChoice(NO_TOPIC, _l("I do not want to say"))]


class ModeForm(PortalForm):
    mode = RadioField(
        _l("How would you like to talk?"),
        choices=[SelectChoice(mode.value, mode_label(mode)) for mode in Mode],
        validators=[InputRequired(message=_l("Choose how you would like to talk."))],
    )


class LanguageForm(PortalForm):
    language = RadioField(
        _l("Which language would you like to talk in?"),
        choices=[SelectChoice(code, language_label(code)) for code in LANGUAGES],
        validators=[InputRequired(message=_l("Choose a language."))],
    )


class TimeForm(PortalForm):
    # The choices are the free times on the page; the value is the UTC start.
    time = RadioField(
        _l("Choose a time"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a time."))],
    )
