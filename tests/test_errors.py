"""Error pages come in the portal's layout and the reader's language."""

from __future__ import annotations

import pytest
from flask import abort, request
from sqlalchemy import text

from portal import db


@pytest.fixture
def failing_app(app):
    """The app with a few routes that fail on purpose, as errors reach users."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/fejl/<int:code>")
    def fail_with(code: int):
        abort(code)

    @app.get("/_test/undtagelse")
    def crash():
        raise RuntimeError("simulated bug with a secret: 1234")

    return app


@pytest.mark.parametrize(
    ("code", "danish", "english"),
    [
        (400, "Vi kunne ikke forstå forespørgslen", "We could not understand"),
        (403, "Du har ikke adgang til siden", "You do not have access"),
        (404, "Siden findes ikke", "The page does not exist"),
        (429, "For mange forsøg", "Too many attempts"),
        (500, "Der skete en fejl hos os", "Something went wrong on our side"),
    ],
)
def test_error_pages_in_danish_and_english(failing_app, code, danish, english):
    client = failing_app.test_client()
    response = client.get(f"/_test/fejl/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert danish in page and 'class="header"' in page and "<footer>" in page
    english_page = client.get(f"/_test/fejl/{code}?lang=en").get_data(as_text=True)
    assert english in english_page


def test_unexpected_exception_shows_the_500_page_without_details(failing_app):
    response = failing_app.test_client().get("/_test/undtagelse")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Der skete en fejl hos os" in page
    assert "secret" not in page and "Traceback" not in page


def test_a_database_error_is_logged_without_its_bound_values(failing_app, caplog):
    @failing_app.get("/_test/database")
    def failing_query():
        typed = request.args["typed"]  # what a person typed, e.g. an e-mail
        db.session().execute(
            text("SELECT * FROM no_such_table WHERE x = :x"), {"x": typed}
        )

    response = failing_app.test_client().get("/_test/database?typed=mette@example.dk")
    assert response.status_code == 500
    assert "no_such_table" in caplog.text  # the error itself is logged
    assert "mette@example.dk" not in caplog.text
