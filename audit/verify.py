"""Verifying the chain: :meth:`audit.Logboek.verify`, the per-line loop, also run in parallel.

:func:`verify_chain` reads the head, the checkpoints and the lines in one snapshot and reports
the first line that cannot be trusted (a gap, a broken link, changed content, a head or a
checkpoint that does not match, a lost external anchor).

Every line carries its predecessor's hash, so each line's own hash can be checked on its own;
only the links between consecutive lines need order. A long log is therefore cut into ranges of
``seq`` that worker processes check side by side (each on its own database connection); the
caller stitches the ranges together by checking the links at their edges.

The database builds each line's canonical form (its JSON array function, see
``_canonical_sql``), so Python is left with one HMAC per line; the loop reads through the
driver's own cursor (server-side on PostgreSQL): at tens of millions of lines SQLAlchemy's
per-row work would dominate.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from .chain import GENESIS_HASH, HASHED_COLUMNS, ChainKey
from .records import Checkpoint, VerifyReport
from .retention import RetentionFloor

# From this many lines on, verify() checks ranges in worker processes (when it can: a database
# file or server, more than one CPU).
PARALLEL_FROM = 500_000

# Every other hashed column is text (checked by a test against the schema), so the SQL below
# only converts these: the same bytes as audit.chain.canonical.
NON_TEXT = tuple(
    HASHED_COLUMNS.index(name)
    for name in (
        "seq",
        "processing_activity_version_id",
        "occurred_at",
        "emergency",
        "disclose_after",
    )
)

_COLUMNS = ", ".join(HASHED_COLUMNS)

# PostgreSQL: the first statement of a verify's snapshot transaction. The snapshot is taken by
# the first statement that needs one, before that statement waits for its locks; a verify that
# began while a partition was being swapped (a year merged, audit/year_partitions.py; a month
# dropped by retention) would wait for the swap and then read the new partition with the older
# snapshot — seeing neither the old lines nor the new, a false "regel … ontbreekt". LOCK takes
# no snapshot: it waits for the swap first, and holds it off while the verify reads.
LOCK_BEFORE_SNAPSHOT = "LOCK TABLE audit_log_line IN ACCESS SHARE MODE"


def _canonical_sql(postgres: bool) -> str:
    """SQL that builds a line's canonical form (audit.chain.canonical) in the database.

    The database's own JSON array function writes the same compact JSON as Python's encoder
    (same escapes, UTF-8 as is); the few non-text columns are turned into the same text. The
    Python side is then left with one HMAC per line. Where the two ever differ, ``scan`` checks
    that line again the Python way: a difference can cost time, never a false alarm.
    """
    out = []
    for name in HASHED_COLUMNS:
        if name == "seq" or name == "processing_activity_version_id":
            out.append(f"CAST({name} AS TEXT)")
        elif name == "occurred_at":
            out.append(
                "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                if postgres
                else "replace(occurred_at, ' ', 'T') || 'Z'"
            )
        elif name == "emergency":
            out.append("CASE WHEN emergency THEN '1' ELSE '0' END")
        elif name == "disclose_after" and postgres:
            out.append("to_char(disclose_after, 'YYYY-MM-DD')")
        else:
            out.append(name)
    if postgres:
        return f"array_to_json(ARRAY[{', '.join(out)}])::text"
    return f"json_array({', '.join(out)})"


@dataclass
class RangeResult:
    lo: int
    first_seq: int | None = None
    first_prev: str | None = None
    last_seq: int | None = None
    last_hash: str | None = None
    count: int = 0
    problem: tuple[int, str] | None = None
    hashes_at: dict[int, str] = field(default_factory=dict)
    slow_lines: int = 0  # lines checked again the Python way


def _python_hash_matches(dbapi: Any, postgres: bool, chain: ChainKey, seq: int) -> bool:
    """Check one line the slow, all-Python way (see _canonical_sql)."""
    mark = "%s" if postgres else "?"
    cur = dbapi.cursor()
    try:
        cur.execute(
            f"SELECT {_COLUMNS}, line_hash FROM audit_log_line WHERE seq = {mark}",  # noqa: S608
            (seq,),
        )
        row = cur.fetchone()
    finally:
        cur.close()
    if row is None:  # pragma: no cover - it was just read
        return False
    values = list(row)
    stored = values.pop()
    return bool(chain.line_hash(values) == stored)


def scan(
    dbapi: Any,
    postgres: bool,
    chain: ChainKey,
    *,
    lo: int,
    hi: int | None,
    prev: str | None,
    wanted: set[int],
    batch_size: int = 50_000,
) -> RangeResult:
    """Check the lines with ``lo <= seq <= hi`` (``hi`` None: to the end).

    ``prev`` is the hash the first line must name (None: unknown here; reported back as
    ``first_prev`` for the caller to check). Stops at the first problem.
    """
    where = "seq >= %s" if hi is None else "seq >= %s AND seq <= %s"
    params: tuple[int, ...] = (lo,) if hi is None else (lo, hi)
    if not postgres:
        where = where.replace("%s", "?")
    sql = (
        f"SELECT seq, prev_hash, line_hash, {_canonical_sql(postgres)} "  # noqa: S608
        f"FROM audit_log_line WHERE {where} ORDER BY seq"
    )
    if postgres:
        cur = dbapi.cursor(name=f"audit_verify_{lo}")
        cur.itersize = batch_size
    else:
        cur = dbapi.cursor()
        cur.arraysize = batch_size
    result = RangeResult(lo=lo)
    mac = chain.mac
    expected = lo
    last_hash = prev
    count = 0
    recheck: list[int] = []
    try:
        cur.execute(sql, params)
        for seq, prev_hash, stored, canon in cur:
            if seq != expected:
                if seq > expected:
                    result.problem = (expected, f"regel {expected} ontbreekt (verwijderd?)")
                else:  # pragma: no cover - ORDER BY seq on a primary key
                    result.problem = (seq, f"regel {seq} staat niet op zijn plaats")
                break
            if count == 0:
                result.first_seq = seq
                result.first_prev = prev_hash
            if last_hash is not None and prev_hash != last_hash:
                result.problem = (seq, f"regel {seq} verwijst niet naar de vorige regel")
                break
            if mac(canon.encode()) != stored:
                recheck.append(seq)
                if len(recheck) > 1000 or not _python_hash_matches(dbapi, postgres, chain, seq):
                    result.problem = (seq, f"de inhoud van regel {seq} is gewijzigd")
                    break
            last_hash = stored
            if seq in wanted:
                result.hashes_at[seq] = stored
            expected += 1
            count += 1
    finally:
        cur.close()
    result.count = count
    result.slow_lines = len(recheck)
    if count:
        result.last_seq = expected - 1
        result.last_hash = last_hash
    return result


def scan_in_process(
    url: str, chain_key: bytes, lo: int, hi: int, wanted: set[int], batch_size: int
) -> RangeResult:
    """Entry point of a worker process: its own engine, its own connection."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            dbapi: Any = conn.connection.dbapi_connection
            postgres = conn.dialect.name == "postgresql"
            result = scan(
                dbapi,
                postgres,
                ChainKey(chain_key),
                lo=lo,
                hi=hi,
                prev=None,
                wanted=wanted,
                batch_size=batch_size,
            )
            dbapi.rollback()
            return result
    finally:
        engine.dispose()


