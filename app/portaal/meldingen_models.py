"""The citizen's choice of e-mail notices (issue 16 #13), and where each kind stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData

# The kinds of notice, in the order of the form.
INZAGE, SIGNAAL, BERICHT = "inzage", "signaal", "bericht"
SOORTEN = (INZAGE, SIGNAAL, BERICHT)


class Meldingvoorkeur(PersonalData, Base):
    """Which notices a citizen wants, and at which address. Off unless they choose
    (no row, or every kind off); optimistic locking like plans."""

    __tablename__ = "meldingvoorkeur"
    __audit_default_category__ = Gegevenscategorie.INSTELLINGEN
    __audit_categories__ = {"email": Gegevenscategorie.CONTACT}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    inzage: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    signaal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    bericht: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)

    def aan(self, soort: str) -> bool:
        return bool(getattr(self, soort))


class Meldingstand(Base):
    """Per citizen and kind: what was already known (``gezien``: hashed actor keys or signal
    ids, no personal data), the watermark for messages (``sinds``), and the day the last
    notice of this kind went out (at most one a day)."""

    __tablename__ = "meldingstand"
    __table_args__ = (UniqueConstraint("user_id", "soort", name="uq_meldingstand_user_soort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    gezien: Mapped[str] = mapped_column(Text, default="")
    sinds: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verzonden_op: Mapped[dt.date | None] = mapped_column(Date)
