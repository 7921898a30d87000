"""Demo data for development and the browser tests. Idempotent: safe to run again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import mitid, passwords, services, totp_codes
from portal.accounts.models import Role, User
from portal.config_checks import ACR_SUBSTANTIAL
from portal.families import children, lifecycle, members
from portal.families.models import Family

DEMO_PASSWORD = "demo-familieportal-2026"  # noqa: S105 - printed for the demo

STAFF = [
    ("leder@demokommune.dk", "Lone Leder", Role.LEADER),
    ("anna@demokommune.dk", "Anna Andersen", Role.COUNSELLOR),
    ("bo@demokommune.dk", "Bo Berg", Role.COUNSELLOR),
    ("camilla@demokommune.dk", "Camilla Holm", Role.COUNSELLOR),
]
#: (name, primary counsellor's e-mail, adults (e-mail, name), children (first
#: name, birth date)); every adult holds custody of every child.
FAMILIES = [
    (
        "Familien Jensen",
        "anna@demokommune.dk",
        [
            ("mette.jensen@example.dk", "Mette Jensen"),
            ("jonas.jensen@example.dk", "Jonas Jensen"),
        ],
        [("Emma", date(2015, 5, 1)), ("Oskar", date(2019, 9, 12))],
    ),
    (
        "Familien Hansen",
        "bo@demokommune.dk",
        [("sara.hansen@example.dk", "Sara Hansen")],
        # Liva is 15 or older, so she may become a member herself.
        [("Liva", date(2012, 2, 20))],
    ),
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


def _ensure_staff(db_session: Session, email: str, name: str, role: Role) -> User:
    user = services.find_user_by_email(db_session, email)
    if user is None:
        user = services.create_user(
            db_session, email=email, name=name, role=role, password=DEMO_PASSWORD
        )
    if user.totp_secret is None:
        user.totp_secret = totp_codes.new_totp_secret()
    return user


def seed(db_session: Session) -> list[dict[str, str | None]]:
    """Create the demo municipality's staff and families; return their log-ins."""
    accounts = []
    for email, name, role in STAFF:
        user = _ensure_staff(db_session, email, name, role)
        accounts.append(
            {"role": role.value, "email": email, "totp_secret": user.totp_secret}
        )
    for _name, _counsellor, adults, _children in FAMILIES:
        accounts += [{"role": "family", "email": email} for email, _ in adults]
    seed_families(db_session)
    _give_members_log_ins(db_session)
    db_session.flush()
    from portal.booking.demo import seed_booking
    from portal.calendar.demo import seed_family_sessions
    from portal.cases.goals_demo import seed_goals
    from portal.consent.lists import ensure_items

    seed_booking(db_session)
    ensure_items(db_session)
    seed_family_sessions(db_session)
    seed_goals(db_session)
    return accounts


def _give_members_log_ins(db_session: Session) -> None:
    """The demo members log in with MitID at the local provider, or without MitID
    with the demo password (as if they had chosen it through an invitation)."""
    for email, subject in MITID_SUBJECTS.items():
        member = services.find_member_by_email(db_session, email)
        if member is None:
            continue
        member.mitid_subject = mitid.subject_key(subject)
        if member.password_hash is None:
            member.password_hash = passwords.hash_password(DEMO_PASSWORD)


def seed_families(db_session: Session) -> list[Family]:
    """The two demo families with children, custody and a primary counsellor,
    made through the same services as the staff's pages (the counsellor is the
    one who "made" them in the audit log). Needs the staff from ``seed``."""
    made = []
    for name, counsellor_email, adults, born in FAMILIES:
        counsellor = services.find_user_by_email(db_session, counsellor_email)
        if counsellor is None:
            raise LookupError("seed the staff first")
        family = db_session.scalar(
            select(Family).where(
                Family.display_name == name, Family.erased_at.is_(None)
            )
        )
        if family is None:
            family = lifecycle.create_family(db_session, counsellor, name)
        known = {child.first_name: child for child in family.children}
        for first_name, birth_date in born:
            if first_name not in known:
                known[first_name] = children.add_child(
                    db_session,
                    counsellor,
                    family,
                    first_name=first_name,
                    birth_date=birth_date,
                )
        kids = [known[first_name] for first_name, _ in born]
        for email, adult in adults:
            member = _demo_member(db_session, family, email)
            if member is None:
                members.add_adult(
                    db_session,
                    counsellor,
                    family,
                    name=adult,
                    email=email,
                    phone="",
                    custody_of=kids,
                )
            else:
                members.set_custody(db_session, family, member, kids)
        made.append(family)
    return made


def _demo_member(db_session: Session, family: Family, email: str) -> User | None:
    """The demo member with ``email``, if seeded before; one seeded before family
    members left ``users.email`` is moved to the encrypted contact e-mail."""
    member = db_session.scalar(
        select(User).where(User.login_key == services.login_key(email))
    )
    legacy = services.find_user_by_email(db_session, email)
    if member is None and legacy is not None and legacy.role == Role.FAMILY:
        legacy.email, legacy.contact_email = None, email
        legacy.login_key, legacy.family = services.login_key(email), family
        db_session.flush()
        member = legacy
    return member
