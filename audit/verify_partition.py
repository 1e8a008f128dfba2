"""Check one partition of the log on its own (PostgreSQL, :mod:`audit.partitions`):
``flask audit verify --partitie JJJJ-MM`` (or ``JJJJ``, a merged year). The walk itself, its ranges and workers are
:mod:`audit.verify`'s."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from .chain import GENESIS_HASH, ChainKey
from .records import Checkpoint, VerifyReport
from .verify import (
    LOCK_BEFORE_SNAPSHOT,
    anchor_findings,
    chain_state,
    earliest,
    join_ranges,
    match_anchor,
    scan,
    scan_parallel,
    workers_for,
)


def verify_partition(
    conn: Connection,
    chain_key: bytes,
    name: str,
    *,
    anchors: Iterable[Checkpoint] = (),
    workers: int | None = None,
    batch_size: int = 50_000,
    between: tuple[dt.datetime, dt.datetime] | None = None,
) -> VerifyReport:
    """Check one monthly partition on its own (PostgreSQL, :mod:`audit.partitions`); or a
    merged year's partition (:mod:`audit.year_partitions`), or, with ``between``, the lines of
    the partition that were written in that time (a month within its year).

    A month's lines are not always one contiguous run of ``seq`` at its edges (a request takes
    its time before it waits for the chain head), so the range from the partition's lowest to
    its highest ``seq`` is checked wherever those lines live, plus one line on either side:
    the predecessor of the first (its own hash; the first line must name it — or the retention
    floor's hash), and the successor of the last (it must name the last line's hash, so lines
    cut off the month's end show). Then every signed checkpoint and anchor in the range must be
    genuine, follow the checkpoint before it, and match its line; and the head, if it lies in
    the range. What lies outside the range is left to the full ``verify``. ``workers``
    processes check parts of the range side by side, as for the whole chain (the range ends at
    the head read in this snapshot, and lines up to the head never change, so the workers' own
    snapshots do not matter).
    """
    started = time.perf_counter()
    chain = ChainKey(chain_key)
    anchors = list(anchors)
    dbapi: Any = conn.connection.dbapi_connection
    own_snapshot = not conn.in_transaction()
    if own_snapshot:
        cur = dbapi.cursor()
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute(LOCK_BEFORE_SNAPSHOT)
        cur.close()
    url = conn.engine.url.render_as_string(hide_password=False)
    try:
        return _check_partition(
            dbapi, chain, chain_key, url, name, anchors, workers, batch_size, started, between
        )
    finally:
        if own_snapshot:
            dbapi.rollback()


def _check_partition(
    dbapi: Any,
    chain: ChainKey,
    chain_key: bytes,
    url: str,
    name: str,
    anchors: list[Checkpoint],
    workers: int | None,
    batch_size: int,
    started: float,
    between: tuple[dt.datetime, dt.datetime] | None,
) -> VerifyReport:
    checked = 0
    n_checkpoints = 0
    slow = 0

    def report(seq: int | None, problem: str | None) -> VerifyReport:
        return VerifyReport(
            ok=problem is None,
            lines_checked=checked,
            checkpoints_checked=n_checkpoints,
            anchors_checked=len(in_range_anchors) if problem is None else 0,
            seconds=time.perf_counter() - started,
            first_broken_seq=seq,
            problem=problem,
            slow_lines=slow,
        )

    in_range_anchors: list[Checkpoint] = []
    cur = dbapi.cursor()
    if between is None:
        cur.execute(f"SELECT min(seq), max(seq) FROM {name}")  # noqa: S608
    else:
        cur.execute(
            f"SELECT min(seq), max(seq) FROM {name} "  # noqa: S608
            "WHERE occurred_at >= %s AND occurred_at < %s",
            between,
        )
    lo, hi = cur.fetchone()
    cur.close()
    head, checkpoints, floor = chain_state(dbapi)
    floor_seq, floor_hash = 0, GENESIS_HASH
    if floor is not None:
        if not floor.genuine(chain):
            return report(1, f"de vernietigingsgrens bij regel {floor.floor_seq} is niet echt")
        floor_seq, floor_hash = floor.floor_seq, floor.line_hash
    if lo is None or hi <= floor_seq:
        return report(None, None)  # empty, or only lines already past their term
    start = max(int(lo), floor_seq + 1)
    head_seq = int(head[0]) if head else 0
    end = int(hi) + 1 if head_seq > hi else int(hi)
    in_range = [cp for cp in checkpoints if start <= cp.seq <= hi]
    in_range_anchors = [a for a in anchors if start <= a.seq <= hi]
    wanted = {cp.seq for cp in in_range + in_range_anchors} | {head_seq}
    first = start - 1 if start - 1 > floor_seq else start
    workers = workers_for(workers, True, end - first + 1)
    if workers > 1:
        ranges = scan_parallel(chain_key, url, end, workers, wanted, batch_size, start=first)
    else:
        ranges = [
            scan(
                dbapi,
                True,
                chain,
                lo=first,
                hi=end,
                prev=None,
                wanted=wanted,
                batch_size=batch_size,
            )
        ]
    # The first line must name the retention floor's hash when it is the first line kept.
    joined = join_ranges(ranges, first, floor_hash if first == floor_seq + 1 else None)
    checked, slow = joined.checked, joined.slow_lines
    if joined.problem is not None:
        return report(*joined.problem)
    if joined.next_seq != end + 1:
        return report(joined.next_seq, f"regel {joined.next_seq} ontbreekt (verwijderd?)")
    hashes_at = joined.hashes_at

    findings: list[tuple[int | None, str]] = []
    macs = [None] + [cp.mac for cp in checkpoints]
    for i, cp in enumerate(checkpoints):
        if not start <= cp.seq <= hi:
            continue
        n_checkpoints += 1
        if cp.mac != chain.checkpoint_mac(cp.seq, cp.line_hash, cp.created_at, cp.prev_mac):
            findings.append((cp.seq, f"het controlepunt bij regel {cp.seq} is niet echt"))
        elif cp.prev_mac is not None and cp.prev_mac != macs[i]:
            findings.append(
                (cp.seq, f"een controlepunt vóór het controlepunt bij regel {cp.seq} ontbreekt")
            )
        else:
            findings.extend(match_anchor(cp, end, hashes_at, "het controlepunt"))
    findings.extend(anchor_findings(chain, in_range_anchors, end, hashes_at, above=floor_seq))
    if head is not None and start <= head_seq <= hi:
        _seq, head_hash, head_mac, head_cp = head
        if head_mac != chain.head_mac(head_seq, head_hash, head_cp):
            findings.append((head_seq, "de kop van het logboek is niet echt"))
        elif hashes_at.get(head_seq) != head_hash:
            findings.append((head_seq, "de laatste regel past niet bij de kop van het logboek"))
    return report(*earliest(findings))
