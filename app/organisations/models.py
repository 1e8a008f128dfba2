from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from app.db import Base, UTCDateTime, utcnow
from app.domain import ORGANISATIE_SOORT_LABELS, OrganisatieSoort


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The municipality this organisation works for (a gemeente points at itself or is empty).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def kind_label(self) -> str:
        try:
            return ORGANISATIE_SOORT_LABELS[OrganisatieSoort(self.kind)]
        except ValueError:
            return self.kind

    @property
    def is_gemeente(self) -> bool:
        return self.kind == OrganisatieSoort.GEMEENTE

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Mandaat(Base):
    """An organisation holds the regietaak on behalf of a municipality, for a period."""

    __tablename__ = "mandaat"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    besluit: Mapped[str] = mapped_column(String(200))  # kenmerk of the mandaatbesluit
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    gemeente: Mapped[Organisation] = relationship(foreign_keys=[gemeente_id])

    @hybrid_method
    def active_on(self, day: dt.date) -> bool:
        """Active on ``day``: from ``valid_from`` up to and including ``valid_until``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @active_on.expression
    @classmethod
    def _active_on_sql(cls, day: dt.date) -> ColumnElement[bool]:
        return and_(cls.valid_from <= day, or_(cls.valid_until.is_(None), cls.valid_until >= day))

    @property
    def label(self) -> str:
        return mandaat_label(self.gemeente.name, self.besluit)


def mandaat_label(gemeente: str, besluit: str) -> str:
    """How a mandate is named in the logboek and on the plan."""
    return f"namens {gemeente} (mandaat {besluit})"
