from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import today as _today
from app.db import session
from app.organisations.models import Mandaat, Organisation, mandaat_label


def today() -> dt.date:
    return _today()


def active_mandate_label(organisation_id: int) -> str | None:
    """The mandate a log line's actor acts under: on every logged request of a mandated
    regisseur, so one statement (the municipality's name with the mandate)."""
    day = today()
    row = session.execute(
        select(Organisation.name, Mandaat.besluit)
        .join(Organisation, Organisation.id == Mandaat.gemeente_id)
        .where(Mandaat.organisation_id == organisation_id, Mandaat.active_on(day))
        .order_by(Mandaat.valid_from.desc())
        .limit(1)
    ).first()
    return mandaat_label(row[0], row[1]) if row else None


def gemeenten() -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation).where(Organisation.kind == "gemeente").order_by(Organisation.name)
        )
    )


def organisations(active_only: bool = True) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.name)
    if active_only:
        stmt = stmt.where(Organisation.active.is_(True))
    return list(session.scalars(stmt))
