"""Whom a logboek line is about: the hook by which models tell the logboek about subjects.

Personal data names the person it is about by reference (``audit_refs``): ``("person", id)`` or
``("plan", id)``. The logboek resolves those references to the person's BSN without knowing the
feature models — the models register themselves when they are defined:

* :func:`data_subject` on the model of the persons themselves (``Person``): its references
  (``("person", id)``) are the person; it also maps person ids to BSNs and back;
* :func:`refers_to_person` on a model whose references stand for a person (``Plan``: a
  ``("plan", id)`` reference is the plan's person).

A reference of a kind nobody registered raises :class:`UnknownSubjectKind` rather than be
dropped from the logboek.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

T = TypeVar("T", bound=type)


class UnknownSubjectKind(LookupError):
    """A personal-data reference of a kind no model registered: nobody to write the line about."""


@dataclass(frozen=True)
class _Referrer:
    model: Any
    id_attr: str
    person_id_attr: str


@dataclass(frozen=True)
class _Subjects:
    model: Any
    kind: str
    id_attr: str
    bsn_attr: str


_referrers: dict[str, _Referrer] = {}
_subjects: list[_Subjects] = []


def data_subject(kind: str = "person", *, id: str = "id", bsn: str = "bsn") -> Callable[[T], T]:
    """Class decorator: this model holds the data subjects themselves (their BSN in ``bsn``);
    a reference ``(kind, id)`` is the person with that id."""

    def register(model: T) -> T:
        _subjects[:] = [_Subjects(model, kind, id, bsn)]
        return model

    return register


def refers_to_person(
    kind: str, *, id: str = "id", person_id: str = "person_id"
) -> Callable[[T], T]:
    """Class decorator: a reference ``(kind, id)`` stands for the person in this model's
    ``person_id`` column (e.g. a plan reference is the plan's person)."""

    def register(model: T) -> T:
        _referrers[kind] = _Referrer(model, id, person_id)
        return model

    return register


def _people() -> _Subjects:
    if not _subjects:
        raise UnknownSubjectKind("no model registered as @data_subject: persons cannot be named")
    return _subjects[0]


def person_ids(session: Session, refs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Map references to person ids (a reference to a row that does not exist maps to none)."""
    people = _people()
    by_kind: dict[str, set[int]] = {}
    for kind, i in refs:
        by_kind.setdefault(kind, set()).add(i)
    out: dict[tuple[str, int], int] = {}
    for kind, ids in by_kind.items():
        if kind == people.kind:
            out.update({(kind, i): i for i in ids})
            continue
        referrer = _referrers.get(kind)
        if referrer is None:
            raise UnknownSubjectKind(f"no model registered for references of kind {kind!r}")
        id_col = getattr(referrer.model, referrer.id_attr)
        rows = session.execute(
            select(id_col, getattr(referrer.model, referrer.person_id_attr))
            .where(id_col.in_(ids))
            .execution_options(audit_internal=True)
        )
        out.update({(kind, i): pid for i, pid in rows})
    return out


def bsns(session: Session, ids: set[int]) -> dict[int, str]:
    """The BSNs of these persons (from the session where already loaded)."""
    people = _people()
    found: dict[int, str] = {}
    missing = set()
    for pid in ids:
        obj = session.identity_map.get((people.model, (pid,), None))
        if obj is not None and people.bsn_attr not in inspect(obj).unloaded:
            found[pid] = getattr(obj, people.bsn_attr)
        else:
            missing.add(pid)
    if missing:
        id_col = getattr(people.model, people.id_attr)
        rows = session.execute(
            select(id_col, getattr(people.model, people.bsn_attr))
            .where(id_col.in_(missing))
            .execution_options(audit_internal=True)
        )
        found.update({pid: bsn for pid, bsn in rows})
    return found


def ids_by_bsn(session: Session, bsn_values: set[str]) -> dict[str, int]:
    """The persons known in Eenplan by these BSNs."""
    if not bsn_values:
        return {}
    people = _people()
    bsn_col = getattr(people.model, people.bsn_attr)
    rows = session.execute(
        select(bsn_col, getattr(people.model, people.id_attr))
        .where(bsn_col.in_(bsn_values))
        .execution_options(audit_internal=True)
    )
    return {bsn: pid for bsn, pid in rows}
