"""Commands of the functioneel beheerder for signing in (registered under ``flask users``)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.db import session


@click.command("link-sso")
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
    from app.auth import sessions
    from app.auth.services import LinkError, link_identity
    from app.users.models import User

    cfg = current_app.config.get("OIDC_PROVIDERS", {}).get("staff")
    issuer = (issuer or (cfg or {}).get("issuer") or "").rstrip("/")
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
