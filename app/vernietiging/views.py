"""The privacy officer's list of what was destroyed at the end of its term, and when.

The tombstones hold no personal data (a plan's number, the term, the dates, how many rows of
each kind), so reading them writes no logboek line. Newest first, keyset-paged by id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template
from flask_babel import ngettext
from sqlalchemy import func, select

from app import params
from app.access.guard import guard
from app.db import session
from app.domain import Rol
from app.vernietiging.models import Vernietiging

bp = Blueprint("vernietiging", __name__, url_prefix="/privacy/vernietigingen")

PAGE_SIZE = 50
# What went with a destroyed plan, counted: "3 activiteiten", "1 activiteit".
AANTALLEN: dict[str, Callable[[int], str]] = {
    "activiteiten": lambda n: ngettext("%(num)s activiteit", "%(num)s activiteiten", n),
    "opmerkingen": lambda n: ngettext("%(num)s opmerking", "%(num)s opmerkingen", n),
    "gesprekken": lambda n: ngettext("%(num)s gesprek", "%(num)s gesprekken", n),
    "berichten": lambda n: ngettext("%(num)s bericht", "%(num)s berichten", n),
    "bijlagen": lambda n: ngettext("%(num)s bijlage", "%(num)s bijlagen", n),
    "toestemmingen": lambda n: ngettext("%(num)s toestemming", "%(num)s toestemmingen", n),
    "afwegingen": lambda n: ngettext("%(num)s afweging", "%(num)s afwegingen", n),
    "signalen": lambda n: ngettext("%(num)s signaal", "%(num)s signalen", n),
    "regels": lambda n: ngettext("%(num)s logregel", "%(num)s logregels", n),
    "indicatoren": lambda n: ngettext(
        "%(num)s opgeslagen aandachtspunt", "%(num)s opgeslagen aandachtspunten", n
    ),
    "indicatordagen": lambda n: ngettext(
        "%(num)s dag uit de vaste berekening", "%(num)s dagen uit de vaste berekening", n
    ),
    "weigeringen": lambda n: ngettext(
        "%(num)s geweigerde opvraging", "%(num)s geweigerde opvragingen", n
    ),
}


def aantal(soort: str, n: int) -> str:
    tekst = AANTALLEN.get(soort)
    return tekst(n) if tekst else f"{n} {soort}"


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
        aantal=aantal,
    )
