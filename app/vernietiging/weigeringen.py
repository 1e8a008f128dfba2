"""Destroying old records of refused look-ups (:mod:`app.privacy.weigeringen`).

A refused look-up is the content-free counterpart of a logboek line (nothing was shown, so no
line was written), read by the privacy officer's probing indicator ("Veel geweigerde
opvragingen"). It falls under the same processing activity and term as the logboek lines
(``toezicht-logboek``: 7 years after it was recorded) and goes at the end of it, in batches.
Each run that deletes some keeps one content-free tombstone (how many, up to which moment).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from app.clock import now
from app.db import session
from app.privacy.models import GeweigerdeOpvraging
from app.vernietiging.logregels import TOEZICHT, log_termijn
from app.vernietiging.models import Vernietiging

SOORT = "weigeringen"


def grens(moment: dt.datetime | None = None) -> dt.datetime:
    """Refusals recorded before this moment have passed their term."""
    return log_termijn().grens(moment or now())


def vervallen(moment: dt.datetime | None = None) -> int:
    """How many records of refusals have passed their term (the dry run)."""
    cut = grens(moment)
    return int(
        session.scalar(
            select(func.count(GeweigerdeOpvraging.id)).where(GeweigerdeOpvraging.op < cut)
        )
        or 0
    )


def run(*, batch: int = 50_000, moment: dt.datetime | None = None) -> int:
    """Delete the records past their term; returns how many went. Idempotent."""
    moment = moment or now()
    cut = grens(moment)
    deleted = 0
    while True:
        ids = list(
            session.scalars(
                select(GeweigerdeOpvraging.id)
                .where(GeweigerdeOpvraging.op < cut)
                .order_by(GeweigerdeOpvraging.id)
                .limit(batch)
            )
        )
        if not ids:
            break
        session.execute(delete(GeweigerdeOpvraging).where(GeweigerdeOpvraging.id.in_(ids)))
        deleted += len(ids)
        session.commit()
    if deleted:
        session.add(
            Vernietiging(
                soort=SOORT,
                object_id=0,
                verwerking=TOEZICHT,
                bewaartermijn=log_termijn().omschrijving(),
                gebeurtenis_op=cut,
                vernietigd_op=moment,
                aantallen={"weigeringen": deleted},
                trace_id="",  # content-free records: no logboek line, the tombstone is the record
            )
        )
        session.commit()
    return deleted
