from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from stdnum.nl import bsn as stdnum_bsn

from app.db import session
from app.domain import Gegevenscategorie
from app.logboek import current_ledger
from app.people.models import Person


class InvalidBSN(ValueError):
    pass


def normalise_bsn(value: str) -> str:
    """Validate by the 11-proef (python-stdnum) and return the 9-digit form.

    Only 8 or 9 digits are accepted (an 8-digit BSN has an implied leading zero); stdnum alone
    would also pad shorter numbers such as "12".
    """
    digits = stdnum_bsn.compact(value) if isinstance(value, str) else ""
    if len(value.replace(" ", "").replace(".", "").replace("-", "")) not in (8, 9):
        raise InvalidBSN(
            _("Dit is geen geldig burgerservicenummer (BSN): een BSN heeft 9 cijfers.")
        )
    try:
        return str(stdnum_bsn.validate(digits))
    except Exception as exc:
        raise InvalidBSN(
            _("Dit is geen geldig burgerservicenummer (BSN): het voldoet niet aan de 11-proef.")
        ) from exc


def is_valid_bsn(value: str) -> bool:
    try:
        normalise_bsn(value)
    except InvalidBSN:
        return False
    return True


def find_by_bsn(bsn: str) -> Person | None:
    """Load the person with this BSN (the load is an inzage and is logged)."""
    return session.scalars(select(Person).where(Person.bsn == normalise_bsn(bsn))).first()


def note_unknown(bsn: str) -> None:
    """The user learnt that nobody with this BSN is known in Eenplan (so: that the person has
    no plan): an inzage of the BSN, logged like a known person's load."""
    current_ledger().note_view(categories={Gegevenscategorie.BSN}, bsns=[normalise_bsn(bsn)])


@dataclass
class PersonGegevens:
    bsn: str
    voornamen: str
    achternaam: str
    geboortedatum: dt.date
    tussenvoegsel: str | None = None
    straat: str | None = None
    huisnummer: str | None = None
    huisnummer_toevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None
    telefoon: str | None = None
    email: str | None = None


def create_person(data: PersonGegevens) -> Person:
    person = Person(
        bsn=normalise_bsn(data.bsn),
        voornamen=data.voornamen.strip(),
        tussenvoegsel=(data.tussenvoegsel or "").strip() or None,
        achternaam=data.achternaam.strip(),
        geboortedatum=data.geboortedatum,
        straat=data.straat or None,
        huisnummer=data.huisnummer or None,
        huisnummer_toevoeging=data.huisnummer_toevoeging or None,
        postcode=(data.postcode or "").replace(" ", "").upper() or None,
        woonplaats=data.woonplaats or None,
        telefoon=data.telefoon or None,
        email=data.email or None,
    )
    session.add(person)
    session.flush()
    return person
