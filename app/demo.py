"""A realistic synthetic data set: organisations, staff, households with valid BSNs, plans.

Deterministic (seeded), Dutch values, and nothing in it is a real person. It is loaded in one
unit of work, like any other processing of personal data: the logboek gets its lines.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select

from app.auth.passwords import hash_password
from app.clock import now, today
from app.db import session
from app.domain import ACTIVITEIT_AARDEN, PlanBasis, PlanStatus, Relatie, Rol, UitvoerderSoort
from app.logboek import unit_of_work
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import services
from app.users.models import User, UserRole

DEMO_PASSWORD = "eenplan-demo-2026"  # noqa: S105 - synthetic demo accounts only

ORGANISATIONS = [
    ("Gemeente Amsterdam", "gemeente"),
    ("Stichting Regie Noord", "wijkteam"),
    ("Buurtteam Amsterdam West", "wijkteam"),
    ("Schuldhulp Amsterdam", "schuldhulpverlening"),
    ("Jeugdhulp Amstel", "jeugdhulp"),
    ("GGZ Centrum IJ", "ggz"),
    ("Woonstichting Amstelland", "woningcorporatie"),
    ("Basisschool De Regenboog", "school"),
    ("Werkplein Amsterdam", "uitvoeringsorganisatie"),
]

# username, name, roles, organisation, phone
USERS = [
    ("regisseur", "Fatima el Amrani", ["regisseur"], "Gemeente Amsterdam", "020 555 0101"),
    ("regisseur2", "Jan de Vries", ["regisseur"], "Gemeente Amsterdam", "020 555 0102"),
    ("regisseur.noord", "Sanne Kramer", ["regisseur"], "Stichting Regie Noord", "020 555 0201"),
    ("hulpverlener", "Mehmet Yilmaz", ["hulpverlener"], "Schuldhulp Amsterdam", "020 555 0301"),
    ("hulpverlener.jeugd", "Anouk Visser", ["hulpverlener"], "Jeugdhulp Amstel", "020 555 0401"),
    ("hulpverlener.ggz", "Kwame Boateng", ["hulpverlener"], "GGZ Centrum IJ", "020 555 0501"),
    (
        "hulpverlener.wonen",
        "Lotte Bakker",
        ["hulpverlener"],
        "Woonstichting Amstelland",
        "020 555 0601",
    ),
    (
        "hulpverlener.west",
        "Priya Sewdien",
        ["hulpverlener"],
        "Buurtteam Amsterdam West",
        "020 555 0701",
    ),
    ("hulpverlener.werk", "Daan Smit", ["hulpverlener"], "Werkplein Amsterdam", "020 555 0801"),
    ("melder", "Ingrid Pinas", ["melder"], "Basisschool De Regenboog", "020 555 0901"),
    ("privacy", "Rob Meijer", ["privacy_officer"], "Gemeente Amsterdam", "020 555 0110"),
    ("beheer", "Esra Kaya", ["functioneel_beheerder"], "Gemeente Amsterdam", "020 555 0120"),
]

# A staff user without an authenticator and with a temporary password (the demo password).
NEW_COLLEAGUE = (
    "nieuwe.collega",
    "Noor Haddou",
    ["hulpverlener"],
    "Buurtteam Amsterdam West",
    "020 555 0702",
)

VOORNAMEN_M = [
    "Mohamed",
    "Jan",
    "Daan",
    "Noah",
    "Ayoub",
    "Kevin",
    "Mehmet",
    "Kofi",
    "Stefan",
    "Bilal",
    "Ricardo",
    "Thijs",
    "Youssef",
    "Ahmet",
    "Sem",
    "Luuk",
    "Milan",
    "Omar",
    "Dennis",
    "Rachid",
]
VOORNAMEN_V = [
    "Fatima",
    "Sanne",
    "Emma",
    "Lotte",
    "Yasmina",
    "Priya",
    "Sevda",
    "Anouk",
    "Naima",
    "Esther",
    "Julia",
    "Saskia",
    "Ilse",
    "Samira",
    "Tess",
    "Zeynep",
    "Shirley",
    "Mirjam",
    "Nora",
    "Aisha",
]
ACHTERNAMEN = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("", "Bakker"),
    ("el", "Amrani"),
    ("", "Yilmaz"),
    ("van den", "Berg"),
    ("", "Kramer"),
    ("", "Boateng"),
    ("", "Pinas"),
    ("", "Sedney"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Kaya"),
    ("", "Öztürk"),
    ("", "Benali"),
    ("", "Ouali"),
    ("", "Tahiri"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Hendriks"),
    ("", "Sewdien"),
    ("", "Doğan"),
]
STRATEN = [
    ("Kinkerstraat", "1053"),
    ("Javastraat", "1094"),
    ("Bos en Lommerweg", "1055"),
    ("Mercatorplein", "1057"),
    ("Osdorpplein", "1068"),
    ("Van der Pekstraat", "1031"),
    ("Bijlmerdreef", "1102"),
    ("Purmerweg", "1023"),
    ("Dapperstraat", "1093"),
    ("Jan Evertsenstraat", "1056"),
    ("Meeuwenlaan", "1021"),
    ("Ganzenhoef", "1103"),
]

ACTIVITEITEN: dict[str, list[str]] = {
    "schuldhulpverlening": [
        "Aanmelding bij schuldhulpverlening en opstellen van een overzicht van alle schulden",
        "Stabilisatie: betalingsregelingen treffen met de schuldeisers",
        "Aanvraag minnelijke schuldregeling",
    ],
    "budgetbeheer": [
        "Budgetbeheer: vaste lasten worden automatisch betaald",
        "Budgetcoaching: samen een weekbudget maken",
    ],
    "inkomensondersteuning": ["Aanvraag bijzondere bijstand", "Toeslagen controleren en aanvragen"],
    "opvoedondersteuning": ["Opvoedondersteuning: wekelijks gesprek over structuur en grenzen"],
    "jeugdhulp": [
        "Ambulante gezinsbegeleiding, wekelijks huisbezoek",
        "Begeleiding van de oudste zoon bij schoolverzuim",
    ],
    "ggz": [
        "Behandeling bij GGZ: intake en wekelijks gesprek",
        "Traject bij de praktijkondersteuner GGZ",
    ],
    "woonbegeleiding": ["Woonbegeleiding: huishouden op orde brengen"],
    "huisvesting": [
        "Afspraak met de woningcorporatie om huisuitzetting te voorkomen",
        "Urgentieaanvraag voor passende woning",
    ],
    "werk_reintegratie": [
        "Re-integratietraject richting betaald werk",
        "Taalcursus Nederlands via het Werkplein",
    ],
    "onderwijs": ["Gesprek met de leerplichtambtenaar en school over aanwezigheid"],
    "huisbezoek": ["Huisbezoek door de regisseur om het plan samen door te nemen"],
}
HUISHOUDEN_ACTIVITEITEN = [
    ("aanvraag", "Post elke week samen met de buddy openen en sorteren"),
    ("werk_reintegratie", "Inschrijven voor een taalcafé in de bibliotheek"),
    ("gezondheid", "Afspraak maken bij de huisarts"),
    ("aanvraag", "Bewijsstukken verzamelen voor de schuldhulpaanvraag"),
]
ORG_VOOR_AARD = {
    "schuldhulpverlening": "Schuldhulp Amsterdam",
    "budgetbeheer": "Schuldhulp Amsterdam",
    "inkomensondersteuning": "Werkplein Amsterdam",
    "opvoedondersteuning": "Jeugdhulp Amstel",
    "jeugdhulp": "Jeugdhulp Amstel",
    "ggz": "GGZ Centrum IJ",
    "woonbegeleiding": "Buurtteam Amsterdam West",
    "huisvesting": "Woonstichting Amstelland",
    "werk_reintegratie": "Werkplein Amsterdam",
    "onderwijs": "Basisschool De Regenboog",
    "huisbezoek": "Gemeente Amsterdam",
}


def make_bsn(rng: random.Random, used: set[str]) -> str:
    """A 9-digit number that passes the 11-proef (synthetic; not issued to anyone known)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last == 10:
            continue
        bsn = "".join(map(str, digits)) + str(last)
        if bsn not in used:
            used.add(bsn)
            return bsn


