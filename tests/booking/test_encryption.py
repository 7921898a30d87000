"""What parents and counsellors write in free text is encrypted at rest, in new
rows and, by migration 0009, in the rows that were there before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import text

from portal import crypto
from portal.calendar import services as calendar
from portal.db import UTCDateTime
from tests.factories import local
from tests.test_migrations import migrated_engine, upgrade

WED_9 = local(2026, 3, 25, 9)
TOPIC = "Vores datter vil ikke i skole"
NOTE = "Mor nævnte skilsmissen"


def test_topic_text_and_working_note_are_encrypted_at_rest(
    db_session, make_counsellor, make_course
):
    make_counsellor()
    made = make_course(WED_9, topic_text=TOPIC)
    calendar.save_note(db_session, made.session, NOTE)
    db_session.commit()
    topic = db_session.scalar(text("SELECT topic_text FROM anonymous_courses"))
    note = db_session.scalar(text("SELECT working_note FROM counselling_sessions"))
    assert "datter" not in topic and "skilsmisse" not in note
    assert (crypto.decrypt(topic), crypto.decrypt(note)) == (TOPIC, NOTE)
    db_session.expire_all()
    assert (made.course.topic_text, made.session.working_note) == (TOPIC, NOTE)


def _table(name, *columns):
    return sa.table(name, *(sa.column(c, t) for c, t in columns))


def test_the_migration_encrypts_existing_rows_and_stores_busy_ranges(app, tmp_path):
    engine, drop = migrated_engine(tmp_path)
    try:
        upgrade(app, engine, "0007")
        now = datetime(2026, 3, 23, 8, tzinfo=UTC)
        stamp = UTCDateTime()
        with engine.begin() as connection:
            connection.execute(
                _table("users", *[(c, None) for c in ("id", "email", "name", "role")],
                       ("password_hash", None), ("active", None),
                       ("session_version", None), ("created_at", stamp),
                       ("password_changed_at", stamp), ("public_id", None))
                .insert()
                .values(id=1, email="r@example.dk", name="R", role="counsellor",
                        password_hash="!", active=True, session_version=0,
                        created_at=now, password_changed_at=now, public_id="u1")
            )  # fmt: skip
            connection.execute(
                _table("counsellor_settings", ("id", None), ("counsellor_id", None),
                       ("session_minutes", None), ("home_visit_buffer_minutes", None),
                       ("horizon_weeks", None), ("minimum_notice_hours", None),
                       ("languages", None), ("lock_version", None))
                .insert()
                .values(id=1, counsellor_id=1, session_minutes=60,
                        home_visit_buffer_minutes=30, horizon_weeks=6,
                        minimum_notice_hours=24, languages="da", lock_version=0)
            )  # fmt: skip
            connection.execute(
                _table("anonymous_courses", ("id", None), ("code_hash", None),
                       ("pseudonym", None), ("topic_text", None), ("language", None),
                       ("wants_reminders", None), ("sessions_counted", None),
                       ("access_version", None), ("created_at", stamp),
                       ("last_activity_at", stamp), ("public_id", None))
                .insert()
                .values(id=1, code_hash="h", pseudonym="Blå Ugle", topic_text=TOPIC,
                        language="da", wants_reminders=False, sessions_counted=2,
                        access_version=0, created_at=now, last_activity_at=now,
                        public_id="c1")
            )  # fmt: skip
            sessions = _table(
                "counselling_sessions", ("id", None), ("course_id", None),
                ("counsellor_id", None), ("starts_at", stamp), ("ends_at", stamp),
                ("mode", None), ("status", None), ("no_show_waived", None),
                ("cancel_reason", None), ("working_note", None), ("created_at", stamp),
                ("public_id", None), ("revision", None),
            )  # fmt: skip
            for n, (start, mode) in enumerate(
                [(WED_9, "home"), (WED_9 + timedelta(minutes=75), "centre")], 1
            ):
                connection.execute(
                    sessions.insert().values(
                        id=n, course_id=1, counsellor_id=1, starts_at=start,
                        ends_at=start + timedelta(hours=1), mode=mode,
                        status="booked", no_show_waived=False, cancel_reason="",
                        working_note=NOTE if n == 1 else "", created_at=now,
                        public_id=f"s{n}", revision=0,
                    )
                )  # fmt: skip
        upgrade(app, engine)
        with engine.connect() as connection:
            topic = connection.scalar(text("SELECT topic_text FROM anonymous_courses"))
            note = connection.scalar(
                text("SELECT working_note FROM counselling_sessions WHERE id = 1")
            )
            busy = connection.execute(
                sa.select(
                    _table("counselling_sessions", ("busy_until", stamp)).c.busy_until
                ).order_by(sa.text("id"))
            ).scalars()
            busy = list(busy)
        with app.app_context():
            assert (crypto.decrypt(topic), crypto.decrypt(note)) == (TOPIC, NOTE)
        # The home visit's buffer is cut back to the next session's start.
        assert busy == [
            WED_9 + timedelta(minutes=75),
            WED_9 + timedelta(minutes=135),
        ]
    finally:
        engine.dispose()
        drop()
