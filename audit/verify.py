"""Walking the chain: the per-line loop of :meth:`audit.Logboek.verify`, also run in parallel.

Every line carries its predecessor's hash, so each line's own hash can be checked on its own;
only the links between consecutive lines need order. A long log is therefore cut into ranges of
``seq`` that worker processes check side by side (each on its own database connection); the
caller stitches the ranges together by checking the links at their edges.

The loop reads through the driver's own cursor (server-side on PostgreSQL): at tens of millions
of lines SQLAlchemy's per-row work would dominate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .chain import HASHED_COLUMNS, ChainKey, timestamp_text

_I_OCC = HASHED_COLUMNS.index("occurred_at")
_I_EMG = HASHED_COLUMNS.index("emergency")
_I_DIS = HASHED_COLUMNS.index("disclose_after")
_I_PREV = HASHED_COLUMNS.index("prev_hash")
_I_PAV = HASHED_COLUMNS.index("processing_activity_version_id")
# Every other hashed column is text (checked by a test against the schema), so the loop below
# only converts these: the same bytes as audit.chain.canonical, with less work per line.
NON_TEXT = (0, _I_PAV, _I_OCC, _I_EMG, _I_DIS)

_COLUMNS = ", ".join(HASHED_COLUMNS)


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
    sql = f"SELECT {_COLUMNS}, line_hash FROM audit_log_line WHERE {where} ORDER BY seq"  # noqa: S608
    if postgres:
        cur = dbapi.cursor(name=f"audit_verify_{lo}")
        cur.itersize = batch_size
    else:
        cur = dbapi.cursor()
        cur.arraysize = batch_size
    result = RangeResult(lo=lo)
    mac = chain.mac
    encode = json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":"), check_circular=False
    ).encode
    i_occ, i_emg, i_dis, i_prev, i_pav = _I_OCC, _I_EMG, _I_DIS, _I_PREV, _I_PAV
    expected = lo
    last_hash = prev
    count = 0
    try:
        cur.execute(sql, params)
        for row in cur:
            seq = row[0]
            if seq != expected:
                if seq > expected:
                    result.problem = (expected, f"regel {expected} ontbreekt (verwijderd?)")
                else:  # pragma: no cover - ORDER BY seq on a primary key
                    result.problem = (seq, f"regel {seq} staat niet op zijn plaats")
                break
            if count == 0:
                result.first_seq = seq
                result.first_prev = row[i_prev]
            if last_hash is not None and row[i_prev] != last_hash:
                result.problem = (seq, f"regel {seq} verwijst niet naar de vorige regel")
                break
            values = list(row)
            stored = values.pop()
            values[0] = str(seq)
            values[i_pav] = str(values[i_pav])
            values[i_occ] = timestamp_text(values[i_occ])
            values[i_emg] = "1" if values[i_emg] else "0"
            d = values[i_dis]
            if d is not None and not isinstance(d, str):
                values[i_dis] = d.isoformat()
            if mac(encode(values).encode()) != stored:
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
    if count:
        result.last_seq = expected - 1
        result.last_hash = last_hash
    return result


def scan_in_process(
    url: str, chain_key: bytes, lo: int, hi: int, wanted: set[int], batch_size: int
) -> RangeResult:
    """Entry point of a worker process: its own engine, its own connection."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

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
