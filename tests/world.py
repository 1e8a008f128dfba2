"""A small, fixed world for tests: who is who, and which plan is whose.

Plans, from the point of view of the roles the tests use:

* ``plan_a`` — regisseur ``reg1``; ``Schuldhulp`` (org of ``hulp1``) actively involved;
  the household: partner and child linked. Activities by Schuldhulp, by Jeugdhulp and by the
  household itself.
* ``plan_b`` — regisseur ``reg2``; only ``Jeugdhulp`` involved. Nobody from Schuldhulp.
* ``plan_c`` — regisseur ``reg2`` (``reg1`` handed it over); Schuldhulp *was* involved
  (betrokkenheid ended).

So for ``reg1``/``hulp1``: own = plan_a, other = plan_b, former = plan_c.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.auth.passwords import hash_password
from app.clock import today
from app.db import session
from app.domain import PlanBasis, PlanStatus, Relatie, UitvoerderSoort
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import services
from app.users.models import User, UserRole

PASSWORD = "test-wachtwoord-lang-genoeg"

# Valid BSNs (11-proef), synthetic.
BSN = {
    "anna": "111222333",
    "bram": "123456782",
    "kees": "100000009",
    "dirk": "100000010",
    "eva": "100000022",
    "nieuw": "100000034",
    "extra": "100000046",
    "frank": "100000058",
}

# Staff: username -> (name, roles, organisation key)
STAFF = {
    "reg1": ("Regina Eerste", ["regisseur"], "gemeente"),
    "reg2": ("Rutger Tweede", ["regisseur"], "gemeente"),
    "hulp1": ("Hanna Schuld", ["hulpverlener"], "schuldhulp"),
    "hulp_jeugd": ("Joost Jeugd", ["hulpverlener"], "jeugdhulp"),
    "hulp_ggz": ("Gerda GGZ", ["hulpverlener"], "ggz"),
    "melder1": ("Mees Melder", ["melder"], "school"),
    "privacy1": ("Pim Privacy", ["privacy_officer"], "gemeente"),
    "beheer1": ("Bea Beheer", ["functioneel_beheerder"], "gemeente"),
}


@dataclass
class World:
    orgs: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    plans: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    betrokkenheden: dict[str, int] = field(default_factory=dict)
    mandaat: int = 0
    tokens: dict[str, str] = field(default_factory=dict)  # username -> plain API token
    token_ids: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # "plan:a", "activity:a_schuld"
    # Logboek lines the world starts with (see seed_logboek), all under one trace.
    logboek_trace: str = ""
    logboek_seqs: dict[str, int] = field(default_factory=dict)
    pseudonyms: dict[str, str] = field(default_factory=dict)  # BSN key -> logboek pseudonym


def build_world() -> World:
    w = World()
    day = today()
    orgs = {
        "gemeente": ("Gemeente Teststad", "gemeente"),
        "schuldhulp": ("Schuldhulp Teststad", "schuldhulpverlening"),
        "jeugdhulp": ("Jeugdhulp Teststad", "jeugdhulp"),
        "ggz": ("GGZ Teststad", "ggz"),
        "school": ("Basisschool Test", "school"),
        "regie_noord": ("Regie Noord", "wijkteam"),
    }
    for key, (name, kind) in orgs.items():
        o = Organisation(name=name, kind=kind)
        session.add(o)
        session.flush()
        w.orgs[key] = o.id
    m = Mandaat(
        organisation_id=w.orgs["regie_noord"],
        gemeente_id=w.orgs["gemeente"],
        valid_from=day - dt.timedelta(days=30),
        valid_until=day + dt.timedelta(days=365),
        besluit="MB-TEST-1",
    )
    session.add(m)
    session.flush()
    w.mandaat = m.id
    pw = hash_password(PASSWORD)
    users: dict[str, User] = {}
    for username, (name, roles, org) in STAFF.items():
        u = User(
            username=username,
            name=name,
            email=f"{username}@test.example",
            phone="020 000 0000",
            organisation_id=w.orgs[org],
            password_hash=pw,
        )
        u.role_rows = [UserRole(role=r) for r in roles]
        session.add(u)
        session.flush()
        users[username] = u
        w.users[username] = u.id

    def person(key: str, voornamen: str, achternaam: str, born: dt.date) -> Person:
        p = Person(
            bsn=BSN[key],
            voornamen=voornamen,
            achternaam=achternaam,
            geboortedatum=born,
            straat="Teststraat",
            huisnummer="1",
            postcode="1234AB",
            woonplaats="Teststad",
            telefoon="06 12345678",
        )
        session.add(p)
        session.flush()
        w.persons[key] = p.id
        return p

    anna = person("anna", "Anna", "Aalders", dt.date(1985, 3, 1))
    bram = person("bram", "Bram", "Aalders", dt.date(1983, 7, 9))
    kees = person("kees", "Kees", "Aalders", dt.date(2014, 5, 20))
    dirk = person("dirk", "Dirk", "Dekker", dt.date(1979, 11, 2))
    eva = person("eva", "Eva", "Evers", dt.date(1990, 1, 15))
    frank = person("frank", "Frank", "Fransen", dt.date(1975, 6, 30))

    reg1, reg2 = users["reg1"], users["reg2"]
    gemeente = session.get(Organisation, w.orgs["gemeente"])
    assert gemeente is not None
    schuld = session.get(Organisation, w.orgs["schuldhulp"])
    jeugd = session.get(Organisation, w.orgs["jeugdhulp"])
    assert schuld is not None and jeugd is not None

    plan_a = services.create_plan(
        person=anna,
        basis=PlanBasis.MULTIPROBLEMATIEK,
        status=PlanStatus.ACTIEF,
        regisseur=reg1,
        actor=reg1,
        gemeente=gemeente,
    )
    plan_b = services.create_plan(
        person=dirk,
        basis=PlanBasis.TOESTEMMING,
        status=PlanStatus.ACTIEF,
        regisseur=reg2,
        actor=reg2,
        gemeente=gemeente,
        toestemming=services.ToestemmingGegevens(
            "de betrokkene zelf", day - dt.timedelta(days=10), "schriftelijk"
        ),
    )
    plan_c = services.create_plan(
        person=eva,
        basis=PlanBasis.MULTIPROBLEMATIEK,
        status=PlanStatus.ACTIEF,
        regisseur=reg2,
        actor=reg2,
        gemeente=gemeente,
    )
    w.plans.update(a=plan_a.id, b=plan_b.id, c=plan_c.id)

    start = day - dt.timedelta(days=20)
    b1 = services.bring_in(
        plan_a, organisation=schuld, user=None, rol="Schuldhulp", start_date=start, actor=reg1
    )
    b2 = services.bring_in(
        plan_a, organisation=jeugd, user=None, rol="Jeugdhulp", start_date=start, actor=reg1
    )
    b3 = services.bring_in(
        plan_b, organisation=jeugd, user=None, rol="Jeugdhulp", start_date=start, actor=reg2
    )
    b4 = services.bring_in(
        plan_c,
        organisation=schuld,
        user=None,
        rol="Schuldhulp",
        start_date=start - dt.timedelta(days=30),
        actor=reg2,
    )
    services.end_betrokkenheid(
        b4, plan=plan_c, actor=reg2, end_date=day - dt.timedelta(days=1), reason="Traject klaar"
    )
    w.betrokkenheden.update(a_schuld=b1.id, a_jeugd=b2.id, b_jeugd=b3.id, c_schuld=b4.id)

    def act(plan, key, aard, org, text, soort=UitvoerderSoort.ORGANISATIE):  # type: ignore[no-untyped-def]
        a = services.add_activity(
            plan,
            services.ActiviteitGegevens(
                aard=aard,
                omschrijving=text,
                start_date=start,
                end_date=day + dt.timedelta(days=60),
                uitvoerder_soort=soort,
                organisation_id=org,
                uitvoerder_contact="Contactpersoon 020-1234567",
                toelichting=f"Toelichting bij {key}",
            ),
            actor=reg1 if plan is plan_a else reg2,
        )
        w.activities[key] = a.id

    act(plan_a, "a_schuld", "schuldhulpverlening", w.orgs["schuldhulp"], "Schuldenoverzicht maken")
    act(plan_a, "a_jeugd", "jeugdhulp", w.orgs["jeugdhulp"], "Gezinsbegeleiding thuis")
    act(plan_a, "a_huishouden", "aanvraag", None, "Post samen openen", UitvoerderSoort.HUISHOUDEN)
    act(plan_b, "b_jeugd", "jeugdhulp", w.orgs["jeugdhulp"], "Begeleiding bij school")
    act(plan_c, "c_schuld", "schuldhulpverlening", w.orgs["schuldhulp"], "Budgetplan afgerond")

    for key, other, rel in (("a_bram", bram, Relatie.PARTNER), ("a_kees", kees, Relatie.OUDER_VAN)):
        link = services.lay_link(
            plan=plan_a, other=other, relatie=rel, plan_person_is_a=True, actor=reg1
        )
        w.links[key] = link.id
    link = services.lay_link(
        plan=plan_b, other=frank, relatie=Relatie.HUISGENOOT, plan_person_is_a=True, actor=reg2
    )
    w.links["b_frank"] = link.id
    services.add_comment(plan_a, actor=reg1, body="Eerste gesprek gevoerd met Anna.")
    hulp1 = users["hulp1"]
    services.add_comment(plan_a, actor=hulp1, body="Schuldhulp: aanmelding ontvangen.")
    from app.auth.services import create_token
    from app.plans.models import Activity

    for username in STAFF:
        token, plain = create_token(users[username], "test")
        w.tokens[username] = plain
        w.token_ids[username] = token.id
    seed_logboek(w, users)
    session.commit()
    for key, plan in (("a", plan_a), ("b", plan_b), ("c", plan_c)):
        w.versions[f"plan:{key}"] = plan.version
    for key, aid in w.activities.items():
        obj = session.get(Activity, aid)
        assert obj is not None
        w.versions[f"activity:{key}"] = obj.version
    return w


# The trace of the world's own logboek lines: no request ever gets this id, so a search by it
# returns exactly these lines however many others the tests wrote.
WORLD_TRACE = "5eed0000000000000000000000000001"


def seed_logboek(w: World, users: dict[str, User]) -> None:
    """Three lines from before the tests: what the privacy officer's screens have to look at.

    * ``ggz_anna`` — Gerda (GGZ, not involved in plan a) viewed Anna's plan;
    * ``nood_dirk`` — Regina viewed Dirk's plan (not hers) with emergency access;
    * ``deling_anna`` — Anna's plan was shared with Schuldhulp (an exchange).
    """
    from flask import current_app

    from audit import Actor, Entry, Subject, TraceContext

    logboek = current_app.extensions["eenplan_logboek"]
    trace = TraceContext(WORLD_TRACE, "5eed000000000001")

    def actor(username: str, role: str) -> Actor:
        u = users[username]
        return Actor(
            "medewerker", str(u.id), u.name, role, u.organisation.name if u.organisation else None
        )

    common = {"trace": trace, "object_type": "plan"}
    lines = logboek.record(
        session.connection(),
        [
            Entry(
                kind="inzage",
                action="view",
                name="plan.bekijken",
                actor=actor("hulp_ggz", "Hulpverlener"),
                subjects=(Subject("BSN", BSN["anna"]),),
                processing_activity="regie-multiproblematiek",
                data_categories=("bsn", "naw", "contact", "plan"),
                object_id=str(w.plans["a"]),
                **common,
            ),
            Entry(
                kind="inzage",
                action="view",
                name="plan.bekijken",
                actor=actor("reg1", "Regisseur"),
                subjects=(Subject("BSN", BSN["dirk"]),),
                processing_activity="regie-multiproblematiek",
                data_categories=("bsn", "naw", "contact", "plan", "activiteiten"),
                object_id=str(w.plans["b"]),
                emergency=True,
                reason="Waarneming: de regisseur van dit plan is ziek",
                **common,
            ),
            Entry(
                kind="uitwisseling",
                action="send",
                name="betrokkenheid.aangaan",
                actor=actor("reg1", "Regisseur"),
                subjects=(Subject("BSN", BSN["anna"]),),
                processing_activity="regie-multiproblematiek",
                data_categories=("bsn", "naw", "contact", "plan", "activiteiten"),
                object_id=str(w.plans["a"]),
                sender="Gemeente Teststad",
                recipient="Schuldhulp Teststad",
                **common,
            ),
        ],
    )
    w.logboek_trace = WORLD_TRACE
    w.pseudonyms = {key: logboek.pseudonymise(Subject("BSN", bsn)) for key, bsn in BSN.items()}
    w.logboek_seqs = {
        "ggz_anna": lines[0].seq,
        "nood_dirk": lines[1].seq,
        "deling_anna": lines[2].seq,
    }
