"""``flask demo``, ``flask demo-inwoners``, ``flask demo-code``: the demo data set and the
helpers to log in to it. Refused in production; the last two only run in development."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.auth import mfa
from app.auth.cli import staff_user
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.logboek import unit_of_work
from app.people.models import Person
from app.plans.models import Plan
from demo.load import NotInProduction, has_data, load_demo, refuse_in_production

DEVELOPMENT_ONLY = "Alleen in de ontwikkelomgeving (EENPLAN_ENV=development)."


def _development_only() -> None:
    if current_app.config.get("EENPLAN_ENV") != "development":
        raise click.ClickException(DEVELOPMENT_ONLY)


@click.command("demo")
@with_appcontext
@click.option("--reset", is_flag=True, help="Load even if there is data already (adds to it).")
@click.option("--persons", default=300, show_default=True)
def demo_command(reset: bool, persons: int) -> None:
    """Load a realistic synthetic data set (organisations, users, households, plans).
    Refused in production (EENPLAN_ENV=production)."""
    try:
        refuse_in_production()
    except NotInProduction as exc:
        raise click.ClickException(str(exc)) from None
    if has_data() and not reset:
        click.echo("Er staan al gegevens in de database; demo niet opnieuw geladen.")
        return
    summary = load_demo(persons=persons)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2))


@click.command("demo-inwoners")
@with_appcontext
@click.option("--aantal", default=3, show_default=True)
def demo_inwoners(aantal: int) -> None:
    """Development only: citizens with a plan in the demo data, to log in with at the demo
    DigiD provider (type the BSN there). Refused outside EENPLAN_ENV=development."""
    _development_only()
    # Showing who they are is a reading of personal data: logged, like any other.
    with unit_of_work(session, Verwerkingsactiviteit.REGIE, name="demo-inwoners"):
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
    _development_only()
    user = staff_user(username)
    cred = mfa.credential(user)
    if cred is None or cred.confirmed_at is None:
        raise click.ClickException(
            f"{username} heeft nog geen authenticator; die stelt u in bij het inloggen."
        )
    click.echo(mfa.current_code(mfa.decrypt_secret(cred.secret_encrypted)))


COMMANDS = (demo_command, demo_inwoners, demo_code)
