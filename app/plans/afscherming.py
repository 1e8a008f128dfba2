"""Afscherming: a safety mark on a gezinslink or on a person.

In a situation of domestic violence the household members must not learn about each other
through Eenplan. A regisseur (or the privacy officer) marks a link or a person as shielded
(*afgeschermd*). Then, for the members on either side of the mark:

* the portal shows neither side to the other (:meth:`app.access.PlanToegang.household`);
* logboek lines caused by one member's own use are shown to the other without the member's
  name — "Iemand uit uw huishouden" (:meth:`app.access.LogboekToegang.toon`, so on the log
  page, the live stream, the exchanges, the download and the read API alike).

The logboek itself is never rewritten (its lines are hash-chained): this is a filter on
presentation only. A mark is ended (``opgeheven_op``), never deleted; setting it is an
ordinary guarded change (its logboek line) and a plan event, and the privacy officer reviews
the marks (:mod:`app.privacy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import now
from app.db import Base, UTCDateTime, session, utcnow
from app.domain import Gegevenscategorie
from app.logboek import PersonalData
from app.plans.models import Gezinslink, Plan, PlanGebeurtenis
from app.users.models import User

IEMAND_UIT_HUISHOUDEN = "Iemand uit uw huishouden"


class Afscherming(PersonalData, Base):
    """A safety mark: on a gezinslink (``gezinslink_id``; ``person_id`` and ``ander_id`` are
    its two persons) or on one person (``gezinslink_id`` and ``ander_id`` empty)."""

    __tablename__ = "afscherming"
    __audit_default_category__ = Gegevenscategorie.GEZIN

    id: Mapped[int] = mapped_column(primary_key=True)
    gezinslink_id: Mapped[int | None] = mapped_column(ForeignKey("gezinslink.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    ander_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reden: Mapped[str] = mapped_column(Text)
    gezet_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gezet_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    gezet_door_naam: Mapped[str] = mapped_column(String(200))
    opgeheven_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    opgeheven_door_naam: Mapped[str | None] = mapped_column(String(200))

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)
        if self.ander_id is not None:
            yield ("person", self.ander_id)

    @property
    def actief(self) -> bool:
        return self.opgeheven_op is None


class AfschermingError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _reden(reden: str | None) -> str:
    text = (reden or "").strip()
    if not text:
        raise AfschermingError(_("Geef de reden van de afscherming."), "reden")
    return text


def _event(plan: Plan, actor: User, omschrijving: str) -> None:
    session.add(
        PlanGebeurtenis(
            plan_id=plan.id,
            actor_id=actor.id,
            actor_name=actor.name,
            soort="afscherming",
            omschrijving=omschrijving,
            at=now(),
        )
    )


def scherm_link_af(link: Gezinslink, *, plan: Plan, actor: User, reden: str | None) -> Afscherming:
    """Mark a gezinslink as shielded (both persons no longer see each other in the portal)."""
    text = _reden(reden)
    if link_afgeschermd(link.id):
        raise AfschermingError(_("Deze gezinslink is al afgeschermd."))
    mark = Afscherming(
        gezinslink_id=link.id,
        person_id=link.person_a_id,
        ander_id=link.person_b_id,
        reden=text,
        gezet_op=now(),
        gezet_door_id=actor.id,
        gezet_door_naam=actor.name,
    )
    session.add(mark)
    _event(plan, actor, "Gezinslink afgeschermd")
    session.flush()
    return mark


def scherm_persoon_af(person_id: int, *, plan: Plan, actor: User, reden: str | None) -> Afscherming:
    """Mark a person as shielded from every member of their household."""
    text = _reden(reden)
    if person_id in _afgeschermde_personen():
        raise AfschermingError(_("Deze persoon is al afgeschermd."))
    mark = Afscherming(
        person_id=person_id,
        reden=text,
        gezet_op=now(),
        gezet_door_id=actor.id,
        gezet_door_naam=actor.name,
    )
    session.add(mark)
    _event(plan, actor, "Persoon afgeschermd voor het huishouden")
    session.flush()
    return mark


# --- reading (ids only: no personal data is shown, so no logboek line) ---------------------


def _ids(stmt: object) -> list[tuple[int | None, int, int | None]]:
    return [
        (r[0], r[1], r[2])
        for r in session.execute(stmt.execution_options(audit_internal=True))  # type: ignore[attr-defined]
    ]


def link_afgeschermd(link_id: int) -> bool:
    rows = _ids(
        select(Afscherming.gezinslink_id, Afscherming.person_id, Afscherming.ander_id).where(
            Afscherming.gezinslink_id == link_id, Afscherming.opgeheven_op.is_(None)
        )
    )
    return bool(rows)


def _afgeschermde_personen(among: set[int] | None = None) -> set[int]:
    stmt = select(Afscherming.gezinslink_id, Afscherming.person_id, Afscherming.ander_id).where(
        Afscherming.gezinslink_id.is_(None), Afscherming.opgeheven_op.is_(None)
    )
    if among is not None:
        stmt = stmt.where(Afscherming.person_id.in_(among))
    return {pid for _, pid, _ in _ids(stmt)}


def afgeschermd_voor(person_id: int) -> set[int]:
    """The persons of ``person_id``'s household (by any link, active or broken) who must not be
    shown to them, nor they to them: a shielded link between them, or either one shielded."""
    rows = session.execute(
        select(Gezinslink.id, Gezinslink.person_a_id, Gezinslink.person_b_id)
        .where(or_(Gezinslink.person_a_id == person_id, Gezinslink.person_b_id == person_id))
        .execution_options(audit_internal=True)
    ).all()
    if not rows:
        return set()
    others = {b if a == person_id else a for _, a, b in rows} - {person_id}
    by_link = {link_id: (b if a == person_id else a) for link_id, a, b in rows}
    shielded_links = {
        link_id
        for link_id, _, _ in _ids(
            select(Afscherming.gezinslink_id, Afscherming.person_id, Afscherming.ander_id).where(
                Afscherming.gezinslink_id.in_(list(by_link)), Afscherming.opgeheven_op.is_(None)
            )
        )
    }
    out = {by_link[link_id] for link_id in shielded_links if link_id is not None}
    persons = _afgeschermde_personen(others | {person_id})
    if person_id in persons:
        return others
    return out | (others & persons)


def afgeschermde_gebruikers(person_id: int) -> frozenset[str]:
    """The user ids (as the logboek names actors) of the household members shielded from
    ``person_id``."""
    persons = afgeschermd_voor(person_id)
    if not persons:
        return frozenset()
    rows = session.execute(
        select(User.id)
        .where(User.person_id.in_(sorted(persons)))
        .execution_options(audit_internal=True)
    )
    return frozenset(str(r[0]) for r in rows)


def actieve_afschermingen() -> list[Afscherming]:
    """Every active mark, newest first (the privacy officer's review; loading them is logged)."""
    return list(
        session.scalars(
            select(Afscherming)
            .where(Afscherming.opgeheven_op.is_(None))
            .order_by(Afscherming.gezet_op.desc(), Afscherming.id.desc())
        )
    )
