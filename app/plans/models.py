from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, and_, false, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from app.db import Base, UTCDateTime, utcnow
from app.domain import (
    ACTIVITEIT_AARDEN,
    ACTIVITEIT_STATUS_LABELS,
    AFSLUITREDENEN,
    PLAN_BASIS_LABELS,
    PLAN_STATUS_LABELS,
    RELATIE_LABELS,
    ActiviteitStatus,
    Gegevenscategorie,
    PlanBasis,
    PlanStatus,
    Relatie,
    UitvoerderSoort,
)
from app.logboek import PersonalData, refers_to_person
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.users.models import User


@refers_to_person("plan", person_id="person_id")
class Plan(PersonalData, Base):
    """Eén plan per persoon."""

    __tablename__ = "plan"
    __audit_default_category__ = Gegevenscategorie.PLAN

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    basis: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.CONCEPT, index=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    regisseur_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    mandaat_id: Mapped[int | None] = mapped_column(ForeignKey("mandaat.id"))
    # The afweging whose step 4 established multiproblematiek (rule 5: the only road to that
    # basis). A plan on that basis without one predates that rule: "weging ontbreekt" until a
    # weighing is recorded (see weging_ontbreekt; migration 0010 linked the ones that had one).
    afweging_id: Mapped[int | None] = mapped_column(
        ForeignKey("afweging.id", use_alter=True), index=True
    )
    closed_reason: Mapped[str | None] = mapped_column(String(40))
    closed_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)
    gemeente: Mapped[Organisation] = relationship()
    regisseur: Mapped[User] = relationship(foreign_keys=[regisseur_id], lazy="joined")
    mandaat: Mapped[Mandaat | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)

    @property
    def basis_label(self) -> str:
        return PLAN_BASIS_LABELS[PlanBasis(self.basis)]

    @property
    def status_label(self) -> str:
        return PLAN_STATUS_LABELS[PlanStatus(self.status)]

    @property
    def weging_ontbreekt(self) -> bool:
        """Basis multiproblematiek, but no recorded weighing established it (older plans)."""
        return self.basis == PlanBasis.MULTIPROBLEMATIEK and self.afweging_id is None

    @property
    def closed_reason_label(self) -> str:
        return AFSLUITREDENEN.get(self.closed_reason or "", self.closed_reason or "")

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.AFGESLOTEN


class Toestemming(PersonalData, Base):
    """Consent for a plan on the basis *toestemming*: who gave it, when, how; revocable."""

    __tablename__ = "toestemming"
    __audit_default_category__ = Gegevenscategorie.TOESTEMMING

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    gegeven_door: Mapped[str] = mapped_column(String(200))  # "de betrokkene zelf", a guardian, ...
    gegeven_op: Mapped[dt.date] = mapped_column(Date)
    wijze: Mapped[str] = mapped_column(String(20))
    toelichting: Mapped[str | None] = mapped_column(Text)
    vastgelegd_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    vastgelegd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door: Mapped[str | None] = mapped_column(String(200))
    intrekking_toelichting: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship()

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None


class Gezinslink(PersonalData, Base):
    """A link between two persons of one household. Broken links are ended, never deleted."""

    __tablename__ = "gezinslink"
    __audit_default_category__ = Gegevenscategorie.GEZIN

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    person_b_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relatie: Mapped[str] = mapped_column(String(30))  # A is <relatie> B
    gelegd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gelegd_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    gelegd_door_naam: Mapped[str] = mapped_column(String(200))
    verbroken_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verbroken_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verbroken_door_naam: Mapped[str | None] = mapped_column(String(200))
    reden_verbreken: Mapped[str | None] = mapped_column(Text)

    person_a: Mapped[Person] = relationship(foreign_keys=[person_a_id])
    person_b: Mapped[Person] = relationship(foreign_keys=[person_b_id])

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_a_id)
        yield ("person", self.person_b_id)

    @property
    def actief(self) -> bool:
        return self.verbroken_op is None

    def other(self, person_id: int) -> Person:
        return self.person_b if self.person_a_id == person_id else self.person_a

    def relatie_label_from(self, person_id: int) -> str:
        """How the *other* person relates to ``person_id``, e.g. "kind van"."""
        forward, backward = RELATIE_LABELS[Relatie(self.relatie)]
        # A is <forward> B. Seen from B, the other (A) is <forward>; seen from A, B is <backward>.
        return forward if self.person_b_id == person_id else backward