def verify_chain(
    conn: Connection,
    chain_key: bytes,
    *,
    anchors: Iterable[Checkpoint] = (),
    workers: int | None = None,
    batch_size: int = 50_000,
) -> VerifyReport:
    """Walk the whole chain and report the first line that does not fit.

    Checks: that ``seq`` runs 1, 2, 3 … without gaps (after the retention floor, when lines
    were destroyed at the end of their term: see :mod:`audit.retention`); that every line names its
    predecessor's hash; that every line's content matches its hash; that the signed head
    names the last line; that the signed checkpoints form an unbroken chain whose newest
    link the head names, and that each matches the line it names; and that each external
    ``anchor`` (a checkpoint kept outside the database) still matches. When something does
    not fit, ``first_broken_seq`` is the first line that cannot be trusted.

    Head, checkpoints and the lines after the head are read in one snapshot. ``workers``
    processes check ranges of lines side by side (default from :data:`PARALLEL_FROM` lines
    on: two per CPU up to 8 on PostgreSQL, one per CPU up to 4 on SQLite; lines up to the
    head never change, so their own snapshots do not matter).
    """
    started = time.perf_counter()
    chain = ChainKey(chain_key)
    anchors = list(anchors)
    dbapi: Any = conn.connection.dbapi_connection
    postgres = conn.dialect.name == "postgresql"
    own_snapshot = not conn.in_transaction()
    if own_snapshot:
        # One consistent snapshot for lines, head and checkpoints, so that lines appended
        # while we read cannot look like lines added behind the head's back.
        cur = dbapi.cursor()
        if postgres:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute(LOCK_BEFORE_SNAPSHOT)
        else:
            cur.execute("BEGIN")
        cur.close()
    url = None
    if conn.engine.url.database not in (None, "", ":memory:"):
        url = conn.engine.url.render_as_string(hide_password=False)
    try:
        return _check(dbapi, postgres, chain, chain_key, url, anchors, workers, batch_size, started)
    finally:
        if own_snapshot:
            dbapi.rollback() if postgres else dbapi.execute("ROLLBACK")


