"""Command line: ``flask db|demo|users|tokens|audit …``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.db import get_database, session

db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="Users.")
tokens_cli = AppGroup("tokens", help="Personal API tokens.")
audit_cli = AppGroup("audit", help="The logboek.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest) and seed the register."""
    from app import migrate

    migrate.upgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]
    click.echo("Database is bijgewerkt.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    from app import migrate

    migrate.downgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not autogenerate.")
def db_revision(message: str, empty: bool) -> None:
    from app import migrate

    migrate.revision(current_app._get_current_object(), message, autogenerate=not empty)  # type: ignore[attr-defined]


@db_cli.command("check")
def db_check() -> None:
    """Exit 1 when the models and the migrated database differ."""
    from app import migrate

    diffs = migrate.drift(get_database().engine)
    for d in diffs:
        click.echo(repr(d))
    sys.exit(1 if diffs else 0)


@click.command("demo")
@click.option("--reset", is_flag=True, help="Load even if there is data already (adds to it).")
@click.option("--persons", default=300, show_default=True)
def demo_command(reset: bool, persons: int) -> None:
    """Load a realistic synthetic data set (organisations, users, households, plans)."""
    from app.demo import has_data, load_demo

    if has_data() and not reset:
        click.echo("Er staan al gegevens in de database; demo niet opnieuw geladen.")
        return
    summary = load_demo(persons=persons)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))


@users_cli.command("list")
@click.option("--json", "as_json", is_flag=True)
def users_list(as_json: bool) -> None:
    from app.users.models import User

    rows: list[dict[str, Any]] = [
        {
            "username": u.username,
            "name": u.name,
            "roles": sorted(r.value for r in u.roles),
            "organisation": u.organisation.name if u.organisation else None,
        }
        for u in session.scalars(
            select(User).where(User.person_id.is_(None)).order_by(User.username)
        )
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(
            f"{r['username']:<22} {r['name']:<28} {','.join(r['roles']):<28} {r['organisation'] or ''}"
        )


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--organisation", required=True, help="Organisation name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--permanent",
    is_flag=True,
    help="The user chose this password; otherwise it must be changed at the first login.",
)
def users_create(
    username: str,
    name: str,
    roles: tuple[str, ...],
    organisation: str,
    password: str,
    permanent: bool,
) -> None:
    """Add a staff user. At the first login they set up two-factor authentication (and, unless
    --permanent, choose their own password)."""
    from app.auth import password_policy
    from app.auth.services import set_password
    from app.domain import Rol
    from app.organisations.models import Organisation
    from app.users.models import User, UserRole

    org = session.scalars(select(Organisation).where(Organisation.name == organisation)).first()
    if org is None:
        raise click.ClickException(f"Onbekende organisatie: {organisation}")
    try:
        parsed = [Rol(r) for r in roles]
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    problems = password_policy.problems(password, username=username, name=name)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = User(username=username.lower(), name=name, organisation_id=org.id)
    user.role_rows = [UserRole(role=r.value) for r in parsed]
    session.add(user)
    session.flush()
    set_password(user, password, temporary=not permanent)
    session.commit()
    click.echo(f"Gebruiker {username} aangemaakt.")


def _staff_user(username: str) -> Any:
    from app.users.models import User

    user = session.scalars(select(User).where(User.username == username.lower())).first()
    if user is None or user.is_burger:
        raise click.ClickException(f"Onbekende medewerker: {username}")
    return user


@users_cli.command("unlock")
@click.argument("username")
def users_unlock(username: str) -> None:
    """Lift a lockout after too many failed login attempts."""
    from app.auth.services import unlock

    unlock(_staff_user(username))
    session.commit()
    click.echo(f"Account {username} is vrijgegeven.")


@users_cli.command("reset-mfa")
@click.argument("username")
def users_reset_mfa(username: str) -> None:
    """Remove the user's authenticator and recovery codes (lost phone) and end their sessions.
    At the next login they set up a new authenticator."""
    from app.auth import mfa, sessions

    user = _staff_user(username)
    mfa.reset(user)
    sessions.end_all(user, "mfa-opnieuw")
    session.commit()
    click.echo(
        f"Tweestapsverificatie van {username} is gewist; bij de volgende login opnieuw instellen."
    )


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_set_password(username: str, password: str) -> None:
    """Give the user a temporary password (they choose their own at the next login) and end
    their sessions."""
    from app.auth import password_policy, sessions
    from app.auth.services import set_password, unlock

    user = _staff_user(username)
    problems = password_policy.problems(password, username=user.username, name=user.name)
    if problems:
        raise click.ClickException(" ".join(problems))
    set_password(user, password, temporary=True)
    unlock(user)
    sessions.end_all(user, "wachtwoord-gereset")
    session.commit()
    click.echo(f"Tijdelijk wachtwoord voor {username} ingesteld.")


