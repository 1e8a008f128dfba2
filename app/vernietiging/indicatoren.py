"""Destroying the stored privacy indicators of days whose logboek lines were destroyed.

``flask privacy indicatoren`` stores the indicators per (local) day
(:mod:`app.privacy.indicatoren_opslag`): who (actor id, name, role, organisation), when, which
lines. They are derived from the logboek lines and may not outlive them. So when
``flask retention run`` destroys lines up to a signed checkpoint, the stored indicators and day
rows of every day that began before that checkpoint was written go too — in the same
transaction as the floor is signed, counted in the run's output and on the floor's tombstone.

All destroyed lines were written before the checkpoint; the day it was written in may hold kept
lines as well (after it). That day's stored indicators go too (some of their lines are gone):
the overview computes a day without stored indicators from the lines, that is from what is
left, and shows nothing for lines that no longer exist.

Every run also destroys what was stored for days below a floor signed earlier (stored after it,
or before this rule existed): on its own tombstone (``soort = indicatoren``) when any went.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from app.clock import TZ, as_utc
from app.db import session
from app.logboek import current_logboek
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from audit import schema as audit_schema

SOORT = "indicatoren"


@dataclass
class Aantal:
    aandachtspunten: int  # stored indicators (with the actors' names)
    dagen: int  # day rows (when computed, over how many lines)


def laatste_dag(moment: dt.datetime) -> dt.date:
    """The last local day that began before ``moment`` (Europe/Amsterdam, not UTC: a line
    written at 00:30 local time on the 2nd is on the 2nd, though it is the 1st in UTC)."""
    return (moment - dt.timedelta(microseconds=1)).astimezone(TZ).date()


def vernietigd_voor() -> dt.datetime | None:
    """Every line destroyed so far was written before this moment: the creation of the
    checkpoint the current retention floor was signed at (None: nothing destroyed yet)."""
    floor = current_logboek().retention_floor(session.connection())
    if floor is None:
        return None
    cp = audit_schema.checkpoint
    moment = session.execute(
        select(func.max(cp.c.created_at)).where(cp.c.mac == floor.checkpoint_mac)
    ).scalar()
    if moment is None:  # the checkpoint is gone: fall back to when the floor was signed
        moment = floor.destroyed_at
    return as_utc(moment)


def tellen(voor: dt.datetime | None) -> Aantal:
    """What :func:`vernietig` would destroy (the dry run)."""
    if voor is None:
        return Aantal(0, 0)
    dag = laatste_dag(voor)
    return Aantal(
        int(
            session.scalar(
                select(func.count())
                .select_from(OpgeslagenAandachtspunt)
                .where(OpgeslagenAandachtspunt.dag <= dag)
            )
            or 0
        ),
        int(
            session.scalar(
                select(func.count()).select_from(IndicatorDag).where(IndicatorDag.dag <= dag)
            )
            or 0
        ),
    )


def vernietig(voor: dt.datetime | None) -> Aantal:
    """Delete the stored indicators and day rows of the days that began before ``voor``; the
    caller commits."""
    if voor is None:
        return Aantal(0, 0)
    dag = laatste_dag(voor)
    punten = session.execute(
        delete(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.dag <= dag)
    )
    dagen = session.execute(delete(IndicatorDag).where(IndicatorDag.dag <= dag))
    return Aantal(int(punten.rowcount or 0), int(dagen.rowcount or 0))  # type: ignore[attr-defined]
