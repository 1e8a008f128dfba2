"""Signals (vroegsignalen), their sources, combination rules and the afwegingskader's cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.domain import AfwegingStatus, Gegevenscategorie
from app.logboek import PersonalData
from app.organisations.models import Organisation


class SignaalBron(Base):
    """A source of signals (configuration, kept by the functioneel beheerder).

    ``velden`` are the extra fields this kind of source may deliver (e.g. for arrears: kind of
    debt, amount, months in arrears, creditor); anything else is refused. ``processing_activity``
    is the entry in the register of processing activities that gives the legal basis.
    """

    __tablename__ = "signaal_bron"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    soort: Mapped[str] = mapped_column(String(40))  # rijksschuldeiser, vaste_lasten, school, …
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    domeinen: Mapped[list[str]] = mapped_column(JSON, default=list)
    velden: Mapped[list[str]] = mapped_column(JSON, default=list)
    processing_activity: Mapped[str] = mapped_column(String(100))
    bewaartermijn_dagen: Mapped[int] = mapped_column(Integer, default=183)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    # Police, Veilig Thuis: their signals are deferred from the citizen until step 2 is answered
    # (app/signalen/uitstel.py).
    gevoelig: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<SignaalBron {self.code}>"


class BronToken(Base):
    """An organisation-scoped API token for source systems; only its SHA-256 is stored."""

    __tablename__ = "bron_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()


class Afweging(PersonalData, Base):
    """A case of the afwegingskader for one person (and their household)."""

    __tablename__ = "afweging"
    __audit_default_category__ = Gegevenscategorie.AFWEGING
    __audit_categories__ = {
        "verwijzing": Gegevenscategorie.AFWEGING,
        "sluitreden": Gegevenscategorie.AFWEGING,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    aanleiding: Mapped[str] = mapped_column(String(30))  # signalen | verzoek_inwoner
    status: Mapped[str] = mapped_column(String(30), default=AfwegingStatus.OPEN, index=True)
    regisseur_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    verwijzing: Mapped[str | None] = mapped_column(Text)  # step 3 No: referral
    sluitreden: Mapped[str | None] = mapped_column(String(40))
    geopend_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gesloten_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    heropend_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    stappen: Mapped[list[AfwegingStap]] = relationship(
        order_by="AfwegingStap.id", back_populates="afweging"
    )

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)


class AfwegingStap(PersonalData, Base):
    """One answered step: answer, motivation, who decided and when."""

    __tablename__ = "afweging_stap"
    __audit_default_category__ = Gegevenscategorie.AFWEGING

    id: Mapped[int] = mapped_column(primary_key=True)
    afweging_id: Mapped[int] = mapped_column(ForeignKey("afweging.id"), index=True)
    stap: Mapped[int] = mapped_column(Integer)
    antwoord: Mapped[bool] = mapped_column(Boolean)
    motivering: Mapped[str] = mapped_column(Text)
    besloten_door_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    besloten_door_naam: Mapped[str] = mapped_column(String(200))
    besloten_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    afweging: Mapped[Afweging] = relationship(back_populates="stappen")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.afweging.person_id)


class DatInformatieVraag(PersonalData, Base):
    """A question from the signal team to an organisation within an open afweging
    (``app/signalen/vragen.py``): at step 2 dát-informatie (is the person known or in treatment
    there? yes/no), at step 3 the buitenkant (which help, since when, on which indication —
    never background). Answered or declined (with a reason) by the organisation's
    hulpverleners; ``uiterlijk_op`` is the due date."""

    __tablename__ = "dat_informatie_vraag"
    __audit_default_category__ = Gegevenscategorie.BETROKKENHEID

    id: Mapped[int] = mapped_column(primary_key=True)
    afweging_id: Mapped[int] = mapped_column(ForeignKey("afweging.id"), index=True)
    # Whom the question is about (the afweging's person; kept here so a hulpverlener's inbox
    # need not load the case).
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    stap: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    gevraagd_door_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    gevraagd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    uiterlijk_op: Mapped[dt.date | None] = mapped_column(Date)
    bekend: Mapped[bool | None] = mapped_column(Boolean)
    hulp: Mapped[str | None] = mapped_column(String(200))
    hulp_sinds: Mapped[dt.date | None] = mapped_column(Date)
    indicatie: Mapped[str | None] = mapped_column(String(200))
    weigerreden: Mapped[str | None] = mapped_column(Text)
    beantwoord_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    beantwoord_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    beantwoord_door_naam: Mapped[str | None] = mapped_column(String(200))

    afweging: Mapped[Afweging] = relationship()
    organisation: Mapped[Organisation] = relationship()

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)


class Vroegsignaal(PersonalData, Base):
    """A signal about a person. When deleted (forgotten) every personal column is emptied and
    ``verwijderd_op`` set: a tombstone with source, dates and status only stays."""

    __tablename__ = "vroegsignaal"
    __table_args__ = (
        UniqueConstraint("bron_id", "bron_referentie", name="uq_vroegsignaal_bron_referentie"),
        UniqueConstraint(
            "melder_id", "melder_volgnummer", name="uq_vroegsignaal_melder_volgnummer"
        ),
        Index("ix_vroegsignaal_open", "afweging_id", "verwijderd_op", "ontvangen_op"),
        # The queue (app/signalen/werkvoorraad.py) and matching: open signals not yet matched
        # to a person, by the BSN they were delivered with.
        Index(
            "ix_vroegsignaal_ongekoppeld_bsn",
            "bsn",
            sqlite_where=text("person_id IS NULL AND verwijderd_op IS NULL"),
            postgresql_where=text("person_id IS NULL AND verwijderd_op IS NULL"),
        ),
    )
    __audit_default_category__ = Gegevenscategorie.SIGNALEN
    __audit_categories__ = {
        "bsn": Gegevenscategorie.BSN,
        "naam": Gegevenscategorie.NAW,
        "geboortedatum": Gegevenscategorie.NAW,
        "adres": Gegevenscategorie.NAW,
        "adres_sleutel": Gegevenscategorie.NAW,
        "melder_naam": Gegevenscategorie.CONTACT,
        "melder_contact": Gegevenscategorie.CONTACT,
        "inhoud": Gegevenscategorie.SIGNALEN,
        "aanleiding": Gegevenscategorie.SIGNALEN,
        "gegevens": Gegevenscategorie.SCHULDEN,
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    bron_id: Mapped[int | None] = mapped_column(ForeignKey("signaal_bron.id"))
    bron_referentie: Mapped[str | None] = mapped_column(String(100))
    melder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The melder's own number for it ("Melding 3"): their sequence, not the global id (which
    # would tell every melder how many signals the municipality receives).
    melder_volgnummer: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Identification as delivered (needed to match when there is no person yet).
    bsn: Mapped[str | None] = mapped_column(String(9))
    naam: Mapped[str | None] = mapped_column(String(200))
    geboortedatum: Mapped[dt.date | None] = mapped_column(Date)
    adres: Mapped[str | None] = mapped_column(String(300))
    # Postcode, number and addition from ``adres`` (the household in the queue before a person
    # is known; ``werkvoorraad.adres_sleutel``). Emptied with the address.
    adres_sleutel: Mapped[str | None] = mapped_column(String(40))
    # The melder (web form) and their relation to the person.
    melder_naam: Mapped[str | None] = mapped_column(String(200))
    melder_contact: Mapped[str | None] = mapped_column(String(200))
    relatie: Mapped[str | None] = mapped_column(String(100))
    aanleiding: Mapped[str | None] = mapped_column(Text)
    inhoud: Mapped[str | None] = mapped_column(Text)
    categorie: Mapped[str] = mapped_column(String(40))  # betalingsachterstand, schoolverzuim, …
    domeinen: Mapped[str] = mapped_column(String(200))  # comma-separated leefgebieden
    gegevens: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True)
    )  # the source's own fields
    signaaldatum: Mapped[dt.date] = mapped_column(Date)
    ontvangen_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    afweging_id: Mapped[int | None] = mapped_column(ForeignKey("afweging.id"))
    verwijderd_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verwijder_reden: Mapped[str | None] = mapped_column(String(40))

    bron: Mapped[SignaalBron | None] = relationship(lazy="joined")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        if self.person_id is not None:
            yield ("person", self.person_id)

    @property
    def domein_lijst(self) -> list[str]:
        return [d for d in (self.domeinen or "").split(",") if d]


class CombinatieRegel(Base):
    """A combination rule, as data: when it fires, the household's urgency rises.

    ``voorwaarde`` is one of a small vocabulary (see ``app.signalen.regels``), e.g.
    ``{"type": "min_bronnen", "bron_soort": "rijksschuldeiser", "aantal": 3}``.
    """

    __tablename__ = "combinatie_regel"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    voorwaarde: Mapped[dict[str, Any]] = mapped_column(JSON)
    urgentie: Mapped[int] = mapped_column(Integer)  # 1 normaal, 2 hoog, 3 zeer hoog
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
