"""Monthly partitions of the logboek on PostgreSQL (SQLite keeps one table); closed years are
merged into one partition each by :mod:`audit.year_partitions`.

On PostgreSQL ``audit_log_line`` is ``PARTITION BY RANGE (occurred_at)``: one partition per
calendar month in UTC (``audit_log_line_p2026_12``) and a DEFAULT partition
(``audit_log_line_default``) that catches whatever falls outside them, so that an append never
fails. ``flask audit partities`` creates the coming months ahead (from cron); the DEFAULT
partition should stay empty.

The primary key is ``(seq, occurred_at)``: a partitioned table's unique key must contain the
partition key. ``seq`` stays unique all the same: every append takes the next ``seq`` under
the lock on the chain head (``audit_chain_head``), so two lines never get the same one (and
``audit verify`` would report it).

Every partition keeps the append-only protection: the row triggers of the parent (UPDATE
refused; DELETE only at or below the retention floor) are cloned onto each partition by
PostgreSQL itself, but a statement trigger on the parent does not fire for a TRUNCATE of one
partition, so each partition gets its own ``…_no_truncate`` trigger here.

Retention (:mod:`audit.retention`) drops a whole partition (a month or a merged year) once all
its lines lie at or below the signed retention floor, instead of deleting them one by one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from .records import LogboekError

PARENT = "audit_log_line"
DEFAULT = f"{PARENT}_default"
# A month (audit_log_line_p2026_12), or a closed year merged into one (audit_log_line_p2025,
# audit/year_partitions.py).
_NAME = re.compile(r"^audit_log_line_p(\d{4})(?:_(\d{2}))?$")
_BOUND = re.compile(r"FROM \('([^']+)'\) TO \('([^']+)'\)")
PK_NAME = "pk_audit_log_line"
FK_NAME = "fk_audit_log_line_processing_activity_version_id_audit_processing_activity_version"


# How long creating or dropping a partition waits for its lock on the whole log.
LOCK_TIMEOUT = "5s"


def is_lock_timeout(exc: DBAPIError) -> bool:
    """Whether PostgreSQL gave up waiting for a lock (SQLSTATE 55P03, lock_not_available)."""
    return getattr(exc.orig, "sqlstate", None) == "55P03"


class PartitionError(LogboekError):
    """A partition cannot be created (e.g. its month already has lines in DEFAULT)."""


@contextmanager
def busy_means(message: str) -> Iterator[None]:
    """A lock not granted within ``lock_timeout`` becomes :class:`PartitionError` (``message``);
    any other database error passes."""
    try:
        yield
    except DBAPIError as exc:
        if not is_lock_timeout(exc):
            raise
        raise PartitionError(message) from None


@dataclass(frozen=True)
class Partition:
    name: str
    rows: int
    min_seq: int | None
    max_seq: int | None

    @property
    def label(self) -> str:
        """``2026-11`` (a month), ``2025`` (a merged year) or ``default``."""
        m = _NAME.match(self.name)
        if m is None:
            return "default"
        return m.group(1) if m.group(2) is None else f"{m.group(1)}-{m.group(2)}"


def is_partition_name(name: str | None) -> bool:
    """Whether ``name`` is one of the logboek's partitions (Alembic's comparison skips them:
    the models declare only the parent, see app/migrate.py)."""
    return name == DEFAULT or (name is not None and _NAME.match(name) is not None)


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic ``include_name`` hook: leave the partitions out of autogenerate and drift."""
    return not (type_ == "table" and is_partition_name(name))


def partition_name(year: int, month: int) -> str:
    return f"{PARENT}_p{year:04d}_{month:02d}"


def year_partition_name(year: int) -> str:
    """A closed year's partition, once its months are merged (audit/year_partitions.py)."""
    return f"{PARENT}_p{year:04d}"


def parse_month(value: str) -> tuple[int, int]:
    """``2026-11`` → (2026, 11)."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value.strip())
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise PartitionError(f"geen maand: {value!r} (verwacht JJJJ-MM, bv. 2026-11)")
    return int(m.group(1)), int(m.group(2))


def parse_period(value: str) -> tuple[int, int | None]:
    """``2026-11`` → (2026, 11); ``2025`` (a merged year) → (2025, None)."""
    if re.fullmatch(r"[0-9]{4}", value.strip()):
        return int(value.strip()), None
    try:
        return parse_month(value)
    except PartitionError:
        raise PartitionError(
            f"geen maand of jaar: {value!r} (verwacht JJJJ-MM, bv. 2026-11, of JJJJ)"
        ) from None


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def months(first: tuple[int, int], last: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """(year, month) from ``first`` through ``last``."""
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = add_months(year, month, 1)


def month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def is_partitioned(conn: Connection) -> bool:
    """Whether ``audit_log_line`` is a partitioned table (PostgreSQL after migration 0029)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
                "ON c.oid = p.partrelid WHERE c.relname = :t "
                "AND pg_table_is_visible(c.oid))"
            ),
            {"t": PARENT},
        ).scalar()
    )


