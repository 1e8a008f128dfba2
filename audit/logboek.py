"""The logboek: record inzage and exchanges, read them back, verify the chain.

Everything here takes plain values and a SQLAlchemy ``Connection``; the caller decides the
transaction. The lines are written inside the caller's transaction, so a request's data change
and its log lines commit (or fail) together, and a read's line is committed before its data is
sent.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.sql import Select

from . import schema
from .register import Register

KINDS = ("inzage", "uitwisseling")
ACTIONS = ("view", "create", "update", "delete", "export", "send", "receive")
ACTOR_TYPES = ("medewerker", "burger", "systeem")
CHECKPOINT_EVERY = 10_000

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


class LogboekError(Exception):
    """Raised when a line cannot be written; the caller must not release the data."""


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
    """A data subject, identified by a plain identifier that is pseudonymised before storage."""

    id_type: str  # "BSN", or "eenplan-persoon" for a person without a known BSN
    value: str


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

    @property
    def lines_per_second(self) -> float:
        return self.lines_checked / self.seconds if self.seconds else float("inf")


@dataclass(frozen=True)
class LineFilter:
    """Optional narrowing of a read."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor_organisation: str | None = None
    actor_id: str | None = None
    kind: str | None = None
    action: str | None = None
    processing_activity_id: str | None = None
    emergency_only: bool = False


# The columns whose values the chain protects, in a fixed order.
HASHED_COLUMNS = (
    "seq",
    "occurred_at",
    "kind",
    "action",
    "name",
    "status_code",
    "trace_id",
    "span_id",
    "parent_span_id",
    "resource_name",
    "resource_version",
    "actor_type",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_organisation",
    "actor_mandate",
    "data_subject_id",
    "data_subject_id_type",
    "object_type",
    "object_id",
    "data_categories",
    "processing_activity_id",
    "processing_activity_version_id",
    "reason",
    "emergency",
    "disclose_after",
    "deferral_reason",
    "sender",
    "recipient",
    "prev_hash",
)


