"""Reviews (beoordelingen) of logboek lines by the privacy officer. Application data: the
logboek itself stays append-only and untouched; a review points at lines by their ``seq``."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow

# What the privacy officer concluded.
CONCLUSIES = {
    "rechtmatig": _l("Rechtmatig: geen actie nodig"),
    "nader_onderzoek": _l("Nader onderzoek nodig"),
    "onrechtmatig": _l("Onrechtmatig: melden en opvolgen"),
}

# Where a review or a citizen's question stands (issue 16 #12): the privacy officer's queue.
STATUSSEN = {
    "open": _l("Open"),
    "in_onderzoek": _l("In onderzoek"),
    "afgerond": _l("Afgerond"),
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
    # Follow-up (issue 16 #12): "nader onderzoek" stays in the queue with an owner and a date.
    status: Mapped[str] = mapped_column(String(20), default="afgerond", server_default="afgerond")
    toegewezen_aan_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    termijn: Mapped[dt.date | None] = mapped_column(Date)

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


class LogboekVraag(Base):
    """A citizen's question about one logboek line about them ("ik herken dit niet"), a case
    for the privacy officer. ``onderwerp`` is the citizen's logboek pseudonym (not the BSN);
    ``seq`` the line asked about."""

    __tablename__ = "logboek_vraag"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), index=True)
    onderwerp: Mapped[str] = mapped_column(String(64), index=True)
    gesteld_door_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    vraag: Mapped[str] = mapped_column(Text)
    gesteld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    termijn: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    toegewezen_aan_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    antwoord: Mapped[str | None] = mapped_column(Text)
    beantwoord_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    beantwoord_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    beoordeling_id: Mapped[int | None] = mapped_column(ForeignKey("logboek_beoordeling.id"))

    @property
    def status_label(self) -> str:
        return STATUSSEN.get(self.status, self.status)


class GeweigerdeOpvraging(Base):
    """A refused look-up (404 from the access layer) by a logged-in user: content-free (who,
    when, which route; the address only as a keyed hash, to count distinct objects tried).
    Not a logboek line: nothing was shown. Read by the probing indicator."""

    __tablename__ = "geweigerde_opvraging"
    __table_args__ = (Index("ix_geweigerde_opvraging_user_op", "user_id", "op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    route: Mapped[str] = mapped_column(String(100))
    doel_hash: Mapped[str] = mapped_column(String(64))


class IndicatorDag(Base):
    """One (local) day's indicators were computed: when, over how many staff lines, and up to
    which line of the logboek (``flask privacy indicatoren``). A day is complete once computed
    after it ended; the overview reads complete days from the store, a day still going on as the
    last run left it while that run is recent, and computes the rest."""

    __tablename__ = "privacy_indicator_dag"

    dag: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    berekend_op: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    regels: Mapped[int] = mapped_column(Integer)
    tot_seq: Mapped[int] = mapped_column(BigInteger)
    # The day's stored indicators counted per kind (the overview sums these, not the rows).
    per_soort: Mapped[dict[str, int]] = mapped_column(JSON)
    # The settings computed with (``Instellingen.sleutel``): a later run adds only the new lines
    # of a day still going on when they are the same (else it computes the day whole).
    instellingen: Mapped[str | None] = mapped_column(String(40))


class OpgeslagenAandachtspunt(Base):
    """An indicator of one day as computed (the fields of ``indicators.Aandachtspunt``): who,
    when, which lines. About staff and lines, never about the persons in them."""

    __tablename__ = "privacy_aandachtspunt"
    __table_args__ = (
        Index("ix_privacy_aandachtspunt_dag_soort", "dag", "soort"),
        Index("ix_privacy_aandachtspunt_eind", "eind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dag: Mapped[dt.date] = mapped_column(Date)
    soort: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    actor_role: Mapped[str | None] = mapped_column(String(60))
    actor_organisation: Mapped[str | None] = mapped_column(String(200))
    begin: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    eind: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The lines' seqs, comma separated, ascending: a busy day's burst holds tens of thousands
    # (hundreds of KB), so the text is read only when asked for (``deferred``); the overview
    # lists, counts and reviews a case by the three columns after it.
    regels: Mapped[str] = mapped_column(Text, deferred=True)
    aantal: Mapped[int] = mapped_column(Integer)  # how many seqs ``regels`` holds
    eerste_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    laatste_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    personen: Mapped[int] = mapped_column(Integer)
    toelichting: Mapped[str] = mapped_column(Text)
