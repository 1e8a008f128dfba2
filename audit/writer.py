"""Appending to the chain: lines, the signed head, checkpoints.

Everything runs in the caller's transaction on the caller's ``Connection``: a request's data
change and its log lines commit (or fail) together. The head row is the chain's lock: an append
first updates it (a write, so appends are serialised), then reads it.

The head's lock is held until the caller's transaction ends, and every append waits for it:
an append builds its rows before taking it, and after it runs only the numbering and hashing
and one more statement (see :meth:`ChainWriter.append`); the caller commits next.

Three ways in, by database and size: SQLite gets one executemany INSERT; PostgreSQL gets the
lines, the head and the live notification in one statement (one array parameter per column,
prepared once); from :data:`COPY_FROM` lines in one append (a bulk delivery) PostgreSQL gets
``COPY``, then the head.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from . import schema
from .chain import HASHED_COLUMNS, ChainKey
from .records import Checkpoint, Entry, LogboekError, LogLine, Subject, line_from_mapping
from .register import ProcessingActivityVersion, Register

CHECKPOINT_EVERY = 10_000
# From this many lines in one append, PostgreSQL gets them with COPY (a bulk delivery).
COPY_FROM = 1_000


# The statements every append runs, built once (building them per request costs more than
# running them).
_HEAD = schema.chain_head
_LOCK_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(updated_at=bindparam("now"))
    .returning(_HEAD.c.seq, _HEAD.c.line_hash, _HEAD.c.checkpoint_mac, _HEAD.c.register_generation)
)
_WRITE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(
        seq=bindparam("new_seq"),
        line_hash=bindparam("new_hash"),
        checkpoint_mac=bindparam("new_cp"),
        mac=bindparam("new_mac"),
        updated_at=bindparam("now"),
    )
)
_INSERT_LINES = insert(schema.log_line)


def _pg_append_sql() -> tuple[tuple[str, ...], str]:
    """PostgreSQL: insert the lines, move the head and queue the notification in one statement
    (one round trip), with one array parameter per column, so that the text never changes and is
    prepared once."""
    columns = tuple(c.name for c in schema.log_line.c)
    casts = {
        "seq": "bigint",
        "occurred_at": "timestamptz",
        "processing_activity_version_id": "integer",
        "emergency": "boolean",
        "disclose_after": "date",
    }
    arrays = ", ".join(f"%s::{casts.get(c, 'text')}[]" for c in columns)
    sql = (
        f"WITH new_lines AS (INSERT INTO audit_log_line ({', '.join(columns)}) "  # noqa: S608
        f"SELECT * FROM unnest({arrays})), "
        "new_head AS (UPDATE audit_chain_head SET seq = %s, line_hash = %s, checkpoint_mac = %s, "
        "mac = %s, updated_at = %s WHERE id = 1) "
        # The notification (delivered only when the transaction commits): no rows, no NOTIFY.
        "SELECT pg_notify(%s, x) FROM unnest(%s::text[]) AS x"
    )
    return columns, sql


_PG_COLUMNS, _PG_APPEND = _pg_append_sql()
_PG_NOTIFY = "SELECT pg_notify(%s, x) FROM unnest(%s::text[]) AS x"

# Given the new lines, the notification to queue with them on PostgreSQL: (channel, payloads),
# or None for none (see app.logboek.live).
Announce = Callable[[Sequence[LogLine]], tuple[str, list[str]] | None]


def _notify(conn: Connection, announce: Announce | None, lines: Sequence[LogLine]) -> None:
    if announce is None or conn.dialect.name != "postgresql":
        return
    found = announce(lines)
    if found and found[1]:
        conn.exec_driver_sql(_PG_NOTIFY, found)


class ChainWriter:
    """Appends entries and checkpoints to the chain (see :meth:`audit.Logboek.record`)."""

    def __init__(
        self,
        chain: ChainKey,
        register: Register,
        pseudonymise: Callable[[Subject], str],
        *,
        resource_name: str,
        resource_version: str,
    ) -> None:
        self._chain = chain
        self.register = register
        self._pseudonymise = pseudonymise
        self.resource_name = resource_name
        self.resource_version = resource_version
        self._version_cache: tuple[int | None, dict[str, ProcessingActivityVersion]] = (-1, {})

    def _versions(
        self, conn: Connection, keys: set[str], generation: int | None
    ) -> dict[str, ProcessingActivityVersion]:
        """The current register version of each key, cached while the register's generation is
        ``generation`` (every change of the register bumps ``register_generation`` in the head).
        """
        cached_generation, cache = self._version_cache
        if cached_generation != generation:
            cache = {}
        missing = keys - cache.keys()
        if missing:
            cache = dict(cache)
            for key in missing:
                version = self.register.current_version(conn, key)
                if version is None:
                    raise LogboekError(f"verwerkingsactiviteit {key!r} staat niet in het register")
                cache[key] = version
            self._version_cache = (generation, cache)
        return cache

    def _rows(
        self,
        entries: Sequence[Entry],
        versions: dict[str, ProcessingActivityVersion],
        now: dt.datetime,
    ) -> list[dict[str, Any]]:
        """The lines' rows without their place in the chain (``seq``, ``prev_hash``,
        ``line_hash``): everything that does not need the head, built before taking its lock."""
        rows: list[dict[str, Any]] = []
        for entry in entries:
            version = versions[entry.processing_activity]
            subjects: Iterable[Subject | None] = entry.subjects or (None,)
            categories = ",".join(sorted(set(entry.data_categories)))
            for subject in subjects:
                rows.append(
                    {
                        "seq": None,
                        "occurred_at": now,
                        "kind": entry.kind,
                        "action": entry.action,
                        "name": entry.name,
                        "status_code": entry.status_code,
                        "trace_id": entry.trace.trace_id,
                        "span_id": entry.trace.span_id,
                        "parent_span_id": entry.trace.parent_span_id,
                        "resource_name": self.resource_name,
                        "resource_version": self.resource_version,
                        "actor_type": entry.actor.type,
                        "actor_id": entry.actor.id,
                        "actor_name": entry.actor.name,
                        "actor_role": entry.actor.role,
                        "actor_organisation": entry.actor.organisation,
                        "actor_mandate": entry.actor.mandate,
                        "data_subject_id": self._pseudonymise(subject) if subject else None,
                        "data_subject_id_type": subject.id_type if subject else None,
                        "object_type": entry.object_type,
                        "object_id": entry.object_id,
                        "data_categories": categories,
                        "processing_activity_id": entry.processing_activity,
                        "processing_activity_version_id": version.id,
                        "reason": entry.reason,
                        "emergency": bool(entry.emergency),
                        "disclose_after": entry.disclose_after,
                        "deferral_reason": entry.deferral_reason,
                        "sender": entry.sender,
                        "recipient": entry.recipient,
                        "prev_hash": None,
                    }
                )
        return rows

    def append(
        self,
        conn: Connection,
        entries: Sequence[Entry],
        now: dt.datetime,
        *,
        announce: Announce | None = None,
    ) -> list[LogLine]:
        """Append the entries (one line per subject) as of ``now``; any failure raises.

        The head's lock is held from the head's UPDATE until the caller's transaction ends, and
        every append in the database waits for it: so all that does not need the head is done
        before taking it (the rows, their pseudonyms, the register versions), and after it only
        what does (numbering and hashing the lines, then one statement with the lines, the new
        head and, on PostgreSQL, the ``announce`` notification). The caller should commit next.
        """
        keys = {e.processing_activity for e in entries}
        # The register versions as of the cached generation (no round trip when cached); checked
        # against the generation the head gives under its lock below.
        generation = self._version_cache[0]
        versions = self._versions(conn, keys, generation)
        rows = self._rows(entries, versions, now)
        # Take the chain's lock (a write), then read the head: appends are serialised.
        found = conn.execute(_LOCK_HEAD, {"now": now}).one_or_none()
        if found is None:
            raise LogboekError("de kop van het logboek ontbreekt")
        seq, prev, checkpoint_mac, head_generation = found
        if head_generation != generation:  # the register changed: its versions, under the lock
            versions = self._versions(conn, keys, head_generation)
            rows = self._rows(entries, versions, now)
        first = seq + 1
        line_hash = self._chain.line_hash
        for row in rows:
            seq += 1
            row["seq"] = seq
            row["prev_hash"] = prev
            row["line_hash"] = prev = line_hash([row[c] for c in HASHED_COLUMNS])
        checkpoint: Checkpoint | None = None
        if seq // CHECKPOINT_EVERY > (first - 1) // CHECKPOINT_EVERY:
            # The checkpoint's MAC depends only on values at hand: compute it first, so that the
            # head can take it in the same statement as the lines.
            cp_mac = self._chain.checkpoint_mac(seq, prev, now, checkpoint_mac)
            checkpoint = Checkpoint(seq, prev, now, checkpoint_mac, cp_mac)
            checkpoint_mac = cp_mac
        fields = {key: _version_fields(v) for key, v in versions.items()}
        lines = [
            line_from_mapping({**row, **fields[row["processing_activity_id"]]}) for row in rows
        ]
        if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
            # A bulk delivery's lines: COPY (turning 100,000 lines into 33 arrays costs more
            # than the insert), then the head.
            self._copy_lines(conn, rows)
            self._write_head(conn, seq, prev, checkpoint_mac, now)
            _notify(conn, announce, lines)
        elif conn.dialect.name == "postgresql":
            # One round trip for the lines, the head and the notification (each round trip
            # inside the lock's window is waited for by every other append).
            head = self._head_params(seq, prev, checkpoint_mac, now)
            channel, payloads = (announce(lines) if announce else None) or ("", [])
            conn.exec_driver_sql(
                _PG_APPEND,
                (
                    *([row[c] for row in rows] for c in _PG_COLUMNS),
                    head["new_seq"],
                    head["new_hash"],
                    head["new_cp"],
                    head["new_mac"],
                    head["now"],
                    channel,
                    payloads,
                ),
            )
        else:
            conn.execute(_INSERT_LINES, rows)
            self._write_head(conn, seq, prev, checkpoint_mac, now)
        if checkpoint is not None:
            self._insert_checkpoint(conn, checkpoint)
        return lines

    @staticmethod
    def _copy_lines(conn: Connection, rows: list[dict[str, Any]]) -> None:
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        sql = f"COPY audit_log_line ({', '.join(_PG_COLUMNS)}) FROM STDIN"  # noqa: S608
        with dbapi.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[c] for c in _PG_COLUMNS])

    def _write_head(
        self,
        conn: Connection,
        seq: int,
        line_hash: str,
        checkpoint_mac: str | None,
        now: dt.datetime,
    ) -> None:
        conn.execute(_WRITE_HEAD, self._head_params(seq, line_hash, checkpoint_mac, now))

    def _head_params(
        self, seq: int, line_hash: str, checkpoint_mac: str | None, now: dt.datetime
    ) -> dict[str, Any]:
        return {
            "new_seq": seq,
            "new_hash": line_hash,
            "new_cp": checkpoint_mac,
            "new_mac": self._chain.head_mac(seq, line_hash, checkpoint_mac),
            "now": now,
        }

    def checkpoint(self, conn: Connection, now: dt.datetime) -> Checkpoint:
        """Write a signed checkpoint of the current head (in the caller's transaction)."""
        found = conn.execute(_LOCK_HEAD, {"now": now}).one_or_none()
        if found is None:
            raise LogboekError("de kop van het logboek ontbreekt")
        seq, line_hash, prev_mac, _generation = found
        cp = self._write_checkpoint(conn, seq, line_hash, now, prev_mac)
        self._write_head(conn, seq, line_hash, cp.mac, now)
        return cp

    def _write_checkpoint(
        self,
        conn: Connection,
        seq: int,
        line_hash: str,
        now: dt.datetime,
        prev_mac: str | None,
    ) -> Checkpoint:
        mac = self._chain.checkpoint_mac(seq, line_hash, now, prev_mac)
        checkpoint = Checkpoint(seq, line_hash, now, prev_mac, mac)
        self._insert_checkpoint(conn, checkpoint)
        return checkpoint

    def _insert_checkpoint(self, conn: Connection, cp: Checkpoint) -> None:
        conn.execute(
            insert(schema.checkpoint).values(
                seq=cp.seq,
                line_hash=cp.line_hash,
                created_at=cp.created_at,
                prev_mac=cp.prev_mac,
                mac=cp.mac,
            )
        )


def _version_fields(version: ProcessingActivityVersion) -> dict[str, Any]:
    return {
        "pa_name": version.name,
        "pa_version": version.version,
        "purpose": version.purpose,
        "legal_basis": version.legal_basis,
        "legal_reference": version.legal_reference,
    }
