"""What is new in a family's case since a member's last visit, for "Nyt siden
sidst" on ``/familie``: notes published or corrected, answers to correction
requests, new goals and scores from staff, new interventions. Registered with
``families.news``; one query per kind, and only staff's doing (the family knows
what they wrote themselves)."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.cases.corrections_models import CorrectionRequest
from portal.cases.goals_models import Goal, GoalScore
from portal.cases.interventions_models import Intervention
from portal.cases.notes_models import Note, NoteVersion
from portal.families.models import Family
from portal.families.news import NewsItem


def note_news(db_session: Session, family: Family, since: datetime) -> list[NewsItem]:
    notes_href = url_for("cases.family_notes")
    versions = db_session.execute(
        select(NoteVersion.number, NoteVersion.created_at)
        .join(Note, Note.id == NoteVersion.note_id)
        .where(Note.family_id == family.id, NoteVersion.created_at > since)
    )
    answers = db_session.scalars(
        select(CorrectionRequest.answered_at)
        .join(Note, Note.id == CorrectionRequest.note_id)
        .where(Note.family_id == family.id, CorrectionRequest.answered_at > since)
    )
    return [
        NewsItem(
            at,
            _("A new note.") if number == 1 else _("A note is corrected."),
            notes_href,
        )
        for number, at in versions
    ] + [
        NewsItem(at, _("We have answered your wish for a correction."), notes_href)
        for at in answers
        if at is not None
    ]


def goal_news(db_session: Session, family: Family, since: datetime) -> list[NewsItem]:
    goals_href = url_for("cases.family_goals")
    new_goals = db_session.execute(
        select(Goal.created_at, Goal.title).where(
            Goal.family_id == family.id, Goal.created_at > since
        )
    )
    scores = db_session.execute(
        select(GoalScore.created_at, Goal.title)
        .join(Goal, Goal.id == GoalScore.goal_id)
        .join(User, User.id == GoalScore.author_id)
        .where(
            Goal.family_id == family.id,
            GoalScore.created_at > since,
            User.role != Role.FAMILY,
        )
    )
    return [
        NewsItem(at, _("A new goal: %(title)s.", title=title), goals_href)
        for at, title in new_goals
    ] + [
        NewsItem(at, _("A new score for the goal %(title)s.", title=title), goals_href)
        for at, title in scores
    ]


def intervention_news(
    db_session: Session, family: Family, since: datetime
) -> list[NewsItem]:
    href = url_for("cases.family_interventions")
    return [
        NewsItem(at, _("New help for you is written down."), href)
        for at in db_session.scalars(
            select(Intervention.created_at).where(
                Intervention.family_id == family.id, Intervention.created_at > since
            )
        )
    ]


SOURCES = (note_news, goal_news, intervention_news)
