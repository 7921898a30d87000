"""The calendar feed page and /dev/mail in a real browser: axe-clean, the copy button
copies the address, the address serves a calendar, and closing it ends that."""

from __future__ import annotations

import re
import threading

from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal import create_app
from portal.accounts.models import Role
from portal.mail.models import MessageKind
from portal.mail.outbox import enqueue
from portal.mail.sending import send_pending
from portal.mail.transports import FolderTransport
from tests.browser.conftest import log_in_staff, t


def test_counsellor_makes_copies_and_closes_a_feed_address(
    open_tab, make_user, db_session, caplog
):
    user = make_user(Role.COUNSELLOR, name="Anna Andersen")
    tab = open_tab()
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = tab.page
    log_in_staff(tab, user, db_session)

    tab.goto("/kalender/feed")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Calendar feed"))
    tab.check()
    page.get_by_role("button", name=t("Make an address")).click()

    field = page.get_by_label(t("Address of your calendar feed"))
    expect(field).to_have_attribute("readonly", "")
    address = field.input_value()
    assert re.fullmatch(
        r"http://127\.0\.0\.1:\d+/kalender/feed/[\w-]{43}\.ics", address
    )
    tab.check()
    copy = page.get_by_role("button", name=t("Copy the address"))
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#feed-copy-status")).to_have_text(t("The address is copied."))
    assert page.evaluate("navigator.clipboard.readText()") == address

    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VTIMEZONE" in feed.text()

    page.reload()
    expect(page.get_by_label(t("Address of your calendar feed"))).to_have_count(0)
    page.get_by_role("button", name=t("Close the address")).click()
    expect(page.get_by_role("button", name=t("Make an address"))).to_be_visible()
    tab.check()
    tab.expect_console_error("404")
    assert page.request.get(address).status == 404
    # The server logged the requests, without the secret part of the address.
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert "/kalender/feed/….ics" in caplog.text
    assert token not in caplog.text


def test_dev_mail_page_is_accessible(app, open_tab, db_session, tmp_path):
    folder = tmp_path / "mail"
    enqueue(
        db_session,
        kind=MessageKind.REMINDER,
        dedupe_key="reminder:browser-test:1",
        recipient="mor@example.dk",
        subject=t("Familieportalen: reminder"),
        body="Hej\n\nHusk din samtale i morgen.\n\nVenlig hilsen\nFamilieportalen",
    )
    db_session.commit()
    send_pending(db_session, FolderTransport(folder), sender="no-reply@example.dk")
    development = create_app(
        {
            "TESTING": True,
            "PORTAL_ENV": "development",
            "MAIL_FOLDER": str(folder),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
    )
    server = make_server("127.0.0.1", 0, development, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tab = open_tab()
        tab.base_url = f"http://127.0.0.1:{server.server_port}"
        tab.goto(f"{tab.base_url}/dev/mail")
        expect(
            tab.page.get_by_role("heading", name=t("Familieportalen: reminder"))
        ).to_be_visible()
        expect(tab.page.get_by_text("mor@example.dk")).to_be_visible()
        tab.check()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        development.extensions["db_engine"].dispose()
