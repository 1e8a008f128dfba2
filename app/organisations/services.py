from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import today as _today
from app.db import session
from app.organisations.models import Mandaat, Organisation


def today() -> dt.date:
    return _today()


def active_mandate(organisation_id: int, day: dt.date | None = None) -> Mandaat | None:
    day = day or today()
    return session.scalars(
        select(Mandaat)
        .where(
            Mandaat.organisation_id == organisation_id,
            Mandaat.active_on(day),
        )
        .order_by(Mandaat.valid_from.desc())
        .limit(1)
    ).first()


def active_mandate_label(organisation_id: int) -> str | None:
    m = active_mandate(organisation_id)
    return m.label if m else None


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