def has_data() -> bool:
    return bool(session.execute(select(func.count(Organisation.id))).scalar_one())


DEMO_VERWERKING = "regie-multiproblematiek"


def load_demo(persons: int = 300, seed: int = 2026) -> dict[str, Any]:
    """Load the data set and commit it, with its logboek lines."""
    with unit_of_work(session, DEMO_VERWERKING, name="demo"):
        return _load(persons, seed)


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
    from app.auth import mfa
    from app.auth.services import set_password

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
            plan = services.create_plan(
                person=person,
                basis=basis,
                status=PlanStatus.CONCEPT if status == PlanStatus.AFGESLOTEN else status,
                regisseur=reg,
                actor=reg,
                gemeente=gemeente,
                mandaat=mandaat_for,
                toestemming=services.ToestemmingGegevens(
                    gegeven_door="de betrokkene zelf",
                    gegeven_op=day - dt.timedelta(days=rng.randint(10, 300)),
                    wijze=rng.choice(["mondeling", "schriftelijk"]),
                )
                if basis == PlanBasis.TOESTEMMING
                else None,
            )
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
    n_signalen = _demo_signalen(rng, people, users, used_bsns=used)
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
    from app.autorisaties.models import InzageNiveau

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
    from app.plans.models import Gezinslink

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


