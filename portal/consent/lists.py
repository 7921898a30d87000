"""The lists the leader keeps for consents: recipients (organisation and role),
categories of information, and the statutory bases for sharing without consent.
Add, rename, retire, take back into use; never delete, so a request keeps the
words it was made with. A retired entry is not offered for anything new.
Names are unique per list, compared without regard to case or spaces."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.consent.models import ListItem, ListKind
from portal.db import utcnow
from portal.families.records import RecordError

#: The municipality's first lists (the migration seeds the same names).
SEEDS: Mapping[ListKind, tuple[str, ...]] = {
    ListKind.RECIPIENT: (
        "Skole",
        "Dagtilbud",
        "Sundhedspleje",
        "PPR",
        "Egen læge",
        "Børne- og ungdomspsykiatri",
    ),
    ListKind.INFORMATION: (
        "Trivsel",
        "Skolegang og fravær",
        "Helbred",
        "Familiens situation",
        "Mål og indsatser",
    ),
    ListKind.STATUTE: (
        "Underretningspligt (Barnets Lov § 133)",
        "Udveksling af oplysninger (Barnets Lov § 152)",
        "Værdispring (forvaltningsloven § 28, stk. 2, nr. 4)",
    ),
}


def items(db: Session, kind: ListKind, *, in_use: bool = False) -> list[ListItem]:
    """The list of ``kind``: those in use first, by name (``in_use``: only those)."""
    query = select(ListItem).where(ListItem.kind == kind)
    if in_use:
        query = query.where(ListItem.retired_at.is_(None))
    return list(
        db.scalars(query.order_by(ListItem.retired_at.is_not(None), ListItem.name))
    )


def _check_name(
    db: Session, kind: ListKind, name: str, keep: ListItem | None = None
) -> str:
    name = name.strip()
    if not name:
        raise RecordError("item_name_required", field="name")
    same = db.scalar(
        select(ListItem).where(
            ListItem.kind == kind, func.lower(ListItem.name) == name.lower()
        )
    )
    if same is not None and same is not keep:
        raise RecordError("item_exists", field="name")
    return name


def add_item(db: Session, kind: ListKind, name: str) -> ListItem:
    item = ListItem(kind=kind, name=_check_name(db, kind, name))
    db.add(item)
    db.flush()
    return item


def rename_item(db: Session, item: ListItem, name: str) -> None:
    """The new name shows on new requests; a grant keeps the words it agreed to."""
    item.name = _check_name(db, item.kind, name, keep=item)
    db.flush()


def retire_item(db: Session, item: ListItem, now: datetime | None = None) -> None:
    item.retired_at = item.retired_at or now or utcnow()
    db.flush()


def restore_item(db: Session, item: ListItem) -> None:
    item.retired_at = None
    db.flush()


def ensure_items(db: Session, seeds: Mapping[ListKind, Iterable[str]] = SEEDS) -> None:
    """Add the seeded names that are missing (tests and the demo; idempotent)."""
    for kind, names in seeds.items():
        known = {item.name.lower() for item in items(db, kind)}
        for name in names:
            if name.lower() not in known:
                add_item(db, kind, name)
