"""The tombstone of something destroyed at the end of its term: what, when, under which term —
never what it said or whom it was about (no name, no BSN; the plan's number is only a number)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class Vernietiging(Base):
    __tablename__ = "vernietiging"

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(20))  # plan
    object_id: Mapped[int] = mapped_column(Integer, index=True)
    verwerking: Mapped[str] = mapped_column(String(60))  # the register key whose term applied
    bewaartermijn: Mapped[str] = mapped_column(String(200))  # the term, in words
    gebeurtenis_op: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # e.g. the plan closed
    vernietigd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # How many rows of each kind went (activiteiten, opmerkingen, berichten, bijlagen, …).
    aantallen: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    trace_id: Mapped[str] = mapped_column(String(32))  # the run's logboek trace
