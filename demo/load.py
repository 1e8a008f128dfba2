"""Load the demo data set: organisations, staff, households with valid BSNs, plans, signals.

Deterministic (seeded), Dutch values, and nothing in it is a real person. Refused in production
(``EENPLAN_ENV=production``). It is loaded in one unit of work, like any other processing of
personal data: the logboek gets its lines.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from app.auth import mfa
from app.auth.passwords import hash_password
from app.auth.services import set_password
from app.autorisaties.models import InzageNiveau
from app.clock import now, today
from app.db import session
from app.domain import (
    ACTIVITEIT_AARDEN,
    PlanBasis,
    PlanStatus,
    Relatie,
    Rol,
    UitvoerderSoort,
    Verwerkingsactiviteit,
)
from app.logboek import unit_of_work
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import services
from app.plans.models import Gezinslink
from app.sturing.bijwerken import bijwerken
from app.users.models import User, UserRole
from demo.afweging import plan_na_afweging, plan_zonder_weging
from demo.signalen import demo_signalen
from demo.values import (
    ACHTERNAMEN,
    ACTIVITEITEN,
    DEMO_PASSWORD,
    HUISHOUDEN_ACTIVITEITEN,
    NEW_COLLEAGUE,
    ORG_VOOR_AARD,
    ORGANISATIONS,
    STRATEN,
    USERS,
    VOORNAMEN_M,
    VOORNAMEN_V,
    make_bsn,
)

PRODUCTION = "production"


class NotInProduction(RuntimeError):
    """The demo data set and its helpers are refused in production."""


def refuse_in_production() -> None:
    """Raise :class:`NotInProduction` when the current app runs with EENPLAN_ENV=production."""
    if current_app.config.get("EENPLAN_ENV") == PRODUCTION:
        raise NotInProduction(
            "Demogegevens horen niet in productie (EENPLAN_ENV=production); niets geladen."
        )


def has_data() -> bool:
    return bool(session.execute(select(func.count(Organisation.id))).scalar_one())


def load_demo(persons: int = 300, seed: int = 2026) -> dict[str, Any]:
    """Load the data set and commit it, with its logboek lines; a summary."""
    refuse_in_production()
    with unit_of_work(session, Verwerkingsactiviteit.REGIE, name="demo"):
        summary = _load(persons, seed)
    # The management information's figures, so the demo shows them (as cron would).
    summary["sturingscijfers"] = bijwerken()
    session.commit()
    return summary


def _load(persons: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    day = today()
    pw = hash_password(DEMO_PASSWORD)

    orgs: dict[str, Organisation] = {}
    for name, kind in ORGANISATIONS:
        org = Organisation(name=name, kind=kind)
        session.add(org)
        orgs[name] = org
    session.flush()

    gemeente = orgs["Gemeente Amsterdam"]
    mandaat = Mandaat(
        organisation_id=orgs["Stichting Regie Noord"].id,
        gemeente_id=gemeente.id,
        valid_from=day - dt.timedelta(days=400),
        valid_until=day + dt.timedelta(days=700),
        besluit="MB-2025-014",
    )
    session.add(mandaat)

    users: dict[str, User] = {}
    for username, name, roles, org_name, phone in USERS:
        u = User(
            username=username,
            name=name,
            email=f"{username}@eenplan.example",
            phone=phone,
            organisation_id=orgs[org_name].id,
            password_hash=pw,
        )
        u.role_rows = [UserRole(role=r) for r in roles]
        session.add(u)
        users[username] = u
    session.flush()
    # Two-factor authentication is required for staff: demo staff have an authenticator set up
    # already; `flask demo-code USERNAME` shows its current code (development only).
    for u in users.values():
        mfa.enrol_directly(u, mfa.new_secret())
    # One new colleague who has not logged in yet: shows setting up the app (QR code) and
    # choosing an own password.
    username, name, roles, org_name, phone = NEW_COLLEAGUE
    nieuw = User(
        username=username,
        name=name,
        email=f"{username}@eenplan.example",
        phone=phone,
        organisation_id=orgs[org_name].id,
    )
    nieuw.role_rows = [UserRole(role=r) for r in roles]
    session.add(nieuw)
    session.flush()
    set_password(nieuw, DEMO_PASSWORD, temporary=True)

    used: set[str] = set()
    people: list[Person] = []
    households: list[list[Person]] = []
    while len(people) < persons:
        straat, pc = rng.choice(STRATEN)
        huisnummer = str(rng.randint(1, 320))
        postcode = f"{pc}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        tv, achternaam = rng.choice(ACHTERNAMEN)
        size_adults = rng.choice([1, 1, 2, 2, 2])
        n_children = rng.choice([0, 1, 1, 2, 2, 3, 4])
        members: list[Person] = []
        for i in range(size_adults):
            female = (i == 0) == (rng.random() < 0.6)
            age = rng.randint(24, 58)
            p = Person(
                bsn=make_bsn(rng, used),
                voornamen=rng.choice(VOORNAMEN_V if female else VOORNAMEN_M),
                tussenvoegsel=(tv or None) if i == 0 else None,
                achternaam=achternaam if i == 0 else rng.choice(ACHTERNAMEN)[1],
                geboortedatum=day - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
                straat=straat,
                huisnummer=huisnummer,
                postcode=postcode,
                woonplaats="Amsterdam",
                telefoon=f"06 {rng.randint(10000000, 99999999)}" if rng.random() < 0.8 else None,
            )
            members.append(p)
        for _ in range(n_children):
            age = rng.randint(0, 17)
            p = Person(
                bsn=make_bsn(rng, used),
                voornamen=rng.choice(VOORNAMEN_V + VOORNAMEN_M),
                tussenvoegsel=tv or None,
                achternaam=achternaam,
                geboortedatum=day - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
                straat=straat,
                huisnummer=huisnummer,
                postcode=postcode,
                woonplaats="Amsterdam",
            )
            members.append(p)
        session.add_all(members)
        people.extend(members)
        households.append(members)
    session.flush()

    regisseurs = [users["regisseur"], users["regisseur2"], users["regisseur.noord"]]
    org_by_name = orgs
    helpers_by_org: dict[int, User] = {
        u.organisation_id: u
        for u in users.values()
        if Rol.HULPVERLENER in u.roles and u.organisation_id is not None
    }
    n_plans = 0
    n_zonder_weging = 0
    n_activities = 0
    statuses = [PlanStatus.ACTIEF] * 6 + [PlanStatus.CONCEPT] * 2 + [PlanStatus.AFGESLOTEN] * 2
    # Roughly half of the households get a plan for the first adult; some for a second adult too.
    for idx, members in enumerate(households):
        adults = [m for m in members if m.leeftijd(day) >= 18]
        children = [m for m in members if m.leeftijd(day) < 18]
        for a in adults[1:]:
            _lay_link_direct(adults[0], a, Relatie.PARTNER, users["regisseur"])
        for c in children:
            for a in adults:
                _lay_link_direct(a, c, Relatie.OUDER_VAN, users["regisseur"])
        for i in range(len(children)):
            for j in range(i + 1, len(children)):
                _lay_link_direct(children[i], children[j], Relatie.BROER_ZUS, users["regisseur"])
        if idx % 2 == 1 and idx != 0:
            continue
        plan_people = adults[:1] + (adults[1:2] if rng.random() < 0.2 else [])
        for person in plan_people:
            reg = regisseurs[n_plans % len(regisseurs)] if idx != 0 else users["regisseur"]
            basis = PlanBasis.MULTIPROBLEMATIEK if rng.random() < 0.7 else PlanBasis.TOESTEMMING
            status = PlanStatus.ACTIEF if idx == 0 else rng.choice(statuses)
            mandaat_for = mandaat if reg.username == "regisseur.noord" else None
            begin_status = PlanStatus.CONCEPT if status == PlanStatus.AFGESLOTEN else status
            if basis == PlanBasis.TOESTEMMING:
                plan = services.create_plan(
                    person=person,
                    basis=basis,
                    status=begin_status,
                    regisseur=reg,
                    actor=reg,
                    gemeente=gemeente,
                    mandaat=mandaat_for,
                    toestemming=services.ToestemmingGegevens(
                        gegeven_door="de betrokkene zelf",
                        gegeven_op=day - dt.timedelta(days=rng.randint(10, 300)),
                        wijze=rng.choice(["mondeling", "schriftelijk"]),
                    ),
                )
            elif idx != 0 and n_zonder_weging < 2 and status != PlanStatus.AFGESLOTEN:
                # Two plans from before issue 13: "Weging ontbreekt" can be seen.
                n_zonder_weging += 1
                plan = plan_zonder_weging(
                    person, regisseur=reg, gemeente=gemeente, status=begin_status,
                    mandaat=mandaat_for,
                )  # fmt: skip
            else:
                plan = plan_na_afweging(
                    person, regisseur=reg, gemeente=gemeente, status=begin_status,
                    mandaat=mandaat_for, rng=rng,
                )  # fmt: skip
            n_plans += 1
            aarden = rng.sample([a for a in ACTIVITEITEN if a != "huisbezoek"], k=rng.randint(2, 4))
            if idx == 0:
                aarden = ["schuldhulpverlening", "jeugdhulp", "huisvesting", "werk_reintegratie"]
            involved: set[int] = set()
            for aard in aarden:
                org = org_by_name[ORG_VOOR_AARD[aard]]
                start = day - dt.timedelta(days=rng.randint(5, 200))
                end = start + dt.timedelta(days=rng.choice([60, 90, 180, 365]))
                done = end < day and rng.random() < 0.6
                helper = helpers_by_org.get(org.id)
                if org.id not in involved and not org.is_gemeente:
                    services.bring_in(
                        plan,
                        organisation=org,
                        user=None,
                        rol=ACTIVITEIT_AARDEN[aard],
                        start_date=start,
                        actor=reg,
                    )
                    involved.add(org.id)
                services.add_activity(
                    plan,
                    services.ActiviteitGegevens(
                        aard=aard,
                        omschrijving=rng.choice(ACTIVITEITEN[aard]),
                        start_date=start,
                        end_date=end,
                        uitvoerder_soort=UitvoerderSoort.ORGANISATIE,
                        organisation_id=org.id,
                        uitvoerder_contact=f"{helper.name}, {helper.phone}" if helper else None,
                        toelichting=rng.choice(
                            [
                                None,
                                "Loopt volgens afspraak.",
                                "Eerste gesprek gehad; vervolgafspraak gepland.",
                                "Afspraak twee keer verzet; opnieuw contact gezocht.",
                            ]
                        ),
                        afgerond=done,
                    ),
                    actor=reg,
                )
                n_activities += 1
            aard, text = rng.choice(HUISHOUDEN_ACTIVITEITEN)
            services.add_activity(
                plan,
                services.ActiviteitGegevens(
                    aard=aard,
                    omschrijving=text,
                    start_date=day - dt.timedelta(days=rng.randint(1, 60)),
                    end_date=day + dt.timedelta(days=rng.randint(10, 90)),
                    uitvoerder_soort=UitvoerderSoort.HUISHOUDEN,
                    organisation_id=None,
                ),
                actor=reg,
            )
            n_activities += 1
            services.add_comment(
                plan,
                actor=reg,
                body=rng.choice(
                    [
                        "Plan samen met het huishouden besproken; iedereen kan zich vinden in de afspraken.",
                        "Volgend overleg met alle betrokkenen over zes weken.",
                        "Mevrouw wil graag dat de school ook aanschuift bij het volgende gesprek.",
                    ]
                ),
            )
            if idx == 0:
                _demo_autorisaties(plan, org_by_name, users)
            if status == PlanStatus.ACTIEF and plan.status != PlanStatus.ACTIEF:
                plan.status = PlanStatus.ACTIEF
            if status == PlanStatus.AFGESLOTEN:
                services.close_plan(
                    plan,
                    actor=reg,
                    reason=rng.choice(["doelen_bereikt", "overgedragen"]),
                    note=None,
                    expected_version=None,
                )
    n_signalen = demo_signalen(rng, people, users, used_bsns=used)
    return {
        "signalen": n_signalen,
        "organisaties": len(orgs),
        "medewerkers": len(users),
        "personen": len(people),
        "huishoudens": len(households),
        "plannen": n_plans,
        "activiteiten": n_activities,
        "wachtwoord": DEMO_PASSWORD,
    }


def _demo_autorisaties(plan: Any, orgs: dict[str, Any], users: dict[str, User]) -> None:
    """The first household shows the autorisaties: the citizen chose "volledig" for youth care,
    and the debt counsellor wrote a comment under beroepsgeheim."""
    jeugd = orgs["Jeugdhulp Amstel"]
    session.add(
        InzageNiveau(
            plan_id=plan.id, organisation_id=jeugd.id, niveau="volledig", gewijzigd_op=now()
        )
    )
    services.add_comment(
        plan,
        actor=users["hulpverlener"],
        body="Onder beroepsgeheim: er loopt ook een beslag op de toeslagen.",
        beroepsgeheim=True,
    )


def demo_logins() -> list[tuple[str, str, str]]:
    return [(u, n, ", ".join(r)) for u, n, r, _o, _p in USERS]


def new_colleague_login() -> tuple[str, str, str]:
    u, n, r, _o, _p = NEW_COLLEAGUE
    return (u, n, ", ".join(r))


def _lay_link_direct(a: Person, b: Person, relatie: str, actor: User) -> None:
    session.add(
        Gezinslink(
            person_a_id=a.id,
            person_b_id=b.id,
            relatie=relatie,
            gelegd_op=now(),
            gelegd_door_id=actor.id,
            gelegd_door_naam=actor.name,
        )
    )
