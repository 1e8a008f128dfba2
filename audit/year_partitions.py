"""Closed years of the logboek in one partition each (PostgreSQL): ``flask audit partities
--jaren``.

A citizen's newest lines are found through every partition's ``(data_subject_id, seq)`` index
(the partition key is ``occurred_at``, so nothing is pruned): each partition costs one descent of
its index, and in a big log most of those read a page from disk. Seven years of months are 84
descents; seven years and this year's months about 20. So once a year has ended (and a month
has passed, for requests that began on its last evening), its monthly partitions are merged
into one partition for the year (``audit_log_line_p2025``), with the same keys, indexes and
append-only triggers.

How, in one transaction, so that a reader sees either the months or the year, never neither:

1. The year's months are locked against writes (``SHARE``: reads go on; an append to a closed
   month, which only a clock far off could cause, waits).
2. A new table gets their lines (in ``seq`` order), then the parent's keys and indexes (read
   from the catalogue, so a later migration's index comes along), a ``CHECK`` of its range (so
   that attaching it does not scan it again) and its own ``TRUNCATE`` trigger.
3. Only then the whole log is locked for a moment (``ACCESS EXCLUSIVE``, at most
   :data:`audit.partitions.LOCK_TIMEOUT`; busy: nothing changes and the next run tries again):
   the months are detached and dropped, the year attached (PostgreSQL clones the row triggers
   and adopts the keys and indexes), the ``CHECK`` dropped.

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
    busy_means,
    partition_names,
    truncate_trigger_ddl,
    year_partition_name,
)

_MONTH = re.compile(r"^audit_log_line_p(\d{4})_(\d{2})$")
_BOUND = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")

# A year is merged once this long has passed after it ended (requests that began on its last
# evening write lines dated in it).
AFTER_YEAR_END = dt.timedelta(days=31)


@dataclass(frozen=True)
class Merged:
    year: int
    name: str
    months: int  # monthly partitions merged
    lines: int
    seconds: float


def bounds(conn: Connection, name: str) -> tuple[dt.datetime, dt.datetime]:
    """A range partition's bounds, as UTC datetimes (read from the catalogue in UTC)."""
    conn.execute(text("SET LOCAL TimeZone = 'UTC'"))
    expr = conn.execute(
        text("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = :n"), {"n": name}
    ).scalar_one()
    m = _BOUND.search(expr or "")
    if m is None:
        raise PartitionError(f"{name} heeft geen begin en einde ({expr})")
    return (
        dt.datetime.fromisoformat(m.group(1)).astimezone(dt.UTC),
        dt.datetime.fromisoformat(m.group(2)).astimezone(dt.UTC),
    )


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
    Returns what was merged, or None when the year has no monthly partitions left."""
    started = dt.datetime.now(dt.UTC)
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
            raise PartitionError(
                f"de maanden van {year} sluiten niet op elkaar aan ({hi.isoformat()} – "
                f"{lo.isoformat()}): regels daartussen staan in DEFAULT; voeg dit jaar niet "
                "samen"
            )
    lo, hi = ranges[0][0], ranges[-1][1]
    busy = (
        f"{year} is niet samengevoegd: het logboek was bezet (langer dan "
        f"{partitions.LOCK_TIMEOUT}, bijvoorbeeld door een back-up of verify); de volgende run "
        "probeert het opnieuw"
    )
    conn.execute(text(f"SET LOCAL lock_timeout = '{partitions.LOCK_TIMEOUT}'"))
    with busy_means(busy):
        # Parent first, as every reader and writer takes it; then the months against writes.
        conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS SHARE MODE"))
        for m in months:
            conn.execute(text(f"LOCK TABLE {m} IN SHARE MODE"))
    conn.execute(
        text(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    )
    lines = 0
    for m in months:
        inserted = conn.execute(
            text(f"INSERT INTO {name} SELECT * FROM {m} ORDER BY seq")  # noqa: S608
        )
        lines += int(inserted.rowcount or 0)
    for ddl in [*_index_ddl(conn, name), *_foreign_key_ddl(conn, name)]:
        conn.execute(text(ddl))
    conn.execute(
        text(
            f"ALTER TABLE {name} ADD CONSTRAINT {name}_bereik CHECK (occurred_at IS NOT NULL "
            f"AND occurred_at >= '{lo.isoformat()}' AND occurred_at < '{hi.isoformat()}')"
        )
    )
    conn.execute(text(truncate_trigger_ddl(name)))
    with busy_means(busy):
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
    return Merged(year, name, len(months), lines, seconds)


def vacuum(conn: Connection, name: str) -> None:
    """After the merge's commit: VACUUM the year (its visibility map lets the covering indexes
    answer alone, see migration 0031) and ANALYZE it. ``conn`` must be in autocommit mode."""
    conn.execute(text(f"VACUUM (ANALYZE) {name}"))


__all__ = ["AFTER_YEAR_END", "Merged", "bounds", "closed_years", "merge_year", "vacuum"]