def chain_state(dbapi: Any) -> tuple[Any, list[Checkpoint], RetentionFloor | None]:
    """The signed head row, every checkpoint (oldest first) and the newest retention floor,
    read in the caller's snapshot."""
    cur = dbapi.cursor()
    try:
        cur.execute("SELECT seq, line_hash, mac, checkpoint_mac FROM audit_chain_head WHERE id = 1")
        head = cur.fetchone()
        cur.execute(
            "SELECT seq, line_hash, created_at, prev_mac, mac FROM audit_checkpoint ORDER BY id"
        )
        checkpoints = [Checkpoint(*row) for row in cur.fetchall()]
        cur.execute(
            "SELECT floor_seq, line_hash, checkpoint_mac, destroyed_at, mac FROM audit_retention "
            "ORDER BY floor_seq DESC, id DESC LIMIT 1"
        )
        row = cur.fetchone()
    finally:
        cur.close()
    floor = RetentionFloor(int(row[0]), *row[1:]) if row is not None else None
    return head, checkpoints, floor


@dataclass
class _Joined:
    """Ranges checked apart (:func:`scan`), joined into one run of lines."""

    checked: int = 0
    hashes_at: dict[int, str] = field(default_factory=dict)
    next_seq: int = 0  # the line after the last one found
    last_hash: str | None = None
    problem: tuple[int, str] | None = None
    slow_lines: int = 0


def join_ranges(ranges: list[RangeResult], expected: int, prev: str | None) -> _Joined:
    """Join ranges that follow each other: each must start where the one before ended
    (``expected``) and name its last line's hash (``prev``; None: not checked for the first),
    and the first problem of any stops the walk."""
    joined = _Joined(next_seq=expected, last_hash=prev)
    joined.slow_lines = sum(r.slow_lines for r in ranges)
    for r in ranges:
        if r.first_seq is not None:
            if r.first_seq != joined.next_seq:
                missing = joined.next_seq
                joined.problem = (missing, f"regel {missing} ontbreekt (verwijderd?)")
                return joined
            if joined.last_hash is not None and r.first_prev != joined.last_hash:
                joined.problem = (
                    r.first_seq,
                    f"regel {r.first_seq} verwijst niet naar de vorige regel",
                )
                return joined
        joined.checked += r.count
        if r.problem is not None:
            seq, message = r.problem
            if r.first_seq is None and seq > joined.next_seq:  # earlier ranges came up empty
                seq, message = joined.next_seq, f"regel {joined.next_seq} ontbreekt (verwijderd?)"
            joined.problem = (seq, message)
            return joined
        if r.count == 0:
            continue
        joined.hashes_at.update(r.hashes_at)
        joined.last_hash = r.last_hash or joined.last_hash
        joined.next_seq = (r.last_seq or 0) + 1
    return joined


def workers_for(workers: int | None, postgres: bool, lines: int) -> int:
    """How many processes check ``lines`` lines (see :func:`verify_chain`)."""
    if workers is not None:
        return workers
    if lines < PARALLEL_FROM:
        return 1
    cpus = os.cpu_count() or 1
    # On PostgreSQL each worker has a server process building its lines' JSON: two per CPU
    # keep both sides busy. SQLite works inside the worker: one per CPU.
    return min(2 * cpus, 8) if postgres else min(cpus, 4)


