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

Lifting a mark (:func:`hef_op`, by the regisseur, with a reason) ends it: from then on the
members see each other in the portal again. It never reveals the past: a member's own use
logged before the moment of lifting stays "Iemand uit uw huishouden" for the other, for good
(:func:`afgeschermde_gebruikers` gives, per member, until when), so lifting never tells one
partner when the other logged in while they were shielded.
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
    opgeheven_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opheffing_reden: Mapped[str | None] = mapped_column(Text)

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


def _reden(reden: str | None, *, opheffen: bool = False) -> str:
    text = (reden or "").strip()
    if not text:
        raise AfschermingError(
            _("Geef de reden om de afscherming op te heffen.")
            if opheffen
            else _("Geef de reden van de afscherming."),
            "reden",
        )
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


def actieve_link_afscherming(link_id: int) -> Afscherming | None:
    """The active mark on a gezinslink (loading it is logged, as any load)."""
    return session.scalars(
        select(Afscherming).where(
            Afscherming.gezinslink_id == link_id, Afscherming.opgeheven_op.is_(None)
        )
    ).first()


def actieve_persoon_afscherming(person_id: int) -> Afscherming | None:
    """The active mark on a person (loading it is logged, as any load)."""
    return session.scalars(
        select(Afscherming).where(
            Afscherming.gezinslink_id.is_(None),
            Afscherming.person_id == person_id,
            Afscherming.opgeheven_op.is_(None),
        )
    ).first()


def hef_op(mark: Afscherming | None, *, plan: Plan, actor: User, reden: str | None) -> Afscherming:
    """Lift a mark: the members see each other again in the portal from now on; what was logged
    before stays shielded (:func:`afgeschermde_gebruikers`). Ended, never deleted."""
    text = _reden(reden, opheffen=True)
    if mark is None or not mark.actief:
        raise AfschermingError(_("Er is geen afscherming om op te heffen."))
    mark.opgeheven_op = now()
    mark.opgeheven_door_id = actor.id
    mark.opgeheven_door_naam = actor.name
    mark.opheffing_reden = text
    _event(
        plan,
        actor,
        "Afscherming gezinslink opgeheven"
        if mark.gezinslink_id is not None
        else "Afscherming persoon opgeheven",
    )
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


def _tot(person_id: int) -> dict[int, dt.datetime | None]:
    """Per household member of ``person_id`` (by any link, active or broken) ever shielded from
    them: until when (``None``: still). A shielded link between them, or either one shielded;
    of several marks the latest end counts."""
    rows = session.execute(
        select(Gezinslink.id, Gezinslink.person_a_id, Gezinslink.person_b_id)
        .where(or_(Gezinslink.person_a_id == person_id, Gezinslink.person_b_id == person_id))
        .execution_options(audit_internal=True)
    ).all()
    if not rows:
        return {}
    others = {b if a == person_id else a for _, a, b in rows} - {person_id}
    by_link = {link_id: (b if a == person_id else a) for link_id, a, b in rows}
    out: dict[int, dt.datetime | None] = {}

    def merge(pid: int, tot: dt.datetime | None) -> None:
        if pid in out and (out[pid] is None or (tot is not None and tot <= out[pid])):  # type: ignore[operator]
            return
        out[pid] = tot

    marks = session.execute(
        select(Afscherming.gezinslink_id, Afscherming.person_id, Afscherming.opgeheven_op)
        .where(
            or_(
                Afscherming.gezinslink_id.in_(list(by_link)),
                Afscherming.gezinslink_id.is_(None)
                & Afscherming.person_id.in_(sorted(others | {person_id})),
            )
        )
        .execution_options(audit_internal=True)
    ).all()
    for link_id, pid, tot in marks:
        if link_id is not None:
            merge(by_link[link_id], tot)
        elif pid == person_id:
            for other in others:
                merge(other, tot)
        else:
            merge(pid, tot)
    return out


def persoon_afgeschermd(person_id: int) -> bool:
    return person_id in _afgeschermde_personen({person_id})


def afgeschermd_voor(person_id: int) -> set[int]:
    """The persons of ``person_id``'s household who must not be shown to them now, nor they to
    them: an active shielded link between them, or either one shielded."""
    return {pid for pid, tot in _tot(person_id).items() if tot is None}


def afgeschermde_gebruikers(person_id: int) -> dict[str, dt.datetime | None]:
    """The user ids (as the logboek names actors) of the household members shielded from
    ``person_id``, each with until when: their own use logged before that moment is not shown
    by name (``None``: still shielded, none of it is)."""
    tot = _tot(person_id)
    if not tot:
        return {}
    rows = session.execute(
        select(User.id, User.person_id)
        .where(User.person_id.in_(sorted(tot)))
        .execution_options(audit_internal=True)
    )
    return {str(uid): tot[pid] for uid, pid in rows if pid is not None}


def actieve_afschermingen() -> list[Afscherming]:
    """Every active mark, newest first (the privacy officer's review; loading them is logged)."""
    return list(
        session.scalars(
            select(Afscherming)
            .where(Afscherming.opgeheven_op.is_(None))
            .order_by(Afscherming.gezet_op.desc(), Afscherming.id.desc())
        )
    )


def opgeheven_afschermingen(limit: int = 100) -> list[Afscherming]:
    """The lifted marks, most recently lifted first (the privacy officer's review)."""
    return list(
        session.scalars(
            select(Afscherming)
            .where(Afscherming.opgeheven_op.is_not(None))
            .order_by(Afscherming.opgeheven_op.desc(), Afscherming.id.desc())
            .limit(limit)
        )
    )
