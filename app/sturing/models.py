"""The aggregates of the management information: counts per month, never a person.

One row is one cell of a cube: how many (``aantal``) of a figure (``figuur``) in a month
(``maand``, ``YYYY-MM``, local time), for a team (``team_id``: the organisation of the
regisseur; 0 for the whole municipality), sliced by at most one dimension (``dim`` is
``""``, ``organisatie``, ``domein`` or ``bron``, with its value in ``dim_waarde``), for a row
key (``sleutel``), an optional column key (``sleutel2``) and a value (``waarde``: a number of
days for durations, a size for distributions; 0 otherwise). Nothing in it points to a person,
a plan or a signal: it is written by ``flask sturing bijwerken`` and read by the pages.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class SturingCijfer(Base):
    __tablename__ = "sturing_cijfer"
    __table_args__ = (
        Index("ix_sturing_cijfer_zoek", "figuur", "team_id", "dim", "dim_waarde", "maand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    maand: Mapped[str] = mapped_column(String(7))
    figuur: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(Integer, default=0)
    dim: Mapped[str] = mapped_column(String(12), default="")
    dim_waarde: Mapped[str] = mapped_column(String(60), default="")
    sleutel: Mapped[str] = mapped_column(String(100), default="")
    sleutel2: Mapped[str] = mapped_column(String(60), default="")
    waarde: Mapped[int] = mapped_column(Integer, default=0)
    aantal: Mapped[int] = mapped_column(Integer)


class SturingBijwerking(Base):
    """When the aggregates were last recomputed (one row), shown on every page."""

    __tablename__ = "sturing_bijwerking"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    bijgewerkt_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    rijen: Mapped[int] = mapped_column(Integer, default=0)
