"""The ledger: what one unit of work (a request, a command) did with personal data.

Models holding residents' personal data inherit :class:`PersonalData`; the session hooks
(:mod:`app.logboek.session_events`) note on the session's :class:`Ledger` what is loaded and
changed, views and services note what the hooks cannot see (an exchange, data from an external
source, logboek lines read), and :mod:`app.logboek.writer` turns it into logboek lines at the
end of the unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app import db
from audit import Actor, Entry, Logboek, Subject, TraceContext

SYSTEM_ACTOR = Actor(type="systeem", id="eenplan", name="Eenplan (systeem)", role="systeem")


class NoLedger(RuntimeError):
    """Personal data was to be logged (or touched by a command) outside a unit of work.

    Every explicit log path raises this rather than skip the line: what cannot be logged must
    not happen."""


class UndeclaredVerwerking(RuntimeError):
    """A view loaded personal data but did not declare its processing activity."""


class ColumnLevelPersonalDataRead(RuntimeError):
    """A query selected bare columns of personal data, bypassing the logboek."""


class LedgerClosed(RuntimeError):
    """Personal data was loaded after the request's logboek lines were written."""


class PersonalData:
    """Mixin for models with residents' personal data.

    ``__audit_categories__`` maps attribute names to data categories; an attribute that is loaded
    contributes its category. ``__audit_default_category__`` counts as soon as the object is seen.
    """

    __audit_categories__: ClassVar[dict[str, str]] = {}
    __audit_default_category__: ClassVar[str | None] = None

    def audit_refs(self) -> Iterable[tuple[str, int]]:
        """Who the data is about: ("person", id) or ("plan", id) references (each kind
        registered by a model, see :mod:`app.logboek.subjects`)."""
        raise NotImplementedError

    def audit_categories(self, attrs: Iterable[str] | None = None) -> set[str]:
        """Categories of the loaded attributes (or of ``attrs``, e.g. the changed ones)."""
        mapping = self.__audit_categories__
        if attrs is None:
            unloaded = inspect(self).unloaded
            attrs = [a for a in mapping if a not in unloaded]
        cats = {mapping[a] for a in attrs if a in mapping}
        if self.__audit_default_category__:
            cats.add(self.__audit_default_category__)
        return cats

    @property
    def audit_object(self) -> tuple[str, str]:
        state = inspect(self)
        key = state.identity or state.mapper.primary_key_from_instance(self)
        return (type(self).__tablename__, str(key[0]))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Verwerking:
    """The declaration a view makes: under which processing activity it handles personal data."""

    processing_activity: str
    name: str | None = None


@dataclass
class _Change:
    action: str
    refs: list[tuple[str, int]]
    categories: set[str]
    object_type: str
    object_id: str


@dataclass
class _Seen:
    obj: PersonalData
    refs: list[tuple[str, int]]
    categories: set[str]
    object: tuple[str, str]


@dataclass
class _Exchange:
    action: str  # send | receive
    refs: list[tuple[str, int]]
    categories: set[str]
    sender: str
    recipient: str
    object_type: str | None
    object_id: str | None
    processing_activity: str | None


@dataclass
class _Viewed:
    """Data shown that did not come from an ORM object (e.g. a source's answer in the inkijk)."""

    refs: list[tuple[str, int]]
    bsns: list[str]
    categories: set[str]
    object: tuple[str, str] | None


@dataclass
class _SubjectView:
    """Data about a subject known only by pseudonym was shown (e.g. their logboek lines)."""

    subject: Subject
    categories: set[str]
    object_type: str | None
    object_id: str | None
    processing_activity: str | None


