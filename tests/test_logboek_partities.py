"""The logboek in monthly partitions on PostgreSQL (audit/partitions.py, migration 0029).

PostgreSQL only, but for the last test: SQLite keeps its single table (the other logboek tests
run on both, unchanged). The clock is moved to put lines in chosen months; months are computed
from it, never written out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import clock, migrate
from app.db import get_database
from audit import Actor, Checkpoint, Entry, Subject, TraceContext, partitions
from tests.conftest import head_seq
from tests.support.world import BSN, World

ACTOR = Actor("medewerker", "999", "Test Medewerker", "Regisseur", "Gemeente Teststad")


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.set_offset(dt.timedelta(0))
    yield
    clock.set_offset(dt.timedelta(0))


def _days(n: int) -> None:
    clock.set_offset(dt.timedelta(days=n))


def _month(offset_days: int = 0) -> tuple[int, int]:
    at = dt.datetime.now(dt.UTC) + dt.timedelta(days=offset_days)
    return at.year, at.month


def _label(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def _write(app: Flask, n: int) -> None:
    entries = [
        Entry(
            kind="inzage",
            action="view",
            name="test.bekijken",
            actor=ACTOR,
            subjects=(Subject("BSN", BSN["anna"]),),
            processing_activity="regie-multiproblematiek",
            data_categories=("plan",),
            trace=TraceContext.new(),
            object_type="plan",
            object_id=str(i),
        )
        for i in range(n)
    ]
    with app.app_context(), get_database().engine.begin() as conn:
        app.extensions["eenplan_logboek"].record(conn, entries)


def _checkpoint(app: Flask) -> Checkpoint:
    with app.app_context(), get_database().engine.begin() as conn:
        return app.extensions["eenplan_logboek"].checkpoint(conn)  # type: ignore[no-any-return]


def _verify(app: Flask) -> Any:
    with app.app_context(), get_database().engine.connect() as conn:
        return app.extensions["eenplan_logboek"].verify(conn)


def _partitions(app: Flask) -> dict[str, partitions.Partition]:
    with app.app_context(), get_database().engine.connect() as conn:
        return {p.name: p for p in partitions.describe(conn)}


@contextmanager
def _reading(app: Flask) -> Iterator[None]:
    """Another session reading the log, its transaction still open (its lock held)."""
    with app.app_context(), get_database().engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM audit_log_line"))
        try:
            yield
        finally:
            conn.rollback()


def refuses_changes(app: Flask, table: str) -> None:
    """UPDATE, DELETE and TRUNCATE of ``table`` are refused (the log is append-only)."""
    for sql in (
        f"UPDATE {table} SET object_id = 'x'",
        f"DELETE FROM {table}",
        f"TRUNCATE {table}",
    ):
        with app.app_context(), get_database().engine.connect() as conn:
            with pytest.raises(DBAPIError, match="alleen aan te vullen"):
                conn.execute(text(sql))
            conn.rollback()


def change_line(app: Flask, seq: int) -> None:
    """Change one line's content as a database admin would (the triggers off for a moment)."""
    with app.app_context(), get_database().engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log_line DISABLE TRIGGER USER"))
        conn.execute(
            text("UPDATE audit_log_line SET object_id = 'gewijzigd' WHERE seq = :s"), {"s": seq}
        )
        conn.execute(text("ALTER TABLE audit_log_line ENABLE TRIGGER USER"))


def retention_drops(
    app: Flask, name: str, floor: Checkpoint, head: int
) -> dict[str, partitions.Partition]:
    """`flask retention run` destroys the lines up to ``floor``, dropping partition ``name``
    whole; what remains (the partitions returned) lies above the floor and verifies."""
    run = app.test_cli_runner().invoke(args=["retention", "run"])
    assert run.exit_code == 0, run.output
    assert f'"logregels": {floor.seq}' in run.output
    left = _partitions(app)
    assert name not in left
    assert all(p.min_seq is None or p.min_seq > floor.seq for p in left.values())
    report = _verify(app)
    assert report.ok and report.lines_checked == head - floor.seq, report
    return left


def _cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["audit", *args])


def _ensure(app: Flask, ahead: int = 3) -> list[str]:
    with app.app_context(), get_database().engine.begin() as conn:
        created, problems = partitions.ensure_ahead(conn, clock.now(), ahead)
    assert problems == []
    return created


