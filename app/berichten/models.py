"""Messages: a thread (gesprek) per plan and direct threads, stored in Eenplan's own database.

* ``Gesprek`` — one thread on a plan: ``soort`` "plan" (everyone on the plan), "hulpverlener"
  (the plan's regisseur and one hulpverlener) or "inwoner" (the plan's regisseur and the
  citizen). The regisseur side is *the plan's regisseur*: after a transfer the new regisseur
  continues the thread.
* ``Bericht`` — one message; personal data about the plan's person (category ``berichten``).
* ``Bijlage`` — an attachment, its bytes in the database (transactional with the message,
  backed up and retained with it), type checked by content.
* ``GesprekGelezen`` — per user and thread: read up to which message (unread counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData
from app.users.models import User

SOORT_PLAN = "plan"
SOORT_HULPVERLENER = "hulpverlener"
SOORT_INWONER = "inwoner"
SOORTEN = (SOORT_PLAN, SOORT_HULPVERLENER, SOORT_INWONER)


class Gesprek(Base):
    """A thread. Holds no content itself; who may read it follows from the plan's access rules."""

    __tablename__ = "gesprek"
    __table_args__ = (Index("ix_gesprek_plan_soort", "plan_id", "soort"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    soort: Mapped[str] = mapped_column(String(20))
    # For soort "hulpverlener": the hulpverlener the regisseur talks with.
    hulpverlener_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # "<plan>:plan", "<plan>:inwoner", "<plan>:hulpverlener:<user>": one thread of each kind.
    sleutel: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatste_bericht_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    hulpverlener: Mapped[User | None] = relationship(lazy="joined")

    @staticmethod
    def maak_sleutel(plan_id: int, soort: str, hulpverlener_id: int | None = None) -> str:
        if soort == SOORT_HULPVERLENER:
            return f"{plan_id}:{soort}:{hulpverlener_id}"
        return f"{plan_id}:{soort}"


class Bericht(PersonalData, Base):
    __tablename__ = "bericht"
    __audit_default_category__ = Gegevenscategorie.BERICHTEN
    __table_args__ = (Index("ix_bericht_gesprek_id_id", "gesprek_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gesprek_id: Mapped[int] = mapped_column(ForeignKey("gesprek.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    author_rol: Mapped[str] = mapped_column(String(40))  # regisseur | hulpverlener | burger
    author_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    author_organisation: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Given under professional secrecy: only the author's organisation and the regisseur see it.
    beroepsgeheim: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    bijlagen: Mapped[list[Bijlage]] = relationship(
        lazy="selectin", order_by="Bijlage.id", back_populates="bericht"
    )

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)


class Bijlage(PersonalData, Base):
    __tablename__ = "bericht_bijlage"
    __audit_default_category__ = Gegevenscategorie.BERICHTEN

    id: Mapped[int] = mapped_column(primary_key=True)
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    bestandsnaam: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))  # detected from the content
    grootte: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    inhoud: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    bericht: Mapped[Bericht] = relationship(back_populates="bijlagen")

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)


class GesprekGelezen(Base):
    """Read marker: ``user`` has read ``gesprek`` up to and including message ``tot_bericht_id``."""

    __tablename__ = "gesprek_gelezen"
    __table_args__ = (
        UniqueConstraint("gesprek_id", "user_id", name="uq_gesprek_gelezen_gesprek_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gesprek_id: Mapped[int] = mapped_column(ForeignKey("gesprek.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    tot_bericht_id: Mapped[int] = mapped_column(Integer)
    gelezen_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