@dataclass
class Ledger:
    """What one unit of work (request, command) did with personal data."""

    trace: TraceContext
    actor: Actor | None = None
    own_person_id: int | None = None
    declaration: Verwerking | None = None
    seen: list[_Seen] = field(default_factory=list)
    changes: list[_Change] = field(default_factory=list)
    exchanges: list[_Exchange] = field(default_factory=list)
    viewed: list[_Viewed] = field(default_factory=list)
    subject_views: list[_SubjectView] = field(default_factory=list)
    extra: list[Entry] = field(default_factory=list)
    reason: str | None = None
    emergency: bool = False
    disclose_after: dt.date | None = None
    deferral_reason: str | None = None
    # The span status of the unit of work's lines (Logboek Dataverwerkingen): "Error" when the
    # action was refused after it had already told the caller something (a logged refusal).
    status: str = "Ok"
    context_object: tuple[str, str] | None = None
    closed: bool = False
    # How the user reached what this unit of work shows (set by the route guard): the role they
    # act in, a more precise label for the lines (a stand-in, a trusted person), the access path.
    acting_role: str | None = None
    acting_label: str | None = None
    access_path: str | None = None

    def declare(self, declaration: Verwerking) -> None:
        self.declaration = declaration

    def record_access(
        self,
        *,
        role: str,
        label: str | None = None,
        path: str | None = None,
        emergency_reason: str | None = None,
    ) -> None:
        """Say explicitly how the user reached the data: the role (and label) on every line this
        unit of work writes; for emergency access (a stand-in) the mark and the reason too."""
        self.acting_role = role
        self.acting_label = label
        self.access_path = path
        if emergency_reason is not None:
            self.emergency = True
            self.reason = emergency_reason

    def record(self, entry: Entry) -> None:
        """Add an explicit, complete entry (e.g. an inzage of something not in the ORM)."""
        self.extra.append(entry)

    def note_exchange(
        self,
        *,
        refs: Iterable[tuple[str, int]],
        categories: Iterable[str],
        sender: str,
        recipient: str,
        action: str = "send",
        object_type: str | None = None,
        object_id: Any = None,
        processing_activity: str | None = None,
    ) -> None:
        """Personal data goes to (or comes from) another party; logged with this unit of work.

        Dropped if the unit of work rolls back: an exchange that did not happen is not logged.
        """
        self.exchanges.append(
            _Exchange(
                action=action,
                refs=list(refs),
                categories=set(categories),
                sender=sender,
                recipient=recipient,
                object_type=object_type,
                object_id=None if object_id is None else str(object_id),
                processing_activity=processing_activity,
            )
        )

    def note_view(
        self,
        *,
        categories: Iterable[str],
        refs: Iterable[tuple[str, int]] = (),
        bsns: Iterable[str] = (),
        object_type: str | None = None,
        object_id: Any = None,
    ) -> None:
        """Personal data shown that was not loaded as an ORM object (e.g. an external source's
        answer). Merged into the subject's one view line, like a loaded object would be.

        ``bsns`` names subjects by BSN (people an external source answered about, who may not
        be known in Eenplan).
        """
        self.viewed.append(
            _Viewed(
                refs=list(refs),
                bsns=list(bsns),
                categories=set(categories),
                object=None if object_type is None else (object_type, str(object_id)),
            )
        )

    def note_subject_view(
        self,
        subject: Subject,
        *,
        categories: Iterable[str],
        object_type: str | None = None,
        object_id: Any = None,
        processing_activity: str | None = None,
    ) -> None:
        """Data about ``subject`` is shown that the ORM hooks do not see (e.g. logboek lines:
        the privacy officer's reading is itself logged, about the same person). One view line
        per subject, written with the unit of work's other lines."""
        if self.closed:
            raise LedgerClosed("inzage genoteerd nadat de logboekregels al waren geschreven")
        self.subject_views.append(
            _SubjectView(
                subject=subject,
                categories=set(categories),
                object_type=object_type,
                object_id=None if object_id is None else str(object_id),
                processing_activity=processing_activity,
            )
        )

    def set_context(self, object_type: str, object_id: Any) -> None:
        """The object a page is about (e.g. the plan), named on every view line."""
        self.context_object = (object_type, str(object_id))


def get_ledger(session: Session) -> Ledger | None:
    """The unit of work's ledger, or ``None`` outside one (only for code that merely *adds* to
    what a ledger says, never for a log path: those use :func:`current_ledger`)."""
    return session.info.get("ledger")


def install_ledger(session: Session, ledger: Ledger) -> Ledger:
    session.info["ledger"] = ledger
    return ledger


def current_ledger() -> Ledger:
    """The ledger of the current unit of work (request or :class:`~app.logboek.unit_of_work`).

    Raises :class:`NoLedger` outside one: what cannot be logged must not happen.
    """
    ledger = get_ledger(db.session)
    if ledger is None:
        raise NoLedger("geen logboek in deze unit of work: gebruik een request of unit_of_work")
    return ledger


def current_logboek() -> Logboek:
    """The application's logboek (:class:`audit.Logboek`): for reading and pseudonymising."""
    lb: Logboek = current_app.extensions["eenplan_logboek"]
    return lb


def record_decision(
    *,
    actor: Actor,
    subject: Subject,
    processing_activity: str,
    name: str,
    action: str,
    categories: tuple[str, ...],
    object_type: str,
    object_id: str,
) -> None:
    """A decision (e.g. a citizen's choice about access) as an explicit line of its own, written
    with the unit of work (also when it is about the actor's own data). Raises :class:`NoLedger`
    outside a unit of work."""
    ledger = current_ledger()
    ledger.record(
        Entry(
            kind="inzage",
            action=action,
            name=name,
            actor=actor,
            subjects=(subject,),
            processing_activity=processing_activity,
            data_categories=categories,
            trace=ledger.trace,
            object_type=object_type,
            object_id=object_id,
        )
    )
