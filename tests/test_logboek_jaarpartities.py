"""A closed year's monthly partitions merged into one (audit/year_partitions.py, PostgreSQL).

`flask audit partities --jaren`: the same lines in fewer partitions, still append-only, still
verifiable per year and per month, and dropped whole by retention. The clock is moved to dates
in the year before last, which has always ended.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import clock
from app.db import get_database
from audit import Subject, partitions, year_partitions
from tests.conftest import head_seq
from tests.support.world import BSN, World
from tests.test_logboek_partities import (
    _checkpoint,
    _cli,
    _ensure,
    _partitions,
    _reading,
    _write,
    change_line,
    refuses_changes,
    retention_drops,
)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.set_offset(dt.timedelta(0))
    yield
    clock.set_offset(dt.timedelta(0))


YEAR = dt.datetime.now(dt.UTC).year - 2  # ended more than a year ago


def _to(month: int, day: int, year: int = YEAR) -> None:
    """Move the clock to noon on that day."""
    clock.set_offset(dt.datetime(year, month, day, 12, tzinfo=dt.UTC) - dt.datetime.now(dt.UTC))


def _back() -> None:
    clock.set_offset(dt.timedelta(0))


def _lines(app: Flask) -> list[tuple[int, str]]:
    with app.app_context(), get_database().engine.connect() as conn:
        return [
            (int(s), str(h))
            for s, h in conn.execute(text("SELECT seq, line_hash FROM audit_log_line ORDER BY seq"))
        ]


def _anna(app: Flask) -> list[int]:
    """Anna's newest lines, as her logboek page and the read API ask for them."""
    with app.app_context(), get_database().engine.connect() as conn:
        found = app.extensions["eenplan_logboek"].lines_for_subject(
            conn, Subject("BSN", BSN["anna"])
        )
        return [line.seq for line in found]


def _verify(app: Flask, *args: str) -> str:
    result = _cli(app, "verify", "--zonder-ankers", *args)
    assert result.exit_code == 0 and "in orde" in result.output, result.output
    return str(result.output)


@pytest.mark.postgres_only
def test_a_closed_year_is_merged_into_one_partition_and_stays_the_same_log(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = YEAR
    _to(11, 20)
    _ensure(app, 1)  # November and December
    _write(app, 5)
    _to(12, 10)
    _write(app, 4)
    _checkpoint(app)
    _back()
    _write(app, 3)
    in_year = {partitions.partition_name(year, m) for m in (11, 12)}
    assert in_year <= set(_partitions(app))
    before, anna = _lines(app), _anna(app)

    # Not a year that has not ended (a month ago at least).
    with app.app_context(), get_database().engine.begin() as conn:
        with pytest.raises(partitions.PartitionError, match="niet afgesloten"):
            year_partitions.merge_year(conn, clock.now().year, clock.now())
        assert year in year_partitions.closed_years(conn, clock.now())
        assert clock.now().year not in year_partitions.closed_years(conn, clock.now())

    # While someone reads the log, the merge does not queue for the whole log's lock (every
    # append would queue behind it): it gives up, says so, and leaves the months as they were.
    monkeypatch.setattr(partitions, "LOCK_TIMEOUT", "300ms")
    with _reading(app):
        busy = _cli(app, "partities", "--jaren")
    assert busy.exit_code != 0 and "bezet" in busy.output, busy.output
    assert in_year <= set(_partitions(app))

    merged = _cli(app, "partities", "--jaren")
    assert merged.exit_code == 0, merged.output
    name = partitions.year_partition_name(year)
    assert f"samengevoegd tot {name}" in merged.output
    found = _partitions(app)
    assert not in_year & set(found)
    assert not any(n.startswith(f"{name}_") for n in found)  # no month of that year left
    assert found[name].rows == 9 and found[name].label == str(year)
    assert _lines(app) == before  # the same lines, the same seq and hashes
    assert _anna(app) == anna

    again = _cli(app, "partities", "--jaren")
    assert again.exit_code == 0 and "niets samen te voegen" in again.output, again.output

    # The year keeps the parent's keys and indexes (a citizen's lines: index-only where it
    # can), and the append-only protection.
    with app.app_context(), get_database().engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = :t"), {"t": name}
        ).scalars()
        assert any("(data_subject_id, seq) INCLUDE (" in d for d in indexes)
        attached = conn.execute(
            text(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE c.relname LIKE :t AND c.relkind = 'i'"
            ),
            {"t": f"{name}%"},
        ).scalar()
        parent_indexes = conn.execute(
            text("SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_log_line'")
        ).scalar()
        assert attached == parent_indexes
    refuses_changes(app, name)

    # Verified as a whole, as a year and per month within it.
    _verify(app)
    _verify(app, "--partitie", str(year))
    _verify(app, "--partitie", f"{year}-11")
    _verify(app, "--partitie", f"{year}-12")

    # A line written with the clock back in that year goes into the year's partition; the
    # command that makes months ahead makes none of a merged year.
    _to(12, 20)
    assert all(not n.startswith(f"{name}_") for n in _ensure(app, 1))
    _write(app, 1)
    _back()
    assert _partitions(app)[name].rows == 10
    _verify(app)

    # Tampering in a month of the year shows in that month's check.
    target = before[2][0]
    change_line(app, target)
    bad = _cli(app, "verify", "--zonder-ankers", "--partitie", f"{year}-11")
    assert bad.exit_code == 1 and f"regel {target} is gewijzigd" in bad.output, bad.output
    _verify(app, "--partitie", f"{year}-12")  # the other month does not walk into it


