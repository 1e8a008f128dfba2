"""Forgetting signals: the content is emptied (a tombstone without personal data stays) and one
content-free "delete" line per signal goes to the logboek in the same transaction. ``purge``
forgets what led to no case step within its term (its source's days, or the register's term of
its processing activity when that passes first); step 2 "No" forgets a case's signals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from app.auth.identity import actor_for_current_user
from app.clock import now
from app.db import session
from app.domain import Gegevenscategorie
from app.logboek import get_ledger, unit_of_work
from app.people.models import Person
from app.signalen import werkvoorraad_groepen
from app.signalen.bulk import column_in, expire
from app.signalen.inrichting import MELDING_VERWERKING, default_bewaartermijn
from app.signalen.models import SignaalBron, Vroegsignaal
from app.signalen.uitstel import Uitstel
from app.vernietiging.termijn import Gebeurtenis, OngeldigeTermijn, termijn_van
from audit import Entry, Subject

log = logging.getLogger("eenplan.signalen")

# Columns emptied when a signal is forgotten: what stays is a tombstone without personal data.
PERSONAL_COLUMNS = (
    "person_id",
    "bsn",
    "naam",
    "geboortedatum",
    "adres",
    "adres_sleutel",
    "melder_naam",
    "melder_contact",
    "relatie",
    "aanleiding",
    "inhoud",
    "gegevens",
)


def tombstones(
    rows: list[Any], processing_activity: str, name: str, moment: dt.datetime, reden: str
) -> int:
    """Empty the signals ``rows`` (id, bsn, person's bsn) and write one content-free "delete"
    line per signal: that the signal about this person was removed, nothing of what it said."""
    ledger = get_ledger(session)
    if ledger is None:
        raise RuntimeError("verwijderen zonder logboek mag niet: gebruik unit_of_work")
    if not rows:
        return 0
    actor = ledger.actor
    if actor is None:
        actor = actor_for_current_user()
    # Only rows still not forgotten: two purges running at once never log a signal twice
    # (PostgreSQL re-checks the condition after waiting for the other's row locks).
    done = set(
        session.execute(
            update(Vroegsignaal)
            .where(
                column_in(session.connection(), Vroegsignaal.id, [r[0] for r in rows]),
                Vroegsignaal.verwijderd_op.is_(None),
            )
            .values(
                **{c: None for c in PERSONAL_COLUMNS}, verwijderd_op=moment, verwijder_reden=reden
            )
            .returning(Vroegsignaal.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    expire(Vroegsignaal, done)
    # An update no flush saw: the queue's groups of these signals change with it.
    werkvoorraad_groepen.bijwerken(session.connection(), signalen=done)
    if done:
        # A deferral of a forgotten signal keeps its dates and reason code (what the citizen's
        # view of the logboek needs), not its free text.
        session.execute(
            update(Uitstel)
            .where(column_in(session.connection(), Uitstel.vroegsignaal_id, list(done)))
            .values(toelichting="")
            .execution_options(synchronize_session=False)
        )
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Uitstel):
                session.expire(obj)
    rows = [r for r in rows if r[0] in done]
    for signal_id, bsn, person_bsn in rows:
        subject_bsn = bsn or person_bsn
        if not subject_bsn:
            continue  # never identified: there is nobody to write the line about
        ledger.record(
            Entry(
                kind="inzage",
                action="delete",
                name=name,
                actor=actor,
                subjects=(Subject("BSN", subject_bsn),),
                processing_activity=processing_activity,
                data_categories=(Gegevenscategorie.SIGNALEN,),
                trace=ledger.trace,
                object_type="vroegsignaal",
                object_id=str(signal_id),
            )
        )
    return len(rows)


def tombstone_rows(*conditions: Any, limit: int | None = None) -> list[Any]:
    stmt = (
        select(Vroegsignaal.id, Vroegsignaal.bsn, Person.bsn)
        .outerjoin(Person, Person.id == Vroegsignaal.person_id)
        .where(Vroegsignaal.verwijderd_op.is_(None), *conditions)
        .order_by(Vroegsignaal.id)
        .execution_options(audit_internal=True)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).all())


@dataclass
class PurgeResult:
    verwijderd: int = 0
    per_bron: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _grens(moment: dt.datetime, dagen: int, processing_activity: str) -> dt.datetime:
    """Signals received before this moment are past their term: the source's days, or the
    register's structured term of the source's processing activity when that runs from receipt
    and is shorter (the register says how long the municipality keeps them; whichever term
    passes first ends it)."""
    grens = moment - dt.timedelta(days=dagen)
    try:
        term = termijn_van(session.connection(), processing_activity)
    except OngeldigeTermijn:
        # The form never stores one; a hand-made register entry might. One activity's bad term
        # must not stop the forgetting of every source: its sources keep their own days.
        log.warning(
            "Bewaartermijn of %s in the register is invalid; using the source's days.",
            processing_activity,
        )
        return grens
    if term is not None and term.na == Gebeurtenis.SIGNAAL_ONTVANGEN:
        grens = max(grens, term.grens(moment))
    return grens


def purge(*, batch: int = 5000, moment: dt.datetime | None = None) -> PurgeResult:
    """Forget every signal that has not led to a case step within its term: its source's, or
    the register's for the source's processing activity if that is shorter (:func:`_grens`).

    Each batch is its own unit of work: the content is emptied (a tombstone stays) and one
    content-free "delete" line per signal is written to the logboek in the same transaction.
    Idempotent and safe to run at any interval: a second run finds nothing to do.
    """
    moment = moment or now()
    result = PurgeResult()
    bronnen: list[tuple[int | None, str, str, int]] = [
        (b.id, b.code, b.processing_activity, b.bewaartermijn_dagen)
        for b in session.scalars(select(SignaalBron))
    ]
    bronnen.append((None, "melding", MELDING_VERWERKING, default_bewaartermijn()))
    grenzen = {
        bron_id: _grens(moment, dagen, processing_activity)
        for bron_id, _code, processing_activity, dagen in bronnen
    }
    session.rollback()
    for bron_id, code, processing_activity, _dagen in bronnen:
        cutoff = grenzen[bron_id]
        bron_cond = (
            Vroegsignaal.bron_id.is_(None) if bron_id is None else Vroegsignaal.bron_id == bron_id
        )
        while True:
            with unit_of_work(session, processing_activity, name="signalen.purge"):
                rows = tombstone_rows(
                    bron_cond,
                    Vroegsignaal.afweging_id.is_(None),
                    Vroegsignaal.ontvangen_op < cutoff,
                    limit=batch,
                )
                n = tombstones(rows, processing_activity, "signalen.purge", moment, "bewaartermijn")
            if not rows:
                break
            result.verwijderd += n
            if n:
                result.per_bron[code] += n
            if len(rows) < batch:
                break
    return result
