"""Languages: Danish first, English complete, Arabic for the anonymous booking.

The language is chosen explicitly (``?lang=``, then remembered in a cookie), else
from ``Accept-Language``, else Danish. Times are shown in Europe/Copenhagen.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l

#: Every date and time is shown in Copenhagen time, whatever the reader's language.
LOCAL = ZoneInfo("Europe/Copenhagen")

#: A label translated when it is shown (flask_babel's LazyString, which has no
#: types): a str wherever it is rendered or passed to ``str()``.
LazyText = Any
LANG_COOKIE = "sprog"
LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "ar": "العربية"}
RTL_LANGUAGES = {"ar"}

babel = Babel()

#: The ways of talking, as a parent reads them (staff words: calendar.forms).
_MODE_LABELS = {
    "home": _l("At home with you"),
    "centre": _l("At the family centre"),
    "phone": _l("By phone"),
    "video": _l("By video"),
}
#: The languages of a conversation, in the reader's language.
_LANGUAGE_LABELS = {"da": _l("Danish"), "en": _l("English"), "ar": _l("Arabic")}


def mode_label(mode: str) -> LazyText:
    """A way of talking (a ``Mode`` value) in the parent's words."""
    return _MODE_LABELS[str(mode)]


WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def mode_name(mode: str) -> LazyText:
    """A mode as staff say it (``mode_label`` is the parent's words)."""
    return {
        "home": _l("Home visit"),
        "centre": _l("Family centre"),
        "phone": _l("Phone"),
        "video": _l("Video"),
    }[str(mode)]


def language_label(code: str) -> LazyText:
    """A conversation language (ISO 639-1) in the reader's language."""
    return _LANGUAGE_LABELS[code]


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen is not None and chosen in languages:
        g.chosen_language = chosen
        return chosen
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered is not None and remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or "da"


def remember_language(response: Response) -> Response:
    """Keep an explicit choice for a year; it is a strictly necessary cookie."""
    chosen = g.get("chosen_language")
    if chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LANGUAGES else "ltr"


# Patterns that give "tirsdag den 9. december 2025 kl. 10.00" in Danish.
_DATETIME_PATTERNS = {
    "da": "EEEE 'den' d. MMMM y 'kl.' HH.mm",
    "en": "EEEE d MMMM y 'at' HH:mm",
    "ar": "EEEE d MMMM y، HH:mm",
}
_DATE_PATTERNS = {
    "da": "EEEE 'den' d. MMMM y",
    "en": "EEEE d MMMM y",
    "ar": "EEEE d MMMM y",
}
_TIME_PATTERNS = {"da": "HH.mm", "en": "HH:mm", "ar": "HH:mm"}


def _locale() -> str:
    return str(get_locale() or "da")


# Pages list many times (a week of free times, a calendar week): each formatted
# value is remembered, as Babel's formatting is pure and costs ~50 µs a call.
@functools.lru_cache(maxsize=8192)
def _formatted_datetime(value: datetime, pattern: str, locale: str) -> str:
    return babel_format_datetime(value, pattern, tzinfo=LOCAL, locale=locale)


@functools.lru_cache(maxsize=2048)
def _formatted_date(value: date, pattern: str, locale: str) -> str:
    return babel_format_date(value, pattern, locale=locale)


def format_datetime(value: datetime) -> str:
    """A full date and time in the reader's language, in Europe/Copenhagen."""
    locale = _locale()
    pattern = _DATETIME_PATTERNS.get(locale, "full")
    return _formatted_datetime(value, pattern, locale)


def format_date(value: date | datetime) -> str:
    locale = _locale()
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL).date()
    return _formatted_date(value, _DATE_PATTERNS.get(locale, "full"), locale)


def format_time(value: datetime) -> str:
    locale = _locale()
    pattern = _TIME_PATTERNS.get(locale, "HH:mm")
    return _formatted_datetime(value, pattern, locale)


def language_links() -> list[dict[str, str | bool]]:
    """The header's language switcher: the current language first, as DKFDS shows it."""
    current = _locale()
    codes = sorted(current_app.config["LANGUAGES"], key=lambda code: code != current)
    args = [(key, value) for key, value in request.args.items() if key != "lang"]
    links = []
    for code in codes:
        href = f"{request.path}?{urlencode([*args, ('lang', code)])}"
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "href": href,
                "current": code == current,
            }
        )
    return links


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_language)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        text_direction=text_direction,
        language_links=language_links,
    )
    app.jinja_env.filters.update(
        datetime=format_datetime, date=format_date, time=format_time
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
