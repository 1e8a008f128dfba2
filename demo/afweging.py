"""Demo plans on the basis multiproblematiek (issue 13): made the only way there is, by step 4 of
a completed afweging — and a couple from before that rule, with no weighing, so that
"Weging ontbreekt" can be seen."""

from __future__ import annotations

import datetime as dt
import random

from app.clock import now
from app.db import session
from app.domain import AfwegingStatus, PlanBasis
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import services
from app.plans.models import Plan, PlanGebeurtenis
from app.signalen.models import Afweging, AfwegingStap
from app.users.models import User

MOTIVERINGEN = {
    1: ["Verzoek van de inwoner om hulp", "Aanmelding via het wijkteam"],
    2: [
        "Hulpvraag op financiën en wonen, bevestigd in gesprek",
        "Schulden en zorgen over de opvoeding: twee leefgebieden",
        "Werk en gezondheid: beide leefgebieden spelen",
    ],
    3: [
        "Meerdere hulpverleners, afstemming ontbreekt",
        "De hulp in de kolommen loopt vast; samenhang nodig",
    ],
    4: [
        "Multiproblematiek vastgesteld in het casusoverleg",
        "Multiproblematiek vastgesteld in overleg met het huishouden",
    ],
}


def plan_na_afweging(
    person: Person,
    *,
    regisseur: User,
    gemeente: Organisation,
    status: str,
    mandaat: Mandaat | None,
    rng: random.Random,
) -> Plan:
    """A completed afweging (steps 1–4) and the plan its step 4 made, linked both ways."""
    begin = now() - dt.timedelta(days=rng.randint(30, 400))
    afweging = Afweging(
        person_id=person.id,
        aanleiding="verzoek_inwoner",
        status=AfwegingStatus.MULTIPROBLEMATIEK,
        regisseur_id=regisseur.id,
        geopend_op=begin,
        gesloten_op=begin + dt.timedelta(days=10),
    )
    session.add(afweging)
    session.flush()
    for stap in (1, 2, 3, 4):
        session.add(
            AfwegingStap(
                afweging=afweging,
                stap=stap,
                antwoord=True,
                motivering=rng.choice(MOTIVERINGEN[stap]),
                besloten_door_id=regisseur.id,
                besloten_door_naam=regisseur.name,
                besloten_op=begin + dt.timedelta(days=3 * stap - 2),
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
    return plan


def plan_zonder_weging(
    person: Person,
    *,
    regisseur: User,
    gemeente: Organisation,
    status: str,
    mandaat: Mandaat | None,
) -> Plan:
    """A plan as the free choice "Multiproblematiek vastgesteld" made it before issue 13."""
    stamp = now()
    plan = Plan(
        person_id=person.id,
        basis=PlanBasis.MULTIPROBLEMATIEK,
        status=status,
        gemeente_id=gemeente.id,
        regisseur_id=regisseur.id,
        mandaat_id=mandaat.id if mandaat else None,
        created_by_id=regisseur.id,
        updated_by_id=regisseur.id,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(plan)
    session.flush()
    session.add(
        PlanGebeurtenis(
            plan_id=plan.id,
            actor_id=regisseur.id,
            actor_name=regisseur.name,
            soort="plan",
            omschrijving=f"Plan aangemaakt ({plan.basis_label.lower()}, {plan.status_label.lower()})",
            at=stamp,
        )
    )
    return plan
