"""Demo data for development and the browser tests. Idempotent: safe to run again."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import mitid, services, totp
from portal.accounts.models import Role, User
from portal.config_checks import ACR_SUBSTANTIAL
from portal.families.models import Family

DEMO_PASSWORD = "demo-familieportal-2026"  # noqa: S105 - printed for the demo

STAFF = [
    ("leder@demokommune.dk", "Lone Leder", Role.LEADER),
    ("anna@demokommune.dk", "Anna Andersen", Role.COUNSELLOR),
    ("bo@demokommune.dk", "Bo Berg", Role.COUNSELLOR),
    ("camilla@demokommune.dk", "Camilla Holm", Role.COUNSELLOR),
]
FAMILIES = [
    (
        "Familien Jensen",
        [
            ("mette.jensen@example.dk", "Mette Jensen"),
            ("jonas.jensen@example.dk", "Jonas Jensen"),
        ],
    ),
    ("Familien Hansen", [("sara.hansen@example.dk", "Sara Hansen")]),
]


#: The demo members' MitID identities at the local provider (``make run``): type
#: or click the ``sub`` on its log-in page. The claims are what a MitID broker
#: would send: the assurance level, and no CPR number.
MITID_SUBJECTS = {
    "mette.jensen@example.dk": "mette-jensen",
    "jonas.jensen@example.dk": "jonas-jensen",
    "sara.hansen@example.dk": "sara-hansen",
}
MITID_IDENTITIES = {sub: {"acr": ACR_SUBSTANTIAL} for sub in MITID_SUBJECTS.values()}


def _ensure_user(
    db_session: Session, email: str, name: str, role: Role, family: Family | None = None
) -> User:
    finder = (
        services.find_member_by_email
        if role == Role.FAMILY
        else services.find_user_by_email
    )
    user = finder(db_session, email)
    if user is None:
        user = services.create_user(
            db_session,
            email=email,
            name=name,
            role=role,
            password=DEMO_PASSWORD,
            family=family,
        )
    if email in MITID_SUBJECTS:
        user.mitid_subject = mitid.subject_key(MITID_SUBJECTS[email])
    if role != Role.FAMILY and user.totp_secret is None:
        user.totp_secret = totp.new_totp_secret()
    return user


def seed(db_session: Session) -> list[dict[str, str | None]]:
    """Create the demo municipality's staff and families; return their log-ins."""
    accounts = []
    for email, name, role in STAFF:
        user = _ensure_user(db_session, email, name, role)
        accounts.append(
            {"role": role.value, "email": email, "totp_secret": user.totp_secret}
        )
    for family_name, members in FAMILIES:
        family = db_session.scalar(
            select(Family).where(Family.display_name == family_name)
        )
        if family is None:
            family = Family(display_name=family_name)
            db_session.add(family)
            db_session.flush()
        for email, name in members:
            _ensure_user(db_session, email, name, Role.FAMILY, family)
            accounts.append({"role": "family", "email": email})
    db_session.flush()
    from portal.booking.demo import seed_booking
    from portal.calendar.demo import seed_family_sessions

    seed_booking(db_session)
    seed_family_sessions(db_session)
    return accounts
