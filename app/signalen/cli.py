"""``flask signals …``: source tokens, forgetting (purge), rebuilding the queue's summary."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.db import session
from app.signalen import vergeten, werkvoorraad_groepen
from app.signalen.inrichting import bron, maak_bron_token
from app.signalen.models import SignaalBron

signals_cli = AppGroup("signals", help="Vroegsignalen: bronnen, tokens, vergeten.")


@signals_cli.command("token")
@click.argument("bron_code")
@click.option("--name", default="bronsysteem", show_default=True)
def token(bron_code: str, name: str) -> None:
    """Print a new organisation-scoped token for the source BRON_CODE's system (shown once;
    only its hash is stored). The source is linked to its organisation on first use."""
    b = bron(bron_code)
    if b is None:
        raise click.ClickException(f"Onbekende bron: {bron_code}")
    _token, plain = maak_bron_token(b, name)
    session.commit()
    click.echo(plain)


@signals_cli.command("bronnen")
def bronnen() -> None:
    """List the sources: code, name, kind, allowed fields, register entry, retention term."""
    for b in session.scalars(select(SignaalBron).order_by(SignaalBron.code)):
        click.echo(
            json.dumps(
                {
                    "code": b.code,
                    "naam": b.naam,
                    "soort": b.soort,
                    "velden": b.velden,
                    "verwerkingsactiviteit": b.processing_activity,
                    "bewaartermijnDagen": b.bewaartermijn_dagen,
                    "actief": b.actief,
                },
                ensure_ascii=False,
            )
        )
    session.rollback()


@signals_cli.command("purge")
@click.option("--batch", default=5000, show_default=True, help="Signals per transaction.")
def purge(batch: int) -> None:
    """Forget signals that led to no case step within their term: the source's days, or the
    register's term of its processing activity (from receipt) when that passes first (a
    content-free tombstone stays, and a "delete" line in the logboek). Idempotent; safe from
    cron."""
    result = vergeten.purge(batch=batch)
    click.echo(
        json.dumps(
            {"verwijderd": result.verwijderd, "perBron": dict(result.per_bron)},
            ensure_ascii=False,
        )
    )


@signals_cli.command("werkvoorraad-herbouw")
def werkvoorraad_herbouw() -> None:
    """Rebuild the queue's summary table (one row per group) from the signals, in one
    transaction. Idempotent: the table is kept up to date at every change; this repairs it
    (after a restore, or a bulk change made outside the application)."""
    groepen = werkvoorraad_groepen.herbouw(session.connection())
    session.commit()
    click.echo(json.dumps({"groepen": groepen}))
