"""Closed years of the logboek in one partition each (PostgreSQL): ``flask audit partities
--jaren``.

A citizen's newest lines are found through every partition's ``(data_subject_id, seq)`` index
(the partition key is ``occurred_at``, so nothing is pruned): each partition costs one descent of
its index, and in a big log most of those read a page from disk. Seven years of months are 84
descents; seven years and this year's months about 20. So once a year has ended (and a month
has passed, for requests that began on its last evening), its monthly partitions are merged
into one partition for the year (``audit_log_line_p2025``), with the same keys, indexes and
append-only triggers.

How, in one transaction, so that a request sees either the months or the year, never neither:

1. An advisory lock keeps two merges apart; the parent is locked against partition changes
   (``ACCESS SHARE``, as every reader takes it) before the months are read; the year's months
   are locked against writes (``SHARE``: reads go on; an append to a closed month, which only a
   clock far off could cause, waits).
2. A new table gets their lines (in ``seq`` order), then the parent's keys and indexes (read
   from the catalogue, so a later migration's index comes along), a ``CHECK`` of its range (so
   that attaching it does not scan it again) and its own ``TRUNCATE`` trigger; it must then hold
   exactly the months' lines (count, lowest and highest ``seq``).
3. Only then the whole log is locked for a moment (``ACCESS EXCLUSIVE``; every lock waits at
   most :data:`audit.partitions.LOCK_TIMEOUT`; busy: nothing changes and the next run tries
   again): the months are detached and dropped, the year attached (PostgreSQL clones the row
   triggers and adopts the keys and indexes), the ``CHECK`` dropped.

A ``verify`` reads in one snapshot and takes its lock on the log before that snapshot
(:data:`audit.verify.LOCK_BEFORE_SNAPSHOT`), so it never reads the new year with a snapshot
from before the swap.

Nothing in the chain changes: the same lines with the same ``seq`` and hashes, in another
table. Retention works on a year as on a month: lines below the signed floor go row by row, and
the whole year is dropped once all its lines are below it. ``flask audit verify --partitie
2025`` checks a year, ``--partitie 2025-06`` the month's lines within it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from . import partitions
from .partitions import (
    PARENT,
    PartitionError,
    bounds,
    busy_means,
    partition_names,
    truncate_trigger_ddl,
    year_partition_name,
)

_MONTH = re.compile(r"^audit_log_line_p(\d{4})_(\d{2})$")

# A year is merged once this long has passed after it ended (requests that began on its last
# evening write lines dated in it).
AFTER_YEAR_END = dt.timedelta(days=31)

# The advisory lock that keeps two merges (two hosts running the cron job) apart.
MERGE_LOCK = 0x45503159  # "EP1Y"


class GapError(PartitionError):
    """A year's months do not join up (a month missing, its lines in DEFAULT): it stays in
    months. Not a failure: the log cannot move lines, so nothing would ever make it mergeable."""


@dataclass(frozen=True)
class Merged:
    year: int
    name: str
    months: int  # monthly partitions merged
    lines: int
    min_seq: int | None
    max_seq: int | None
    seconds: float


def closed_years(conn: Connection, now: dt.datetime) -> list[int]:
    """The years that still have monthly partitions and ended at least
    :data:`AFTER_YEAR_END` before ``now``, oldest first."""
    years = {int(m.group(1)) for n in partition_names(conn) if (m := _MONTH.match(n))}
    now = now.astimezone(dt.UTC)
    return sorted(
        y for y in years if dt.datetime(y + 1, 1, 1, tzinfo=dt.UTC) + AFTER_YEAR_END <= now
    )


def _index_ddl(conn: Connection, table: str) -> list[str]:
    """The parent's keys and indexes, as DDL for ``table`` (so that ATTACH adopts them)."""
    out = []
    rows = conn.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid), c.contype "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid "
            "WHERE x.indrelid = CAST(:t AS regclass) ORDER BY i.relname"
        ),
        {"t": PARENT},
    ).all()
    for index, ddl, contype in rows:
        if contype == "p":
            cols = ddl[ddl.index("(") + 1 : ddl.rindex(")")]
            out.append(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({cols})")
            continue
        own = f"{table}_{index.removeprefix('ix_audit_log_line_')}"[:63]
        ddl = re.sub(r" ON ONLY \S+ ", f" ON {table} ", ddl, count=1)
        out.append(ddl.replace(f" INDEX {index} ", f" INDEX {own} ", 1))
    return out


def _foreign_key_ddl(conn: Connection, table: str) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f' ORDER BY conname"
        ),
        {"t": PARENT},
    ).all()
    return [
        f"ALTER TABLE {table} ADD CONSTRAINT {table}_fk{i} {ddl}"
        for i, (_name, ddl) in enumerate(rows)
    ]


