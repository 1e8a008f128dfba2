"""The history of a staff member's own contact details (shown to citizens and colleagues on
every plan they are the regisseur of): who changed what, when. Staff data, not a resident's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ContactWijziging(Base):
    """One change of one field (``email`` or ``phone``) of a user's contact details."""

    __tablename__ = "contact_wijziging"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    veld: Mapped[str] = mapped_column(String(20))
    oud: Mapped[str | None] = mapped_column(String(200))
    nieuw: Mapped[str | None] = mapped_column(String(200))
    gewijzigd_door_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
