"""Log lines never carry a calendar feed's token (it opens the counsellor's
calendar) nor an invitation's (it lets a family member in).

The development server's and gunicorn's request lines, and Flask's error log, name
the requested path; a filter on each of those loggers replaces the token with "…".
"""

from __future__ import annotations

import logging
import re

from flask.sansio.app import App

_FEED_PATH = re.compile(r"/kalender/feed/[^/\s\"?]+\.ics")
_INVITATION_PATH = re.compile(r"/invitation/[^/\s\"?]+")


class RedactFeedTokens(logging.Filter):
    """Replace the token in a feed path with "…" in every record of a logger: the
    development server's and gunicorn's request lines, and Flask's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact(value) for value in record.args)
        return True


def _redact(value: object) -> object:
    if isinstance(value, str) and "/kalender/feed/" in value:
        value = _FEED_PATH.sub("/kalender/feed/….ics", value)
    if isinstance(value, str) and "/invitation/" in value:
        value = _INVITATION_PATH.sub("/invitation/…", value)
    return value


def redact_feed_tokens(app: App) -> None:
    """Add the filter once to every logger that may name a feed's path."""
    for logger in (
        logging.getLogger("werkzeug"),
        logging.getLogger("gunicorn.access"),
        logging.getLogger("gunicorn.error"),
        app.logger,
    ):
        if not any(isinstance(known, RedactFeedTokens) for known in logger.filters):
            logger.addFilter(RedactFeedTokens())
