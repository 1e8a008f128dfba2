"""What the melder and the citizen see: the status of a melder's own signals, and the signals
and weighing about a citizen (for the plan's file and the citizen portal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.identity import actor_for_current_user
from app.db import session
from app.domain import (
    AFWEGING_LOPEND,
    AFWEGING_STAPPEN,
    AFWEGING_STATUS_LABELS,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
    Gegevenscategorie,
    Verwerkingsactiviteit,
)
from app.logboek import get_ledger
from app.organisations.models import Organisation
from app.signalen.melders import MELDER_ROL, beschrijving, melder_van_signaal
from app.signalen.models import Afweging, Vroegsignaal
from app.signalen.uitstel import uitgesteld
from app.users.models import User
from audit import Entry, Subject

# The labels stay Dutch here: the source API (bronstatus) carries them as data. The melder's
# page shows them with |vertaald; these marks put them in the catalogue.
_VERTALINGEN = (
    _l("Verwijderd"),
    _l("Ontvangen, nog niet gewogen"),
    _l("In behandeling"),
    _l("Afgerond"),
)


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
    they know whom they reported; the status shows nothing they did not give). That status is
    still something about the person (that the municipality weighs their situation, or
    finished): as for a source asking by its reference (``app.signalen.bronstatus``), each
    status shown is an exchange line to the melder about the signal's BSN (a signal reported
    without BSN, or removed, is about nobody known: no line)."""
    rows = session.execute(
        select(
            Vroegsignaal.id,
            Vroegsignaal.bsn,
            Vroegsignaal.melder_volgnummer,
            Vroegsignaal.signaaldatum,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Afweging.status,
        )
        .outerjoin(Afweging, Afweging.id == Vroegsignaal.afweging_id)
        .where(Vroegsignaal.melder_id == melder.id)
        .order_by(Vroegsignaal.melder_volgnummer.desc())
        .execution_options(audit_internal=True)  # logged below, as what is sent
    ).all()
    ontvanger = beschrijving(
        organisatie=melder.organisation.name if melder.organisation else None,
        rol=MELDER_ROL,
        relatie=None,
    )
    for signal_id, bsn, _n, _d, _o, verwijderd_op, status in rows:
        if bsn and verwijderd_op is None:
            log_status_verzonden(
                "signalen.meldingstatus", ontvanger, signal_id, bsn, with_case=status is not None
            )
    return [
        MeldingStatus(n or 0, d, o, status_label(v is not None, s))
        for _i, _b, n, d, o, v, s in rows
    ]


def log_status_verzonden(
    name: str, ontvanger: str, signal_id: int, bsn: str, *, with_case: bool
) -> None:
    """The exchange line for a signal's status sent to whoever delivered or reported it: from
    the municipality, about the BSN, categories ``signalen`` (and ``afweging`` once a case
    exists), processing activity ``signalen-afweging`` (whose recipients include "de melder
    (alleen de status)")."""
    ledger = get_ledger(session)
    if ledger is None:
        raise RuntimeError("een status zonder logboek mag niet: gebruik unit_of_work")
    categories: tuple[str, ...] = (Gegevenscategorie.SIGNALEN,)
    if with_case:
        categories = (Gegevenscategorie.AFWEGING, Gegevenscategorie.SIGNALEN)
    municipality = (
        str(current_app.config["EENPLAN_MUNICIPALITY"]) if has_app_context() else "de gemeente"
    )
    # The source system (set by the source API), or the user of this request.
    actor = ledger.actor if ledger.actor is not None else actor_for_current_user()
    ledger.record(
        Entry(
            kind="uitwisseling",
            action="send",
            name=name,
            actor=actor,
            subjects=(Subject("BSN", bsn),),
            processing_activity=Verwerkingsactiviteit.SIGNALEN_AFWEGING,
            data_categories=tuple(str(c) for c in categories),
            trace=ledger.trace,
            object_type="vroegsignaal",
            object_id=str(signal_id),
            sender=municipality,
            recipient=ontvanger,
        )
    )


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
    # Deferred disclosure (gedwongen kader): not yet; afterwards with date and reason.
    uitstel = uitgesteld(s.id for s in signals)
    signals = [s for s in signals if s.id not in uitstel.verborgen]
    melder_org = melder_organisaties({s.melder_id for s in signals if s.melder_id})
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
            # Who reported it, by the one rule of app/signalen/melders.py: a source system or
            # a professional by organisation and role, a private person only by relation.
            "bron": melder_van_signaal(s, melder_org.get(s.melder_id or 0)),
            "later_zichtbaar": uitstel.later.get(s.id),
            "categorie": SIGNAAL_CATEGORIEEN.get(s.categorie, s.categorie),
            "leefgebieden": [LEEFGEBIEDEN.get(d, d) for d in s.domein_lijst],
            "inhoud": s.inhoud,
            "signaaldatum": s.signaaldatum,
            "ontvangen_op": s.ontvangen_op,
            "status": status_label(False, case_status.get(s.afweging_id or 0)),
        }
        for s in signals
    ]


def melder_organisaties(melder_ids: set[int]) -> dict[int, str]:
    """The organisation of each melder (a user), by id: what the citizen may know of them."""
    if not melder_ids:
        return {}
    rows = session.execute(
        select(User.id, Organisation.name)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.id.in_(melder_ids))
    ).all()
    return {i: n for i, n in rows}


def afwegingen_voor_inwoner(person_id: int) -> list[dict[str, Any]]:
    """The weighing of a citizen's situation (every step: answer, motivation, who, when), for
    the plan's file and the citizen portal. Loaded through the ORM: read on someone else's
    behalf, it is logged; the citizen reading their own is not."""
    # A case whose every signal is still deferred (gedwongen kader) is deferred with them.
    deferred = uitgesteld(
        session.execute(
            select(Vroegsignaal.id)
            .join(Afweging, Afweging.id == Vroegsignaal.afweging_id)
            .where(Afweging.person_id == person_id)
            .execution_options(audit_internal=True)  # ids only: shows nothing
        ).scalars()
    ).afwegingen
    cases = session.scalars(
        select(Afweging)
        .where(Afweging.person_id == person_id, Afweging.id.not_in(deferred))
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
