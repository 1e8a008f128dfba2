"""Reviews (beoordelingen) of logboek lines by the privacy officer. Application data: the
logboek itself stays append-only and untouched; a review points at lines by their ``seq``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow

# What the privacy officer concluded.
CONCLUSIES = {
    "rechtmatig": "Rechtmatig: geen actie nodig",
    "nader_onderzoek": "Nader onderzoek nodig",
    "onrechtmatig": "Onrechtmatig: melden en opvolgen",
}


class Beoordeling(Base):
    """A review of one logboek line, or of a case: the lines behind one indicator."""

    __tablename__ = "logboek_beoordeling"

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(10))  # regel | zaak
    # For a case: which indicator it was (see app.privacy.indicators.SOORTEN).
    aandachtspunt: Mapped[str | None] = mapped_column(String(40))
    conclusie: Mapped[str] = mapped_column(String(30))
    toelichting: Mapped[str] = mapped_column(Text)
    beoordeeld_door_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    beoordeeld_door_naam: Mapped[str] = mapped_column(String(200))
    beoordeeld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    regels: Mapped[list[BeoordeeldeRegel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="beoordeling"
    )

    @property
    def conclusie_label(self) -> str:
        return CONCLUSIES.get(self.conclusie, self.conclusie)

    @property
    def seqs(self) -> list[int]:
        return sorted(r.seq for r in self.regels)


class BeoordeeldeRegel(Base):
    """One logboek line covered by a review."""

    __tablename__ = "logboek_beoordeling_regel"

    id: Mapped[int] = mapped_column(primary_key=True)
    beoordeling_id: Mapped[int] = mapped_column(
        ForeignKey("logboek_beoordeling.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), index=True)

    beoordeling: Mapped[Beoordeling] = relationship(back_populates="regels")
