"""What every template may use: the municipality, DKFDS icons, shared labels."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup


def municipality() -> dict[str, str]:
    config = current_app.config
    return {
        "name": config["MUNICIPALITY_NAME"],
        "phone": config["MUNICIPALITY_PHONE"],
        "email": config["MUNICIPALITY_EMAIL"],
        "address": config["MUNICIPALITY_ADDRESS"],
        "hours": _per_language(config, "MUNICIPALITY_HOURS"),
    }


def _per_language(config: Mapping[str, Any], key: str) -> str:
    """A configured text in the reader's language (``KEY_EN``, ``KEY_AR``), Danish
    (``KEY``) when there is none for it."""
    language = str(get_locale() or "da").upper()
    text: str = config.get(f"{key}_{language}") or config[key]
    return text


# The DKFDS icons our templates use. Only these are inlined: the whole sprite
# would add 55 kB to every page, which a parent on a phone pays for.
ICONS = {
    "check",
    "close",
    "lock",
    "info",
    "success",
    "warning",
    "error",
    "help",
    "arrow-back",
    "arrow-forward",
    "chevron-left",
    "chevron-right",
    "calendar-today",
    "print",
    "delete",
    "edit",
    "home",
    "phone",
    "videocam",
    "groups",
    "time",
    "language",
    "add",
    "remove",
    "copy",
    "calendar-month",
    "plus",
    "smartphone",
    "event-busy",
    "person",
}
_SYMBOL = re.compile(r'<symbol id="([^"]+)".*?</symbol>', re.DOTALL)


@functools.cache
def _sprite(static_folder: str) -> str:
    path = Path(static_folder) / "vendor" / "dkfds" / "img" / "all-svg-icons.svg"
    symbols = [
        match.group(0)
        for match in _SYMBOL.finditer(path.read_text(encoding="utf-8"))
        if match.group(1) in ICONS
    ]
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>"


def icon_sprite() -> Markup:
    """The DKFDS icons we use, inlined once per page so ``<use href="#name">`` works."""
    return Markup(_sprite(current_app.static_folder))  # noqa: S704 - our own file


def alert_label(variant: str) -> str:
    labels: dict[str, str] = {
        "info": _("Information"),
        "success": _("Done"),
        "warning": _("Warning"),
        "error": _("Error"),
    }
    return labels[variant]


def role_name(role: str) -> str:
    names: dict[str, str] = {
        "family": _("family"),
        "counsellor": _("counsellor"),
        "leader": _("leader"),
    }
    return names.get(role, role)


def tel_link(number: str) -> Markup:
    """A phone number a phone can call with one tap; it reads left to right in
    Arabic too, and never breaks over two lines."""
    digits = re.sub(r"[^0-9+]", "", number)
    shown = number.replace(" ", "\u00a0")
    return Markup('<a href="tel:{}"><bdi dir="ltr">{}</bdi></a>').format(digits, shown)


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"municipality": municipality()})
    app.jinja_env.globals.update(
        icon_sprite=icon_sprite,
        alert_label=alert_label,
        role_name=role_name,
        tel=tel_link,
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
