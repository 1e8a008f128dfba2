"""Writing: the unit of work's logboek lines, in the same transaction as its own changes.

:func:`finalize` turns what the ledger noted into lines — one view line per data subject (the
categories seen merged), one line per subject and kind of change, one per exchange, and the
explicit entries — writes them, commits, and announces them (``lines_committed``; on PostgreSQL
also a ``NOTIFY`` in the statement that writes them, see :mod:`app.logboek.live`). Everything
but the append itself is done before it: the append takes the chain's lock, which every other
append waits for until this transaction commits. If writing fails, the
unit of work fails with it. :class:`unit_of_work` is the same for commands and jobs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.logboek import subjects as resolve
from app.logboek.events import lines_committed
from app.logboek.ledger import (
    SYSTEM_ACTOR,
    Ledger,
    UndeclaredVerwerking,
    Verwerking,
    _Seen,
    _SubjectView,
    current_logboek,
    get_ledger,
    install_ledger,
)
from app.logboek.live import announcement
from audit import Actor, Entry, LogLine, Subject, TraceContext


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
    person_by_bsn = resolve.ids_by_bsn(session, viewed_bsns)
    for v in viewed:
        refs.update(v.refs)
        refs.update(("person", person_by_bsn[b]) for b in v.bsns if b in person_by_bsn)
    people = resolve.person_ids(session, refs)
    bsns = resolve.bsns(session, set(people.values()))

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
        "status_code": ledger.status,
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
    lb = current_logboek()
    own: str | None = None
    if ledger.own_person_id is not None:
        bsn = resolve.bsns(session, {ledger.own_person_id}).get(ledger.own_person_id)
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
        # The head's lock is taken in here and held until the commit below, with nothing in
        # between: every other append waits for it. The notification for the citizen's live
        # page goes in the same statement as the lines; PostgreSQL delivers it on commit.
        lines = current_logboek().record(session.connection(), entries, announce=announcement)
    ledger.closed = True
    session.commit()
    if lines:
        lines_committed.send(current_app._get_current_object(), lines=lines)  # type: ignore[attr-defined]
    return lines


class unit_of_work:
    """For commands and jobs: ``with unit_of_work(session, verwerking): ...`` (a register key,
    e.g. ``app.domain.Verwerkingsactiviteit.REGIE``).

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


def discard(session: Session) -> None:
    """After an error: drop what the unit of work did; nothing of it is shown or logged."""
    if has_request_context():
        g.uow_failed = True
    session.rollback()
    ledger = get_ledger(session)
    if ledger is not None:
        ledger.closed = True