@pytest.mark.postgres_only
def test_the_migration_partitions_the_log_and_keeps_every_line(app: Flask) -> None:
    _days(-70)  # lines two months back: in DEFAULT until the migration gives them a month
    _write(app, 4)
    _days(0)
    _write(app, 3)
    _checkpoint(app)
    with app.app_context(), get_database().engine.connect() as conn:
        before = conn.execute(text("SELECT seq, line_hash FROM audit_log_line ORDER BY seq")).all()
    migrate.downgrade(app, "0028_afscherming_opheffen")
    with app.app_context(), get_database().engine.connect() as conn:
        assert not partitions.is_partitioned(conn)
    assert _verify(app).ok
    migrate.upgrade(app)
    with app.app_context(), get_database().engine.connect() as conn:
        assert partitions.is_partitioned(conn)
        after = conn.execute(text("SELECT seq, line_hash FROM audit_log_line ORDER BY seq")).all()
        pk = conn.execute(
            text(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conname = 'pk_audit_log_line'"
            )
        ).scalar_one()
        assert migrate.drift(get_database().engine) == []
    assert after == before
    assert pk == "PRIMARY KEY (seq, occurred_at)"
    found = _partitions(app)
    old, now = _month(-70), _month()
    assert found[partitions.partition_name(*old)].rows == 4
    assert found[partitions.partition_name(*now)].rows >= 3
    assert partitions.partition_name(*partitions.add_months(*now, 3)) in found
    assert found[partitions.DEFAULT].rows == 0
    report = _verify(app)
    assert report.ok and report.lines_checked == len(before), report


@pytest.mark.postgres_only
def test_every_partition_stays_append_only(app: Flask) -> None:
    _write(app, 3)
    _days(5 * 365)  # no partition that far ahead: the line goes to DEFAULT
    _write(app, 1)
    _days(0)
    name = partitions.partition_name(*_month())
    for table in (name, partitions.DEFAULT, "audit_log_line"):
        refuses_changes(app, table)
    _ensure(app, ahead=6)  # a partition made by the command is protected the same way
    newest = partitions.partition_name(*partitions.add_months(*_month(), 6))
    with app.app_context(), get_database().engine.connect() as conn:
        with pytest.raises(DBAPIError, match="alleen aan te vullen"):
            conn.execute(text(f"TRUNCATE {newest}"))
        conn.rollback()
    assert _verify(app).ok


@pytest.mark.postgres_only
def test_the_command_creates_partitions_ahead_idempotently(app: Flask) -> None:
    first = _cli(app, "partities", "--vooruit", "5")
    assert first.exit_code == 0, first.output
    far = partitions.partition_name(*partitions.add_months(*_month(), 5))
    assert f"Partitie {far} aangemaakt." in first.output
    again = _cli(app, "partities", "--vooruit", "5")
    assert again.exit_code == 0 and "bestaan al" in again.output, again.output
    listing = _cli(app, "partities", "--lijst")
    assert listing.exit_code == 0 and far in listing.output and "default" in listing.output

    # Someone reading the log holds the command off only briefly: it gives up, says so, and
    # makes the months the next time.
    _days(200)
    wanted = partitions.partition_name(*_month(200))
    with _reading(app), pytest.MonkeyPatch.context() as mp:
        mp.setattr(partitions, "LOCK_TIMEOUT", "300ms")
        busy = _cli(app, "partities")
    assert busy.exit_code != 0 and "bezet" in busy.output, busy.output
    assert wanted not in _partitions(app)
    assert _cli(app, "partities").exit_code == 0
    assert wanted in _partitions(app)

    _days(400)  # a year on: the command makes that year's months
    later = _cli(app, "partities")
    assert later.exit_code == 0, later.output
    assert partitions.partition_name(*_month(400)) in _partitions(app)

    # Lines in DEFAULT for a month still to create (the command did not run in time): they stay
    # there, and the rest of that month gets its partition from just after them.
    _days(800)
    _write(app, 2)
    assert _partitions(app)[partitions.DEFAULT].rows == 2
    healed = _cli(app, "partities")
    assert healed.exit_code == 0, healed.output
    month = partitions.partition_name(*_month(800))
    assert f"Partitie {month} (vanaf " in healed.output
    assert "blijven in DEFAULT" in healed.output
    assert "DEFAULT-partitie" in healed.output  # and the warning that DEFAULT is not empty
    found = _partitions(app)
    assert found[partitions.DEFAULT].rows == 2 and found[month].rows == 0
    assert partitions.partition_name(*partitions.add_months(*_month(800), 3)) in found
    _write(app, 3)  # later appends of that month go into its partition
    found = _partitions(app)
    assert found[partitions.DEFAULT].rows == 2 and found[month].rows == 3
    again = _cli(app, "partities")
    assert again.exit_code == 0 and "bestaan al" in again.output, again.output
    _days(0)
    assert _verify(app).ok  # appends in DEFAULT are part of the chain like any other


