"""``flask sturing bijwerken``: recompute the aggregates of the management information."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup

from app.db import session
from app.sturing.bijwerken import bijwerken

sturing_cli = AppGroup("sturing", help="Sturingsinformatie: cijfers zonder personen.")


@sturing_cli.command("bijwerken")
def bijwerken_command() -> None:
    """Recompute every aggregate from the source tables and replace them in one transaction.
    Idempotent; safe from cron (prints one JSON line). Writes no logboek lines: it shows
    nothing about a person (statistics, see the register entry sturingsinformatie)."""
    begin = time.perf_counter()
    rijen = bijwerken()
    session.commit()
    click.echo(
        json.dumps(
            {"bijgewerkt": {"rijen": rijen, "seconden": round(time.perf_counter() - begin, 2)}}
        )
    )
