"""``flask audit …``: check the logboek's hash chain and write signed checkpoints.

Checkpoints are anchored outside the database by default: ``checkpoint`` appends each one to
the anchor store (``AUDIT_ANCHOR_STORE``, see :mod:`audit.anchors`), and ``verify`` checks the
chain against every anchor there, so a rollback of the whole database to an older backup fails.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError

from app.clock import now
from app.db import get_database
from app.logboek import current_logboek as logboek
from audit import Checkpoint, LogboekError, partitions, year_partitions
from audit.anchors import AnchorError, AnchorStore, newest, open_store, parse_anchors
from audit.chain import timestamp_text

audit_cli = AppGroup("audit", help="The logboek.")


def anchor_store() -> AnchorStore:
    """The configured anchor store (``AUDIT_ANCHOR_STORE``)."""
    return open_store(str(current_app.config.get("AUDIT_ANCHOR_STORE") or ""))


def _describe(cp: Checkpoint) -> str:
    return f"regel {cp.seq} van {timestamp_text(cp.created_at)}"


@audit_cli.command("verify")
@click.option(
    "--anker",
    "anchor_files",
    type=click.File("r", encoding="utf-8"),
    multiple=True,
    help="Also check against the checkpoints in FILE (one JSON per line as written by `flask "
    "audit checkpoint`, or a receipt such as the citizen's download); may be repeated.",
)
@click.option(
    "--zonder-ankers",
    "without_store",
    is_flag=True,
    help="Do not read the configured anchor store (AUDIT_ANCHOR_STORE): a rollback of the "
    "whole database then goes unnoticed.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that check ranges of lines side by side, for the whole log or one "
    "partition (default from 500,000 lines: two per CPU up to 8 on PostgreSQL, one per CPU up "
    "to 4 on SQLite).",
)
@click.option(
    "--partitie",
    "month",
    default=None,
    metavar="JJJJ-MM|JJJJ",
    help="Check only this month's partition (PostgreSQL): its lines, the links to the lines "
    "before and after it, and the checkpoints and anchors in it. JJJJ: a year whose months "
    "were merged (`flask audit partities --jaren`); a month of such a year is checked within it.",
)
def audit_verify(
    anchor_files: tuple[Any, ...], without_store: bool, workers: int | None, month: str | None
) -> None:
    """Check the whole hash chain against the anchors; report the first broken line."""
    anchors: list[Checkpoint] = []
    notes: list[str] = []
    try:
        if without_store:
            notes.append("Ankeropslag niet gelezen (--zonder-ankers).")
        else:
            store = anchor_store()
            stored = store.read()
            anchors.extend(stored)
            latest = newest(stored)
            strict = current_app.config.get("EENPLAN_ENV") == "production"
            problem = _store_problem(store, latest)
            if problem is not None and strict:
                # Production fails closed: without (recent) anchors a database put back from an
                # older backup would pass as "in orde".
                raise click.ClickException(
                    f"{problem} Draai `flask audit checkpoint` uit cron, of controleer bewust "
                    "zonder ankers met --zonder-ankers."
                )
            if problem is not None:
                notes.append(f"Let op: {problem} Draai `flask audit checkpoint` uit cron.")
            if latest is not None:
                notes.append(
                    f"{len(stored)} ankers uit de ankeropslag ({store.describe()}), "
                    f"nieuwste: {_describe(latest)}."
                )
        for f in anchor_files:
            given = parse_anchors(f.read(), where=f.name)
            anchors.extend(given)
            latest = newest(given)
            notes.append(
                f"{len(given)} ankers uit {f.name}"
                + (f", nieuwste: {_describe(latest)}." if latest else ".")
            )
    except AnchorError as exc:
        raise click.ClickException(str(exc)) from None
    what = "Logboek"
    try:
        with get_database().engine.connect() as conn:
            if month is None:
                report = logboek().verify(conn, anchors=anchors, workers=workers)
            else:
                year, m = partitions.parse_period(month)
                what = f"Partitie {year:04d}" + ("" if m is None else f"-{m:02d}")
                report = logboek().verify_month(conn, year, m, anchors=anchors, workers=workers)
    except LogboekError as exc:
        raise click.ClickException(str(exc)) from None
    if report.ok:
        click.echo(
            f"{what} in orde: {report.lines_checked} regels, {report.checkpoints_checked} "
            f"controlepunten en {report.anchors_checked} ankers gecontroleerd in "
            f"{report.seconds:.2f} s ({report.lines_per_second:,.0f} regels/s)."
        )
        for note in notes:
            click.echo(note)
        return
    click.echo(f"{what.upper()} NIET IN ORDE: {report.problem}", err=True)
    if report.first_broken_seq is not None:
        click.echo(f"Eerste afwijkende regel: {report.first_broken_seq}", err=True)
    for note in notes:
        click.echo(note, err=True)
    sys.exit(1)


def _store_problem(store: AnchorStore, latest: Checkpoint | None) -> str | None:
    """Why the anchor store cannot show a rollback: empty (or missing), or its newest anchor
    older than ``AUDIT_ANCHOR_MAX_UREN`` hours (a stopped cron widens the window)."""
    if latest is None:
        return (
            f"de ankeropslag ({store.describe()}) is leeg of ontbreekt; een teruggezette "
            "database valt zo niet op."
        )
    max_hours = float(current_app.config.get("AUDIT_ANCHOR_MAX_UREN", 25))
    age = now() - latest.created_at
    if age > dt.timedelta(hours=max_hours):
        return (
            f"het nieuwste anker in de ankeropslag ({store.describe()}) is "
            f"{age.total_seconds() / 3600:.0f} uur oud (meer dan {max_hours:g}); wat daarna "
            "in het logboek kwam, is niet verankerd."
        )
    return None


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Write a signed checkpoint of the head, append it to the anchor store, print it.

    Run it from cron (e.g. hourly). The checkpoint goes to the database and, in the same step,
    to the anchor store outside it (AUDIT_ANCHOR_STORE); if the store cannot take it, the
    database keeps nothing either and the command fails.
    """
    try:
        store = anchor_store()
        with get_database().engine.begin() as conn:
            cp = logboek().checkpoint(conn)
            store.append(cp)  # before the commit: a checkpoint is never only in the database
    except (AnchorError, OSError) as exc:
        raise click.ClickException(f"Controlepunt niet vastgelegd: {exc}") from None
    click.echo(cp.to_json())
    click.echo(f"Vastgelegd in de ankeropslag ({store.describe()}).", err=True)


