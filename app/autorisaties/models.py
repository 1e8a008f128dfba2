"""What the citizen decides about access, and the exceptions to need-to-know.

* :class:`InzageNiveau` — per plan and involved organisation, how much of the *other*
  organisations' work that organisation sees (geen inzage / buitenkant / volledig).
* :class:`Vertrouwenspersoon` — a person the citizen trusts (family member, bewindvoerder, buddy)
  and gave read-only access to their plan, until an end date.
* :class:`Vervanging` — a colleague regisseur who opened a plan that is not theirs, with a typed
  reason, for a limited time (logged as emergency access).
* :class:`BeroepsgeheimVrijgave` — consent to pass on something given under professional secrecy;
  it takes both the author (organisation) and the citizen.

The rules that use these records live in :mod:`app.access`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.i18n import N_
from app.logboek import PersonalData
from app.organisations.models import Organisation
from app.users.models import User

NIVEAU_GEEN = "geen"
NIVEAU_BUITENKANT = "buitenkant"
NIVEAU_VOLLEDIG = "volledig"
NIVEAUS = (NIVEAU_GEEN, NIVEAU_BUITENKANT, NIVEAU_VOLLEDIG)
STANDAARD_NIVEAU = NIVEAU_BUITENKANT


NIVEAU_LABELS = {
    NIVEAU_GEEN: N_("Geen inzage: alleen dat er een plan is en wie de regisseur is"),
    NIVEAU_BUITENKANT: N_(
        "Buitenkant: welke hulp andere organisaties geven, van wanneer tot wanneer"
    ),
    NIVEAU_VOLLEDIG: N_("Volledig: ook de omschrijving en toelichting van andere organisaties"),
}
NIVEAU_KORT = {
    NIVEAU_GEEN: N_("Geen inzage"),
    NIVEAU_BUITENKANT: N_("Buitenkant"),
    NIVEAU_VOLLEDIG: N_("Volledig"),
}

RELATIES_VERTROUWENSPERSOON = {
    "familielid": N_("Familielid"),
    "bewindvoerder": N_("Bewindvoerder"),
    "buddy": N_("Buddy of maatje"),
    "mantelzorger": N_("Mantelzorger"),
    "anders": N_("Iemand anders die ik vertrouw"),
}

PARTIJ_AUTEUR = "auteur"
PARTIJ_INWONER = "inwoner"
OBJECT_OPMERKING = "opmerking"
OBJECT_ACTIVITEIT = "activiteit"  # the activity's remark (toelichting)


class InzageNiveau(PersonalData, Base):
    """The citizen's choice for one organisation in one plan; absent means the default."""

    __tablename__ = "inzage_niveau"
    __audit_default_category__ = Gegevenscategorie.INSTELLINGEN
    __table_args__ = (
        UniqueConstraint("plan_id", "organisation_id", name="uq_inzage_niveau_plan_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    niveau: Mapped[str] = mapped_column(String(20))
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gewijzigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @property
    def label(self) -> str:
        return NIVEAU_KORT.get(self.niveau, self.niveau)


class Vertrouwenspersoon(PersonalData, Base):
    """Read-only access to the citizen's plan for someone they trust, identified by BSN.

    The trusted person logs in as a citizen (a user with a person); the access rule matches
    their person's BSN. The grant has an end date and can be revoked at any time.
    """

    __tablename__ = "vertrouwenspersoon"
    __audit_default_category__ = Gegevenscategorie.INSTELLINGEN

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # who grants
    bsn: Mapped[str] = mapped_column(String(9), index=True)  # the trusted person
    naam: Mapped[str] = mapped_column(String(200))
    relatie: Mapped[str] = mapped_column(String(30))
    geldig_van: Mapped[dt.date] = mapped_column(Date)
    geldig_tot: Mapped[dt.date] = mapped_column(Date)
    verleend_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verleend_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)

    @hybrid_method
    def active_on(self, day: dt.date) -> bool:
        """Not revoked, and ``day`` lies from ``geldig_van`` up to and including ``geldig_tot``."""
        return self.ingetrokken_op is None and self.geldig_van <= day <= self.geldig_tot

    @active_on.expression
    @classmethod
    def _active_on_sql(cls, day: dt.date) -> ColumnElement[bool]:
        return and_(cls.ingetrokken_op.is_(None), cls.geldig_van <= day, cls.geldig_tot >= day)

    @property
    def relatie_label(self) -> str:
        return RELATIES_VERTROUWENSPERSOON.get(self.relatie, self.relatie)


class Vervanging(PersonalData, Base):
    """A colleague regisseur stands in on a plan: reason given, time-limited, emergency-logged."""

    __tablename__ = "vervanging"
    __audit_default_category__ = Gegevenscategorie.TOEGANG

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)  # the stand-in
    voor_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # the plan's regisseur
    reden: Mapped[str] = mapped_column(Text)
    van: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    tot: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    voor_user: Mapped[User] = relationship(foreign_keys=[voor_user_id])

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @hybrid_method
    def active_on(self, moment: dt.datetime) -> bool:
        """In force at ``moment``: from ``van`` up to but not including ``tot``."""
        return self.van <= moment < self.tot

    @active_on.expression
    @classmethod
    def _active_on_sql(cls, moment: dt.datetime) -> ColumnElement[bool]:
        return and_(cls.van <= moment, cls.tot > moment)


VRIJGEGEVEN = "vrijgegeven"
GEWEIGERD = "geweigerd"


class BeroepsgeheimVrijgave(PersonalData, Base):
    """Consent to pass on a comment or activity remark given under professional secrecy.

    One row per party: the author's organisation (``auteur``) and the citizen (``inwoner``).
    Only with both (and neither withdrawn) may exports and shares include the item.
    """

    __tablename__ = "beroepsgeheim_vrijgave"
    __audit_default_category__ = Gegevenscategorie.TOESTEMMING
    __table_args__ = (
        UniqueConstraint(
            "object_type", "object_id", "partij", name="uq_beroepsgeheim_vrijgave_object_partij"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column()
    partij: Mapped[str] = mapped_column(String(20))
    vastgelegd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    vastgelegd_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The author's organisation releases (``vrijgegeven``) or refuses with a reason (issue 16
    # #6); only a release that is not withdrawn counts.
    besluit: Mapped[str] = mapped_column(
        String(20), default=VRIJGEGEVEN, server_default=VRIJGEGEVEN
    )
    reden: Mapped[str | None] = mapped_column(Text)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @property
    def geweigerd(self) -> bool:
        return self.besluit == GEWEIGERD


__all__ = [
    "NIVEAUS",
    "NIVEAU_BUITENKANT",
    "NIVEAU_GEEN",
    "NIVEAU_VOLLEDIG",
    "STANDAARD_NIVEAU",
    "BeroepsgeheimVrijgave",
    "InzageNiveau",
    "Vertrouwenspersoon",
    "Vervanging",
]
