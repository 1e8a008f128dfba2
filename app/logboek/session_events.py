"""Noting: the SQLAlchemy session hooks that put what a unit of work does on its ledger.

* an object of a :class:`~app.logboek.ledger.PersonalData` model loaded into a session that
  carries a ledger is noted as seen; one created, changed or deleted is noted as a change;
* selecting bare columns of such a model (which would bypass the load hook) is refused unless
  the query is marked internal (``execution_options(audit_internal=True)``: access checks and
  counts that show nothing about a person);
* a rollback drops the changes and exchanges noted (what did not happen is not logged).

Outside a request and a unit of work there is no ledger. In a command line command
(``flask …``) that is refused: personal data loaded or changed there raises
:class:`~app.logboek.ledger.NoLedger` — a command that touches personal data opens a
:class:`~app.logboek.writer.unit_of_work`.
"""

from __future__ import annotations

from typing import Any

import click
from flask import has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.logboek.ledger import (
    ColumnLevelPersonalDataRead,
    LedgerClosed,
    NoLedger,
    PersonalData,
    _Change,
    _Seen,
)

_NO_UNIT_OF_WORK = "een commando dat persoonsgegevens raakt, draait in een unit_of_work"


def _in_command() -> bool:
    """A command line command runs here (outside a request): personal data needs a ledger."""
    return click.get_current_context(silent=True) is not None and not has_request_context()


def _on_load(session: Session, instance: Any) -> None:
    if not isinstance(instance, PersonalData):
        return
    ledger = session.info.get("ledger")
    if ledger is None:
        if _in_command():
            raise NoLedger(f"{type(instance).__name__} geladen zonder logboek; {_NO_UNIT_OF_WORK}")
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
    if state.execution_options.get("audit_internal"):
        return
    if state.session.info.get("ledger") is None:
        if not _in_command():
            return
        mapper = state.bind_mapper
        if (
            (state.is_update or state.is_delete)
            and mapper is not None
            and issubclass(mapper.class_, PersonalData)
        ):
            raise NoLedger(f"{mapper.class_.__name__} gewijzigd zonder logboek; {_NO_UNIT_OF_WORK}")
    if not state.is_select:
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
        if _in_command():
            for obj in (*session.new, *session.dirty, *session.deleted):
                if isinstance(obj, PersonalData) and (
                    obj not in session.dirty or _changed_attrs(obj)
                ):
                    # Raised inside the flush: SQLAlchemy rolls the flush back.
                    raise NoLedger(
                        f"{type(obj).__name__} gewijzigd zonder logboek; {_NO_UNIT_OF_WORK}"
                    )
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


def install(sessionmaker: Any) -> None:
    event.listen(sessionmaker, "loaded_as_persistent", _on_load)
    event.listen(sessionmaker, "do_orm_execute", _on_execute)
    event.listen(sessionmaker, "after_flush", _on_after_flush)
    event.listen(sessionmaker, "after_rollback", _on_rollback)