def merge_year(conn: Connection, year: int, now: dt.datetime) -> Merged | None:
    """Merge ``year``'s monthly partitions into one (call in a transaction; see the module).
    Returns what was merged, or None when the year has no monthly partitions left. Raises
    :class:`GapError` when its months do not join up, :class:`PartitionError` when it cannot
    be merged now (not closed, the log busy, another merge running)."""
    started = dt.datetime.now(dt.UTC)
    busy = (
        f"{year} is niet samengevoegd: het logboek was bezet (langer dan "
        f"{partitions.LOCK_TIMEOUT}, bijvoorbeeld door een back-up, verify of retention); de "
        "volgende run probeert het opnieuw"
    )
    if not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": MERGE_LOCK}).scalar():
        raise PartitionError(f"{year} is niet samengevoegd: er loopt al een samenvoeging")
    conn.execute(text(f"SET LOCAL lock_timeout = '{partitions.LOCK_TIMEOUT}'"))
    with busy_means(busy):
        # The parent first, as every reader and writer takes it: from here no partition is
        # attached, detached or dropped by anyone else, so the months read next stay as read.
        conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS SHARE MODE"))
    months = sorted(
        n
        for n in partition_names(conn)
        if (found := _MONTH.match(n)) and int(found.group(1)) == year
    )
    if not months:
        return None
    if year not in closed_years(conn, now):
        raise PartitionError(
            f"{year} is nog niet afgesloten: een jaar wordt samengevoegd vanaf "
            f"{AFTER_YEAR_END.days} dagen na zijn einde"
        )
    name = year_partition_name(year)
    if conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar() is not None:
        raise PartitionError(
            f"er is al een tabel {name} naast de maandpartities van {year}: laat een DBA kijken"
        )
    ranges = [bounds(conn, m) for m in months]
    for (_lo, hi), (lo, _hi) in zip(ranges, ranges[1:], strict=False):
        if hi != lo:
            raise GapError(
                f"{year} blijft in maandpartities: de maanden sluiten niet op elkaar aan "
                f"({hi.isoformat()} – {lo.isoformat()}; de regels daartussen staan in DEFAULT, "
                "en het logboek verplaatst geen regels)"
            )
    lo, hi = ranges[0][0], ranges[-1][1]
    columns = ", ".join(
        conn.execute(
            text(
                "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            ),
            {"t": PARENT},
        ).scalars()
    )
    with busy_means(busy):
        for m in months:  # against writes (an append dated in a closed month waits)
            conn.execute(text(f"LOCK TABLE {m} IN SHARE MODE"))
        conn.execute(
            text(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        )
        for m in months:
            conn.execute(
                text(
                    f"INSERT INTO {name} ({columns}) "  # noqa: S608
                    f"SELECT {columns} FROM {m} ORDER BY seq"
                )
            )
        for ddl in [*_index_ddl(conn, name), *_foreign_key_ddl(conn, name)]:
            conn.execute(text(ddl))
        conn.execute(
            text(
                f"ALTER TABLE {name} ADD CONSTRAINT {name}_bereik CHECK (occurred_at IS NOT "
                f"NULL AND occurred_at >= '{lo.isoformat()}' AND occurred_at < '{hi.isoformat()}')"
            )
        )
        conn.execute(text(truncate_trigger_ddl(name)))
        # Before any month goes: the year holds exactly their lines (count and seq range).
        before = _tally(conn, months)
        after = _tally(conn, [name])
        if before != after:  # pragma: no cover - the months are locked against writes
            raise PartitionError(f"{year} is niet samengevoegd: {before} regels werden {after}")
        conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE"))
    for m in months:
        conn.execute(text(f"ALTER TABLE {PARENT} DETACH PARTITION {m}"))
    conn.execute(
        text(
            f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM "
            f"('{lo.isoformat()}') TO ('{hi.isoformat()}')"
        )
    )
    conn.execute(text(f"ALTER TABLE {name} DROP CONSTRAINT {name}_bereik"))
    for m in months:
        conn.execute(text(f"DROP TABLE {m}"))
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return Merged(year, name, len(months), after[0], after[1], after[2], seconds)


def _tally(conn: Connection, tables: list[str]) -> tuple[int, int | None, int | None]:
    """Lines, lowest and highest ``seq`` of the tables together."""
    union = " UNION ALL ".join(f"SELECT seq FROM {t}" for t in tables)  # noqa: S608
    rows, lo, hi = conn.execute(
        text(f"SELECT count(*), min(seq), max(seq) FROM ({union}) AS t")  # noqa: S608
    ).one()
    return int(rows), lo, hi


def vacuum(conn: Connection, name: str) -> None:
    """After the merge's commit: VACUUM the year (its visibility map lets the covering indexes
    answer alone, see migration 0031; frozen, as a closed year's lines never change) and
    ANALYZE it. ``conn`` must be in autocommit mode."""
    conn.execute(text(f"VACUUM (FREEZE, ANALYZE) {name}"))


__all__ = ["AFTER_YEAR_END", "GapError", "Merged", "closed_years", "merge_year", "vacuum"]
