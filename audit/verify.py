"""Walking the chain: the per-line loop of :meth:`audit.Logboek.verify`, also run in parallel.

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

from dataclasses import dataclass, field
from typing import Any

from .chain import HASHED_COLUMNS, ChainKey

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