def truncate_trigger_ddl(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()"
    )


def _month_ddl(year: int, month: int, lo: dt.datetime | None = None) -> list[str]:
    name = partition_name(year, month)
    lo = lo or month_start(year, month)
    hi = month_start(*add_months(year, month, 1))
    return [
        f"CREATE TABLE {name} PARTITION OF {PARENT} FOR VALUES FROM "
        f"('{lo.isoformat()}') TO ('{hi.isoformat()}')",
        truncate_trigger_ddl(name),
    ]


def bounds(conn: Connection, name: str) -> tuple[dt.datetime, dt.datetime]:
    """A range partition's bounds, as UTC datetimes (read from the catalogue in UTC)."""
    conn.execute(text("SET LOCAL TimeZone = 'UTC'"))
    conn.execute(text("SET LOCAL DateStyle = 'ISO'"))
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


def partition_names(conn: Connection) -> list[str]:
    """The partitions attached to ``audit_log_line`` (monthly ones oldest first, DEFAULT last)."""
    names = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = CAST(:t AS regclass)"
        ),
        {"t": PARENT},
    ).scalars()
    return sorted(names, key=lambda n: (n == DEFAULT, n))


def default_rows(conn: Connection, year: int | None = None, month: int | None = None) -> int:
    """Lines in the DEFAULT partition (in the given month only, when given)."""
    if DEFAULT not in partition_names(conn):
        return 0
    if year is None or month is None:
        return int(conn.execute(text(f"SELECT count(*) FROM {DEFAULT}")).scalar() or 0)  # noqa: S608
    lo = month_start(year, month)
    hi = month_start(*add_months(year, month, 1))
    return int(
        conn.execute(
            text(
                f"SELECT count(*) FROM {DEFAULT} "  # noqa: S608
                "WHERE occurred_at >= :lo AND occurred_at < :hi"
            ),
            {"lo": lo, "hi": hi},
        ).scalar()
        or 0
    )


def month_in_year(
    conn: Connection, year: int, month: int
) -> tuple[dt.datetime, dt.datetime] | None:
    """The part of the month that lies in its year's merged partition (None: none of it)."""
    name = year_partition_name(year)
    if name not in partition_names(conn):
        return None
    first, last = bounds(conn, name)
    lo = max(month_start(year, month), first)
    hi = min(month_start(*add_months(year, month, 1)), last)
    return (lo, hi) if lo < hi else None


def create_month(conn: Connection, year: int, month: int) -> dt.datetime | None:
    """Create the partition of one month (with its truncate trigger); returns where it begins,
    or None if it exists.

    When the DEFAULT partition already holds lines of that month (the scheduled command did not
    run in time), those lines stay where they are — the log is append-only, and DEFAULT is part
    of the chain like any partition — and the month's partition begins just after the newest of
    them, so that the rest of the month still gets its own partition.

    The parent is locked (ACCESS EXCLUSIVE, which the CREATE needs anyway) before DEFAULT is
    read, so no line slips into DEFAULT between the check and the CREATE, and the lock is taken
    once, parent first, as every reader and writer takes it (no upgrade that could deadlock
    with a request that read the log before appending to it). Requests wait for the moment it
    takes; the caller bounds that wait with ``lock_timeout`` (:func:`ensure_ahead`).
    """
    name = partition_name(year, month)
    lo = month_start(year, month)
    hi = month_start(*add_months(year, month, 1))
    if name in partition_names(conn) or month_in_year(conn, year, month) == (lo, hi):
        return None  # made, or wholly in its year's partition
    conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE"))
    if name in partition_names(conn):  # made by another run while we waited
        return None
    if default_rows(conn, year, month):
        newest = conn.execute(
            text(
                f"SELECT max(occurred_at) FROM {DEFAULT} "  # noqa: S608
                "WHERE occurred_at >= :lo AND occurred_at < :hi"
            ),
            {"lo": lo, "hi": hi},
        ).scalar()
        if newest is not None:
            lo = newest.astimezone(dt.UTC) + dt.timedelta(microseconds=1)
            if lo >= hi:
                raise PartitionError(
                    f"de DEFAULT-partitie ({DEFAULT}) bevat regels tot het einde van "
                    f"{year:04d}-{month:02d}: partitie {name} is niet nodig"
                )
    for ddl in _month_ddl(year, month, lo):
        conn.execute(text(ddl))
    return lo