def _check(
    dbapi: Any,
    postgres: bool,
    chain: ChainKey,
    chain_key: bytes,
    url: str | None,
    anchors: list[Checkpoint],
    workers: int | None,
    batch_size: int,
    started: float,
) -> VerifyReport:
    checked = 0
    n_checkpoints = 0
    slow = 0

    def report(seq: int | None, problem: str | None) -> VerifyReport:
        return VerifyReport(
            ok=problem is None,
            lines_checked=checked,
            checkpoints_checked=n_checkpoints,
            anchors_checked=len(anchors) if problem is None else 0,
            seconds=time.perf_counter() - started,
            first_broken_seq=seq,
            problem=problem,
            slow_lines=slow,
        )

    cur = dbapi.cursor()
    cur.execute("SELECT min(seq) FROM audit_log_line")
    lowest = cur.fetchone()[0]
    cur.close()
    head, checkpoints, floor = chain_state(dbapi)
    # Lines destroyed at the end of their term (audit/retention.py): the chain starts after
    # the newest retention floor, which must be genuine and rest on a genuine checkpoint.
    floor_seq, floor_hash = 0, GENESIS_HASH
    if floor is not None:
        if not floor.genuine(chain):
            return report(1, f"de vernietigingsgrens bij regel {floor.floor_seq} is niet echt")
        if not any(
            cp.seq == floor.floor_seq
            and cp.line_hash == floor.line_hash
            and cp.mac == floor.checkpoint_mac
            for cp in checkpoints
        ):
            return report(
                1, f"de vernietigingsgrens bij regel {floor.floor_seq} heeft geen controlepunt"
            )
        floor_seq, floor_hash = floor.floor_seq, floor.line_hash
    wanted = {cp.seq for cp in checkpoints if cp.seq > floor_seq} | {
        a.seq for a in anchors if a.seq > floor_seq
    }
    if lowest is not None and lowest < 1:
        return report(lowest, f"regel {lowest} staat niet op zijn plaats")

    head_seq_now = int(head[0]) if head else 0
    workers = workers_for(workers, postgres, head_seq_now - floor_seq)
    ranges: list[RangeResult] = []
    if workers > 1 and url is not None and head_seq_now > floor_seq + 1:
        ranges = scan_parallel(
            chain_key, url, head_seq_now, workers, wanted, batch_size, start=floor_seq + 1
        )
        tail_from = head_seq_now + 1
    else:
        tail_from = floor_seq + 1
    # The rest (everything when not in parallel; else what lies beyond the head) here, in
    # this snapshot.
    ranges.append(scan(dbapi, postgres, chain, lo=tail_from, hi=None, prev=None, wanted=wanted))
    joined = join_ranges(ranges, floor_seq + 1, floor_hash)
    checked, slow = joined.checked, joined.slow_lines
    if joined.problem is not None:
        return report(*joined.problem)
    hashes_at = joined.hashes_at
    prev = joined.last_hash
    last_seq = joined.next_seq - 1

    if head is None:
        return report(None, "de kop van het logboek ontbreekt")
    head_seq, head_hash, head_mac, head_cp = head
    # Every finding names the first line it makes untrustworthy; the earliest one wins.
    findings: list[tuple[int | None, str]] = []
    fresh = head_seq == 0 and head_mac is None
    head_genuine = fresh or head_mac == chain.head_mac(head_seq, head_hash, head_cp)
    if head_seq > last_seq:
        findings.append(
            (last_seq + 1, f"regels {last_seq + 1} t/m {head_seq} ontbreken (afgekapt)")
        )
    elif head_seq < last_seq:
        findings.append(
            (
                head_seq + 1,
                f"regels na {head_seq} staan niet in de kop van het logboek (buiten de "
                "keten om toegevoegd, of de kop is teruggezet)",
            )
        )
    elif head_hash != prev and last_seq:
        findings.append((last_seq, "de laatste regel past niet bij de kop van het logboek"))

    # Checkpoints form their own chain (each names the MAC of the one before, the head names
    # the newest), so a deleted checkpoint shows. Checkpoints from before that chain existed
    # (migration 0003) have no predecessor; they may only come first.
    prev_mac: str | None = None
    prev_seq = 0
    chained = False
    for cp in checkpoints:
        n_checkpoints += 1
        mac_ok = cp.mac == chain.checkpoint_mac(cp.seq, cp.line_hash, cp.created_at, cp.prev_mac)
        if not mac_ok:
            findings.append((cp.seq, f"het controlepunt bij regel {cp.seq} is niet echt"))
            break
        if (
            cp.seq < prev_seq
            or (cp.prev_mac is None and chained)
            or (cp.prev_mac is not None and cp.prev_mac != prev_mac)
        ):
            findings.append(
                (
                    prev_seq + 1,
                    f"een controlepunt tussen regel {prev_seq} en regel {cp.seq} ontbreekt "
                    "of is verplaatst",
                )
            )
            break
        chained = chained or cp.prev_mac is not None
        if cp.seq > floor_seq:  # at or below the floor: its lines are gone (see above)
            findings.extend(match_anchor(cp, last_seq, hashes_at, "het controlepunt"))
        prev_mac, prev_seq = cp.mac, cp.seq
    else:
        if head_cp != prev_mac and (chained or head_cp is not None):
            findings.append(
                (
                    prev_seq + 1,
                    "de kop noemt een ander laatste controlepunt: een controlepunt na regel "
                    f"{prev_seq} is verwijderd, of de kop is teruggezet",
                )
            )
    if not head_genuine:
        # Without a genuine head, completeness is vouched for only up to the last checkpoint.
        findings.append(
            (
                prev_seq + 1,
                "de kop van het logboek is niet echt (handtekening klopt niet): regels na "
                f"het laatste controlepunt (regel {prev_seq}) kunnen ontbreken",
            )
        )
    findings.extend(anchor_findings(chain, anchors, last_seq, hashes_at, above=floor_seq))
    return report(*earliest(findings))


