"""The logboek's values: what the application hands in (:class:`Entry`, :class:`Actor`,
:class:`Subject`, :class:`TraceContext`), what it gets back (:class:`LogLine`,
:class:`LinePage`, :class:`Checkpoint`, :class:`VerifyReport`) and how it asks
(:class:`LineFilter`). Plain frozen dataclasses; no database access here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .chain import timestamp_text

KINDS = ("inzage", "uitwisseling")
ACTIONS = ("view", "create", "update", "delete", "export", "send", "receive")
ACTOR_TYPES = ("medewerker", "burger", "systeem")

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
PSEUDONYM = re.compile(r"^[0-9a-f]{64}$")


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
    def continued(cls, header: str | None) -> TraceContext | None:
        """The continuation of a valid W3C ``traceparent`` header (its trace, a new span of our
        own, its span as the parent), or ``None`` for a missing or invalid one."""
        if header:
            m = _TRACEPARENT.match(header.strip().lower())
            if m and m.group(1) != "ff" and set(m.group(2)) != {"0"} and set(m.group(3)) != {"0"}:
                return cls(
                    trace_id=m.group(2), span_id=secrets.token_hex(8), parent_span_id=m.group(3)
                )
        return None

    @classmethod
    def from_traceparent(cls, header: str | None) -> TraceContext:
        """Continue a W3C trace when a valid ``traceparent`` header came in, else start one.

        Only for a caller whose trace id may be trusted: the id groups lines into "one
        request" (see ``app/security/tracing.py`` for how the application decides)."""
        return cls.continued(header) or cls.new()

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
        if self.pseudonym is not None and not PSEUDONYM.match(self.pseudonym):
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
    status_code: str = "Ok"  # Unset | Ok | Error (the standard's span status)

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

    @property
    def action_span_id(self) -> str:
        """The span of the action (the request) the line was written in: the stored ``span_id``.

        Served, each line is a span of its own (:attr:`subject_span_id`) whose parent is this
        one: the standard's rule for an action that concerns several data subjects."""
        return self.span_id

    @property
    def subject_span_id(self) -> str:
        """The line's own span id, as served: the first 16 hex digits of its keyed hash.

        Unique per line (and so per data subject and action), stable, derived from what was
        written — the chain needs no new column — and revealing nothing (the hash is keyed)."""
        return self.line_hash[:16]

    @property
    def status(self) -> str:
        """``Unset``, ``Ok`` or ``Error``: lines written before issue 15 stored ``OK``."""
        return LDV_STATUS.get(self.status_code, "Unset")

    def to_ldv(
        self,
        *,
        activity_uri: Callable[[str], str] | None = None,
        processor: str | None = None,
    ) -> dict[str, Any]:
        """The line as a record of *Logboek Dataverwerkingen* (the core standard, served in the
        shape of the read extension 1.1.0: ``ProcessingActivity``).

        ``activity_uri`` turns a register key into the URI where the register serves that
        processing activity; ``processor`` is the URI of the other application of an exchange.
        Eenplan's own fields are attributes in the ``eenplan.`` namespace (a local extension,
        see docs/logboek.md); a reader of the core never needs them. Empty values are left out.
        """
        core: dict[str, Any] = {
            "dpl.core.processing_activity_id": activity_uri(self.processing_activity_id)
            if activity_uri
            else self.processing_activity_id,
            "dpl.core.data_subject_id": self.data_subject_id,
            "dpl.core.data_subject_id_type": self.data_subject_id_type,
            "dpl.core.foreign_operation.processor": processor,
        }
        own: dict[str, Any] = {
            "eenplan.seq": self.seq,
            "eenplan.kind": self.kind,
            "eenplan.action": self.action,
            "eenplan.processing_activity": self.processing_activity_id,
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
            # The caller's span the request continued (a trusted caller's or a foreign
            # reference, see app/security/tracing.py): the action's own parent.
            "eenplan.request.parent_span_id": self.parent_span_id,
        }
        ms = epoch_ms(self.occurred_at)
        record: dict[str, Any] = {
            "traceId": trace_uuid(self.trace_id),
            "spanId": self.subject_span_id,
            "parentSpanId": self.action_span_id,
            "name": self.name,
            "startTime": ms,
            "endTime": ms,
            "status": self.status,
            "resource": {
                "attributes": {
                    "service.name": self.resource_name,
                    "service.version": self.resource_version,
                }
            },
            "attributes": {k: v for k, v in {**core, **own}.items() if v is not None},
        }
        return record


# Stored status codes and their value in the standard (``OK``: lines before issue 15).
LDV_STATUS = {"OK": "Ok", "Ok": "Ok", "Error": "Error", "Unset": "Unset"}
STATUS_OK = "Ok"
STATUS_ERROR = "Error"


def trace_uuid(trace_id: str) -> str:
    """A W3C trace id (32 hex) in the uuid form the read extension's schema asks for."""
    t = trace_id.lower()
    return f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:]}"


def epoch_ms(value: dt.datetime) -> int:
    """Milliseconds since the epoch (the standard's ``startTime``/``endTime``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp() * 1000)


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

    ``flask audit checkpoint`` also appends it to the anchor store outside the database
    (:mod:`audit.anchors`): as an *anchor* for :meth:`Logboek.verify` it exposes a rollback of
    the whole database.
    """

    seq: int
    line_hash: str
    created_at: dt.datetime
    prev_mac: str | None
    mac: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "line_hash": self.line_hash,
            "created_at": timestamp_text(self.created_at),
            "prev_mac": self.prev_mac,
            "mac": self.mac,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
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
    data_subject_ids: tuple[str, ...] | None = None  # any of these pseudonyms
    trace_id: str | None = None
    span_id: str | None = None  # with trace_id: the lines of one request (our own span id)
    processing_activity_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    after_seq: int | None = None  # only lines after this one (what an earlier read did not see)
    seqs: tuple[int, ...] | None = None  # only these lines
    through_seq: int | None = None  # only this line and those before it
    actor_organisation: str | None = None
    actor_id: str | None = None
    kind: str | None = None
    action: str | None = None
    actions: tuple[str, ...] | None = None  # any of these actions
    actor_type: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    emergency_only: bool = False
    # Exchanges with any of these parties (as sender or recipient).
    parties: tuple[str, ...] | None = None
    # Hide lines whose "disclose after" date lies after this day (the citizen's own view).
    disclosed_on: dt.date | None = None
    # Hide lines about these objects, (object_type, object_id): disclosure deferred by a record
    # kept outside the chain (the citizen's own view; the lines themselves are never changed).
    hidden_objects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LinePage:
    """A page of lines, newest first; ``next_before`` is the cursor for the next page."""

    lines: list[LogLine]
    next_before: int | None


def line_from_mapping(m: Any) -> LogLine:
    """A stored line (a row of ``audit_log_line`` with its register version's ``pa_name``,
    ``pa_version``, ``purpose``, ``legal_basis`` and ``legal_reference``) as a LogLine."""
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
    "ACTIONS",
    "LDV_STATUS",
    "STATUS_ERROR",
    "STATUS_OK",
    "KINDS",
    "Actor",
    "Checkpoint",
    "Entry",
    "LineFilter",
    "LinePage",
    "LogLine",
    "LogboekError",
    "Subject",
    "TraceContext",
    "VerifyReport",
    "epoch_ms",
    "line_from_mapping",
    "trace_uuid",
]
