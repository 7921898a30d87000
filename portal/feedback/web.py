"""What the feedback pages share: show the form, or store the answer once and
go back (PRG). A refusal that is about the whole answer (already given, not
held) is flashed on the page it came from; one about a field stays on the form
with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal import db
from portal.feedback.errors import FeedbackError, message
from portal.feedback.forms import SliderForm
from portal.forms import add_error


def ask(
    form: SliderForm,
    refused: FeedbackError | None,
    store: Callable[[], object],
    *,
    back: str,
    template: str,
    **context: Any,
) -> ResponseReturnValue:
    """``store`` runs inside one transaction when the form is valid and nothing
    ``refused`` it already."""
    if refused is None and form.validate_on_submit():
        try:
            with db.commit_or_rollback():
                store()
        except FeedbackError as error:
            if error.field is None:
                refused = error
            else:
                add_error(form[error.field], message(error))
        else:
            flash(_("Thank you. Your answer is saved."), "success")
            return redirect(back)
    if refused is not None:
        flash(message(refused), "info")
        return redirect(back)
    status = 400 if form.errors else 200
    return render_template(template, form=form, back=back, **context), status
