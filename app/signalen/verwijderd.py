"""Removed signals as the citizen sees them (SPEC rules 3 and 15): that signals about them were
received and removed, when and why — the tombstone, never what the signal said.

A forgotten signal keeps no link to the person (:mod:`app.signalen.vergeten` empties every
personal column). What ties it to the citizen is the content-free *delete* line the removal
wrote about them in the logboek; this module reads the citizen's own such lines (through
:class:`app.access.LogboekToegang`, so deferred ones stay hidden) and adds the tombstone's
outside: source, kind, dates, reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.db import session
from app.domain import SIGNAAL_CATEGORIEEN
from app.logboek import current_logboek
from app.signalen.melders import beschrijving
from app.signalen.models import SignaalBron, Vroegsignaal
from app.signalen.status import melder_organisaties
from audit import LineFilter

# Why a signal was removed, in plain words (B1).
REDENEN = {
    "bewaartermijn": (
        "Er is binnen de vaste termijn niets mee gedaan. Een signaal mag dan niet langer "
        "bewaard worden."
    ),
    "afweging_stap_2": (
        "De regisseur heeft bekeken of u op meer dan één gebied hulp nodig hebt. Dat was niet "
        "zo. Dan mag het signaal niet bewaard worden."
    ),
}
ONBEKENDE_REDEN = "Het signaal mocht niet langer bewaard worden."
MAX = 1000


@dataclass(frozen=True)
class VerwijderdSignaal:
    van_wie: str
    soort: str
    ontvangen_op: dt.datetime
    verwijderd_op: dt.datetime
    waarom: str

    def json(self) -> dict[str, Any]:
        return {
            "van_wie": self.van_wie,
            "soort": self.soort,
            "ontvangen_op": self.ontvangen_op.isoformat(),
            "verwijderd_op": self.verwijderd_op.isoformat(),
            "waarom": self.waarom,
        }


def verwijderde_signalen(toegang: Any) -> list[VerwijderdSignaal]:
    """The signals about the reader of ``toegang`` (the citizen) that were removed, newest
    first. Nothing for a reader who reads everyone's lines (it is the citizen's own view)."""
    if toegang is None or toegang.alles:
        return []
    narrowed = toegang.filter(LineFilter(action="delete", object_type="vroegsignaal"))
    if narrowed is None:
        return []
    ids: list[int] = []
    page = current_logboek().page(session.connection(), narrowed, limit=MAX)
    for line in page.lines:
        if line.object_id and line.object_id.isdigit():
            ids.append(int(line.object_id))
    if not ids:
        return []
    # The tombstone holds no personal data (source, kind, dates, status): bare columns.
    rows = session.execute(
        select(
            Vroegsignaal.id,
            SignaalBron.naam,
            Vroegsignaal.melder_id,
            Vroegsignaal.categorie,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Vroegsignaal.verwijder_reden,
        )
        .outerjoin(SignaalBron, SignaalBron.id == Vroegsignaal.bron_id)
        .where(Vroegsignaal.id.in_(set(ids)), Vroegsignaal.verwijderd_op.is_not(None))
        .execution_options(audit_internal=True)
    ).all()
    orgs = melder_organisaties({r.melder_id for r in rows if r.melder_id})
    out = [
        VerwijderdSignaal(
            van_wie=f"{r.naam} (bronsysteem)"
            if r.naam
            else beschrijving(organisatie=orgs.get(r.melder_id or 0), rol=None, relatie=None),
            soort=SIGNAAL_CATEGORIEEN.get(r.categorie, r.categorie),
            ontvangen_op=r.ontvangen_op,
            verwijderd_op=r.verwijderd_op,
            waarom=REDENEN.get(r.verwijder_reden or "", ONBEKENDE_REDEN),
        )
        for r in rows
    ]
    out.sort(key=lambda v: v.verwijderd_op, reverse=True)
    return out