@pytest.mark.postgres_only
def test_retention_drops_a_whole_partition_and_verify_passes(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.vernietiging import logregels

    monkeypatch.setattr(logregels, "_oldest_kept", lambda: None)
    _days(-95)
    assert _ensure(app)  # the months from three back
    old = _month(-95)
    _write(app, 20)
    _checkpoint(app)
    _days(-35)
    _write(app, 10)
    floor = _checkpoint(app)
    _days(0)
    _write(app, 4)  # after the floor: stays
    _days(365 * 7 + 2 + 1)
    _write(app, 3)
    _checkpoint(app)
    head = head_seq(app)
    old_name = partitions.partition_name(*old)
    assert _partitions(app)[old_name].rows == 20

    dry = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert old_name in dry.output and f'"totEnMetRegel": {floor.seq}' in dry.output

    # While someone reads the log (a backup, a verify), retention does not queue for the whole
    # log's lock behind them (every append would queue behind it): it gives up and says so.
    monkeypatch.setattr(partitions, "LOCK_TIMEOUT", "300ms")
    with _reading(app):
        busy = app.test_cli_runner().invoke(args=["retention", "run"])
    assert busy.exit_code != 0 and "bezet" in busy.output, busy.output
    assert old_name in _partitions(app)

    left = retention_drops(app, old_name, floor, head)
    # Each remaining month verifies on its own too.
    for p in left.values():
        if p.label != "default" and p.rows:
            result = _cli(app, "verify", "--zonder-ankers", "--partitie", p.label)
            assert result.exit_code == 0, result.output


@pytest.mark.postgres_only
@pytest.mark.parametrize("workers", ["1", "3"])
def test_verify_of_one_partition_finds_tampering_in_that_month(app: Flask, workers: str) -> None:
    """In one process, and in several that each check a part of the month side by side."""
    _days(-95)
    _ensure(app)
    old = _month(-95)
    _write(app, 10)
    _checkpoint(app)
    _days(-35)
    mid = _month(-35)
    _write(app, 10)
    _days(0)
    _write(app, 2)
    name = partitions.partition_name(*old)
    for month in (old, mid, _month()):
        ok = _cli(
            app, "verify", "--zonder-ankers", "--workers", workers, "--partitie", _label(month)
        )
        assert ok.exit_code == 0 and "in orde" in ok.output, ok.output
    target = _partitions(app)[name].min_seq
    assert target is not None
    target += 3
    change_line(app, target)
    bad = _cli(app, "verify", "--zonder-ankers", "--workers", workers, "--partitie", _label(old))
    assert bad.exit_code == 1
    assert f"Eerste afwijkende regel: {target}" in bad.output
    assert f"regel {target} is gewijzigd" in bad.output
    # Another month does not walk into the changed one.
    assert (
        _cli(
            app, "verify", "--zonder-ankers", "--workers", workers, "--partitie", _label(mid)
        ).exit_code
        == 0
    )
    with app.app_context(), get_database().engine.connect() as conn:
        full = app.extensions["eenplan_logboek"].verify(conn)
    assert not full.ok and full.first_broken_seq == target


@pytest.mark.postgres_only
def test_verify_of_one_partition_needs_a_partition(app: Flask) -> None:
    missing = _cli(app, "verify", "--zonder-ankers", "--partitie", "1999-01")
    assert missing.exit_code != 0 and "geen partitie" in missing.output
    wrong = _cli(app, "verify", "--zonder-ankers", "--partitie", "volgende maand")
    assert wrong.exit_code != 0 and "JJJJ-MM" in wrong.output
    for other_digits in ("\u0662\u0660\u0662\u0665", "\u0662\u0660\u0662\u0665-06"):  # ٢٠٢٥
        wrong = _cli(app, "verify", "--zonder-ankers", "--partitie", other_digits)
        assert wrong.exit_code != 0 and "JJJJ-MM" in wrong.output, wrong.output
    year = _cli(app, "verify", "--zonder-ankers", "--partitie", "1999")
    assert year.exit_code != 0 and "niet samengevoegd" in year.output, year.output


@pytest.mark.postgres_only
@pytest.mark.parametrize("workers", ["1", "2"])
def test_verify_of_one_partition_finds_lines_cut_off_its_end(app: Flask, workers: str) -> None:
    _days(-95)
    _ensure(app)
    old = _month(-95)
    _write(app, 6)
    _days(0)
    _write(app, 2)
    last = _partitions(app)[partitions.partition_name(*old)].max_seq
    assert last is not None
    with app.app_context(), get_database().engine.begin() as conn:  # as a database admin
        conn.execute(text("ALTER TABLE audit_log_line DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM audit_log_line WHERE seq = :s"), {"s": last})
        conn.execute(text("ALTER TABLE audit_log_line ENABLE TRIGGER USER"))
    bad = _cli(app, "verify", "--zonder-ankers", "--workers", workers, "--partitie", _label(old))
    assert bad.exit_code == 1 and f"regel {last} ontbreekt" in bad.output, bad.output


@pytest.mark.postgres_only
def test_a_partition_with_a_line_above_the_floor_is_not_dropped(app: Flask) -> None:
    _write(app, 2)
    name = partitions.partition_name(*_month())
    with app.app_context(), get_database().engine.begin() as conn:
        top = partitions.seq_range(conn, name)[1]
        assert top is not None
        assert name not in [p.name for p in partitions.droppable(conn, top - 1)]
        with pytest.raises(partitions.PartitionError):
            partitions.drop_partition(conn, name, top - 1)
        with pytest.raises(partitions.PartitionError):
            partitions.drop_partition(conn, partitions.DEFAULT, top)
    assert name in _partitions(app)


@pytest.mark.postgres_only
def test_a_citizens_organisations_are_read_from_the_index_alone(app: Flask) -> None:
    """The organisation filter of a citizen's log page (app/portaal/logboek.py) reads only
    columns the per-person index carries (migration 0031): an index-only scan, not one heap
    page per line. The statement is the one the page runs, captured as it runs."""
    from sqlalchemy import event

    from app.access.logboek import LogboekToegang
    from app.portaal.logboek import organisaties

    _write(app, 40)
    engine = app.extensions["eenplan_db"].engine
    with engine.connect() as conn:  # the visibility map: what VACUUM sets on a settled month
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE audit_log_line"
        )
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, *_a: Any) -> None:
        if "DISTINCT audit_log_line.actor_organisation" in statement:
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with app.test_request_context():
            lb = app.extensions["eenplan_logboek"]
            toegang = LogboekToegang(
                alles=False,
                eigen_pseudoniem=lb.pseudonymise(Subject("BSN", BSN["anna"])),
                verwerking="regie-multiproblematiek",
                day=clock.today(),
                verborgen=(("vroegsignaal", "7"),),  # a deferred signal's lines stay out
            )
            assert "Gemeente Teststad" in organisaties(toegang)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert len(seen) == 1
    statement, params = seen[0]
    with engine.connect() as conn:
        # The test's log is tiny, so the planner would rightly read it whole: only whether the
        # index can answer alone is asked here.
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_bitmapscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, params))
    assert "Index Only Scan using" in plan, plan
    assert " Index Scan " not in f" {plan} ", plan


@pytest.mark.sqlite_only
def test_sqlite_keeps_one_table(app: Flask) -> None:
    with app.app_context(), get_database().engine.connect() as conn:
        assert not partitions.is_partitioned(conn)
    made = _cli(app, "partities")
    assert made.exit_code != 0 and "niet in partities" in made.output
    one = _cli(app, "verify", "--zonder-ankers", "--partitie", "2026-11")
    assert one.exit_code != 0 and "niet in partities" in one.output
    assert _cli(app, "verify", "--zonder-ankers").exit_code == 0
