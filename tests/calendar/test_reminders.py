"""Reminders the day before, the outbox that sends them once, SMTP, and /dev/mail."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal import create_app
from portal.booking import contact
from portal.booking import sessions as booking_sessions
from portal.booking.models import CancelledBy
from portal.booking.notify import withdraw_course_mail
from portal.booking.privacy import delete_course
from portal.calendar import services as calendar
from portal.calendar.reminders import ReminderRun, queue_reminders, reminder_key
from portal.mail.models import CLAIM_TIMEOUT, MessageKind, OutboxMessage
from portal.mail.sending import send_pending
from portal.mail.transports import FolderTransport
from tests.calendar.conftest import START, t
from tests.conftest import csrf_token_from
from tests.factories import local

BASE_URL = "https://familie.demokommune.dk"
TOPIC = "Min kæreste drikker for meget"
ADDRESS = "Hemmeligvej 17, 7190 Demoby"
EMAIL = "mor@example.dk"
TUESDAY_10 = local(2026, 3, 24, 10)  # tomorrow, seen from START (Monday 09:00)


@pytest.fixture
def mail_dir(app, tmp_path):
    folder = tmp_path / "mail"
    app.config.update(MAIL_FOLDER=str(folder), PORTAL_BASE_URL=BASE_URL)
    return folder


@pytest.fixture
def remind(db_session):
    """``queue_reminders`` and commit, as the command does."""

    def run(now=START):
        result = queue_reminders(db_session, now)
        db_session.commit()
        return result

    return run


@pytest.fixture
def send_reminders(app, mail_dir):
    runner = app.test_cli_runner()

    def run():
        result = runner.invoke(args=["send-reminders"])
        assert result.exit_code == 0, result.output
        return result.output

    return run


def outbox(db_session, kind=None) -> list[OutboxMessage]:
    db_session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db_session.scalars(query))


def delivered(folder) -> list[EmailMessage]:
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def text_of(email: EmailMessage) -> str:
    return email.get_body(preferencelist=("plain",)).get_content()


def asks(**extra) -> dict:
    return {"contact_email": EMAIL, "wants_reminders": True, **extra}


# --- what is queued -------------------------------------------------------------------


def test_reminder_holds_time_mode_and_link_and_nothing_sensitive(
    db_session, counsellor, book, remind, mail_dir
):
    made = book(
        counsellor, TUESDAY_10, mode="home", address=ADDRESS, topic_text=TOPIC, **asks()
    )
    assert remind().queued == 1
    [message] = outbox(db_session)
    assert message.kind == MessageKind.REMINDER
    assert message.recipient == EMAIL
    assert message.subject == t("Familieportalen: reminder")
    assert message.dedupe_key == reminder_key(made.session)
    body = message.body
    assert "tirsdag den 24. marts 2026 kl. 10.00" in body
    assert t("At home with you") in body
    assert f"{BASE_URL}/min-booking" in body
    for secret in (
        TOPIC,
        ADDRESS,
        made.course.pseudonym,
        made.code,
        made.code.replace("-", ""),
        counsellor.name,
    ):
        assert secret not in body
        assert secret not in message.subject


def test_danish_subject_is_exactly_the_agreed_words(app):
    assert t("Familieportalen: reminder") == "Familieportalen: påmindelse"


def test_only_tomorrows_sessions_of_parents_who_asked_get_a_reminder(
    db_session, counsellor, book, remind, mail_dir
):
    wanted = book(counsellor, TUESDAY_10, **asks())
    book(counsellor, local(2026, 3, 24, 11), contact_email="far@example.dk")
    book(counsellor, local(2026, 3, 24, 12), contact_phone="22334455")
    book(counsellor, local(2026, 3, 25, 10), **asks())  # the day after tomorrow
    assert remind().queued == 1
    assert [m.dedupe_key for m in outbox(db_session)] == [reminder_key(wanted.session)]


def test_tomorrow_is_the_copenhagen_calendar_day(db_session, counsellor, book, remind):
    book(counsellor, TUESDAY_10, **asks())
    wednesday = book(counsellor, local(2026, 3, 25, 10), **asks(contact_email="b@x.dk"))
    # 00:30 on Tuesday in Copenhagen is still Monday in UTC.
    assert remind(now=local(2026, 3, 24, 0, 30)).queued == 1
    assert [m.dedupe_key for m in outbox(db_session)] == [
        reminder_key(wednesday.session)
    ]


def test_reminder_after_the_change_to_summer_time(db_session, counsellor, book, remind):
    book(counsellor, local(2026, 3, 30, 9), **asks())
    # Sunday 29 March 2026, the day the clocks go forward.
    assert remind(now=local(2026, 3, 29, 12)).queued == 1
    [message] = outbox(db_session)
    assert "mandag den 30. marts 2026 kl. 09.00" in message.body


def test_reminder_is_in_the_courses_language(db_session, counsellor, book, remind):
    book(counsellor, TUESDAY_10, language="en", **asks())
    remind()
    [message] = outbox(db_session)
    with force_locale("en"):
        assert message.subject == gettext("Familieportalen: reminder")
    assert "Tuesday 24 March 2026 at 10:00" in message.body


def test_queueing_twice_keeps_one_reminder(db_session, counsellor, book, remind):
    book(counsellor, TUESDAY_10, **asks())
    assert remind().queued == 1
    assert remind(now=START + timedelta(hours=1)).queued == 0
    assert len(outbox(db_session)) == 1


def test_reminder_queued_at_night_waits_for_the_morning(
    db_session, counsellor, book, remind, mail_dir
):
    book(counsellor, local(2026, 3, 25, 10), **asks())
    night = local(2026, 3, 24, 0, 30)
    remind(now=night)
    transport = FolderTransport(mail_dir)
    assert send_pending(db_session, transport, sender="x@y.dk", now=lambda: night) == (
        0,
        0,
    )
    morning = local(2026, 3, 24, 7)
    assert send_pending(
        db_session, transport, sender="x@y.dk", now=lambda: morning
    ) == (1, 0)


# --- withdrawn when no longer right ---------------------------------------------------


def test_cancelled_sessions_pending_reminder_is_withdrawn(
    db_session, counsellor, book, remind, send_reminders, mail_dir, clock
):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    calendar.cancel_by_counsellor(db_session, made.session, "Syg", now=START)
    db_session.commit()
    assert remind().withdrawn == 1
    assert outbox(db_session, MessageKind.REMINDER) == []
    send_reminders()
    # The family hears that the talk is cancelled, and is not reminded of it.
    [email] = delivered(mail_dir)
    assert email["Subject"] == t("Familieportalen: your talk is cancelled")


def test_parent_cancelling_withdraws_the_reminder_when_the_command_runs(
    db_session, counsellor, book, remind, send_reminders, mail_dir, clock
):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    booking_sessions.cancel_session(
        db_session, made.session, by=CancelledBy.PARENT, now=START
    )
    db_session.commit()
    assert "withdrew 1" in send_reminders()
    assert delivered(mail_dir) == []
    assert outbox(db_session) == []


def test_moved_session_gets_a_new_reminder_and_the_old_one_goes(
    db_session, counsellor, book, remind, clock
):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    old_key = reminder_key(made.session)
    calendar.move_by_counsellor(
        db_session, made.session, local(2026, 3, 24, 13), now=START
    )
    db_session.commit()
    assert remind() == ReminderRun(queued=1, withdrawn=1)
    [reminder] = outbox(db_session, MessageKind.REMINDER)
    assert reminder.dedupe_key != old_key
    assert "kl. 13.00" in reminder.body


def test_parent_who_stops_wanting_reminders_gets_none(
    db_session, counsellor, book, remind
):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    contact.set_contact(db_session, made.course, email=EMAIL, wants_reminders=False)
    db_session.commit()
    assert remind().withdrawn == 1
    assert outbox(db_session) == []


def test_changed_e_mail_gets_the_reminder_instead(db_session, counsellor, book, remind):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    contact.set_contact(db_session, made.course, email="ny@example.dk")
    db_session.commit()
    assert remind() == ReminderRun(queued=1, withdrawn=1)
    assert [m.recipient for m in outbox(db_session)] == ["ny@example.dk"]


def test_deleting_the_course_can_withdraw_its_mail_at_once(
    db_session, counsellor, book, remind
):
    made = book(counsellor, TUESDAY_10, **asks())
    other = book(counsellor, local(2026, 3, 24, 11), **asks(contact_email="b@x.dk"))
    remind()
    assert withdraw_course_mail(db_session, made.course) == 1
    delete_course(db_session, made.course, now=START)
    db_session.commit()
    assert [m.dedupe_key for m in outbox(db_session)] == [reminder_key(other.session)]


# --- sent once ------------------------------------------------------------------------


def test_running_the_command_twice_sends_once(
    db_session, counsellor, book, send_reminders, mail_dir, clock
):
    book(counsellor, TUESDAY_10, **asks())
    first = send_reminders()
    assert "Queued 1 reminder(s)" in first and "sent 1 message(s)" in first
    second = send_reminders()
    assert "Queued 0 reminder(s)" in second and "sent 0 message(s)" in second
    [email] = delivered(mail_dir)
    assert email["To"] == EMAIL
    assert email["From"] == "Familieportalen <no-reply@familieportalen.local>"
    assert email["Auto-Submitted"] == "auto-generated"
    [message] = outbox(db_session)
    assert message.sent_at is not None
    # Nothing personal is kept once it has gone.
    assert message.recipient is None and message.body is None


class CrashingTransport:
    """Delivers the first message, then dies the way a process does."""

    def __init__(self, crash: type[BaseException]):
        self.crash = crash
        self.sent: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return None

    def send(self, email) -> None:
        if self.sent:
            raise self.crash("killed half-way")
        self.sent.append(email["Message-ID"])


class RecordingTransport(CrashingTransport):
    def send(self, email) -> None:
        self.sent.append(email["Message-ID"])


@pytest.mark.parametrize("crash", [RuntimeError, KeyboardInterrupt])
def test_a_crash_half_way_sends_each_message_exactly_once(
    app, db_session, counsellor, book, mail_dir, clock, monkeypatch, crash
):
    book(counsellor, TUESDAY_10, **asks())
    book(counsellor, local(2026, 3, 24, 11), **asks(contact_email="far@example.dk"))
    crashing = CrashingTransport(crash)
    monkeypatch.setattr("portal.mail.transports.transport_for", lambda _app: crashing)
    runner = app.test_cli_runner()
    # Click turns both into exit code 1 ("Aborted!" for the interrupt).
    assert runner.invoke(args=["send-reminders"]).exit_code == 1
    db_session.rollback()
    assert len(crashing.sent) == 1

    again = RecordingTransport(None)
    monkeypatch.setattr("portal.mail.transports.transport_for", lambda _app: again)
    # At once: the second message may have gone before the crash, so it waits.
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert again.sent == []
    clock.shift(CLAIM_TIMEOUT + timedelta(seconds=1))
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert len(again.sent) == 1
    assert sorted(crashing.sent + again.sent) == sorted(
        f"<{m.public_id}@familieportalen.local>" for m in outbox(db_session)
    )
    assert all(m.sent_at is not None for m in outbox(db_session))


def test_a_refused_message_is_tried_again_next_run(
    db_session, counsellor, book, remind
):
    import smtplib

    class Refusing(RecordingTransport):
        def send(self, email) -> None:
            raise smtplib.SMTPRecipientsRefused({email["To"]: (550, b"no")})

    book(counsellor, TUESDAY_10, **asks())
    remind()
    assert send_pending(db_session, Refusing(None), sender="x@y.dk") == (0, 1)
    [message] = outbox(db_session)
    assert message.sent_at is None and message.claimed_at is None
    assert message.last_error == "SMTPRecipientsRefused"
    retry = RecordingTransport(None)
    assert send_pending(db_session, retry, sender="x@y.dk") == (1, 0)


def test_two_runs_at_once_send_each_message_once(
    app, db_session, counsellor, book, remind
):
    for hour in (10, 11, 12):
        book(counsellor, local(2026, 3, 24, hour), **asks(contact_email=f"{hour}@x.dk"))
    remind()
    sent: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    class Slow(RecordingTransport):
        def send(self, email) -> None:
            with lock:
                sent.append(email["Message-ID"])

    def run() -> None:
        with app.app_context():
            from portal import db

            barrier.wait()
            send_pending(db.session(), Slow(None), sender="x@y.dk")

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 3


# --- real SMTP ------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_USE_TLS=False,
        MAIL_USERNAME="",
        MAIL_SENDER="Familierådgivningen <familieraadgivning@demokommune.dk>",
        PORTAL_BASE_URL=BASE_URL,
    )
    yield inbox
    controller.stop()


def test_reminder_is_delivered_by_smtp(
    app, db_session, counsellor, book, smtp_server, clock
):
    made = book(counsellor, TUESDAY_10, mode="phone", topic_text=TOPIC, **asks())
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "sent 1 message(s)," in result.output
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [EMAIL]
    email = message_from_bytes(envelope.content, policy=policy.default)
    # Only "Familieportalen" shows, whatever the configured sender is called.
    assert email["From"].addresses[0].display_name == "Familieportalen"
    assert email["Subject"] == t("Familieportalen: reminder")
    body = text_of(email)
    assert "tirsdag den 24. marts 2026 kl. 10.00" in body
    assert t("By phone") in body
    assert f"{BASE_URL}/min-booking" in body
    raw = envelope.content.decode("utf-8", "replace")
    for secret in (TOPIC, made.course.pseudonym, made.code, "rådgivning"):
        assert secret not in body and secret not in raw


def test_unreachable_mail_server_keeps_the_messages(
    app, db_session, counsellor, book, clock
):
    book(counsellor, TUESDAY_10, **asks())
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False
    )
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1
    assert "could not reach the mail server" in result.output
    [message] = outbox(db_session)
    assert message.sent_at is None and message.attempts == 0


# --- /dev/mail ------------------------------------------------------------------------


def test_dev_mail_is_not_there_outside_development(client):
    assert client.get("/dev/mail").status_code == 404


def test_dev_mail_lists_what_was_written(
    app, db_session, counsellor, book, send_reminders, mail_dir, clock
):
    book(counsellor, TUESDAY_10, **asks())
    send_reminders()
    development = create_app(
        {
            "TESTING": True,
            "PORTAL_ENV": "development",
            "MAIL_FOLDER": str(mail_dir),
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
    )
    response = development.test_client().get("/dev/mail")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert t("Familieportalen: reminder") in page
    assert EMAIL in page
    assert "tirsdag den 24. marts 2026 kl. 10.00" in page
    assert f"{BASE_URL}/min-booking" in page
    # The date it was written, in Danish.
    assert "mandag den 23. marts 2026" in page
    development.extensions["db_engine"].dispose()


def test_message_time_is_utc_in_the_header(db_session, counsellor, book, remind):
    book(counsellor, TUESDAY_10, **asks())
    remind()
    sent = RecordingTransport(None)
    captured = []
    sent.send = captured.append
    moment = datetime(2026, 3, 23, 8, 5, tzinfo=UTC)
    send_pending(db_session, sent, sender="x@y.dk", now=lambda: moment)
    assert captured[0]["Date"].datetime == moment


def test_deleting_everything_in_min_booking_withdraws_queued_mail(
    client, db_session, counsellor, book, remind
):
    made = book(counsellor, TUESDAY_10, **asks())
    remind()
    assert len(outbox(db_session)) == 1
    page = client.get("/min-booking").get_data(as_text=True)
    client.post(
        "/min-booking", data={"csrf_token": csrf_token_from(page), "code": made.code}
    )
    page = client.get("/min-booking/slet").get_data(as_text=True)
    client.post("/min-booking/slet", data={"csrf_token": csrf_token_from(page)})
    assert outbox(db_session) == []