class Betrokkenheid(PersonalData, Base):
    """An organisation (and optionally one hulpverlener) involved in a plan, from/to."""

    __tablename__ = "betrokkenheid"
    __audit_default_category__ = Gegevenscategorie.BETROKKENHEID

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    rol: Mapped[str] = mapped_column(String(200))  # what they do in this plan
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @hybrid_method
    def active_on(self, day: dt.date) -> bool:
        """Active on ``day``: from ``start_date``, up to but not including ``end_date``."""
        return self.start_date <= day and (self.end_date is None or day < self.end_date)

    @active_on.expression
    @classmethod
    def _active_on_sql(cls, day: dt.date) -> ColumnElement[bool]:
        return and_(cls.start_date <= day, or_(cls.end_date.is_(None), cls.end_date > day))


class Activity(PersonalData, Base):
    """An agreed activity, done by a professional organisation or by the household itself."""

    __tablename__ = "activity"
    __audit_default_category__ = Gegevenscategorie.ACTIVITEITEN_BUITENKANT
    __audit_categories__ = {
        "omschrijving": Gegevenscategorie.ACTIVITEITEN,
        "uitvoerder_contact": Gegevenscategorie.ACTIVITEITEN,
        "toelichting": Gegevenscategorie.ACTIVITEITEN,
        "toelichting_beroepsgeheim": Gegevenscategorie.ACTIVITEITEN,
    }
    # What anyone allowed to see the plan's *buitenkant* may see of an activity.
    BUITENKANT = (
        "id",
        "plan_id",
        "aard",
        "uitvoerder_soort",
        "organisation_id",
        "start_date",
        "end_date",
        "afgerond",
        "afgerond_op",
        "version",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    aard: Mapped[str] = mapped_column(String(40))
    omschrijving: Mapped[str] = mapped_column(Text)
    uitvoerder_soort: Mapped[str] = mapped_column(String(20), default=UitvoerderSoort.ORGANISATIE)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    uitvoerder_contact: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    afgerond: Mapped[bool] = mapped_column(Boolean, default=False)
    afgerond_op: Mapped[dt.date | None] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)
    # The remark was given under professional secrecy (rule 9): only the activity's organisation
    # and the regisseur see it; see app.access.
    toelichting_beroepsgeheim: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @property
    def aard_label(self) -> str:
        return ACTIVITEIT_AARDEN.get(self.aard, self.aard)

    @property
    def door_huishouden(self) -> bool:
        return self.uitvoerder_soort == UitvoerderSoort.HUISHOUDEN

    def status(self, today: dt.date) -> ActiviteitStatus:
        if self.afgerond:
            return ActiviteitStatus.AFGEROND
        if self.start_date > today:
            return ActiviteitStatus.GEPLAND
        if self.end_date is not None and self.end_date < today:
            return ActiviteitStatus.VERLOPEN
        return ActiviteitStatus.LOPEND

    def status_label(self, today: dt.date) -> str:
        return ACTIVITEIT_STATUS_LABELS[self.status(today)]


ZICHTBAAR_ALLE_BETROKKENEN = "alle_betrokkenen"
ZICHTBAAR_REGISSEURS = "regisseurs"
ZICHTBAAR_EIGEN_ORGANISATIE = "eigen_organisatie"
ZICHTBAARHEDEN = (ZICHTBAAR_ALLE_BETROKKENEN, ZICHTBAAR_REGISSEURS, ZICHTBAAR_EIGEN_ORGANISATIE)


class PlanComment(PersonalData, Base):
    """The plan's comment thread (co-ownership: municipality and citizen both write here)."""

    __tablename__ = "plan_comment"
    __audit_default_category__ = Gegevenscategorie.OPMERKINGEN

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    author_organisation: Mapped[str | None] = mapped_column(String(200))
    author_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    body: Mapped[str] = mapped_column(Text)
    soort: Mapped[str] = mapped_column(String(20), default="opmerking")  # or correctievoorstel
    # Given under professional secrecy (rule 9): only the author's organisation and the regisseur.
    beroepsgeheim: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Which professionals read it (issue 16 #9): all involved, the regisseur (and the author's
    # organisation), or the author's organisation only. The citizen reads every comment that is
    # not under beroepsgeheim (co-ownership, rule 1); see app.access.plans and docs/architecture.md.
    zichtbaarheid: Mapped[str] = mapped_column(
        String(20), default=ZICHTBAAR_REGISSEURS, server_default=ZICHTBAAR_REGISSEURS
    )
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("plan_comment.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)


class PlanGebeurtenis(PersonalData, Base):
    """The plan's history: who changed what, when (shown on the plan page)."""

    __tablename__ = "plan_gebeurtenis"
    __audit_default_category__ = Gegevenscategorie.HISTORIE
    __table_args__ = (Index("ix_plan_gebeurtenis_plan_at", "plan_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    soort: Mapped[str] = mapped_column(String(40))
    omschrijving: Mapped[str] = mapped_column(Text)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)
