"""What the melder and the citizen see: the status of a melder's own signals, and the signals
and weighing about a citizen (for the plan's file and the citizen portal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db import session
from app.domain import (
    AFWEGING_LOPEND,
    AFWEGING_STAPPEN,
    AFWEGING_STATUS_LABELS,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
)
from app.signalen.models import Afweging, Vroegsignaal
from app.users.models import User


def status_label(verwijderd: bool, afweging_status: str | None) -> str:
    if verwijderd:
        return "Verwijderd"
    if afweging_status is None:
        return "Ontvangen, nog niet gewogen"
    if afweging_status in AFWEGING_LOPEND:
        return "In behandeling"
    return "Afgerond"


@dataclass(frozen=True)
class MeldingStatus:
    nummer: int  # the melder's own number ("Melding 3"), never the global id
    signaaldatum: dt.date
    ontvangen_op: dt.datetime
    status: str


def mijn_meldingen(melder: User) -> list[MeldingStatus]:
    """A melder sees the status of their own signals, nothing else (not even the person's name:
    they know whom they reported; the status shows nothing they did not give)."""
    rows = session.execute(
        select(
            Vroegsignaal.melder_volgnummer,
            Vroegsignaal.signaaldatum,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Afweging.status,
        )
        .outerjoin(Afweging, Afweging.id == Vroegsignaal.afweging_id)
        .where(Vroegsignaal.melder_id == melder.id)
        .order_by(Vroegsignaal.melder_volgnummer.desc())
        .execution_options(audit_internal=True)
    ).all()
    return [MeldingStatus(n or 0, d, o, status_label(v is not None, s)) for n, d, o, v, s in rows]


def signalen_over_inwoner(person_id: int) -> list[dict[str, Any]]:
    """The signals about a citizen, with source and status — for the citizen portal.

    The objects are loaded through the ORM, so whoever reads them on the citizen's behalf gets
    a logboek line from the ledger; the citizen reading their own signals gets none (the ledger
    leaves out the actor's own person).
    """
    signals = session.scalars(
        select(Vroegsignaal)
        .where(Vroegsignaal.person_id == person_id, Vroegsignaal.verwijderd_op.is_(None))
        .order_by(Vroegsignaal.ontvangen_op.desc(), Vroegsignaal.id.desc())
    ).all()
    case_status = {
        a.id: a.status
        for a in session.scalars(
            select(Afweging).where(
                Afweging.id.in_({s.afweging_id for s in signals if s.afweging_id})
            )
        )
    }
    return [
        {
            "id": s.id,
            "bron": s.bron.naam if s.bron else "Melding via het formulier",
            # Not the melder's name (a neighbour or teacher may need protecting): their relation.
            "relatie": s.relatie if s.bron is None else None,
            "categorie": SIGNAAL_CATEGORIEEN.get(s.categorie, s.categorie),
            "leefgebieden": [LEEFGEBIEDEN.get(d, d) for d in s.domein_lijst],
            "inhoud": s.inhoud,
            "signaaldatum": s.signaaldatum,
            "ontvangen_op": s.ontvangen_op,
            "status": status_label(False, case_status.get(s.afweging_id or 0)),
        }
        for s in signals
    ]


def afwegingen_voor_inwoner(person_id: int) -> list[dict[str, Any]]:
    """The weighing of a citizen's situation (every step: answer, motivation, who, when), for
    the plan's file and the citizen portal. Loaded through the ORM: read on someone else's
    behalf, it is logged; the citizen reading their own is not."""
    cases = session.scalars(
        select(Afweging)
        .where(Afweging.person_id == person_id)
        .options(selectinload(Afweging.stappen))
        .order_by(Afweging.geopend_op.desc(), Afweging.id.desc())
    ).all()
    return [
        {
            "id": a.id,
            "status": status_tekst(a.status),
            "geopend_op": a.geopend_op,
            "gesloten_op": a.gesloten_op,
            "plan_id": a.plan_id,
            "verwijzing": a.verwijzing,
            "stappen": [
                {
                    "stap": st.stap,
                    "vraag": AFWEGING_STAPPEN.get(st.stap, ""),
                    "antwoord": "Ja" if st.antwoord else "Nee",
                    "motivering": st.motivering,
                    "besloten_door": st.besloten_door_naam,
                    "besloten_op": st.besloten_op,
                }
                for st in a.stappen
            ],
        }
        for a in cases
    ]


def status_tekst(status: str) -> str:
    return AFWEGING_STATUS_LABELS.get(status, status)
