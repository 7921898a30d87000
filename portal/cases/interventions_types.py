"""The list of intervention types the leader keeps: add, rename, retire and take
back into use. A type is never deleted, so earlier interventions keep their
type; a retired type is not offered for new ones. Names are unique, compared
without regard to case or surrounding spaces."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.cases.interventions_models import InterventionType
from portal.db import utcnow
from portal.families.records import RecordError

#: The municipality's first list (the migration seeds the same names).
DEFAULT_TYPES = (
    "Familiebehandling",
    "Praktisk pædagogisk støtte",
    "Fast kontaktperson",
    "Netværksmøde",
    "Forældrekursus",
)


def all_types(db: Session) -> list[InterventionType]:
    """Every type, those in use first, by name."""
    return list(
        db.scalars(
            select(InterventionType).order_by(
                InterventionType.retired_at.is_not(None), InterventionType.name
            )
        )
    )


def _check_name(db: Session, name: str, keep: InterventionType | None = None) -> str:
    name = name.strip()
    if not name:
        raise RecordError("type_name_required", field="name")
    same = db.scalar(
        select(InterventionType).where(
            func.lower(InterventionType.name) == name.lower()
        )
    )
    if same is not None and same is not keep:
        raise RecordError("type_exists", field="name")
    return name


def add_type(db: Session, name: str) -> InterventionType:
    kind = InterventionType(name=_check_name(db, name))
    db.add(kind)
    db.flush()
    return kind


def rename_type(db: Session, kind: InterventionType, name: str) -> None:
    """A new name shows on every intervention of the type, old ones too."""
    kind.name = _check_name(db, name, keep=kind)
    db.flush()


def retire_type(
    db: Session, kind: InterventionType, now: datetime | None = None
) -> None:
    kind.retired_at = kind.retired_at or now or utcnow()
    db.flush()


def restore_type(db: Session, kind: InterventionType) -> None:
    kind.retired_at = None
    db.flush()


def ensure_types(db: Session, names: Iterable[str] = DEFAULT_TYPES) -> None:
    """Add the types of ``names`` that are missing (the demo; idempotent)."""
    known = {kind.name.lower() for kind in all_types(db)}
    for name in names:
        if name.lower() not in known:
            add_type(db, name)