def create_months(conn: Connection, first: tuple[int, int], last: tuple[int, int]) -> None:
    """Create the missing partitions of the months ``first`` through ``last`` (e.g. before
    loading a log whose lines span them)."""
    for year, month in months(first, last):
        create_month(conn, year, month)


def ensure_ahead(conn: Connection, now: dt.datetime, ahead: int = 3) -> tuple[list[str], list[str]]:
    """Create the missing partitions from ``now``'s month through ``ahead`` months after it
    (idempotent; call in a transaction). Returns the names created (a month whose first lines
    are in DEFAULT already says where its partition begins) and, for each month that could not
    be made, why: the others are made all the same."""
    now = now.astimezone(dt.UTC)
    created, problems = [], []
    # Creating a partition locks the whole log for a moment: never wait long for that lock (a
    # backup or a verify may hold the log for minutes, and every append would queue behind us).
    conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    for n in range(ahead + 1):
        year, month = add_months(now.year, now.month, n)
        try:
            with conn.begin_nested():  # a month that fails leaves the others made
                begins = create_month(conn, year, month)
        except PartitionError as exc:
            problems.append(str(exc))
            continue
        except DBAPIError as exc:
            if not is_lock_timeout(exc):
                raise
            problems.append(
                f"partitie {partition_name(year, month)}: het logboek was bezet (langer dan "
                f"{LOCK_TIMEOUT}, bijvoorbeeld door een back-up of verify); de volgende run "
                "probeert het opnieuw"
            )
            continue
        if begins is not None:
            name = partition_name(year, month)
            if begins != month_start(year, month):
                name += f" (vanaf {begins.isoformat()}; de regels van daarvoor blijven in DEFAULT)"
            created.append(name)
    return created, problems


def describe(conn: Connection) -> list[Partition]:
    """Every partition with its row count and seq range (counts read the partitions)."""
    out = []
    for name in partition_names(conn):
        rows, lo, hi = conn.execute(
            text(f"SELECT count(*), min(seq), max(seq) FROM {name}")  # noqa: S608
        ).one()
        out.append(Partition(name, int(rows), lo, hi))
    return out


def seq_range(conn: Connection, name: str) -> tuple[int | None, int | None, int]:
    lo, hi, rows = conn.execute(
        text(f"SELECT min(seq), max(seq), count(*) FROM {name}")  # noqa: S608
    ).one()
    return lo, hi, int(rows)


def droppable(conn: Connection, floor_seq: int) -> list[Partition]:
    """Monthly (or merged yearly) partitions whose lines all lie at or below ``floor_seq``
    (never DEFAULT)."""
    out = []
    for name in partition_names(conn):
        if _NAME.match(name) is None:
            continue
        hi = conn.execute(text(f"SELECT max(seq) FROM {name}")).scalar()  # noqa: S608
        if hi is None or hi > floor_seq:
            continue
        lo, _hi, rows = seq_range(conn, name)
        out.append(Partition(name, rows, lo, hi))
    return out


def drop_partition(conn: Connection, name: str, floor_seq: int) -> int:
    """Detach and drop one monthly (or yearly) partition whose lines all lie at or below ``floor_seq``;
    returns its number of lines. Checked again under an exclusive lock (no line can arrive
    between the check and the drop)."""
    if _NAME.match(name) is None:
        raise PartitionError(f"{name} is geen maand- of jaarpartitie van het logboek")
    # The parent first (as readers and writers take their locks: parent, then partition), and
    # never a long wait for it: a backup or a verify may hold the log for minutes, and every
    # append would queue behind this lock. Busy: the next run goes on from the signed floor.
    conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    with busy_means(
        f"partitie {name} kon niet worden verwijderd: het logboek was bezet (langer dan "
        f"{LOCK_TIMEOUT}); de volgende run gaat verder vanaf de vernietigingsgrens"
    ):
        conn.execute(text(f"LOCK TABLE {PARENT} IN ACCESS EXCLUSIVE MODE"))
    _lo, hi, rows = seq_range(conn, name)
    if hi is not None and hi > floor_seq:
        raise PartitionError(f"{name} bevat regels boven de vernietigingsgrens {floor_seq}")
    conn.execute(text(f"ALTER TABLE {PARENT} DETACH PARTITION {name}"))
    conn.execute(text(f"DROP TABLE {name}"))
    return rows