@audit_cli.command("partities")
@click.option(
    "--vooruit",
    "ahead",
    type=click.IntRange(min=0, max=36),
    default=3,
    show_default=True,
    help="Create the partitions from this month through N months ahead.",
)
@click.option("--lijst", "listing", is_flag=True, help="Only list the partitions (lines, seq).")
@click.option(
    "--jaren",
    "merge_years",
    is_flag=True,
    help="Instead: merge the monthly partitions of every closed year (ended more than a month "
    "ago) into one partition for the year, so that a citizen's lines are found in fewer "
    "partitions. Copies the year's lines once; run it from cron, e.g. monthly.",
)
def audit_partitions(ahead: int, listing: bool, merge_years: bool) -> None:
    """PostgreSQL: create the logboek's missing monthly partitions ahead (idempotent; run it
    from cron, e.g. daily) and report lines in the DEFAULT partition, which should stay empty.
    A month whose first lines went to DEFAULT (the command did not run in time) gets its
    partition from just after them; exits non-zero only when a month cannot be made.
    With --jaren: merge closed years (docs/logboek.md, Partities)."""
    if listing and merge_years:
        raise click.UsageError("--lijst en --jaren gaan niet samen: eerst samenvoegen, dan lijst.")
    engine = get_database().engine
    with engine.connect() as conn:
        if not partitions.is_partitioned(conn):
            raise click.ClickException(
                "Het logboek is niet in partities verdeeld (alleen op PostgreSQL, na "
                "`flask db upgrade`)."
            )
    if listing:
        with engine.connect() as conn:
            for p in partitions.describe(conn):
                seqs = f"regel {p.min_seq} t/m {p.max_seq}" if p.rows else "leeg"
                click.echo(f"{p.label:8} {p.name:26} {p.rows:>12,} regels  {seqs}")
        return
    if merge_years:
        _merge_years(engine)
        return
    with engine.begin() as conn:
        created, problems = partitions.ensure_ahead(conn, now(), ahead)
    for name in created:
        click.echo(f"Partitie {name} aangemaakt.")
    if not created and not problems:
        click.echo(f"Alle partities tot en met {ahead} maanden vooruit bestaan al.")
    with engine.connect() as conn:
        in_default = partitions.default_rows(conn)
    if in_default:
        click.echo(
            f"Let op: de DEFAULT-partitie ({partitions.DEFAULT}) bevat {in_default} regels "
            "(regels buiten de aangemaakte maanden; zie docs/logboek.md, Partities).",
            err=True,
        )
    if problems:
        for problem in problems:
            click.echo(f"FOUT: {problem}", err=True)
        sys.exit(1)


def _merge_years(engine: Any) -> None:
    """``flask audit partities --jaren``: one transaction per year; a year that cannot be
    merged (the log busy, months with a gap) is reported and the others go on."""
    with engine.connect() as conn:
        years = year_partitions.closed_years(conn, now())
    if not years:
        click.echo("Geen afgesloten jaren met maandpartities: er is niets samen te voegen.")
        return
    failed = False
    for year in years:
        try:
            with engine.begin() as conn:
                merged = year_partitions.merge_year(conn, year, now())
        except year_partitions.GapError as exc:
            click.echo(f"Let op: {exc}.", err=True)
            continue
        except LogboekError as exc:
            click.echo(f"FOUT: {exc}", err=True)
            failed = True
            continue
        except DBAPIError as exc:  # e.g. a deadlock with a retention run: nothing changed
            state = getattr(exc.orig, "sqlstate", None) or type(exc.orig).__name__
            click.echo(
                f"FOUT: {year} is niet samengevoegd: de database brak de samenvoeging af "
                f"({state}); er is niets veranderd, de volgende run probeert het opnieuw",
                err=True,
            )
            failed = True
            continue
        if merged is None:
            continue
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            year_partitions.vacuum(conn, merged.name)
        click.echo(
            f"{merged.year}: {merged.months} "
            f"{'maandpartitie' if merged.months == 1 else 'maandpartities'} samengevoegd tot "
            f"{merged.name}: {merged.lines:,} regels (regel {merged.min_seq} t/m "
            f"{merged.max_seq}), {merged.seconds:.1f} s. Controleer met `flask audit verify "
            f"--partitie {merged.year}`."
        )
    if failed:
        sys.exit(1)
