"""The one path by which personal data leaves the server: every inzage is logged first.

How it works
------------
* Models holding residents' personal data inherit :class:`PersonalData`. Whenever such an object
  is loaded from the database into a session that carries a :class:`Ledger`, the ledger notes it;
  whenever one is created, changed or deleted, the ledger notes that too.
* At the end of a request (``after_request``, i.e. after the page or JSON was rendered and before a
  byte is sent) :func:`finalize` turns what was noted into logboek lines — one per data subject —
  and writes them **in the same transaction** as the request's own changes, then commits. If that
  fails, the request fails with an error page and the rendered data is thrown away.
* A view declares *why* it processes personal data with :func:`verwerking` (a processing activity
  from the register). A view that loads personal data without a declaration fails closed.
* Selecting bare columns of a personal-data model (which would bypass the load hook) is refused,
  unless the query is explicitly marked internal (``execution_options(audit_internal=True)``) —
  for access checks and counts that show nothing about a person.

Views therefore cannot forget to log: what they load is what gets logged, and what they may not
show is not loaded (the access layer builds the queries).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from audit import Actor, Entry, Logboek, LogLine, Subject, TraceContext

F = TypeVar("F", bound=Callable[..., Any])

SYSTEM_ACTOR = Actor(type="systeem", id="eenplan", name="Eenplan (systeem)", role="systeem")


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
        """Who the data is about: ("person", id) or ("plan", id) references."""
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
    context_object: tuple[str, str] | None = None
    closed: bool = False

    def declare(self, declaration: Verwerking) -> None:
        self.declaration = declaration

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
    return session.info.get("ledger")


def install_ledger(session: Session, ledger: Ledger) -> Ledger:
    session.info["ledger"] = ledger
    return ledger


def current_ledger() -> Ledger:
    from app.db import session

    ledger = get_ledger(session)
    if ledger is None:
        raise RuntimeError("no ledger in this unit of work")
    return ledger


# --- declaring ----------------------------------------------------------------------------


def verwerking(processing_activity: str, *, name: str | None = None) -> Callable[[F], F]:
    """Declare the processing activity of a view (checked against the register in tests)."""
    declaration = Verwerking(processing_activity, name)

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ledger = current_ledger()
            if ledger.declaration is None:
                ledger.declare(declaration)
            return fn(*args, **kwargs)

        wrapper.__verwerking__ = declaration  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def declared_verwerkingen(app: Flask) -> dict[str, Verwerking]:
    return {
        endpoint: fn.__verwerking__
        for endpoint, fn in app.view_functions.items()
        if hasattr(fn, "__verwerking__")
    }


# --- noting (SQLAlchemy events) -------------------------------------------------------------


def _on_load(session: Session, instance: Any) -> None:
    ledger = session.info.get("ledger")
    if ledger is None or not isinstance(instance, PersonalData):
        return
    if ledger.closed:
        raise LedgerClosed(
            f"{type(instance).__name__} geladen nadat de logboekregels al waren geschreven"
        )
    ledger.seen.append(
        _Seen(
            obj=instance,
            refs=list(instance.audit_refs()),
            categories=instance.audit_categories(),
            object=instance.audit_object,
        )
    )


def _on_rollback(session: Session) -> None:
    ledger = session.info.get("ledger")
    if ledger is not None:
        ledger.changes.clear()
        ledger.exchanges.clear()


def _on_execute(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("audit_internal"):
        return
    if state.session.info.get("ledger") is None:
        return
    stmt = state.statement
    descriptions = getattr(stmt, "column_descriptions", None)
    if not descriptions:
        return
    for desc in descriptions:
        entity = desc.get("entity")
        if (
            entity is not None
            and isinstance(entity, type)
            and issubclass(entity, PersonalData)
            and desc.get("expr") is not entity
            and desc.get("aliased") is not True
        ):
            raise ColumnLevelPersonalDataRead(
                f"kolommen van {entity.__name__} zonder logboek; laad het object, "
                "of markeer de query met audit_internal=True als hij niets over een persoon toont"
            )


def _changed_attrs(obj: Any) -> list[str]:
    state = inspect(obj)
    return [a.key for a in state.attrs if a.history.has_changes()]


def _on_after_flush(session: Session, _ctx: UOWTransaction) -> None:
    ledger = session.info.get("ledger")
    if ledger is None:
        return
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, PersonalData):
                continue
            if action == "update":
                changed = _changed_attrs(obj)
                if not changed:
                    continue
                cats = obj.audit_categories(changed)
            elif action == "create":
                cats = obj.audit_categories(
                    [a for a in obj.__audit_categories__ if getattr(obj, a, None) is not None]
                )
            else:
                cats = obj.audit_categories(obj.__audit_categories__)
            otype, oid = obj.audit_object
            ledger.changes.append(_Change(action, list(obj.audit_refs()), cats, otype, oid))


def init_session_events(sessionmaker: Any) -> None:
    event.listen(sessionmaker, "loaded_as_persistent", _on_load)
    event.listen(sessionmaker, "do_orm_execute", _on_execute)
    event.listen(sessionmaker, "after_flush", _on_after_flush)
    event.listen(sessionmaker, "after_rollback", _on_rollback)


# --- writing --------------------------------------------------------------------------------


def _resolve_people(session: Session, refs: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Map ("person", id) / ("plan", id) references to person ids."""
    from app.plans.models import Plan

    out: dict[tuple[str, int], int] = {}
    plan_ids = {i for kind, i in refs if kind == "plan"}
    if plan_ids:
        rows = session.execute(
            select(Plan.id, Plan.person_id)
            .where(Plan.id.in_(plan_ids))
            .execution_options(audit_internal=True)
        )
        for plan_id, person_id in rows:
            out[("plan", plan_id)] = person_id
    for kind, i in refs:
        if kind == "person":
            out[(kind, i)] = i
    return out


