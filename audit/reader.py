"""Reading the logboek: pages of lines, newest first, by any :class:`~audit.LineFilter`.

Every query joins the line to the register version it points at, so a line comes back with the
purpose and legal basis it was written under. Pages use keyset pagination on ``seq``: with the
indexes on (subject, seq), (trace), (processing activity, seq) and (actor, seq) a page costs the
same at line 10 and at line 10 million.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, and_, false, or_, select
from sqlalchemy.sql import Select

from . import schema
from .records import Checkpoint, LineFilter, LinePage, LogLine, line_from_mapping


def _select() -> Select[Any]:
    ll = schema.log_line
    v = schema.processing_activity_version
    return select(
        ll,
        v.c.name.label("pa_name"),
        v.c.version.label("pa_version"),
        v.c.purpose,
        v.c.legal_basis,
        v.c.legal_reference,
    ).join(v, v.c.id == ll.c.processing_activity_version_id)


def page(
    conn: Connection,
    filters: LineFilter | None = None,
    *,
    limit: int = 50,
    before_seq: int | None = None,
) -> LinePage:
    """Newest first: at most ``limit`` lines older than ``before_seq``, and the next cursor."""
    if limit < 1:
        raise ValueError("limit must be positive")
    ll = schema.log_line
    stmt = _select().where(and_(True, *filter_clauses(filters or LineFilter())))
    if before_seq is not None:
        stmt = stmt.where(ll.c.seq < before_seq)
    stmt = stmt.order_by(ll.c.seq.desc()).limit(limit + 1)
    lines = [line_from_mapping(row._mapping) for row in conn.execute(stmt)]
    more = len(lines) > limit
    lines = lines[:limit]
    return LinePage(lines, lines[-1].seq if more else None)


def line(conn: Connection, seq: int) -> LogLine | None:
    row = conn.execute(_select().where(schema.log_line.c.seq == seq)).first()
    return line_from_mapping(row._mapping) if row else None


def lines_by_seq(conn: Connection, seqs: Iterable[int]) -> list[LogLine]:
    """The lines with these positions that exist, newest first."""
    wanted = sorted(set(seqs))
    if not wanted:
        return []
    ll = schema.log_line
    stmt = _select().where(ll.c.seq.in_(wanted)).order_by(ll.c.seq.desc())
    return [line_from_mapping(row._mapping) for row in conn.execute(stmt)]


def lines_after(
    conn: Connection, after_seq: int, *, pseudonym: str | None = None, limit: int = 100
) -> list[LogLine]:
    """Oldest first, for following the log live."""
    ll = schema.log_line
    stmt = _select().where(ll.c.seq > after_seq)
    if pseudonym is not None:
        stmt = stmt.where(ll.c.data_subject_id == pseudonym)
    stmt = stmt.order_by(ll.c.seq).limit(limit)
    return [line_from_mapping(row._mapping) for row in conn.execute(stmt)]


def scan(
    conn: Connection,
    filters: LineFilter | None,
    columns: Sequence[str],
    *,
    limit: int,
) -> list[Any]:
    """Only some columns of the newest ``limit`` matching lines (for aggregate views).

    Rows are named tuples with the columns as attributes; ``occurred_at`` is timezone-aware
    (UTC).
    """
    ll = schema.log_line
    stmt = (
        select(*[ll.c[c] for c in columns])
        .where(and_(True, *filter_clauses(filters or LineFilter())))
        .order_by(ll.c.seq.desc())
        .limit(limit)
    )
    result = conn.execute(stmt)
    make = _row_type(tuple(result.keys()))._make
    rows = [make(row) for row in result.all()]  # fetched at once, not a row per call
    if "occurred_at" in columns and conn.dialect.name != "postgresql":  # naive UTC on SQLite
        rows = [
            r._replace(occurred_at=r.occurred_at.replace(tzinfo=dt.UTC))
            if r.occurred_at is not None and r.occurred_at.tzinfo is None
            else r
            for r in rows
        ]
    return rows


@functools.lru_cache(maxsize=64)
def _row_type(columns: tuple[str, ...]) -> Any:
    """A tuple type with the columns as attributes: built in C and read in C (a SQLAlchemy
    row's attributes take five times as long to read, a namespace four times as long to build;
    the indicator job reads hundreds of thousands)."""
    return namedtuple("Regel", columns, rename=True)


def subjects(conn: Connection, filters: LineFilter) -> set[str]:
    """The pseudonyms the matching lines are about (each once; lines about no one left out)."""
    ll = schema.log_line
    stmt = (
        select(ll.c.data_subject_id)
        .where(and_(ll.c.data_subject_id.is_not(None), *filter_clauses(filters)))
        .distinct()
    )
    return {row[0] for row in conn.execute(stmt)}


def head_seq(conn: Connection) -> int:
    return int(conn.execute(select(schema.chain_head.c.seq)).scalar_one_or_none() or 0)


def latest_checkpoint(conn: Connection) -> Checkpoint | None:
    """The newest checkpoint written (None before the first)."""
    cp = schema.checkpoint
    row = conn.execute(
        select(cp.c.seq, cp.c.line_hash, cp.c.created_at, cp.c.prev_mac, cp.c.mac)
        .order_by(cp.c.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    created = row.created_at
    created = created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created
    return Checkpoint(row.seq, row.line_hash, created.astimezone(dt.UTC), row.prev_mac, row.mac)


def checkpoint_before(conn: Connection, moment: dt.datetime) -> Checkpoint | None:
    """The newest checkpoint written before ``moment``."""
    cp = schema.checkpoint
    row = conn.execute(
        select(cp.c.seq, cp.c.line_hash, cp.c.created_at, cp.c.prev_mac, cp.c.mac)
        .where(cp.c.created_at < moment)
        .order_by(cp.c.seq.desc(), cp.c.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    created = row.created_at
    created = created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created
    return Checkpoint(row.seq, row.line_hash, created.astimezone(dt.UTC), row.prev_mac, row.mac)


def iter_all(conn: Connection, *, batch_size: int = 10_000) -> Iterator[LogLine]:
    result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
        _select().order_by(schema.log_line.c.seq)
    )
    for row in result:
        yield line_from_mapping(row._mapping)


def filter_clauses(f: LineFilter) -> list[Any]:
    ll = schema.log_line
    clauses: list[Any] = []
    if f.data_subject_id is not None:
        clauses.append(ll.c.data_subject_id == f.data_subject_id)
    if f.data_subject_ids is not None:
        clauses.append(ll.c.data_subject_id.in_(f.data_subject_ids))
    if f.trace_id is not None:
        clauses.append(ll.c.trace_id == f.trace_id)
    if f.span_id is not None:
        clauses.append(ll.c.span_id == f.span_id)
    if f.parties is not None:
        clauses.append(
            or_(ll.c.sender.in_(f.parties), ll.c.recipient.in_(f.parties)) if f.parties else false()
        )
    if f.processing_activity_id:
        clauses.append(ll.c.processing_activity_id == f.processing_activity_id)
    if f.since is not None:
        clauses.append(ll.c.occurred_at >= f.since)
    if f.after_seq is not None:
        clauses.append(ll.c.seq > f.after_seq)
    if f.seqs is not None:
        clauses.append(ll.c.seq.in_(f.seqs))
    if f.through_seq is not None:
        clauses.append(ll.c.seq <= f.through_seq)
    if f.until is not None:
        clauses.append(ll.c.occurred_at < f.until)
    if f.actor_organisation:
        clauses.append(ll.c.actor_organisation == f.actor_organisation)
    if f.actor_id:
        clauses.append(ll.c.actor_id == f.actor_id)
    if f.kind:
        clauses.append(ll.c.kind == f.kind)
    if f.action:
        clauses.append(ll.c.action == f.action)
    if f.actions is not None:
        clauses.append(ll.c.action.in_(f.actions))
    if f.actor_type:
        clauses.append(ll.c.actor_type == f.actor_type)
    if f.object_type:
        clauses.append(ll.c.object_type == f.object_type)
    if f.object_id:
        clauses.append(ll.c.object_id == f.object_id)
    if f.emergency_only:
        clauses.append(ll.c.emergency.is_(True))
    if f.disclosed_on is not None:
        clauses.append(or_(ll.c.disclose_after.is_(None), ll.c.disclose_after <= f.disclosed_on))
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in f.hidden_objects:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in sorted(by_type.items()):
        clauses.append(
            or_(
                ll.c.object_type.is_(None),
                ll.c.object_id.is_(None),
                ll.c.object_type != object_type,
                ll.c.object_id.not_in(sorted(set(ids))),
            )
        )
    return clauses
