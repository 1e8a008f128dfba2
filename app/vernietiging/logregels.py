"""Destroying old logboek lines: a prefix of the chain, up to a signed checkpoint.

Which lines may go (the rule):

* their own term has passed — the register's ``toezicht-logboek`` entry (7 years after the line
  was written); and
* nothing they could be about is still kept: lines are never destroyed before the longest term
  of the data they are about. Conservatively: only lines older than the oldest plan, afweging
  and not-forgotten signal still in the database (whatever a line says about those, they are
  gone — destroyed or forgotten at the end of their own term).

Then the newest checkpoint written before that moment is the floor: it is signed as the
retention floor (``Logboek.destroy_through``), a tombstone is kept, and the lines up to it are
deleted in batches. ``flask audit verify`` starts after the floor. Persons (the base data of
the BRP) have no term of their own here and do not hold lines back.

The privacy indicators stored per day from those lines go with them, in the transaction that
signs the floor (:mod:`app.vernietiging.indicatoren`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.clock import as_utc, now
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.logboek import current_logboek
from app.plans.models import Plan
from app.signalen.models import Afweging, Vroegsignaal
from app.vernietiging import indicatoren
from app.vernietiging.models import Vernietiging
from app.vernietiging.termijn import Bewaartermijn, Gebeurtenis, termijn_van
from audit import Checkpoint, partitions

TOEZICHT = Verwerkingsactiviteit.TOEZICHT


class GeenLogtermijn(RuntimeError):
    pass


@dataclass
class Grens:
    """Up to where the log may go at a moment (what the dry run reports)."""

    moment: dt.datetime  # lines before this moment may go
    checkpoint: Checkpoint | None  # the floor it gives (None: nothing to do)
    regels: int  # how many lines that is


def log_termijn() -> Bewaartermijn:
    term = termijn_van(session.connection(), TOEZICHT)
    if term is None or term.na != Gebeurtenis.REGEL_GESCHREVEN:
        raise GeenLogtermijn(f"het register geeft voor {TOEZICHT} geen bewaartermijn voor regels")
    return term


def _oldest_kept() -> dt.datetime | None:
    """The oldest moment from which data is still kept: lines from then on may be about it."""
    found = [
        session.scalar(select(func.min(Plan.created_at)).execution_options(audit_internal=True)),
        session.scalar(
            select(func.min(Afweging.geopend_op)).execution_options(audit_internal=True)
        ),
        session.scalar(
            select(func.min(Vroegsignaal.ontvangen_op))
            .where(Vroegsignaal.verwijderd_op.is_(None))
            .execution_options(audit_internal=True)
        ),
    ]
    moments = [as_utc(m) for m in found if m is not None]
    return min(moments) if moments else None


def grens(moment: dt.datetime | None = None) -> Grens:
    moment = moment or now()
    cut = log_termijn().grens(moment)
    oldest = _oldest_kept()
    if oldest is not None:
        cut = min(cut, oldest)
    logboek = current_logboek()
    conn = session.connection()
    checkpoint = logboek.checkpoint_before(conn, cut)
    floor = logboek.retention_floor(conn)
    done = floor.floor_seq if floor is not None else 0
    if checkpoint is None or checkpoint.seq <= done:
        return Grens(cut, None, 0)
    return Grens(cut, checkpoint, checkpoint.seq - done)


def partities(g: Grens) -> list[str]:
    """The monthly partitions (PostgreSQL) that destroying up to ``g`` drops whole."""
    conn = session.connection()
    if g.checkpoint is None or not partitions.is_partitioned(conn):
        return []
    return [p.name for p in partitions.droppable(conn, g.checkpoint.seq)]


def indicatoren_voor(g: Grens) -> dt.datetime | None:
    """The stored indicators of the days that began before this moment go (with the lines up
    to ``g``'s checkpoint, or those destroyed before)."""
    return g.checkpoint.created_at if g.checkpoint is not None else indicatoren.vernietigd_voor()


@dataclass
class Uitkomst:
    regels: int  # lines deleted
    indicatoren: indicatoren.Aantal  # stored privacy indicators (and day rows) of their days


def run(*, batch: int = 50_000, moment: dt.datetime | None = None) -> Uitkomst:
    """Destroy the lines past their term and the indicators stored from them; returns how many
    went. Idempotent: an interrupted run goes on deleting below the floor it signed."""
    moment = moment or now()
    g = grens(moment)
    logboek = current_logboek()
    weg = indicatoren.vernietig(indicatoren_voor(g))
    if g.checkpoint is not None:
        floor = logboek.destroy_through(session.connection(), g.checkpoint)
        session.add(
            Vernietiging(
                soort="logregels",
                object_id=floor.floor_seq,
                verwerking=TOEZICHT,
                bewaartermijn=log_termijn().omschrijving(),
                gebeurtenis_op=g.moment,
                vernietigd_op=moment,
                aantallen={"regels": g.regels, **_aantallen(weg)},
                trace_id="",  # no logboek line: the signed floor is the record
            )
        )
    elif (weg.aandachtspunten or weg.dagen) and (
        oud := logboek.retention_floor(session.connection())
    ) is not None:  # stored after (or before this rule) below a floor signed earlier
        session.add(
            Vernietiging(
                soort=indicatoren.SOORT,
                object_id=oud.floor_seq,
                verwerking=TOEZICHT,
                bewaartermijn=log_termijn().omschrijving(),
                gebeurtenis_op=indicatoren_voor(g) or moment,
                vernietigd_op=moment,
                aantallen=_aantallen(weg),
                trace_id="",
            )
        )
    session.commit()
    deleted = 0
    while True:
        n = logboek.delete_destroyed(session.connection(), batch_size=batch)
        session.commit()
        if n == 0:
            return Uitkomst(deleted, weg)
        deleted += n


def _aantallen(weg: indicatoren.Aantal) -> dict[str, int]:
    return {
        k: n for k, n in (("indicatoren", weg.aandachtspunten), ("indicatordagen", weg.dagen)) if n
    }
