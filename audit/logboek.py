"""The logboek: record inzage and exchanges, read them back, verify the chain.

Everything here takes plain values and a SQLAlchemy ``Connection``; the caller decides the
transaction. The lines are written inside the caller's transaction, so a request's data change
and its log lines commit (or fail) together, and a read's line is committed before its data is
sent.

The interface the application uses:

* writing: :meth:`Logboek.record` (or :meth:`~Logboek.record_inzage`,
  :meth:`~Logboek.record_exchange`) with :class:`Entry` values; subjects are :class:`Subject`
  values, known by their identifier (pseudonymised here) or only by their pseudonym;
* reading: :meth:`~Logboek.page` with a :class:`LineFilter` (by subject, trace, processing
  activity, actor, organisation, period, …), newest first with a cursor;
  :meth:`~Logboek.lines_for_subject`, :meth:`~Logboek.lines_for_trace`,
  :meth:`~Logboek.lines_for_processing_activity` as shorthands; :meth:`~Logboek.line`;
* verifying: :meth:`~Logboek.verify` (the whole chain, its head, its checkpoints and optional
  external anchors) and :meth:`~Logboek.checkpoint`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update
from sqlalchemy.sql import Select

from . import schema
from .chain import GENESIS_HASH, HASHED_COLUMNS, ChainKey, timestamp_text
from .register import ProcessingActivityVersion, Register
from .verify import RangeResult, scan, scan_in_process

KINDS = ("inzage", "uitwisseling")
ACTIONS = ("view", "create", "update", "delete", "export", "send", "receive")
ACTOR_TYPES = ("medewerker", "burger", "systeem")
CHECKPOINT_EVERY = 10_000
# From this many lines in one append, PostgreSQL gets them with COPY (a bulk delivery).
COPY_FROM = 1_000
# From this many lines on, verify() checks ranges in worker processes (when it can: a database
# file or server, more than one CPU).
PARALLEL_FROM = 500_000

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_PSEUDONYM = re.compile(r"^[0-9a-f]{64}$")


class LogboekError(Exception):
    """Raised when a line cannot be written; the caller must not release the data."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
    """PostgreSQL: insert the lines and move the head in one statement (one round trip), with
    one array parameter per column, so that the text never changes and is prepared once."""
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
        f"SELECT * FROM unnest({arrays})) "
        "UPDATE audit_chain_head SET seq = %s, line_hash = %s, checkpoint_mac = %s, mac = %s, "
        "updated_at = %s WHERE id = 1"
    )
    return columns, sql


_PG_COLUMNS, _PG_APPEND = _pg_append_sql()


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    parent_span_id: str | None = None

    @classmethod
    def new(cls) -> TraceContext:
        return cls(trace_id=secrets.token_hex(16), span_id=secrets.token_hex(8))

    @classmethod
    def from_traceparent(cls, header: str | None) -> TraceContext:
        """Continue a W3C trace when a valid ``traceparent`` header came in, else start one."""
        if header:
            m = _TRACEPARENT.match(header.strip().lower())
            if m and m.group(1) != "ff" and set(m.group(2)) != {"0"} and set(m.group(3)) != {"0"}:
                return cls(
                    trace_id=m.group(2), span_id=secrets.token_hex(8), parent_span_id=m.group(3)
                )
        return cls.new()

    def child(self) -> TraceContext:
        return TraceContext(self.trace_id, secrets.token_hex(8), self.span_id)

    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"


@dataclass(frozen=True)
class Actor:
    type: str  # medewerker | burger | systeem
    id: str | None
    name: str | None
    role: str | None = None
    organisation: str | None = None
    mandate: str | None = None  # e.g. "namens Gemeente Amsterdam (mandaat 2026-03)"


@dataclass(frozen=True)
class Subject:
    """A data subject.

    Usually known by a plain identifier (``Subject("BSN", "123456782")``) that is pseudonymised
    before it is stored. Where only the pseudonym is known — e.g. when the privacy officer reads
    someone's lines and that reading is logged about the same person — use
    :meth:`pseudonymous`.
    """

    id_type: str  # "BSN", or "eenplan-persoon" for a person without a known BSN
    value: str | None = None
    pseudonym: str | None = None

    def __post_init__(self) -> None:
        if (self.value is None) == (self.pseudonym is None):
            raise ValueError("a subject has an identifier or a pseudonym, not both")
        if self.pseudonym is not None and not _PSEUDONYM.match(self.pseudonym):
            raise ValueError("not a pseudonym of this logboek")

    @classmethod
    def pseudonymous(cls, id_type: str, pseudonym: str) -> Subject:
        return cls(id_type=id_type, pseudonym=pseudonym)

    def __repr__(self) -> str:  # never the identifier itself
        return f"Subject({self.id_type!r}, …)"


