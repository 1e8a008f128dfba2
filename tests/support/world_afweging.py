"""Plans on the basis multiproblematiek in the test world (issue 13): made the only way there is,
by step 4 of a completed afweging (``plan_na_afweging``) — and one older plan from before that
rule, with no weighing at all (``plan_zonder_weging``: the regisseur sees "Weging ontbreekt")."""

from __future__ import annotations

import datetime as dt

from app.clock import now
from app.db import session
from app.domain import AfwegingStatus, PlanBasis
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import services
from app.plans.models import Plan
from app.signalen.models import Afweging, AfwegingStap
from app.users.models import User
from demo.afweging import plan_zonder_weging

MOTIVERING = {
    1: "Verzoek van de inwoner om hulp",
    2: "Schulden en zorgen over de kinderen: twee leefgebieden",
    3: "De hulp in de kolommen loopt vast; samenhang is nodig",
    4: "Multiproblematiek vastgesteld in het casusoverleg",
}


def plan_na_afweging(
    person: Person,
    *,
    regisseur: User,
    gemeente: Organisation,
    status: str,
    mandaat: Mandaat | None = None,
    dagen_geleden: int = 60,
) -> tuple[Plan, Afweging]:
    """A completed afweging (steps 1–4, Ja) and the plan its step 4 made, linked both ways."""
    begin = now() - dt.timedelta(days=dagen_geleden)
    afweging = Afweging(
        person_id=person.id,
        aanleiding="verzoek_inwoner",
        status=AfwegingStatus.MULTIPROBLEMATIEK,
        regisseur_id=regisseur.id,
        geopend_op=begin,
        gesloten_op=begin + dt.timedelta(days=7),
    )
    session.add(afweging)
    session.flush()
    for stap in (1, 2, 3, 4):
        session.add(
            AfwegingStap(
                afweging=afweging,
                stap=stap,
                antwoord=True,
                motivering=MOTIVERING[stap],
                besloten_door_id=regisseur.id,
                besloten_door_naam=regisseur.name,
                besloten_op=begin + dt.timedelta(days=2 * stap - 1),
            )
        )
    plan = services.create_plan(
        person=person,
        basis=PlanBasis.MULTIPROBLEMATIEK,
        status=status,
        regisseur=regisseur,
        actor=regisseur,
        gemeente=gemeente,
        mandaat=mandaat,
        afweging_id=afweging.id,
    )
    afweging.plan_id = plan.id
    session.flush()
    return plan, afweging


__all__ = ["plan_na_afweging", "plan_zonder_weging"]
