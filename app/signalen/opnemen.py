"""Recording a person from the BRP for a signal whose delivered BSN Eenplan does not know yet
(issue 13 item 5): the queue shows such signals as one row, and an afweging needs a person.

The regisseur of the signal team asks the BRP (through the inkijk's BRP adapter: Haal Centraal
BRP bevragen, or the synthetic source in development and tests) for the name, date of birth and
address that belong to the signal's BSN, sees them, and confirms. Confirming asks the BRP again
(what is recorded comes from the BRP, never from the form), creates the person and matches every
open signal delivered with that BSN, in one transaction. A BRP that does not know the BSN, or
cannot be reached, is a clear message and nothing is written.

Logboek (processing activity ``signalen-afweging``): showing the BRP's answer is a *view* line
about the delivered BSN (``bsn``, ``naw``); recording is a *create* line about the new person
and an *update* line for the matched signals; every question to a real register (the adapter
names a party) is an exchange line about the BSN (it went out, ``naw`` came in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.identity import actor_for_current_user
from app.db import session
from app.domain import Gegevenscategorie, Verwerkingsactiviteit
from app.inkijk.bronnen import BronNietBeschikbaar, bronnen
from app.inkijk.haalcentraal import datum_uit, volledige_naam
from app.logboek import current_ledger
from app.people.models import Person
from app.people.services import PersonGegevens, create_person
from app.signalen.intake import koppel
from app.signalen.models import Vroegsignaal
from app.signalen.validation import SignaalError
from audit import Entry, Subject

NIET_AANGESLOTEN = _l("Eenplan kan de BRP hier niet raadplegen. Meld het bij functioneel beheer.")
NIET_GEVONDEN = _l(
    "Dit BSN is niet gevonden in de BRP. Controleer het signaal bij de bron; "
    "er is niemand opgenomen."
)
OVERLEDEN = _l("Volgens de BRP is deze persoon overleden. Eenplan neemt de persoon niet op.")
AL_BEKEND = _l("Deze persoon is inmiddels bekend in Eenplan. Koppel het signaal met het BSN.")
CATEGORIEEN = frozenset({Gegevenscategorie.BSN, Gegevenscategorie.NAW})


@dataclass(frozen=True)
class BrpPersoon:
    """What the BRP says about a BSN, as the regisseur sees it and as Eenplan records it."""

    gegevens: PersonGegevens
    naam: str
    adres: str


def _raadpleeg(bsn: str) -> dict[str, Any] | None:
    adapter = bronnen().adapters.get("brp")
    raadpleeg = getattr(adapter, "raadpleeg", None)
    if raadpleeg is None:
        raise BronNietBeschikbaar("brp", NIET_AANGESLOTEN)
    found: dict[str, Any] | None = raadpleeg(bsn)
    return found


def _gegevens(bsn: str, persoon: dict[str, Any]) -> BrpPersoon:
    naam = persoon.get("naam") or {}
    geboren = datum_uit((persoon.get("geboorte") or {}).get("datum"))
    if not (naam.get("geslachtsnaam") and geboren):
        # Without a name and a date of birth there is nobody to record.
        raise SignaalError(NIET_GEVONDEN)
    adres = (persoon.get("verblijfplaats") or {}).get("verblijfadres") or {}
    straat = adres.get("officieleStraatnaam") or adres.get("korteStraatnaam") or None
    huisnummer = str(adres["huisnummer"]) if adres.get("huisnummer") else None
    toevoeging = "".join(
        str(adres.get(k) or "") for k in ("huisletter", "huisnummertoevoeging")
    ).strip()
    gegevens = PersonGegevens(
        bsn=bsn,
        voornamen=str(naam.get("voornamen") or ""),
        tussenvoegsel=naam.get("voorvoegsel") or None,
        achternaam=str(naam["geslachtsnaam"]),
        geboortedatum=geboren,
        straat=straat,
        huisnummer=huisnummer,
        huisnummer_toevoeging=toevoeging or None,
        postcode=adres.get("postcode") or None,
        woonplaats=adres.get("woonplaats") or None,
    )
    regel = " ".join(p for p in (straat, f"{huisnummer or ''}{toevoeging}") if p)
    plaats = " ".join(p for p in (gegevens.postcode, gegevens.woonplaats) if p)
    return BrpPersoon(
        gegevens=gegevens,
        naam=volledige_naam(naam),
        adres=", ".join(p for p in (regel, plaats) if p) or _("Geen adres in de BRP"),
    )


def _uitwisseling(signal: Vroegsignaal, bsn: str) -> None:
    """A real register (the adapter names a party) was asked: the BSN went out and the answer
    came in — an exchange line about the BSN (the person may not be in Eenplan yet). Written
    even when the step is refused afterwards: the exchange happened."""
    partij = bronnen().partij("brp")
    ledger = current_ledger()
    if not partij:
        return
    ledger.record(
        Entry(
            kind="uitwisseling",
            action="receive",
            name="signalen.opnemen",
            actor=actor_for_current_user(),
            subjects=(Subject("BSN", bsn),),
            processing_activity=Verwerkingsactiviteit.SIGNALEN_AFWEGING,
            data_categories=tuple(sorted(CATEGORIEEN)),
            trace=ledger.trace,
            object_type="vroegsignaal",
            object_id=str(signal.id),
            sender=partij,
            recipient=str(current_app.config["EENPLAN_MUNICIPALITY"]),
        )
    )


def zoek_in_brp(signal: Vroegsignaal) -> BrpPersoon:
    """The BRP's person for the signal's delivered BSN (not yet in Eenplan), logged as shown.

    Raises :class:`SignaalError` with a message for the regisseur when there is nobody to record
    (no BSN, already known, not found, deceased) or the BRP cannot answer; nothing is written
    then but the logboek's exchange line when a real register was asked."""
    bsn = signal.bsn
    if not bsn or signal.person_id is not None or signal.verwijderd_op is not None:
        raise SignaalError(_("Dit signaal is al gekoppeld of heeft geen BSN."))
    known = session.execute(
        select(Person.id).where(Person.bsn == bsn).execution_options(audit_internal=True)
    ).first()
    if known is not None:
        raise SignaalError(AL_BEKEND)
    try:
        persoon = _raadpleeg(bsn)
    except BronNietBeschikbaar as exc:
        raise SignaalError(exc.melding) from None
    _uitwisseling(signal, bsn)
    if persoon is None:
        raise SignaalError(NIET_GEVONDEN)
    # The answer is about to be shown (the deceased message too): one view line about the BSN.
    current_ledger().note_view(
        categories=CATEGORIEEN, bsns=[bsn], object_type="vroegsignaal", object_id=signal.id
    )
    if datum_uit((persoon.get("overlijden") or {}).get("datum")) is not None:
        raise SignaalError(OVERLEDEN)
    return _gegevens(bsn, persoon)


def neem_op(signal: Vroegsignaal) -> Person:
    """Ask the BRP again, record the person and match every open signal with their BSN.

    The caller rolls back on :class:`SignaalError` (nothing half-written)."""
    gevonden = zoek_in_brp(signal)
    person = create_person(gevonden.gegevens)
    koppel(signal, gevonden.gegevens.bsn)
    return person
