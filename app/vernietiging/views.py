"""The privacy officer's list of what was destroyed at the end of its term, and when.

The tombstones hold no personal data (a plan's number, the term, the dates, how many rows of
each kind), so reading them writes no logboek line. Newest first, keyset-paged by id.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import func, select

from app import params
from app.access.guard import guard
from app.db import session
from app.domain import Rol
from app.vernietiging.models import Vernietiging

bp = Blueprint("vernietiging", __name__, url_prefix="/privacy/vernietigingen")

PAGE_SIZE = 50
LABELS = {
    "activiteiten": "activiteiten",
    "opmerkingen": "opmerkingen",
    "gesprekken": "gesprekken",
    "berichten": "berichten",
    "bijlagen": "bijlagen",
    "toestemmingen": "toestemmingen",
    "afwegingen": "afwegingen",
    "signalen": "signalen",
    "regels": "logregels",
}


@bp.route("/")
@guard(roles=[Rol.PRIVACY_OFFICER])
def overzicht() -> Any:
    voor = params.integer("voor")
    stmt = select(Vernietiging).order_by(Vernietiging.id.desc()).limit(PAGE_SIZE + 1)
    if voor is not None:
        stmt = stmt.where(Vernietiging.id < voor)
    rows = list(session.scalars(stmt))
    volgende = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    totaal = session.scalar(select(func.count()).select_from(Vernietiging))
    return render_template(
        "privacy/vernietigingen.html",
        vernietigingen=rows[:PAGE_SIZE],
        volgende=volgende,
        eerste=voor is None,
        totaal=totaal,
        labels=LABELS,
    )