@dataclass(frozen=True)
class Entry:
    """One processing operation; stored as one line per subject."""

    kind: str
    action: str
    name: str
    actor: Actor
    subjects: tuple[Subject, ...]
    processing_activity: str
    data_categories: tuple[str, ...]
    trace: TraceContext
    object_type: str | None = None
    object_id: str | None = None
    reason: str | None = None
    emergency: bool = False
    disclose_after: dt.date | None = None
    deferral_reason: str | None = None
    sender: str | None = None
    recipient: str | None = None
    status_code: str = "OK"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}")
        if self.actor.type not in ACTOR_TYPES:
            raise ValueError(f"unknown actor type {self.actor.type!r}")
        if self.kind == "uitwisseling" and not (self.sender and self.recipient):
            raise ValueError("an exchange names its sender and recipient")
        if self.disclose_after is not None and not self.deferral_reason:
            raise ValueError("a deferred line says why it is deferred")


@dataclass(frozen=True)
class LogLine:
    seq: int
    occurred_at: dt.datetime
    kind: str
    action: str
    name: str
    status_code: str
    trace_id: str
    span_id: str
    parent_span_id: str | None
    resource_name: str
    resource_version: str
    actor_type: str
    actor_id: str | None
    actor_name: str | None
    actor_role: str | None
    actor_organisation: str | None
    actor_mandate: str | None
    data_subject_id: str | None
    data_subject_id_type: str | None
    object_type: str | None
    object_id: str | None
    data_categories: tuple[str, ...]
    processing_activity_id: str
    processing_activity_version_id: int
    reason: str | None
    emergency: bool
    disclose_after: dt.date | None
    deferral_reason: str | None
    sender: str | None
    recipient: str | None
    prev_hash: str
    line_hash: str
    # From the register version the line points at:
    processing_activity_name: str = ""
    processing_activity_version: int = 0
    purpose: str = ""
    legal_basis: str = ""
    legal_reference: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_ldv(self) -> dict[str, Any]:
        """The line in the shape of the *Logboek Dataverwerkingen* standard."""
        attributes: dict[str, Any] = {
            "dpl.core.processing_activity_id": self.processing_activity_id,
            "dpl.core.data_subject_id": self.data_subject_id,
            "dpl.core.data_subject_id_type": self.data_subject_id_type,
            "eenplan.kind": self.kind,
            "eenplan.action": self.action,
            "eenplan.processing_activity_version": self.processing_activity_version,
            "eenplan.purpose": self.purpose,
            "eenplan.legal_basis": self.legal_basis,
            "eenplan.legal_reference": self.legal_reference,
            "eenplan.actor.type": self.actor_type,
            "eenplan.actor.id": self.actor_id,
            "eenplan.actor.name": self.actor_name,
            "eenplan.actor.role": self.actor_role,
            "eenplan.actor.organisation": self.actor_organisation,
            "eenplan.actor.mandate": self.actor_mandate,
            "eenplan.object.type": self.object_type,
            "eenplan.object.id": self.object_id,
            "eenplan.data_categories": list(self.data_categories),
            "eenplan.reason": self.reason,
            "eenplan.emergency": self.emergency,
            "eenplan.disclose_after": self.disclose_after.isoformat()
            if self.disclose_after
            else None,
            "eenplan.deferral_reason": self.deferral_reason,
            "eenplan.sender": self.sender,
            "eenplan.recipient": self.recipient,
            "eenplan.seq": self.seq,
        }
        ts = _ts(self.occurred_at)
        return {
            "trace_id": self.trace_id,
            "span_id": self.span_id,
            "parent_span_id": self.parent_span_id,
            "name": self.name,
            "start_time": ts,
            "end_time": ts,
            "status_code": self.status_code,
            "resource": {"name": self.resource_name, "version": self.resource_version},
            "attributes": attributes,
        }


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    lines_checked: int
    checkpoints_checked: int
    seconds: float
    first_broken_seq: int | None = None
    problem: str | None = None
    anchors_checked: int = 0
    # Lines whose canonical form the database wrote differently from Python (checked again
    # the Python way); 0 unless a database's JSON encoding ever drifts.
    slow_lines: int = 0

    @property
    def lines_per_second(self) -> float:
        return self.lines_checked / self.seconds if self.seconds else float("inf")


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement "line ``seq`` has hash ``line_hash``", chained to the one before.

    Print it (``flask audit checkpoint``) to write-once storage outside the database: as an
    *anchor* for :meth:`Logboek.verify` it also exposes a rollback of the whole database.
    """

    seq: int
    line_hash: str
    created_at: dt.datetime
    prev_mac: str | None
    mac: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "seq": self.seq,
                "line_hash": self.line_hash,
                "created_at": timestamp_text(self.created_at),
                "prev_mac": self.prev_mac,
                "mac": self.mac,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        data = json.loads(text)
        created = dt.datetime.fromisoformat(data["created_at"]).replace(tzinfo=dt.UTC)
        return cls(
            seq=int(data["seq"]),
            line_hash=str(data["line_hash"]),
            created_at=created,
            prev_mac=data.get("prev_mac"),
            mac=str(data["mac"]),
        )


@dataclass(frozen=True)
class LineFilter:
    """What to read. Every field narrows; an empty filter reads every line."""

    data_subject_id: str | None = None  # the pseudonym
    trace_id: str | None = None
    processing_activity_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor_organisation: str | None = None
    actor_id: str | None = None
    kind: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    emergency_only: bool = False
    # Hide lines whose "disclose after" date lies after this day (the citizen's own view).
    disclosed_on: dt.date | None = None


@dataclass(frozen=True)
class LinePage:
    """A page of lines, newest first; ``next_before`` is the cursor for the next page."""

    lines: list[LogLine]
    next_before: int | None


def _ts(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Logboek:
    """The application's handle on the logboek."""

    def __init__(
        self,
        *,
        subject_key: bytes | str,
        chain_key: bytes | str,
        resource_name: str = "eenplan",
        resource_version: str = "0",
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self._subject_key = subject_key.encode() if isinstance(subject_key, str) else subject_key
        self._chain_key = chain_key.encode() if isinstance(chain_key, str) else chain_key
        self._chain = ChainKey(self._chain_key)
        self.resource_name = resource_name
        self.resource_version = resource_version
        self.register = Register()
        self._clock = clock
        self._version_cache: tuple[int | None, dict[str, ProcessingActivityVersion]] = (-1, {})

    def now(self) -> dt.datetime:
        value = self._clock()
        if value.tzinfo is None:
            raise ValueError("the logboek's clock must give aware datetimes")
        return value.astimezone(dt.UTC)

    # -- pseudonyms -----------------------------------------------------------------------
    def pseudonymise(self, subject: Subject) -> str:
        """Keyed hash of the identifier: findable with the key, useless in a dump without it."""
        if subject.pseudonym is not None:
            return subject.pseudonym
        msg = f"{subject.id_type}:{subject.value}".encode()
        return hmac.digest(self._subject_key, msg, "sha256").hex()

    @staticmethod
    def is_pseudonym(value: str) -> bool:
        return bool(_PSEUDONYM.match(value))

    # -- writing --------------------------------------------------------------------------
    def record_inzage(self, conn: Connection, **kwargs: Any) -> list[LogLine]:
        return self.record(conn, [Entry(kind="inzage", **kwargs)])

    def record_exchange(self, conn: Connection, **kwargs: Any) -> list[LogLine]:
        return self.record(conn, [Entry(kind="uitwisseling", **kwargs)])

    def record(self, conn: Connection, entries: Sequence[Entry]) -> list[LogLine]:
        """Append the entries (one line per subject) to the chain, in the caller's transaction."""
        if not entries:
            return []
        try:
            return self._append(conn, entries)
        except LogboekError:
            raise
        except Exception as exc:  # any database failure means: no line, so no data
            raise LogboekError("het logboek kon niet worden bijgewerkt") from exc

    def _versions(
        self, conn: Connection, keys: set[str], generation: int | None
    ) -> dict[str, ProcessingActivityVersion]:
        """The current register version of each key, cached until the register changes (every
        change bumps ``register_generation`` in the head, which the append has just read)."""
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

    def _append(self, conn: Connection, entries: Sequence[Entry]) -> list[LogLine]:
        now = self.now()
        # Take the chain's lock first (a write), then read the head: appends are serialised.
        found = conn.execute(_LOCK_HEAD, {"now": now}).one_or_none()
        if found is None:
            raise LogboekError("de kop van het logboek ontbreekt")
        seq, prev, checkpoint_mac, generation = found
        versions = self._versions(conn, {e.processing_activity for e in entries}, generation)
        rows: list[dict[str, Any]] = []
        lines: list[LogLine] = []
        crossed_checkpoint = False
        line_hash = self._chain.line_hash
        for entry in entries:
            version = versions[entry.processing_activity]
            subjects: Iterable[Subject | None] = entry.subjects or (None,)
            categories = ",".join(sorted(set(entry.data_categories)))
            for subject in subjects:
                seq += 1
                if seq % CHECKPOINT_EVERY == 0:
                    crossed_checkpoint = True
                row: dict[str, Any] = {
                    "seq": seq,
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
                    "data_subject_id": self.pseudonymise(subject) if subject else None,
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
                    "prev_hash": prev,
                }
                row["line_hash"] = prev = line_hash([row[c] for c in HASHED_COLUMNS])
                rows.append(row)
                lines.append(_line_from_mapping({**row, **_version_fields(version)}))
        checkpoint: Checkpoint | None = None
        if crossed_checkpoint:
            # The checkpoint's MAC depends only on values at hand: compute it first, so that the
            # head can take it in the same statement as the lines.
            cp_mac = self._chain.checkpoint_mac(seq, prev, now, checkpoint_mac)
            checkpoint = Checkpoint(seq, prev, now, checkpoint_mac, cp_mac)
            checkpoint_mac = cp_mac
        if conn.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
            # A bulk delivery's lines: COPY (turning 100,000 lines into 33 arrays costs more
            # than the insert), then the head.
            self._copy_lines(conn, rows)
            self._write_head(conn, seq, prev, checkpoint_mac, now)
        elif conn.dialect.name == "postgresql":
            # One round trip for the lines and the head (each round trip to the server is most
            # of what logging costs a request).
            head = self._head_params(seq, prev, checkpoint_mac, now)
            conn.exec_driver_sql(
                _PG_APPEND,
                (
                    *([row[c] for row in rows] for c in _PG_COLUMNS),
                    head["new_seq"],
                    head["new_hash"],
                    head["new_cp"],
                    head["new_mac"],
                    head["now"],
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

    def checkpoint(self, conn: Connection) -> Checkpoint:
        """Write a signed checkpoint of the current head (in the caller's transaction)."""
        now = self.now()
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

    # -- verifying ------------------------------------------------------------------------
    def verify(
        self,
        conn: Connection,
        *,
        anchors: Iterable[Checkpoint] = (),
        workers: int | None = None,
        batch_size: int = 50_000,
    ) -> VerifyReport:
        """Walk the whole chain and report the first line that does not fit.

        Checks: that ``seq`` runs 1, 2, 3 … without gaps; that every line names its
        predecessor's hash; that every line's content matches its hash; that the signed head
        names the last line; that the signed checkpoints form an unbroken chain whose newest
        link the head names, and that each matches the line it names; and that each external
        ``anchor`` (a checkpoint kept outside the database) still matches. When something does
        not fit, ``first_broken_seq`` is the first line that cannot be trusted.

        Head, checkpoints and the lines after the head are read in one snapshot. ``workers``
        processes check ranges of lines side by side (default from :data:`PARALLEL_FROM` lines
        on: two per CPU up to 8 on PostgreSQL, one per CPU up to 4 on SQLite; lines up to the
        head never change, so their own snapshots do not matter). See :mod:`audit.verify`.
        """
        started = time.perf_counter()
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
            else:
                cur.execute("BEGIN")
            cur.close()
        url = None
        if conn.engine.url.database not in (None, "", ":memory:"):
            url = conn.engine.url.render_as_string(hide_password=False)
        try:
            return self._verify(dbapi, postgres, url, anchors, workers, batch_size, started)
        finally:
            if own_snapshot:
                dbapi.rollback() if postgres else dbapi.execute("ROLLBACK")

    def _verify(
        self,
        dbapi: Any,
        postgres: bool,
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
        cur.execute("SELECT seq, line_hash, mac, checkpoint_mac FROM audit_chain_head WHERE id = 1")
        head = cur.fetchone()
        cur.execute(
            "SELECT seq, line_hash, created_at, prev_mac, mac FROM audit_checkpoint ORDER BY id"
        )
        checkpoints = [Checkpoint(*row) for row in cur.fetchall()]
        cur.execute("SELECT min(seq) FROM audit_log_line")
        lowest = cur.fetchone()[0]
        cur.close()
        wanted = {cp.seq for cp in checkpoints} | {a.seq for a in anchors}
        hashes_at: dict[int, str] = {}
        if lowest is not None and lowest < 1:
            return report(lowest, f"regel {lowest} staat niet op zijn plaats")

        head_seq_now = int(head[0]) if head else 0
        if workers is None:
            cpus = os.cpu_count() or 1
            # On PostgreSQL each worker has a server process building its lines' JSON: two per
            # CPU keep both sides busy. SQLite works inside the worker: one per CPU.
            workers = min(2 * cpus, 8) if postgres else min(cpus, 4)
            if head_seq_now < PARALLEL_FROM:
                workers = 1
        ranges: list[RangeResult] = []
        if workers > 1 and url is not None and head_seq_now > 1:
            ranges = self._scan_parallel(url, head_seq_now, workers, wanted, batch_size)
            tail_from = head_seq_now + 1
        else:
            tail_from = 1
        # The rest (everything when not in parallel; else what lies beyond the head) here, in
        # this snapshot.
        ranges.append(
            scan(dbapi, postgres, self._chain, lo=tail_from, hi=None, prev=None, wanted=wanted)
        )
        prev = GENESIS_HASH
        expected = 1
        slow = sum(r.slow_lines for r in ranges)
        for r in ranges:
            if r.first_seq is not None:
                if r.first_seq != expected:
                    return report(expected, f"regel {expected} ontbreekt (verwijderd?)")
                if r.first_prev != prev:
                    return report(
                        r.first_seq, f"regel {r.first_seq} verwijst niet naar de vorige regel"
                    )
            if r.problem is not None:
                checked += r.count
                seq, message = r.problem
                if r.first_seq is None and seq > expected:  # earlier ranges came up empty
                    seq, message = expected, f"regel {expected} ontbreekt (verwijderd?)"
                return report(seq, message)
            if r.count == 0:
                continue
            checked += r.count
            hashes_at.update(r.hashes_at)
            prev = r.last_hash or prev
            expected = (r.last_seq or 0) + 1
        last_seq = expected - 1

        if head is None:
            return report(None, "de kop van het logboek ontbreekt")
        head_seq, head_hash, head_mac, head_cp = head
        # Every finding names the first line it makes untrustworthy; the earliest one wins.
        findings: list[tuple[int | None, str]] = []
        fresh = head_seq == 0 and head_mac is None
        head_genuine = fresh or head_mac == self._chain.head_mac(head_seq, head_hash, head_cp)
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
            mac_ok = cp.mac == self._chain.checkpoint_mac(
                cp.seq, cp.line_hash, cp.created_at, cp.prev_mac
            )
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
            findings.extend(self._match(cp, last_seq, hashes_at, "het controlepunt"))
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
        for anchor in anchors:
            if anchor.mac != self._chain.checkpoint_mac(
                anchor.seq, anchor.line_hash, anchor.created_at, anchor.prev_mac
            ):
                findings.append((None, f"het anker bij regel {anchor.seq} is niet echt"))
                continue
            findings.extend(self._match(anchor, last_seq, hashes_at, "het anker"))
        if findings:
            findings.sort(key=lambda f: (f[0] is None, f[0] or 0))
            return report(*findings[0])
        return report(None, None)

    def _scan_parallel(
        self, url: str, upto: int, workers: int, wanted: set[int], batch_size: int
    ) -> list[RangeResult]:
        """Lines 1 … ``upto`` in ranges, checked by ``workers`` processes."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        parts = workers * 4  # smaller pieces even out slow and fast workers
        size = -(-upto // parts)
        bounds = [(lo, min(lo + size - 1, upto)) for lo in range(1, upto + 1, size)]
        context = multiprocessing.get_context("spawn")  # no inherited database connections
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    scan_in_process,
                    url,
                    self._chain_key,
                    lo,
                    hi,
                    {s for s in wanted if lo <= s <= hi},
                    batch_size,
                )
                for lo, hi in bounds
            ]
            return [f.result() for f in futures]

    @staticmethod
    def _match(
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

    # -- reading --------------------------------------------------------------------------
    def _select(self) -> Select[Any]:
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
        self,
        conn: Connection,
        filters: LineFilter | None = None,
        *,
        limit: int = 50,
        before_seq: int | None = None,
    ) -> LinePage:
        """Newest first: at most ``limit`` lines older than ``before_seq``, and the next cursor.

        Keyset pagination on ``seq``: with the indexes on (subject, seq), (trace),
        (processing activity, seq) and (actor, seq) a page costs the same at line 10 and at
        line 10 million.
        """
        if limit < 1:
            raise ValueError("limit must be positive")
        ll = schema.log_line
        stmt = self._select().where(and_(True, *_filter_clauses(filters or LineFilter())))
        if before_seq is not None:
            stmt = stmt.where(ll.c.seq < before_seq)
        stmt = stmt.order_by(ll.c.seq.desc()).limit(limit + 1)
        lines = [_line_from_mapping(row._mapping) for row in conn.execute(stmt)]
        more = len(lines) > limit
        lines = lines[:limit]
        return LinePage(lines, lines[-1].seq if more else None)

    def search(
        self,
        conn: Connection,
        filters: LineFilter | None = None,
        *,
        limit: int = 50,
        before_seq: int | None = None,
    ) -> list[LogLine]:
        return self.page(conn, filters, limit=limit, before_seq=before_seq).lines

    def lines_for_subject(
        self,
        conn: Connection,
        subject: Subject,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
        disclosed_on: dt.date | None = None,
    ) -> list[LogLine]:
        """Newest first. ``disclosed_on`` hides lines whose disclose-after date lies later."""
        f = _replace(filters, data_subject_id=self.pseudonymise(subject), disclosed_on=disclosed_on)
        return self.search(conn, f, limit=limit, before_seq=before_seq)

    def lines_for_trace(
        self, conn: Connection, trace_id: str, *, limit: int = 50, before_seq: int | None = None
    ) -> list[LogLine]:
        return self.search(conn, LineFilter(trace_id=trace_id), limit=limit, before_seq=before_seq)

    def lines_for_processing_activity(
        self,
        conn: Connection,
        processing_activity_id: str,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        f = _replace(filters, processing_activity_id=processing_activity_id)
        return self.search(conn, f, limit=limit, before_seq=before_seq)

    def lines(
        self,
        conn: Connection,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        """All lines, newest first (for the privacy officer)."""
        return self.search(conn, filters, limit=limit, before_seq=before_seq)

    def line(self, conn: Connection, seq: int) -> LogLine | None:
        row = conn.execute(self._select().where(schema.log_line.c.seq == seq)).first()
        return _line_from_mapping(row._mapping) if row else None

    def lines_by_seq(self, conn: Connection, seqs: Iterable[int]) -> list[LogLine]:
        """The lines with these positions that exist, newest first."""
        wanted = sorted(set(seqs))
        if not wanted:
            return []
        ll = schema.log_line
        stmt = self._select().where(ll.c.seq.in_(wanted)).order_by(ll.c.seq.desc())
        return [_line_from_mapping(row._mapping) for row in conn.execute(stmt)]

    def lines_after(
        self, conn: Connection, after_seq: int, *, pseudonym: str | None = None, limit: int = 100
    ) -> list[LogLine]:
        """Oldest first, for following the log live."""
        ll = schema.log_line
        stmt = self._select().where(ll.c.seq > after_seq)
        if pseudonym is not None:
            stmt = stmt.where(ll.c.data_subject_id == pseudonym)
        stmt = stmt.order_by(ll.c.seq).limit(limit)
        return [_line_from_mapping(row._mapping) for row in conn.execute(stmt)]

    def scan(
        self,
        conn: Connection,
        filters: LineFilter | None,
        columns: Sequence[str],
        *,
        limit: int,
    ) -> list[Any]:
        """Only some columns of the newest ``limit`` matching lines (for aggregate views).

        Rows have the columns as attributes; ``occurred_at`` is timezone-aware (UTC).
        """
        ll = schema.log_line
        stmt = (
            select(*[ll.c[c] for c in columns])
            .where(and_(True, *_filter_clauses(filters or LineFilter())))
            .order_by(ll.c.seq.desc())
            .limit(limit)
        )
        rows = []
        for row in conn.execute(stmt):
            values = row._asdict()
            occurred = values.get("occurred_at")
            if occurred is not None and occurred.tzinfo is None:
                values["occurred_at"] = occurred.replace(tzinfo=dt.UTC)
            rows.append(SimpleNamespace(**values))
        return rows

    def head_seq(self, conn: Connection) -> int:
        return int(conn.execute(select(schema.chain_head.c.seq)).scalar_one_or_none() or 0)

    def iter_all(self, conn: Connection, *, batch_size: int = 10_000) -> Iterator[LogLine]:
        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
            self._select().order_by(schema.log_line.c.seq)
        )
        for row in result:
            yield _line_from_mapping(row._mapping)


def _replace(filters: LineFilter | None, **changes: Any) -> LineFilter:
    from dataclasses import replace

    return replace(filters or LineFilter(), **changes)


def _version_fields(version: ProcessingActivityVersion) -> dict[str, Any]:
    return {
        "pa_name": version.name,
        "pa_version": version.version,
        "purpose": version.purpose,
        "legal_basis": version.legal_basis,
        "legal_reference": version.legal_reference,
    }


def _filter_clauses(f: LineFilter) -> list[Any]:
    ll = schema.log_line
    clauses: list[Any] = []
    if f.data_subject_id is not None:
        clauses.append(ll.c.data_subject_id == f.data_subject_id)
    if f.trace_id is not None:
        clauses.append(ll.c.trace_id == f.trace_id)
    if f.processing_activity_id:
        clauses.append(ll.c.processing_activity_id == f.processing_activity_id)
    if f.since is not None:
        clauses.append(ll.c.occurred_at >= f.since)
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
    if f.object_type:
        clauses.append(ll.c.object_type == f.object_type)
    if f.object_id:
        clauses.append(ll.c.object_id == f.object_id)
    if f.emergency_only:
        clauses.append(ll.c.emergency.is_(True))
    if f.disclosed_on is not None:
        clauses.append(or_(ll.c.disclose_after.is_(None), ll.c.disclose_after <= f.disclosed_on))
    return clauses


def _line_from_mapping(m: Any) -> LogLine:
    occurred = m["occurred_at"]
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=dt.UTC)
    cats = m["data_categories"]
    return LogLine(
        seq=m["seq"],
        occurred_at=occurred.astimezone(dt.UTC),
        kind=m["kind"],
        action=m["action"],
        name=m["name"],
        status_code=m["status_code"],
        trace_id=m["trace_id"],
        span_id=m["span_id"],
        parent_span_id=m["parent_span_id"],
        resource_name=m["resource_name"],
        resource_version=m["resource_version"],
        actor_type=m["actor_type"],
        actor_id=m["actor_id"],
        actor_name=m["actor_name"],
        actor_role=m["actor_role"],
        actor_organisation=m["actor_organisation"],
        actor_mandate=m["actor_mandate"],
        data_subject_id=m["data_subject_id"],
        data_subject_id_type=m["data_subject_id_type"],
        object_type=m["object_type"],
        object_id=m["object_id"],
        data_categories=tuple(c for c in cats.split(",") if c) if cats else (),
        processing_activity_id=m["processing_activity_id"],
        processing_activity_version_id=m["processing_activity_version_id"],
        reason=m["reason"],
        emergency=bool(m["emergency"]),
        disclose_after=m["disclose_after"],
        deferral_reason=m["deferral_reason"],
        sender=m["sender"],
        recipient=m["recipient"],
        prev_hash=m["prev_hash"],
        line_hash=m["line_hash"],
        processing_activity_name=m["pa_name"],
        processing_activity_version=m["pa_version"],
        purpose=m["purpose"],
        legal_basis=m["legal_basis"],
        legal_reference=m["legal_reference"],
    )


__all__ = [
    "Actor",
    "Checkpoint",
    "Entry",
    "LineFilter",
    "LinePage",
    "LogLine",
    "Logboek",
    "LogboekError",
    "Subject",
    "TraceContext",
    "VerifyReport",
]
