from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData, data_subject


@data_subject("person", bsn="bsn")
class Person(PersonalData, Base):
    """A resident, identified by BSN; name and address as in the BRP."""

    __tablename__ = "person"
    __audit_categories__ = {
        "bsn": Gegevenscategorie.BSN,
        "voornamen": Gegevenscategorie.NAW,
        "tussenvoegsel": Gegevenscategorie.NAW,
        "achternaam": Gegevenscategorie.NAW,
        "geboortedatum": Gegevenscategorie.NAW,
        "straat": Gegevenscategorie.NAW,
        "huisnummer": Gegevenscategorie.NAW,
        "huisnummer_toevoeging": Gegevenscategorie.NAW,
        "postcode": Gegevenscategorie.NAW,
        "woonplaats": Gegevenscategorie.NAW,
        "telefoon": Gegevenscategorie.CONTACT,
        "email": Gegevenscategorie.CONTACT,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    voornamen: Mapped[str] = mapped_column(String(200))
    tussenvoegsel: Mapped[str | None] = mapped_column(String(20))
    achternaam: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[dt.date] = mapped_column(Date)
    straat: Mapped[str | None] = mapped_column(String(200))
    huisnummer: Mapped[str | None] = mapped_column(String(10))
    huisnummer_toevoeging: Mapped[str | None] = mapped_column(String(10))
    postcode: Mapped[str | None] = mapped_column(String(7))
    woonplaats: Mapped[str | None] = mapped_column(String(100))
    telefoon: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.id)

    @property
    def naam(self) -> str:
        parts = [self.voornamen, self.tussenvoegsel, self.achternaam]
        return " ".join(p for p in parts if p)

    @property
    def adres(self) -> str:
        if not self.straat:
            return ""
        nummer = f"{self.huisnummer or ''}{self.huisnummer_toevoeging or ''}"
        return f"{self.straat} {nummer}, {self.postcode or ''} {self.woonplaats or ''}".strip()

    def leeftijd(self, today: dt.date) -> int:
        g = self.geboortedatum
        return today.year - g.year - ((today.month, today.day) < (g.month, g.day))

    def __repr__(self) -> str:
        return f"<Person {self.id}>"  # never the BSN or name
