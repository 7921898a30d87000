"""What can go wrong when a counsellor changes their availability."""

from __future__ import annotations


class AvailabilityError(Exception):
    """Bad availability input; ``code`` says what (the view words it).

    Codes: ``span_order``, ``span_overlap``, ``no_modes``, ``unknown_mode``,
    ``location_too_long``, ``absence_order``, ``absence_too_long``,
    ``absence_repeated``, ``reason_too_long``, ``no_languages``,
    ``unknown_language``, ``out_of_range``, ``not_found``.
    """

    def __init__(self, code: str, *, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.field = field