@users_cli.command("logout-everywhere")
@click.argument("username")
def users_logout_everywhere(username: str) -> None:
    """End every login session of the user (e.g. after a stolen laptop)."""
    from app.auth import sessions

    n = sessions.end_all(_staff_user(username), "beheerder")
    session.commit()
    click.echo(f"{n} sessie(s) van {username} beëindigd.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="CLI", show_default=True)
def tokens_create(username: str, name: str) -> None:
    """Print a new API token for USERNAME (shown once; only its hash is stored)."""
    from app.auth.services import create_token
    from app.users.models import User

    user = session.scalars(select(User).where(User.username == username.lower())).first()
    if user is None or user.is_burger:
        raise click.ClickException(f"Onbekende medewerker: {username}")
    _token, plain = create_token(user, name)
    session.commit()
    click.echo(plain)


@click.command("demo-inwoners")
@with_appcontext
@click.option("--aantal", default=3, show_default=True)
def demo_inwoners(aantal: int) -> None:
    """Development only: citizens with a plan in the demo data, to log in with at the demo
    DigiD provider (type the BSN there). Refused outside EENPLAN_ENV=development."""
    from sqlalchemy import select
    from sqlalchemy.orm import load_only

    from app.db import session
    from app.logboek import unit_of_work
    from app.people.models import Person
    from app.plans.models import Plan

    if current_app.config.get("EENPLAN_ENV") != "development":
        raise click.ClickException("Alleen in de ontwikkelomgeving (EENPLAN_ENV=development).")
    # Showing who they are is a reading of personal data: logged, like any other.
    with unit_of_work(session, "regie-multiproblematiek", name="demo-inwoners"):
        people = session.scalars(
            select(Person)
            .join(Plan, Plan.person_id == Person.id)
            .order_by(Plan.id)
            .limit(aantal)
            .options(load_only(Person.bsn, Person.voornamen, Person.achternaam))
        ).all()
        rows = [(p.bsn, p.voornamen, p.achternaam) for p in people]
    for bsn, voornamen, achternaam in rows:
        click.echo(f"{bsn}  {voornamen} {achternaam}")


@click.command("demo-code")
@with_appcontext
@click.argument("username")
def demo_code(username: str) -> None:
    """Development only: print the current two-factor code of a demo user.

    Demo staff have an authenticator set up already; instead of a phone, this command shows the
    code it would show. Refused outside EENPLAN_ENV=development.
    """
    from app.auth import mfa

    if current_app.config.get("EENPLAN_ENV") != "development":
        raise click.ClickException("Alleen in de ontwikkelomgeving (EENPLAN_ENV=development).")
    user = _staff_user(username)
    cred = mfa.credential(user)
    if cred is None or cred.confirmed_at is None:
        raise click.ClickException(
            f"{username} heeft nog geen authenticator; die stelt u in bij het inloggen."
        )
    click.echo(mfa.current_code(mfa.decrypt_secret(cred.secret_encrypted)))


@audit_cli.command("verify")
@click.option(
    "--anker",
    "anchor_file",
    type=click.File("r", encoding="utf-8"),
    help="File with checkpoints kept outside the database (one JSON per line, as printed by "
    "`flask audit checkpoint`); exposes a rollback of the whole database.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that check ranges of lines side by side (default for logs of 500,000 lines "
    "or more: two per CPU up to 8 on PostgreSQL, one per CPU up to 4 on SQLite).",
)
def audit_verify(anchor_file: Any, workers: int | None) -> None:
    """Check the whole hash chain; report the first broken line."""
    from app.logboek import current_logboek as logboek
    from audit import Checkpoint

    anchors = []
    if anchor_file is not None:
        for n, text in enumerate(anchor_file, start=1):
            if text.strip():
                try:
                    anchors.append(Checkpoint.from_json(text))
                except (ValueError, KeyError, TypeError):
                    raise click.ClickException(
                        f"Regel {n} van het ankerbestand is onleesbaar."
                    ) from None
    with get_database().engine.connect() as conn:
        report = logboek().verify(conn, anchors=anchors, workers=workers)
    if report.ok:
        click.echo(
            f"Logboek in orde: {report.lines_checked} regels, {report.checkpoints_checked} "
            f"controlepunten en {report.anchors_checked} ankers gecontroleerd in "
            f"{report.seconds:.2f} s ({report.lines_per_second:,.0f} regels/s)."
        )
        return
    click.echo(f"LOGBOEK NIET IN ORDE: {report.problem}", err=True)
    if report.first_broken_seq is not None:
        click.echo(f"Eerste afwijkende regel: {report.first_broken_seq}", err=True)
    sys.exit(1)


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Write a signed checkpoint of the head and print it as one JSON line.

    Append the output to write-once storage outside the database (cron); give that file to
    `flask audit verify --anker`.
    """
    from app.logboek import current_logboek as logboek

    with get_database().engine.begin() as conn:
        cp = logboek().checkpoint(conn)
    click.echo(cp.to_json())


def init_app(app: Flask) -> None:
    from app.signalen.cli import signals_cli

    for group in (db_cli, users_cli, tokens_cli, audit_cli, signals_cli):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    app.cli.add_command(demo_code)
    app.cli.add_command(demo_inwoners)
