"""What inkijk keeps: only facts the regisseur deliberately copied into a plan.

Answers of sources are never stored (only cached in memory for a few minutes, see
``app/inkijk/bronnen.py``). A copied fact records where it came from and when the source said it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.logboek import PersonalData


class OvergenomenFeit(PersonalData, Base):
    """A buitenkant fact from a source, copied into a plan by its regisseur."""

    __tablename__ = "overgenomen_feit"
    __table_args__ = (Index("ix_overgenomen_feit_plan_person", "plan_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    bron: Mapped[str] = mapped_column(String(40))  # source key, e.g. "schulden"
    bron_naam: Mapped[str] = mapped_column(String(200))  # e.g. "Schulden en schuldhulp"
    herkomst: Mapped[str] = mapped_column(String(200))  # which adapter answered
    categorie: Mapped[str] = mapped_column(String(40))  # logboek data category
    sleutel: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(200))
    waarde: Mapped[str] = mapped_column(Text)
    bron_datum: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # when the source answered
    overgenomen_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    overgenomen_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    overgenomen_door_naam: Mapped[str] = mapped_column(String(200))

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)

    def audit_categories(self, attrs: Iterable[str] | None = None) -> set[str]:
        # The category is per row: the category of the source the fact came from.
        return {self.categorie}
