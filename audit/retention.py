"""Destroying old lines at the end of their term without breaking verification.

Lines go only as a prefix of the chain, and only up to a signed checkpoint: first a *retention
floor* is written — "lines up to ``floor_seq`` (whose hash is ``line_hash``, vouched for by the
checkpoint with ``checkpoint_mac``) were destroyed at ``destroyed_at``", signed with the chain
key — then the lines up to it are deleted, in batches (the append-only trigger lets a delete
through only at or below the floor, migration 0010). :func:`audit.verify.verify_chain` starts
from the newest genuine floor: the first remaining line must name the floor's hash. On
PostgreSQL whole partitions (months, merged years) below the floor are dropped instead
(audit/partitions.py). Someone without the chain key cannot write a floor, so lines deleted
behind the application's back still show as missing. Which lines may go (their term, the data they are about) the caller decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from . import partitions, schema
from .chain import ChainKey
from .records import Checkpoint, LogboekError


@dataclass(frozen=True)
class RetentionFloor:
    floor_seq: int
    line_hash: str
    checkpoint_mac: str
    destroyed_at: dt.datetime
    mac: str

    def genuine(self, chain: ChainKey) -> bool:
        return self.mac == chain.retention_mac(
            self.floor_seq, self.line_hash, self.checkpoint_mac, self.destroyed_at
        )


def _floor_from_row(row: Any) -> RetentionFloor:
    at = row.destroyed_at
    if isinstance(at, dt.datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return RetentionFloor(int(row.floor_seq), row.line_hash, row.checkpoint_mac, at, row.mac)


def current_floor(conn: Connection) -> RetentionFloor | None:
    """The newest retention floor (the highest), genuine or not: verify checks it."""
    t = schema.retention
    row = conn.execute(select(t).order_by(t.c.floor_seq.desc(), t.c.id.desc()).limit(1)).first()
    return _floor_from_row(row) if row is not None else None


def write_floor(
    conn: Connection, chain: ChainKey, checkpoint: Checkpoint, now: dt.datetime
) -> RetentionFloor:
    """Sign and store the floor at ``checkpoint`` (in the caller's transaction)."""
    existing = current_floor(conn)
    if existing is not None and existing.floor_seq >= checkpoint.seq:
        raise LogboekError(f"regels tot en met {existing.floor_seq} zijn al vernietigd")
    mac = chain.retention_mac(checkpoint.seq, checkpoint.line_hash, checkpoint.mac, now)
    floor = RetentionFloor(checkpoint.seq, checkpoint.line_hash, checkpoint.mac, now, mac)
    conn.execute(
        insert(schema.retention).values(
            floor_seq=floor.floor_seq,
            line_hash=floor.line_hash,
            checkpoint_mac=floor.checkpoint_mac,
            destroyed_at=floor.destroyed_at,
            mac=floor.mac,
        )
    )
    return floor


def delete_below(conn: Connection, floor_seq: int, *, batch_size: int) -> int:
    """Delete up to ``batch_size`` of the remaining lines at or below ``floor_seq`` (oldest
    first); returns how many went. Call again until it returns 0 (each call may commit).

    On PostgreSQL with partitions (months, merged years: :mod:`audit.partitions`), one whose lines
    all lie at or below the floor is detached and dropped whole (one per call, however many
    lines it holds); lines in a partition only partly below the floor go row by row."""
    if partitions.is_partitioned(conn):
        whole = partitions.droppable(conn, floor_seq)
        if whole:
            return partitions.drop_partition(conn, whole[0].name, floor_seq)
    line = schema.log_line
    upto = conn.execute(
        select(func.max(line.c.seq)).where(
            line.c.seq.in_(
                select(line.c.seq)
                .where(line.c.seq <= floor_seq)
                .order_by(line.c.seq)
                .limit(batch_size)
            )
        )
    ).scalar()
    if upto is None:
        return 0
    result = conn.execute(delete(line).where(line.c.seq <= upto))
    return int(result.rowcount or 0)
