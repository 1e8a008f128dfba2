"""Keeping the queue's summary (:mod:`app.signalen.werkvoorraad_groepen`) in step: after every
flush, what changed in signals, persons, gezinslinks, afwegingen, rules and sources is handed
to :func:`~app.signalen.werkvoorraad_groepen.bijwerken` on the flush's own connection — so the
summary changes in the same transaction, and is rolled back with it.

Bulk statements (``update(…)``, ``COPY``) bypass a flush: their callers hand over what they
changed themselves (``bulk.bulk_insert``, ``vergeten.tombstones``, ``intake.heropen…``,
``vernietiging``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.people.models import Person
from app.plans.models import Gezinslink
from app.signalen.models import Afweging, CombinatieRegel, SignaalBron, Vroegsignaal
from app.signalen.werkvoorraad_groepen import bijwerken, herbouw

# The columns a group's row is made of (a change to any other is no change to the queue).
SIGNAAL = {
    "person_id",
    "bsn",
    "adres_sleutel",
    "bron_id",
    "melder_id",
    "categorie",
    "domeinen",
    "ontvangen_op",
    "afweging_id",
    "verwijderd_op",
}
ADRES = ("postcode", "huisnummer", "huisnummer_toevoeging")
PERSOON = {"bsn", *ADRES}
REGEL = {"code", "voorwaarde", "urgentie", "actief"}  # a rule's name is not in the rows
BRON = {"code", "soort"}


def _changed(obj: Any, attrs: set[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def _old(obj: Any, attr: str) -> list[Any]:
    return list(inspect(obj).attrs[attr].history.deleted or [])


def _before(obj: Any, attr: str) -> Any:
    """An attribute's value before this flush (its current value when unchanged)."""
    old = _old(obj, attr)
    return old[0] if old else getattr(obj, attr)


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    huishoudens: set[tuple[Any, ...]] = set()
    signalen: set[int] = set()
    personen: set[int] = set()
    afwegingen: set[int] = set()
    bsns: set[str] = set()
    alles = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        new_or_gone = obj in session.new or obj in session.deleted
        if isinstance(obj, Vroegsignaal):
            if new_or_gone or _changed(obj, SIGNAAL):
                signalen.add(obj.id)
        elif isinstance(obj, Person):
            if new_or_gone or _changed(obj, PERSOON):
                personen.add(obj.id)
                bsns.update(b for b in [obj.bsn, *_old(obj, "bsn")] if b)
                huishoudens.add((obj.id, *(_before(obj, a) for a in ADRES)))
        elif isinstance(obj, Gezinslink):
            personen.update(p for p in (obj.person_a_id, obj.person_b_id) if p is not None)
            personen.update(p for a in ("person_a_id", "person_b_id") for p in _old(obj, a) if p)
        elif isinstance(obj, Afweging):
            if new_or_gone or _changed(obj, {"status", "person_id"}):
                afwegingen.add(obj.id)
                personen.update(p for p in [obj.person_id, *_old(obj, "person_id")] if p)
        elif isinstance(obj, CombinatieRegel) and (new_or_gone or _changed(obj, REGEL)):
            alles = True
        elif isinstance(obj, SignaalBron) and (new_or_gone or _changed(obj, BRON)):
            alles = True  # a source's code or kind: what the rows and the rules read
    conn = session.connection()
    if alles:
        herbouw(conn)
    elif signalen or personen or afwegingen or bsns:
        bijwerken(
            conn,
            signalen=signalen,
            personen=personen,
            afwegingen=afwegingen,
            bsns=bsns,
            huishoudens=huishoudens,  # where persons lived before: a link's old household
        )


def install(sessionmaker: Any) -> None:
    event.listen(sessionmaker, "after_flush", _after_flush)


__all__ = ["install"]
