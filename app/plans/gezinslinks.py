"""Gezinslinks (rule 2): laying and breaking the links between the members of a household;
every change keeps who and when, and a link confirmed on a household member's proposal names
the member."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.clock import now
from app.db import session
from app.domain import RELATIE_LABELS, Relatie
from app.people.models import Person
from app.plans.models import Gezinslink, Plan
from app.plans.services import PlanError, record_event
from app.users.models import User


def _op_voorstel(actor: User, voorgesteld_door: str | None) -> tuple[str, str]:
    """Who laid or broke a link, and the history's suffix: a link confirmed on a household
    member's proposal names the member (rule 2), and the regisseur who confirmed it."""
    if not voorgesteld_door:
        return actor.name, ""
    naam = f"{voorgesteld_door} (gezinslid), bevestigd door {actor.name}"[:200]
    return naam, f" op voorstel van {voorgesteld_door} (gezinslid)"


def lay_link(
    *,
    plan: Plan,
    other: Person,
    relatie: str,
    plan_person_is_a: bool,
    actor: User,
    voorgesteld_door: str | None = None,
) -> Gezinslink:
    if relatie not in set(Relatie):
        raise PlanError(_("Kies de relatie."), "relatie")
    if other.id == plan.person_id:
        raise PlanError(_("Een persoon kan niet met zichzelf worden verbonden."), "bsn")
    a, b = (plan.person_id, other.id) if plan_person_is_a else (other.id, plan.person_id)
    duplicate = session.scalars(
        select(Gezinslink).where(
            Gezinslink.verbroken_op.is_(None),
            or_(
                (Gezinslink.person_a_id == a) & (Gezinslink.person_b_id == b),
                (Gezinslink.person_a_id == b) & (Gezinslink.person_b_id == a),
            ),
        )
    ).first()
    if duplicate is not None:
        raise PlanError(_("Deze personen zijn al met elkaar verbonden."), "bsn")
    door, suffix = _op_voorstel(actor, voorgesteld_door)
    link = Gezinslink(
        person_a_id=a,
        person_b_id=b,
        relatie=relatie,
        gelegd_op=now(),
        gelegd_door_id=actor.id,
        gelegd_door_naam=door,
    )
    session.add(link)
    session.flush()
    forward, _backward = RELATIE_LABELS[Relatie(relatie)]
    record_event(plan.id, actor, "gezinslink", f"Gezinslink gelegd ({forward}){suffix}")
    return link


def break_link(
    link: Gezinslink,
    *,
    plan: Plan,
    actor: User,
    reason: str | None,
    voorgesteld_door: str | None = None,
) -> Gezinslink:
    if not link.actief:
        raise PlanError(_("Deze gezinslink is al verbroken."))
    door, suffix = _op_voorstel(actor, voorgesteld_door)
    link.verbroken_op = now()
    link.verbroken_door_id = actor.id
    link.verbroken_door_naam = door
    link.reden_verbreken = (reason or "").strip() or None
    record_event(plan.id, actor, "gezinslink", f"Gezinslink verbroken{suffix}")
    session.flush()
    return link