# -- migration 0029 ---------------------------------------------------------------------------

_INDEXES = (
    ("ix_audit_log_line_subject_seq", "data_subject_id, seq"),
    ("ix_audit_log_line_trace", "trace_id"),
    ("ix_audit_log_line_activity_seq", "processing_activity_id, seq"),
    ("ix_audit_log_line_actor_seq", "actor_id, seq"),
    ("ix_audit_log_line_occurred_at", "occurred_at"),
)
_ROW_TRIGGERS = (
    f"CREATE TRIGGER audit_log_line_no_update_delete BEFORE UPDATE ON {PARENT} "
    "FOR EACH ROW EXECUTE FUNCTION audit_reject_change()",
    f"CREATE TRIGGER audit_log_line_no_delete BEFORE DELETE ON {PARENT} "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_line_delete_guard()",
    truncate_trigger_ddl(PARENT),
)


def _finish_table(conn: Connection, pk: str) -> None:
    conn.execute(text(f"ALTER TABLE {PARENT} ADD CONSTRAINT {PK_NAME} PRIMARY KEY ({pk})"))
    conn.execute(
        text(
            f"ALTER TABLE {PARENT} ADD CONSTRAINT {FK_NAME} FOREIGN KEY "
            "(processing_activity_version_id) REFERENCES audit_processing_activity_version (id)"
        )
    )
    for name, cols in _INDEXES:
        conn.execute(text(f"CREATE INDEX {name} ON {PARENT} ({cols})"))
    for ddl in _ROW_TRIGGERS:
        conn.execute(text(ddl))


def partition_table(conn: Connection, now: dt.datetime, ahead: int = 3) -> None:
    """Turn the plain ``audit_log_line`` into the partitioned one, keeping every line: a new
    parent, one partition per month from the oldest line's month to ``ahead`` months after
    ``now``, DEFAULT, the lines copied, the old table dropped, the new one renamed and given
    the same keys, indexes and triggers (migration 0029)."""
    if is_partitioned(conn):
        return
    new = f"{PARENT}_new"
    conn.execute(
        text(
            f"CREATE TABLE {new} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY RANGE (occurred_at)"
        )
    )
    oldest = conn.execute(text(f"SELECT min(occurred_at) FROM {PARENT}")).scalar()  # noqa: S608
    now = now.astimezone(dt.UTC)
    first = oldest.astimezone(dt.UTC) if oldest is not None else now
    first = min(first, now)
    names = [DEFAULT]
    for year, month in months((first.year, first.month), add_months(now.year, now.month, ahead)):
        lo = month_start(year, month)
        hi = month_start(*add_months(year, month, 1))
        name = partition_name(year, month)
        conn.execute(
            text(
                f"CREATE TABLE {name} PARTITION OF {new} FOR VALUES FROM "
                f"('{lo.isoformat()}') TO ('{hi.isoformat()}')"
            )
        )
        names.append(name)
    conn.execute(text(f"CREATE TABLE {DEFAULT} PARTITION OF {new} DEFAULT"))
    conn.execute(text(f"INSERT INTO {new} SELECT * FROM {PARENT}"))  # noqa: S608
    conn.execute(text(f"DROP TABLE {PARENT}"))
    conn.execute(text(f"ALTER TABLE {new} RENAME TO {PARENT}"))
    _finish_table(conn, "seq, occurred_at")
    for name in names:
        conn.execute(text(truncate_trigger_ddl(name)))
    conn.execute(text(f"ANALYZE {PARENT}"))


def unpartition_table(conn: Connection) -> None:
    """The way back (downgrade of 0029): one plain table with every line still there."""
    if not is_partitioned(conn):
        return
    old = f"{PARENT}_old"
    conn.execute(text(f"ALTER TABLE {PARENT} RENAME TO {old}"))
    for name, _cols in _INDEXES:
        conn.execute(text(f"ALTER INDEX {name} RENAME TO {name}_old"))
    conn.execute(text(f"ALTER TABLE {old} RENAME CONSTRAINT {PK_NAME} TO {PK_NAME}_old"))
    conn.execute(
        text(f"CREATE TABLE {PARENT} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    )
    conn.execute(text(f"INSERT INTO {PARENT} SELECT * FROM {old}"))  # noqa: S608
    conn.execute(text(f"DROP TABLE {old} CASCADE"))
    _finish_table(conn, "seq")
