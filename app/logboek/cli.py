"""``flask audit …``: check the logboek's hash chain and write signed checkpoints."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import AppGroup

from app.db import get_database
from app.logboek import current_logboek as logboek
from audit import Checkpoint

audit_cli = AppGroup("audit", help="The logboek.")


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
    with get_database().engine.begin() as conn:
        cp = logboek().checkpoint(conn)
    click.echo(cp.to_json())
