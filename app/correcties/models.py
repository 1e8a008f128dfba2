"""What a correction leaves behind: each changed field (old → new, who, when, why) and the
decision on a citizen's correction proposal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData

AANVAARD = "aanvaard"
AFGEWEZEN = "afgewezen"


class Persoonswijziging(PersonalData, Base):
    """One field of a person changed by the regisseur: old → new, who, when, why."""

    __tablename__ = "persoonswijziging"
    __audit_default_category__ = Gegevenscategorie.HISTORIE

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    veld: Mapped[str] = mapped_column(String(40))
    oud: Mapped[str | None] = mapped_column(Text)
    nieuw: Mapped[str | None] = mapped_column(Text)
    reden: Mapped[str] = mapped_column(Text)
    voorstel_id: Mapped[int | None] = mapped_column(ForeignKey("plan_comment.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)


class Correctiebesluit(PersonalData, Base):
    """The regisseur's decision on a correction proposal: accepted (applied) or rejected."""

    __tablename__ = "correctiebesluit"
    __audit_default_category__ = Gegevenscategorie.OPMERKINGEN

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("plan_comment.id"), unique=True)
    besluit: Mapped[str] = mapped_column(String(20))  # aanvaard | afgewezen
    reden: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("plan", self.plan_id)

    @property
    def aanvaard(self) -> bool:
        return self.besluit == AANVAARD