@pytest.mark.postgres_only
def test_retention_drops_a_merged_year_whole_and_verify_passes(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.vernietiging import logregels

    monkeypatch.setattr(logregels, "_oldest_kept", lambda: None)
    year = YEAR
    _to(11, 20)
    _ensure(app, 1)
    _write(app, 6)
    floor = _checkpoint(app)
    _back()
    _write(app, 3)
    _checkpoint(app)
    assert _cli(app, "partities", "--jaren").exit_code == 0
    name = partitions.year_partition_name(year)
    assert name in _partitions(app)

    _to(11, 25, YEAR + 7)  # seven years after the year's lines: their term has passed
    retention_drops(app, name, floor, head_seq(app))


@pytest.mark.postgres_only
def test_a_year_is_not_merged_across_a_gap(app: Flask) -> None:
    """A month missing between two (the command did not run that month: its lines are in
    DEFAULT) leaves a gap: the year cannot get one range, and nothing changes."""
    _to(3, 15)
    _ensure(app, 0)  # March
    _write(app, 1)
    _to(4, 15)
    _write(app, 2)  # no partition for April: DEFAULT
    _to(5, 15)
    _ensure(app, 0)  # May
    _write(app, 1)
    _back()
    with (
        app.app_context(),
        get_database().engine.begin() as conn,
        pytest.raises(year_partitions.GapError, match="sluiten niet op elkaar aan"),
    ):
        year_partitions.merge_year(conn, YEAR, clock.now())
    # Not a failure of the monthly job (nothing would ever make that year mergeable): a note.
    merged = _cli(app, "partities", "--jaren")
    assert merged.exit_code == 0 and "Let op" in merged.output, merged.output
    assert "sluiten niet op elkaar aan" in merged.output
    found = _partitions(app)
    assert partitions.year_partition_name(YEAR) not in found
    assert {partitions.partition_name(YEAR, m) for m in (3, 5)} <= set(found)
    assert found[partitions.DEFAULT].rows == 2


@pytest.mark.postgres_only
def test_a_year_is_not_merged_over_a_table_of_its_name(app: Flask) -> None:
    _to(3, 15)
    _ensure(app, 0)
    _write(app, 1)
    _back()
    name = partitions.year_partition_name(YEAR)
    with app.app_context(), get_database().engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (x int)"))
    merged = _cli(app, "partities", "--jaren")
    assert merged.exit_code != 0 and f"er is al een tabel {name}" in merged.output, merged.output
    assert partitions.partition_name(YEAR, 3) in _partitions(app)


@pytest.mark.postgres_only
def test_a_year_is_closed_31_days_after_its_end(app: Flask) -> None:
    _to(11, 20)
    _ensure(app, 0)
    _write(app, 1)
    for (month, day), closed in (((1, 31), False), ((2, 2), True)):
        _to(month, day, YEAR + 1)
        with app.app_context(), get_database().engine.connect() as conn:
            assert (YEAR in year_partitions.closed_years(conn, clock.now())) is closed
    _to(1, 31, YEAR + 1)
    early = _cli(app, "partities", "--jaren")
    assert early.exit_code == 0 and "niets samen te voegen" in early.output, early.output
    with (
        app.app_context(),
        get_database().engine.begin() as conn,
        pytest.raises(partitions.PartitionError, match="nog niet afgesloten"),
    ):
        year_partitions.merge_year(conn, YEAR, clock.now())
    _back()
    assert partitions.partition_name(YEAR, 11) in _partitions(app)
    both = _cli(app, "partities", "--jaren", "--lijst")
    assert both.exit_code != 0 and "gaan niet samen" in both.output


@pytest.mark.postgres_only
def test_a_verify_begun_during_the_swap_waits_for_it(app: Flask) -> None:
    """A verify reads in one snapshot; begun while the year's partition replaces its months, it
    must not read the new partition with a snapshot from before (it would see neither the
    months' lines nor the year's: "regel 1 ontbreekt")."""
    _to(11, 20)
    _ensure(app, 1)
    _write(app, 5)
    _back()
    _write(app, 2)
    found: dict[str, object] = {}

    def verify() -> None:
        with app.app_context(), get_database().engine.connect() as conn:
            found["report"] = app.extensions["eenplan_logboek"].verify(conn)

    with app.app_context(), get_database().engine.begin() as conn:
        assert year_partitions.merge_year(conn, YEAR, clock.now()) is not None
        reader = threading.Thread(target=verify)
        reader.start()  # the swap's lock is held until this transaction commits
        time.sleep(1.0)
        assert reader.is_alive()
    reader.join(60)
    report = found["report"]
    assert report.ok, report  # type: ignore[attr-defined]


@pytest.mark.postgres_only
def test_a_month_outside_a_merged_year_has_no_partition(app: Flask) -> None:
    _to(11, 20)
    _ensure(app, 1)  # November and December only
    _write(app, 2)
    _back()
    assert _cli(app, "partities", "--jaren").exit_code == 0
    _verify(app, "--partitie", f"{YEAR}-12")
    before = _cli(app, "verify", "--zonder-ankers", "--partitie", f"{YEAR}-03")
    assert before.exit_code != 0 and "geen partitie" in before.output, before.output


@pytest.mark.postgres_only
def test_a_database_error_in_one_year_is_reported_and_the_others_go_on(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in (YEAR - 1, YEAR):
        _to(11, 20, year)
        _ensure(app, 0)
        _write(app, 1)
    _back()
    merge = year_partitions.merge_year

    def deadlock_in_the_first(conn: object, year: int, now: dt.datetime) -> object:
        if year == YEAR - 1:
            raise DBAPIError("SELECT 1", {}, Exception("deadlock detected"))
        return merge(conn, year, now)  # type: ignore[arg-type]

    monkeypatch.setattr(year_partitions, "merge_year", deadlock_in_the_first)
    result = _cli(app, "partities", "--jaren")
    assert result.exit_code == 1, result.output
    assert f"FOUT: {YEAR - 1} is niet samengevoegd" in result.output
    assert "er is niets veranderd" in result.output
    found = _partitions(app)
    assert partitions.year_partition_name(YEAR) in found
    assert partitions.partition_name(YEAR - 1, 11) in found
