"""``flask users …`` and ``flask tokens …``: staff accounts, their second factor, sessions and
personal API tokens."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.auth import mfa, password_policy, sessions
from app.auth.services import (
    LinkError,
    create_token,
    link_identity,
    normalise_issuer,
    set_password,
    unlock,
)
from app.db import session
from app.domain import Rol
from app.organisations.models import Organisation
from app.users.models import User, UserRole

users_cli = AppGroup("users", help="Users.")
tokens_cli = AppGroup("tokens", help="Personal API tokens.")


def staff_user(username: str) -> User:
    """The medewerker USERNAME (not a citizen); a command-line error when there is none."""
    user = session.scalars(select(User).where(User.username == username.lower())).first()
    if user is None or user.is_burger:
        raise click.ClickException(f"Onbekende medewerker: {username}")
    return user


@users_cli.command("list")
@click.option("--json", "as_json", is_flag=True)
def users_list(as_json: bool) -> None:
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


@users_cli.command("unlock")
@click.argument("username")
def users_unlock(username: str) -> None:
    """Lift a lockout after too many failed login attempts."""
    unlock(staff_user(username))
    session.commit()
    click.echo(f"Account {username} is vrijgegeven.")


@users_cli.command("reset-mfa")
@click.argument("username")
def users_reset_mfa(username: str) -> None:
    """Remove the user's authenticator and recovery codes (lost phone) and end their sessions.
    At the next login they set up a new authenticator."""
    user = staff_user(username)
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
    user = staff_user(username)
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
    n = sessions.end_all(staff_user(username), "beheerder")
    session.commit()
    click.echo(f"{n} sessie(s) van {username} beëindigd.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="CLI", show_default=True)
def tokens_create(username: str, name: str) -> None:
    """Print a new API token for USERNAME (shown once; only its hash is stored)."""
    _token, plain = create_token(staff_user(username), name)
    session.commit()
    click.echo(plain)


@users_cli.command("link-sso")
@click.argument("username")
@click.option(
    "--subject", required=True, help="The account's subject (sub) at the identity provider."
)
@click.option(
    "--issuer",
    default=None,
    help="The identity provider's issuer (default: the configured OIDC_STAFF_ISSUER).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the account's current identity at this issuer (and end its sessions).",
)
@with_appcontext
def link_sso(username: str, subject: str, issuer: str | None, replace: bool) -> None:
    """Link a staff account to its account at the identity provider (SSO).

    The explicit way of linking: Eenplan links a first SSO login by itself only through an
    immutable claim the municipality configured (OIDC_STAFF_LINK_CLAIM), never by a name the
    user can choose. Logged (event sso.linked, with the user id).
    """

    cfg = current_app.config.get("OIDC_PROVIDERS", {}).get("staff")
    issuer = normalise_issuer(issuer or (cfg or {}).get("issuer") or "")
    if not issuer:
        raise click.ClickException("Geef --issuer (er is geen OIDC_STAFF_ISSUER ingesteld).")
    if not subject.strip():
        raise click.ClickException("Geef een --subject.")
    user = session.scalars(select(User).where(User.username == username.lower())).first()
    if user is None or user.is_burger:
        raise click.ClickException(f"Onbekende medewerker: {username}")
    try:
        link_identity(user, "staff", issuer, subject.strip(), via="beheerder", replace=replace)
    except LinkError as exc:
        raise click.ClickException(f"Niet gekoppeld: {exc}.") from None
    if replace:
        sessions.end_all(user, "sso-gekoppeld")
    session.commit()
    click.echo(f"{username} is gekoppeld aan {subject.strip()} bij {issuer}.")