def _demo_signalen(
    rng: random.Random, people: list[Person], users: dict[str, User], *, used_bsns: set[str]
) -> int:
    """Signals for the signal team's queue: combinations that fire the default rules, single
    arrears, a melder's concern, a signal not yet matched, and a case reopened by a new signal."""
    from app.access import exists_plan
    from app.signalen.models import Afweging, AfwegingStap, SignaalBron, Vroegsignaal

    bronnen = {b.code: b for b in session.scalars(select(SignaalBron))}
    if not bronnen:
        return 0
    free = [p for p in people if not exists_plan(p.id)]
    if len(free) < 10:
        return 0
    rng.shuffle(free)
    melder = next(u for u in users.values() if u.has_role(Rol.MELDER))
    regisseur = next(u for u in users.values() if u.has_role(Rol.REGISSEUR))
    stamp = now()
    count = 0

    def signaal(p: Person | None, code: str | None, days: int, **kw: Any) -> Vroegsignaal:
        nonlocal count
        count += 1
        b = bronnen.get(code) if code else None
        s = Vroegsignaal(
            bron_id=b.id if b else None,
            bron_referentie=f"DEMO-{count}" if b else None,
            person_id=p.id if p else None,
            bsn=p.bsn if p else kw.pop("bsn", None),
            signaaldatum=(stamp - dt.timedelta(days=days)).date(),
            ontvangen_op=stamp - dt.timedelta(days=days, hours=rng.randint(0, 8)),
            categorie=kw.pop("categorie", "betalingsachterstand"),
            domeinen=kw.pop("domeinen", ",".join(b.domeinen) if b else "financien"),
            **kw,
        )
        session.add(s)
        return s

    def schuld(bedrag: int, maanden: int, soort: str, eiser: str) -> dict[str, Any]:
        return {
            "bedrag": f"{bedrag}.00",
            "maanden_achterstand": maanden,
            "schuldsoort": soort,
            "schuldeiser": eiser,
        }

    a, b, c, d, e = free[:5]
    signaal(
        a, "belastingdienst", 3, gegevens=schuld(1840, 4, "inkomstenbelasting", "Belastingdienst")
    )
    signaal(a, "cak", 9, gegevens=schuld(312, 3, "eigen bijdrage Wmo", "CAK"))
    signaal(a, "cjib", 12, gegevens=schuld(450, 2, "verkeersboete", "CJIB"))
    signaal(
        b,
        "woningcorporatie",
        1,
        categorie="dreigende_uitzetting",
        gegevens={**schuld(2650, 5, "huur", "Woonstad"), "dreigende_ontruiming": True},
    )
    signaal(
        c,
        None,
        2,
        melder_id=melder.id,
        melder_naam=melder.name,
        melder_contact=melder.phone or "",
        relatie="Intern begeleider van de zoon",
        aanleiding="De zoon was deze maand negen dagen afwezig.",
        inhoud="Moeder vertelde dat zij de huur niet meer kan betalen en slecht slaapt.",
        categorie="schoolverzuim",
        domeinen="onderwijs,opvoeding",
    )
    signaal(c, "politie", 5, categorie="politie", inhoud="Melding van burenruzie op het adres.")
    signaal(d, "energie", 20, gegevens=schuld(380, 2, "energie", "Energieleverancier"))
    signaal(e, "zorgverzekeraar", 30, gegevens=schuld(610, 4, "premie", "Zorgverzekeraar"))
    for p in free[5:9]:
        code = rng.choice(["water", "energie", "toeslagen", "uwv"])
        signaal(p, code, rng.randint(1, 60), gegevens=schuld(rng.randint(90, 900), 2, code, code))
    signaal(
        None,
        "toeslagen",
        4,
        bsn=make_bsn(rng, used_bsns),
        gegevens=schuld(720, 3, "toeslag", "Toeslagen"),
    )
    # A case closed because the person could not be reached, reopened by a new signal.
    f = free[9]
    session.flush()
    old = signaal(f, "water", 70, gegevens=schuld(140, 2, "water", "Drinkwaterbedrijf"))
    case = Afweging(
        person_id=f.id,
        aanleiding="signalen",
        status="heropend",
        regisseur_id=regisseur.id,
        geopend_op=stamp - dt.timedelta(days=60),
        gesloten_op=stamp - dt.timedelta(days=40),
        heropend_op=stamp - dt.timedelta(days=1),
        sluitreden="onbereikbaar",
    )
    session.add(case)
    session.flush()
    old.afweging_id = case.id
    for stap, antwoord, tekst, days in (
        (1, True, "1 signaal ontvangen van het drinkwaterbedrijf", 60),
        (2, False, "Inwoner niet bereikbaar: drie keer gebeld en een brief gestuurd.", 40),
    ):
        session.add(
            AfwegingStap(
                afweging=case,
                stap=stap,
                antwoord=antwoord,
                motivering=tekst,
                besloten_door_id=regisseur.id,
                besloten_door_naam=regisseur.name,
                besloten_op=stamp - dt.timedelta(days=days),
            )
        )
    signaal(f, "energie", 1, gegevens=schuld(260, 2, "energie", "Energieleverancier"))
    session.flush()
    return count
