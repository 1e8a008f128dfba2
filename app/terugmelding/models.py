"""A terugmelding: the municipality reports to a basisregistratie that its data is doubted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData

STATUS_LABELS = {
    "ontvangen": _l("Ontvangen door de registratie"),
    "mislukt": _l("Niet verstuurd: het versturen is mislukt"),
}


class Terugmelding(PersonalData, Base):
    __tablename__ = "terugmelding"
    __audit_default_category__ = Gegevenscategorie.NAW

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    besluit_id: Mapped[int | None] = mapped_column(ForeignKey("correctiebesluit.id"))
    registratie: Mapped[str] = mapped_column(String(40))  # e.g. "BRP"
    ontvanger: Mapped[str] = mapped_column(String(200))
    adapter: Mapped[str] = mapped_column(String(40))
    velden: Mapped[str] = mapped_column(Text)  # the fields reported, comma separated
    status: Mapped[str] = mapped_column(String(20))  # ontvangen | mislukt
    kenmerk: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What was reported (JSON: the fields with the value held and the value proposed, and the
    # explanation), so a failed terugmelding can be sent again unchanged (issue 16).
    inhoud: Mapped[str | None] = mapped_column(Text)
    pogingen: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    laatste_poging_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)

    @property
    def mislukt(self) -> bool:
        return self.status == "mislukt"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)
