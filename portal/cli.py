"""Shell commands: ``flask --app portal <command>``."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup

from portal import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

db_cli = AppGroup("db", help="Database migrations (Alembic).")


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = db.engine()
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    alembic_command.upgrade(alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    alembic_command.revision(alembic_config(), message=message, autogenerate=True)


@click.command("seed-demo")
def seed_demo() -> None:
    """Load demo data once: staff with TOTP, two known families. Safe to repeat."""
    from portal.booking.demo_data import DEMO_COURSES
    from portal.demo import DEMO_PASSWORD, seed

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException(
            "seed-demo refuses to run with PORTAL_ENV=production: demo data has "
            "published passwords and booking codes"
        )
    accounts = seed(db.session())
    db.session().commit()
    name = current_app.config["MUNICIPALITY_NAME"]
    click.echo(
        f"Demo data for {name} is ready. Demo log-ins (password for all: "
        f"{DEMO_PASSWORD}):"
    )
    for account in accounts:
        line = f"  {account['role']:<11} {account['email']:<34}"
        if account.get("totp_secret"):
            line += f" TOTP secret {account['totp_secret']}"
        click.echo(line)
    click.echo(
        "  Staff log in at /medarbejder/log-ind; add the TOTP secret to an "
        "authenticator app, or get a code with: "
        "flask --app portal totp-code EMAIL"
    )
    codes = ", ".join(code for code, *_rest in DEMO_COURSES)
    click.echo(f"  Anonymous courses to try at /min-booking: {codes}")


@click.command("totp-code")
@click.argument("email")
def totp_code(email: str) -> None:
    """Print the current TOTP code of a demo staff account (development only)."""
    import pyotp

    from portal.accounts.services import find_user_by_email

    if current_app.config["PORTAL_ENV"] != "development":
        raise click.ClickException("totp-code only works with PORTAL_ENV=development")
    user = find_user_by_email(db.session(), email)
    if user is None or user.totp_secret is None:
        raise click.ClickException("no staff account with TOTP for that e-mail")
    click.echo(pyotp.TOTP(user.totp_secret).now())


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice(["counsellor", "leader"]), default="counsellor"
)
@click.password_option(help="Asked for when not given.")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account; the person sets up TOTP at first log-in."""
    from portal.accounts.models import Role
    from portal.accounts.password_rules import PasswordProblem
    from portal.accounts.services import create_user as create

    try:
        create(db.session(), email=email, name=name, role=Role(role), password=password)
    except PasswordProblem as problem:
        raise click.ClickException(f"password refused: {problem.code}") from None
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session().commit()
    click.echo(f"Created {role} {email}. TOTP is set up at the first log-in.")


@click.command("purge")
def purge() -> None:
    """Erase what anonymous booking no longer needs, and known families closed
    longer ago than FAMILY_READ_MONTHS_AFTER_CLOSE; write down the consents
    whose time ran out. Run daily from cron."""
    from portal.booking.retention import purge as purge_booking
    from portal.consent.expiry import record_expiries
    from portal.db import utcnow
    from portal.families.erasure import erase_closed_families
    from portal.mail.outbox import erase_undeliverable

    result = purge_booking(db.session())
    undeliverable = erase_undeliverable(db.session())
    families = erase_closed_families(db.session())
    expired = record_expiries(db.session(), utcnow())
    db.session().commit()
    click.echo(
        f"Erased {result.addresses} home-visit address(es), "
        f"{result.contacts} contact detail(s), {result.courses} inactive "
        f"anonymous course(s), {result.holds} expired hold(s), "
        f"{result.deleted_slots} past slot(s) of deleted courses, "
        f"{undeliverable} undeliverable e-mail(s) and {families} closed "
        f"family record(s); {expired} consent(s) ran out."
    )


@click.command("send-reminders")
def send_reminders() -> None:
    """Queue tomorrow's reminders, then send every message due. Run from cron."""
    from portal.calendar.reminders import queue_reminders
    from portal.db import utcnow
    from portal.mail.envelope import neutral_sender
    from portal.mail.sending import send_pending
    from portal.mail.transports import MailNotConfigured, transport_for

    # Flask types current_app as the app itself; it is a proxy to it.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run = queue_reminders(db.session(), utcnow())
    db.session().commit()
    try:
        sent, failed = send_pending(
            db.session(), transport_for(app), sender=neutral_sender(app)
        )
    except MailNotConfigured as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"could not reach the mail server {app.config['MAIL_SERVER']}:"
            f"{app.config['MAIL_PORT']} ({type(error).__name__}); "
            "nothing was sent, the messages wait for the next run"
        ) from None
    where = "" if app.config["MAIL_SERVER"] else " (written to the mail folder)"
    click.echo(
        f"Queued {run.queued} reminder(s), withdrew {run.withdrawn}; "
        f"sent {sent} message(s){where}, {failed} failed."
    )
    if failed:
        raise SystemExit(1)


@click.command("dev-mitid")
@click.option("--port", default=5002, show_default=True)
def dev_mitid(port: int) -> None:
    """Run the local MitID provider with the demo identities (not in production)."""
    import threading

    from portal.demo import MITID_IDENTITIES
    from portal.dev_mitid import RefusedOutsideDevelopment, provider_in_thread

    try:
        with provider_in_thread(
            current_app.config["PORTAL_ENV"], port=port, identities=MITID_IDENTITIES
        ) as issuer:
            click.echo(
                f"Local MitID provider on {issuer}; demo identities: "
                + ", ".join(MITID_IDENTITIES)
            )
            threading.Event().wait()
    except RefusedOutsideDevelopment as refused:
        raise click.ClickException(str(refused)) from refused


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    for cmd in (seed_demo, create_user, totp_code, purge, send_reminders, dev_mitid):
        app.cli.add_command(cmd)
