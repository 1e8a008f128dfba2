"""The old regisseur is told when the teamleider hands their plan over (issue 16 item 3).

The hand-over writes one :class:`Overdrachtmelding` for the regisseur who had the plan; their
werklijst shows it for :data:`DAGEN` days ("De teamleider droeg het plan van … over aan …"),
the person's name loaded with a logged line (they no longer have the plan: the name is all they
see), and, when e-mail notices are on, a content-free mail ("een plan van u is overgedragen")
goes to their address after the commit (:mod:`app.berichten.notify`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from flask import current_app
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from app.access.loading import HOUSEHOLD_PERSON
from app.berichten import notify
from app.clock import now
from app.db import Base, UTCDateTime, session, utcnow
from app.domain import Gegevenscategorie
from app.i18n import N_
from app.logboek import PersonalData
from app.people.models import Person
from app.plans.models import Plan
from app.users.models import User

DAGEN = 14
ONDERWERP = N_("Een plan is overgedragen")
TEKST = N_(
    "Goedendag,\n\n"
    "De teamleider heeft een plan waarvan u regisseur was overgedragen aan een collega. Om de "
    "privacy te beschermen staat in deze e-mail niet welk plan.\n\n"
    "Log in om het te zien op uw werklijst: %(url)s\n\n"
    "Dit is een automatisch bericht; u kunt er niet op antwoorden.\n"
)


class Overdrachtmelding(PersonalData, Base):
    """A plan of ``user_id`` was handed over by the teamleider to another regisseur."""

    __tablename__ = "overdrachtmelding"
    __audit_default_category__ = Gegevenscategorie.PLAN

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    nieuwe_regisseur: Mapped[str] = mapped_column(String(200))
    door: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()

    def audit_refs(self) -> Iterator[tuple[str, int]]:
        yield ("person", self.person_id)


def meld(plan: Plan, *, oud: User, nieuwe: User, actor: User) -> Overdrachtmelding:
    """Tell the old regisseur (in the hand-over's transaction; the mail after the commit)."""
    m = Overdrachtmelding(
        user_id=oud.id,
        plan_id=plan.id,
        person_id=plan.person_id,
        nieuwe_regisseur=nieuwe.name,
        door=actor.name,
        at=now(),
    )
    session.add(m)
    session.flush()
    if oud.email and oud.active:
        job = notify.opdracht(current_app.config, [oud.email], "/plannen")
        if job is not None:
            notify.queue(session, replace(job, onderwerp=ONDERWERP, tekst=TEKST))
    return m


def recente(user: User) -> list[Overdrachtmelding]:
    """The user's hand-over notices of the last :data:`DAGEN` days, newest first (the person's
    name and date of birth only; loading them is logged)."""
    return list(
        session.scalars(
            select(Overdrachtmelding)
            .options(
                joinedload(Overdrachtmelding.person).load_only(*HOUSEHOLD_PERSON, raiseload=True)
            )
            .where(
                Overdrachtmelding.user_id == user.id,
                Overdrachtmelding.at >= now() - dt.timedelta(days=DAGEN),
            )
            .order_by(Overdrachtmelding.at.desc(), Overdrachtmelding.id.desc())
        )
    )