def _ts(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canon(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return _ts(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Logboek:
    """The application's handle on the logboek."""

    def __init__(
        self,
        *,
        subject_key: bytes | str,
        chain_key: bytes | str,
        resource_name: str = "eenplan",
        resource_version: str = "0",
    ) -> None:
        self._subject_key = subject_key.encode() if isinstance(subject_key, str) else subject_key
        self._chain_key = chain_key.encode() if isinstance(chain_key, str) else chain_key
        self.resource_name = resource_name
        self.resource_version = resource_version
        self.register = Register()

    # -- pseudonyms -----------------------------------------------------------------------
    def pseudonymise(self, subject: Subject) -> str:
        """Keyed hash of the identifier: findable with the key, useless in a dump without it."""
        msg = f"{subject.id_type}:{subject.value}".encode()
        return hmac.digest(self._subject_key, msg, "sha256").hex()

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

    def _append(self, conn: Connection, entries: Sequence[Entry]) -> list[LogLine]:
        versions = {
            key: self.register.current_version(conn, key)
            for key in {e.processing_activity for e in entries}
        }
        for key, version in versions.items():
            if version is None:
                raise LogboekError(f"verwerkingsactiviteit {key!r} staat niet in het register")
        now = dt.datetime.now(dt.UTC)
        head = schema.chain_head
        # Take the chain's lock first (a write), then read the head: appends are serialised.
        locked = conn.execute(update(head).where(head.c.id == 1).values(updated_at=now))
        if locked.rowcount != 1:
            raise LogboekError("de kop van het logboek ontbreekt")
        seq, prev = conn.execute(select(head.c.seq, head.c.line_hash).where(head.c.id == 1)).one()
        rows: list[dict[str, Any]] = []
        lines: list[LogLine] = []
        crossed_checkpoint = False
        for entry in entries:
            version = versions[entry.processing_activity]
            assert version is not None
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
                    "emergency": entry.emergency,
                    "disclose_after": entry.disclose_after,
                    "deferral_reason": entry.deferral_reason,
                    "sender": entry.sender,
                    "recipient": entry.recipient,
                    "prev_hash": prev,
                }
                row["line_hash"] = prev = self._line_hash(row)
                rows.append(row)
                lines.append(
                    _line_from_mapping(
                        {
                            **row,
                            "pa_name": version.name,
                            "pa_version": version.version,
                            "purpose": version.purpose,
                            "legal_basis": version.legal_basis,
                            "legal_reference": version.legal_reference,
                        }
                    )
                )
        conn.execute(insert(schema.log_line), rows)
        conn.execute(
            update(head)
            .where(head.c.id == 1)
            .values(seq=seq, line_hash=prev, mac=self._head_mac(seq, prev), updated_at=now)
        )
        if crossed_checkpoint:
            self._write_checkpoint(conn, seq, prev, now)
        return lines

    def checkpoint(self, conn: Connection) -> tuple[int, str, str]:
        """Write a signed checkpoint of the current head; returns (seq, hash, mac)."""
        head = schema.chain_head
        now = dt.datetime.now(dt.UTC)
        conn.execute(update(head).where(head.c.id == 1).values(updated_at=now))
        seq, line_hash = conn.execute(
            select(head.c.seq, head.c.line_hash).where(head.c.id == 1)
        ).one()
        mac = self._write_checkpoint(conn, seq, line_hash, now)
        return seq, line_hash, mac

    def _write_checkpoint(
        self, conn: Connection, seq: int, line_hash: str, now: dt.datetime
    ) -> str:
        mac = self._checkpoint_mac(seq, line_hash, now)
        conn.execute(
            insert(schema.checkpoint).values(seq=seq, line_hash=line_hash, created_at=now, mac=mac)
        )
        return mac

    # -- hashing --------------------------------------------------------------------------
    def _line_hash(self, row: dict[str, Any] | Sequence[Any]) -> str:
        if isinstance(row, dict):
            values = [_canon(row[c]) for c in HASHED_COLUMNS]
        else:
            values = [_canon(v) for v in row]
        payload = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        return hmac.digest(self._chain_key, payload, "sha256").hex()

    def _head_mac(self, seq: int, line_hash: str) -> str:
        return hmac.digest(self._chain_key, f"head|{seq}|{line_hash}".encode(), "sha256").hex()

    def _checkpoint_mac(self, seq: int, line_hash: str, created_at: dt.datetime) -> str:
        msg = f"checkpoint|{seq}|{line_hash}|{_ts(created_at)}".encode()
        return hmac.digest(self._chain_key, msg, "sha256").hex()

    # -- verifying ------------------------------------------------------------------------
    def verify(self, conn: Connection, *, batch_size: int = 20_000) -> VerifyReport:
        """Walk the whole chain; report the first line that does not fit."""
        started = time.perf_counter()
        cols = [schema.log_line.c[c] for c in HASHED_COLUMNS] + [schema.log_line.c.line_hash]
        expected_seq = 1
        prev = schema.GENESIS_HASH
        checked = 0

        def fail(seq: int | None, problem: str, cps: int = 0) -> VerifyReport:
            return VerifyReport(
                ok=False,
                lines_checked=checked,
                checkpoints_checked=cps,
                seconds=time.perf_counter() - started,
                first_broken_seq=seq,
                problem=problem,
            )

        hashes_at: dict[int, str] = {}
        checkpoints = conn.execute(
            select(
                schema.checkpoint.c.seq,
                schema.checkpoint.c.line_hash,
                schema.checkpoint.c.created_at,
                schema.checkpoint.c.mac,
            ).order_by(schema.checkpoint.c.id)
        ).all()
        wanted = {cp.seq for cp in checkpoints}

        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
            select(*cols).order_by(schema.log_line.c.seq)
        )
        line_hash = self._line_hash
        for row in result:
            values = tuple(row)
            seq = values[0]
            if seq != expected_seq:
                if seq > expected_seq:
                    return fail(expected_seq, f"regel {expected_seq} ontbreekt (verwijderd?)")
                return fail(seq, f"regel {seq} staat niet op zijn plaats")
            if values[-2] != prev:
                return fail(seq, f"regel {seq} verwijst niet naar de vorige regel")
            if line_hash(values[:-1]) != values[-1]:
                return fail(seq, f"de inhoud van regel {seq} is gewijzigd")
            prev = values[-1]
            if seq in wanted:
                hashes_at[seq] = prev
            expected_seq += 1
            checked += 1
        last_seq = expected_seq - 1

        head = conn.execute(
            select(schema.chain_head.c.seq, schema.chain_head.c.line_hash, schema.chain_head.c.mac)
        ).one_or_none()
        if head is None:
            return fail(None, "de kop van het logboek ontbreekt")
        if head.seq != 0 and head.mac != self._head_mac(head.seq, head.line_hash):
            return fail(None, "de kop van het logboek is niet echt (handtekening klopt niet)")
        if head.seq > last_seq:
            return fail(last_seq + 1, f"regels {last_seq + 1} t/m {head.seq} ontbreken (afgekapt)")
        if head.seq < last_seq:
            return fail(head.seq + 1, f"regels na {head.seq} zijn buiten de keten toegevoegd")
        if head.line_hash != prev:
            return fail(last_seq or None, "de laatste regel past niet bij de kop van het logboek")

        for n, cp in enumerate(checkpoints, start=1):
            if cp.mac != self._checkpoint_mac(cp.seq, cp.line_hash, cp.created_at):
                return fail(cp.seq, f"controlepunt bij regel {cp.seq} is niet echt", n - 1)
            if cp.seq > last_seq:
                return fail(
                    last_seq + 1, f"controlepunt bij regel {cp.seq}: regels ontbreken", n - 1
                )
            if cp.seq and hashes_at.get(cp.seq) != cp.line_hash:
                return fail(
                    cp.seq, f"regels tot en met {cp.seq} wijken af van het controlepunt", n - 1
                )
        return VerifyReport(
            ok=True,
            lines_checked=checked,
            checkpoints_checked=len(checkpoints),
            seconds=time.perf_counter() - started,
        )

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

    def _read(
        self,
        conn: Connection,
        where: Any,
        *,
        limit: int,
        before_seq: int | None,
        filters: LineFilter | None,
        disclosed_on: dt.date | None = None,
    ) -> list[LogLine]:
        ll = schema.log_line
        stmt = self._select().where(where)
        if before_seq is not None:
            stmt = stmt.where(ll.c.seq < before_seq)
        if disclosed_on is not None:
            stmt = stmt.where(
                or_(ll.c.disclose_after.is_(None), ll.c.disclose_after <= disclosed_on)
            )
        if filters is not None:
            stmt = stmt.where(and_(True, *_filter_clauses(filters)))
        stmt = stmt.order_by(ll.c.seq.desc()).limit(limit)
        return [_line_from_mapping(row._mapping) for row in conn.execute(stmt)]

    def lines_for_subject(
        self,
        conn: Connection,
        subject: Subject | None = None,
        *,
        pseudonym: str | None = None,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
        disclosed_on: dt.date | None = None,
    ) -> list[LogLine]:
        """Newest first. ``disclosed_on`` hides lines whose disclose-after date lies later."""
        if (subject is None) == (pseudonym is None):
            raise ValueError("give a subject or a pseudonym")
        pid = pseudonym if pseudonym is not None else self.pseudonymise(subject)  # type: ignore[arg-type]
        return self._read(
            conn,
            schema.log_line.c.data_subject_id == pid,
            limit=limit,
            before_seq=before_seq,
            filters=filters,
            disclosed_on=disclosed_on,
        )

    def lines_for_trace(
        self, conn: Connection, trace_id: str, *, limit: int = 50, before_seq: int | None = None
    ) -> list[LogLine]:
        return self._read(
            conn,
            schema.log_line.c.trace_id == trace_id,
            limit=limit,
            before_seq=before_seq,
            filters=None,
        )

    def lines_for_processing_activity(
        self,
        conn: Connection,
        processing_activity_id: str,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        return self._read(
            conn,
            schema.log_line.c.processing_activity_id == processing_activity_id,
            limit=limit,
            before_seq=before_seq,
            filters=filters,
        )

    def lines(
        self,
        conn: Connection,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        """All lines, newest first (for the privacy officer)."""
        return self._read(conn, True, limit=limit, before_seq=before_seq, filters=filters)

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

    def head_seq(self, conn: Connection) -> int:
        return int(conn.execute(select(schema.chain_head.c.seq)).scalar_one_or_none() or 0)

    def iter_all(self, conn: Connection, *, batch_size: int = 10_000) -> Iterator[LogLine]:
        result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(
            self._select().order_by(schema.log_line.c.seq)
        )
        for row in result:
            yield _line_from_mapping(row._mapping)


def _filter_clauses(f: LineFilter) -> list[Any]:
    ll = schema.log_line
    clauses: list[Any] = []
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
    if f.processing_activity_id:
        clauses.append(ll.c.processing_activity_id == f.processing_activity_id)
    if f.emergency_only:
        clauses.append(ll.c.emergency.is_(True))
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
    "Entry",
    "LineFilter",
    "LogLine",
    "Logboek",
    "LogboekError",
    "Subject",
    "TraceContext",
    "VerifyReport",
]