def scan_parallel(
    chain_key: bytes,
    url: str,
    upto: int,
    workers: int,
    wanted: set[int],
    batch_size: int,
    *,
    start: int = 1,
) -> list[RangeResult]:
    """Lines ``start`` … ``upto`` in ranges, checked by ``workers`` processes."""
    parts = workers * 4  # smaller pieces even out slow and fast workers
    size = -(-(upto - start + 1) // parts)
    bounds = [(lo, min(lo + size - 1, upto)) for lo in range(start, upto + 1, size)]
    context = multiprocessing.get_context("spawn")  # no inherited database connections
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(
                scan_in_process,
                url,
                chain_key,
                lo,
                hi,
                {s for s in wanted if lo <= s <= hi},
                batch_size,
            )
            for lo, hi in bounds
        ]
        return [f.result() for f in futures]


def anchor_findings(
    chain: ChainKey,
    anchors: Iterable[Checkpoint],
    last_seq: int,
    hashes_at: dict[int, str],
    *,
    above: int,
) -> list[tuple[int | None, str]]:
    """Each external anchor must be genuine and, when it names a line above ``above`` (the
    retention floor: lines at or below it are gone), match that line."""
    findings: list[tuple[int | None, str]] = []
    for anchor in anchors:
        if anchor.mac != chain.checkpoint_mac(
            anchor.seq, anchor.line_hash, anchor.created_at, anchor.prev_mac
        ):
            findings.append((None, f"het anker bij regel {anchor.seq} is niet echt"))
        elif anchor.seq > above:
            findings.extend(match_anchor(anchor, last_seq, hashes_at, "het anker"))
    return findings


def earliest(findings: list[tuple[int | None, str]]) -> tuple[int | None, str | None]:
    """The finding that names the first untrustworthy line (one naming no line comes last), or
    (None, None): all is well."""
    if not findings:
        return None, None
    return min(findings, key=lambda f: (f[0] is None, f[0] or 0))


def match_anchor(
    cp: Checkpoint, last_seq: int, hashes_at: dict[int, str], what: str
) -> list[tuple[int | None, str]]:
    if cp.seq > last_seq:
        return [
            (
                last_seq + 1,
                f"{what} bij regel {cp.seq} kent regels die ontbreken: "
                f"regels {last_seq + 1} t/m {cp.seq} zijn weg (afgekapt of teruggezet)",
            )
        ]
    if cp.seq and hashes_at.get(cp.seq) != cp.line_hash:
        return [(cp.seq, f"regels tot en met {cp.seq} wijken af van {what}")]
    return []