def _bsns(session: Session, person_ids: set[int]) -> dict[int, str]:
    from app.people.models import Person

    found: dict[int, str] = {}
    missing = set()
    for pid in person_ids:
        obj = session.identity_map.get((Person, (pid,), None))
        if obj is not None and "bsn" not in inspect(obj).unloaded:
            found[pid] = obj.bsn
        else:
            missing.add(pid)
    if missing:
        rows = session.execute(
            select(Person.id, Person.bsn)
            .where(Person.id.in_(missing))
            .execution_options(audit_internal=True)
        )
        found.update({pid: bsn for pid, bsn in rows})
    return found


def _persons_by_bsn(session: Session, bsns: set[str]) -> dict[str, int]:
    from app.people.models import Person

    if not bsns:
        return {}
    rows = session.execute(
        select(Person.bsn, Person.id)
        .where(Person.bsn.in_(bsns))
        .execution_options(audit_internal=True)
    )
    return {bsn: pid for bsn, pid in rows}


def _normalise(cats: set[str]) -> set[str]:
    if "activiteiten" in cats:
        cats = cats - {"activiteiten-buitenkant"}
    return cats


def build_entries(session: Session, ledger: Ledger, *, include_views: bool) -> list[Entry]:
    assert ledger.actor is not None
    refs: set[tuple[str, int]] = set()
    seen_by_ref: dict[tuple[str, int], list[_Seen]] = defaultdict(list)
    if include_views:
        for seen in ledger.seen:
            state = inspect(seen.obj)
            if not (state.deleted or state.was_deleted or state.expired):
                # Columns loaded after the object itself (deferred ones) count too.
                seen.categories |= seen.obj.audit_categories()
            for ref in seen.refs:
                refs.add(ref)
                seen_by_ref[ref].append(seen)
    for change in ledger.changes:
        refs.update(change.refs)
    for exchange in ledger.exchanges:
        refs.update(exchange.refs)
    viewed = ledger.viewed if include_views else []
    viewed_bsns = {b for v in viewed for b in v.bsns}
    person_by_bsn = _persons_by_bsn(session, viewed_bsns)
    for v in viewed:
        refs.update(v.refs)
        refs.update(("person", person_by_bsn[b]) for b in v.bsns if b in person_by_bsn)
    people = _resolve_people(session, refs)
    bsns = _bsns(session, set(people.values()))

    def subject_of(ref: tuple[str, int]) -> tuple[int, Subject] | None:
        pid = people.get(ref)
        if pid is None or pid == ledger.own_person_id:
            return None
        return pid, Subject("BSN", bsns[pid])

    declaration = ledger.declaration
    assert declaration is not None
    name = declaration.name or (request.endpoint if has_request_context() else None) or "eenplan"
    common: dict[str, Any] = {
        "actor": ledger.actor,
        "processing_activity": declaration.processing_activity,
        "trace": ledger.trace,
        "reason": ledger.reason,
        "emergency": ledger.emergency,
        "disclose_after": ledger.disclose_after,
        "deferral_reason": ledger.deferral_reason,
        "name": name,
    }
    entries: list[Entry] = []

    # One "view" line per subject, with the union of the categories seen.
    views: dict[int, tuple[Subject, set[str], tuple[str, str]]] = {}
    for ref, seens in seen_by_ref.items():
        subj = subject_of(ref)
        if subj is None:
            continue
        pid, subject = subj
        cats: set[str] = set()
        for seen in seens:
            cats |= seen.categories
        obj_ref = ledger.context_object or next(
            (s.object for s in seens if s.object[0] == "plan"), seens[0].object
        )
        if pid in views:
            views[pid][1].update(cats)
        else:
            views[pid] = (subject, cats, obj_ref)
    # Data shown that was not an ORM object joins the subject's view line.
    unknown: dict[str, tuple[Subject, set[str], tuple[str, str]]] = {}
    for v in viewed:
        v_refs = list(v.refs) + [("person", person_by_bsn[b]) for b in v.bsns if b in person_by_bsn]
        for ref in v_refs:
            subj = subject_of(ref)
            if subj is None:
                continue
            pid, subject = subj
            obj_ref = ledger.context_object or v.object or ("person", str(pid))
            if pid in views:
                views[pid][1].update(v.categories)
            else:
                views[pid] = (subject, set(v.categories), obj_ref)
        for b in v.bsns:
            if b in person_by_bsn:
                continue
            obj_ref = ledger.context_object or v.object or ("persoon", "onbekend")
            if b in unknown:
                unknown[b][1].update(v.categories)
            else:
                unknown[b] = (Subject("BSN", b), set(v.categories), obj_ref)
    view_lines = [*sorted(views.items()), *sorted(unknown.items())]
    for _key, (subject, cats, (otype, oid)) in view_lines:
        entries.append(
            Entry(
                kind="inzage",
                action="view",
                subjects=(subject,),
                data_categories=tuple(sorted(_normalise(cats))),
                object_type=otype,
                object_id=oid,
                **common,
            )
        )

    # One line per subject and kind of change (create, update, delete), naming the plan when the
    # change touched it, else the first object changed.
    changed: dict[tuple[int, str], tuple[Subject, set[str], list[tuple[str, str]]]] = {}
    for change in ledger.changes:
        for ref in change.refs:
            subj = subject_of(ref)
            if subj is None:
                continue
            pid, subject = subj
            key = (pid, change.action)
            if key not in changed:
                changed[key] = (subject, set(), [])
            changed[key][1].update(change.categories)
            changed[key][2].append((change.object_type, change.object_id))
    order = {"create": 0, "update": 1, "delete": 2}
    for (_pid, action), (subject, cats, objects) in sorted(
        changed.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        otype, oid = next((o for o in objects if o[0] == "plan"), objects[0])
        entries.append(
            Entry(
                kind="inzage",
                action=action,
                subjects=(subject,),
                data_categories=tuple(sorted(_normalise(cats))),
                object_type=otype,
                object_id=oid,
                **common,
            )
        )
    if include_views and ledger.subject_views:
        entries.extend(_subject_view_entries(session, ledger, common))
    for exchange in ledger.exchanges:
        subjects = []
        for ref in exchange.refs:
            subj = subject_of(ref)
            if subj is not None and subj[1] not in subjects:
                subjects.append(subj[1])
        if not subjects:
            continue
        entries.append(
            Entry(
                kind="uitwisseling",
                action=exchange.action,
                subjects=tuple(subjects),
                data_categories=tuple(sorted(_normalise(exchange.categories))),
                object_type=exchange.object_type,
                object_id=exchange.object_id,
                sender=exchange.sender,
                recipient=exchange.recipient,
                **{
                    **common,
                    "processing_activity": exchange.processing_activity
                    or declaration.processing_activity,
                },
            )
        )
    entries.extend(ledger.extra)
    return entries


def _subject_view_entries(session: Session, ledger: Ledger, common: dict[str, Any]) -> list[Entry]:
    """One view line per pseudonymous subject (categories merged), never about oneself."""
    lb = logboek()
    own: str | None = None
    if ledger.own_person_id is not None:
        bsn = _bsns(session, {ledger.own_person_id}).get(ledger.own_person_id)
        own = lb.pseudonymise(Subject("BSN", bsn)) if bsn else None
    merged: dict[tuple[str, str], _SubjectView] = {}
    for view in ledger.subject_views:
        pseudonym = lb.pseudonymise(view.subject)
        if pseudonym == own:
            continue
        key = (view.subject.id_type, pseudonym)
        if key in merged:
            merged[key].categories |= view.categories
        else:
            merged[key] = _SubjectView(
                Subject.pseudonymous(view.subject.id_type, pseudonym),
                set(view.categories),
                view.object_type,
                view.object_id,
                view.processing_activity,
            )
    return [
        Entry(
            kind="inzage",
            action="view",
            subjects=(view.subject,),
            data_categories=tuple(sorted(view.categories)),
            object_type=view.object_type,
            object_id=view.object_id,
            **{
                **common,
                "processing_activity": view.processing_activity or common["processing_activity"],
            },
        )
        for view in merged.values()
    ]


def logboek() -> Logboek:
    return current_app.extensions["eenplan_logboek"]


def finalize(session: Session, *, include_views: bool = True) -> list[LogLine]:
    """Write the unit of work's logboek lines and commit, together with its changes."""
    ledger = get_ledger(session)
    if ledger is None:
        session.commit()
        return []
    session.flush()
    lines: list[LogLine] = []
    has_personal = bool(
        ledger.changes
        or ledger.exchanges
        or ledger.extra
        or (include_views and (ledger.seen or ledger.viewed or ledger.subject_views))
    )
    if has_personal:
        if ledger.declaration is None:
            raise UndeclaredVerwerking(
                "persoonsgegevens verwerkt zonder verwerkingsactiviteit"
                + (f" in {request.endpoint}" if has_request_context() else "")
            )
        if ledger.actor is None:
            raise RuntimeError("no actor for the logboek")
        entries = build_entries(session, ledger, include_views=include_views)
        lines = logboek().record(session.connection(), entries)
        if lines:
            from app.portaal.live import notify_in_transaction

            # PostgreSQL delivers this only when the lines commit (the citizen's live page).
            notify_in_transaction(session.connection(), lines)
    ledger.closed = True
    session.commit()
    if lines:
        from app.events import lines_committed

        lines_committed.send(current_app._get_current_object(), lines=lines)  # type: ignore[attr-defined]
    return lines


class unit_of_work:
    """For commands and jobs: ``with unit_of_work(session, "verwerking-key"): ...``.

    Commits with its logboek lines on success, rolls back on error.
    """

    def __init__(
        self,
        session: Session,
        processing_activity: str,
        *,
        actor: Actor = SYSTEM_ACTOR,
        name: str | None = None,
    ) -> None:
        self.session = session
        self.ledger = Ledger(trace=TraceContext.new(), actor=actor)
        self.ledger.declare(Verwerking(processing_activity, name))
        self.lines: list[LogLine] = []

    def __enter__(self) -> Ledger:
        install_ledger(self.session, self.ledger)
        return self.ledger

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.lines = finalize(self.session)
            else:
                self.session.rollback()
        finally:
            self.session.info.pop("ledger", None)


# --- request integration --------------------------------------------------------------------


def init_app(app: Flask) -> None:
    from app.db import session

    init_session_events(app.extensions["eenplan_db"].sessionmaker)

    @app.before_request
    def _open_ledger() -> None:
        if g.get("trace") is None:  # app.security.logs may have started it (for its log lines)
            g.trace = TraceContext.from_traceparent(request.headers.get("traceparent"))
        install_ledger(session, Ledger(trace=g.trace))

    @app.after_request
    def _write_ledger(response: Any) -> Any:
        if g.get("uow_failed"):
            return response
        ledger = get_ledger(session)
        if ledger is None:
            return response
        from app.auth.identity import actor_for_current_user, own_person_id

        if ledger.actor is None:
            ledger.actor = actor_for_current_user()
            ledger.own_person_id = own_person_id()
        include_views = not (300 <= response.status_code < 400)
        finalize(session, include_views=include_views)
        response.headers["traceresponse"] = g.trace.traceparent()
        return response


def discard(session: Session) -> None:
    """After an error: drop what the unit of work did; nothing of it is shown or logged."""
    if has_request_context():
        g.uow_failed = True
    session.rollback()
    ledger = get_ledger(session)
    if ledger is not None:
        ledger.closed = True
