"""A small, fixed world for tests: who is who, and which plan is whose.

Plans, from the point of view of the roles the tests use:

Plans a and c (basis multiproblematiek) come from a completed afweging (``w.afwegingen["plan_a"]``,
``["plan_c"]``, tests/support/world_afweging.py); plan d has that basis from before issue 13,
without a weighing ("Weging ontbreekt").

* ``plan_a`` — regisseur ``reg1``; ``Schuldhulp`` (org of ``hulp1``) actively involved;
  the household: partner and child linked. Activities by Schuldhulp, by Jeugdhulp and by the
  household itself.
* ``plan_b`` — regisseur ``reg2``; only ``Jeugdhulp`` involved. Nobody from Schuldhulp.
* ``plan_c`` — regisseur ``reg2`` (``reg1`` handed it over); Schuldhulp *was* involved
  (betrokkenheid ended).
* ``plan_d`` — regisseur ``noord1`` of Regie Noord, which holds the regietaak by mandate for the
  municipality; GGZ involved (the citizen chose *geen inzage* for GGZ) and Schuldhulp involved
  (default: buitenkant; it has no activity of its own in plan d).
* ``plan_e`` — regisseur ``reg1``, on the basis *toestemming*; the consent was revoked, so only the
  regisseur (and the citizen) still see it; Jeugdhulp was involved.

So for ``reg1``/``hulp1``: own = plan_a, other = plan_b, former = plan_c.

The autorisaties on top of that:

* In plan_a Anna chose *volledig* for Jeugdhulp; Schuldhulp keeps the default (buitenkant).
  Schuldhulp's remark on its own activity and one of its comments are under beroepsgeheim.
* ``reg3`` (a colleague of reg1 and reg2) stands in on plan_a (active, with a reason) and stood
  in on plan_c (expired).
* Citizens (users with a person): ``anna`` (plan_a is hers) and ``truus``, whom Anna trusts
  (read-only access to plan_a until an end date); Eva's grant to Truus was revoked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from app.auth.passwords import hash_password
from app.clock import today
from app.db import session
from app.domain import PlanBasis, PlanStatus, Relatie, UitvoerderSoort
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.plans import gezinslinks, services
from app.users.models import User, UserRole

PASSWORD = "test-wachtwoord-lang-genoeg"


def totp_secret(username: str) -> str:
    """The TOTP secret of a world staff user's authenticator (deterministic, test-only)."""
    digest = hashlib.sha256(b"eenplan-test-totp:" + username.encode()).digest()[:20]
    return base64.b32encode(digest).decode()


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
    "gijs": "100000071",
    "ilse": "100000083",
    "truus": "100000095",
}

# Staff: username -> (name, roles, organisation key)
STAFF = {
    "reg1": ("Regina Eerste", ["regisseur"], "gemeente"),
    "reg2": ("Rutger Tweede", ["regisseur"], "gemeente"),
    "reg3": ("Roos Derde", ["regisseur"], "gemeente"),
    "noord1": ("Niels Noord", ["regisseur"], "regie_noord"),
    "hulp1": ("Hanna Schuld", ["hulpverlener"], "schuldhulp"),
    "hulp_jeugd": ("Joost Jeugd", ["hulpverlener"], "jeugdhulp"),
    "hulp_ggz": ("Gerda GGZ", ["hulpverlener"], "ggz"),
    "melder1": ("Mees Melder", ["melder"], "school"),
    "privacy1": ("Pim Privacy", ["privacy_officer"], "gemeente"),
    "beheer1": ("Bea Beheer", ["functioneel_beheerder"], "gemeente"),
    "teamleider1": ("Tom Teamleider", ["teamleider"], "gemeente"),
    "beleid1": ("Bert Beleid", ["beleid"], "gemeente"),
}

# Citizens: username -> person key. They log in through the portal (DigiD), not with a password.
CITIZENS = {"anna": "anna", "truus": "truus"}

VERVANGING_REDEN = "Regina is ziek; Anna belt met een vraag over de afspraak bij Schuldhulp."
SECRET_COMMENT = "Beroepsgeheim: schuldeiser dreigt met beslag op het loon."


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
    comments: dict[str, int] = field(default_factory=dict)
    vervangingen: dict[str, int] = field(default_factory=dict)
    vertrouwenspersonen: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # "plan:a", "activity:a_schuld"
    # Issue 7 (berichten): see tests/support/world_berichten.py.
    gesprekken: dict[str, int] = field(default_factory=dict)
    berichten: dict[str, int] = field(default_factory=dict)
    bijlagen: dict[str, int] = field(default_factory=dict)
    # Logboek lines the world starts with (see seed_logboek), all under one trace.
    logboek_trace: str = ""
    logboek_seqs: dict[str, int] = field(default_factory=dict)
    pseudonyms: dict[str, str] = field(default_factory=dict)  # BSN key -> logboek pseudonym
    # Issue 16 #11: Anna's question about line ggz_anna (the privacy officer's queue).
    logboekvragen: dict[str, int] = field(default_factory=dict)
    # Issue 6 (signalen): see tests/support/world_signalen.py.
    signalen: dict[str, int] = field(default_factory=dict)
    afwegingen: dict[str, int] = field(default_factory=dict)
    dat_vragen: dict[str, int] = field(default_factory=dict)
    bronnen: dict[str, int] = field(default_factory=dict)  # signal sources by code
    uitstel: dict[str, int] = field(default_factory=dict)  # deferred disclosure (issue 13 #7)


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
        # Two-factor authentication is required for staff: every world user has an
        # authenticator (tests.conftest.login computes its codes).
        from app.auth import mfa

        mfa.enrol_directly(u, totp_secret(username))

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
    gijs = person("gijs", "Gijs", "Groen", dt.date(1968, 9, 12))
    ilse = person("ilse", "Ilse", "Jansen", dt.date(1995, 4, 4))
    person("truus", "Truus", "Trouw", dt.date(1960, 2, 29))
    for username, key in CITIZENS.items():
        p = session.get(Person, w.persons[key])
        assert p is not None
        u = User(username=username, name=p.naam, person_id=p.id, password_hash=None)
        session.add(u)
        session.flush()
        users[username] = u
        w.users[username] = u.id

    reg1, reg2 = users["reg1"], users["reg2"]
    gemeente = session.get(Organisation, w.orgs["gemeente"])
    assert gemeente is not None
    schuld = session.get(Organisation, w.orgs["schuldhulp"])
    jeugd = session.get(Organisation, w.orgs["jeugdhulp"])
    assert schuld is not None and jeugd is not None

    from tests.support.world_afweging import plan_na_afweging, plan_zonder_weging

    plan_a, afweging_a = plan_na_afweging(
        anna, regisseur=reg1, gemeente=gemeente, status=PlanStatus.ACTIEF
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
    plan_c, afweging_c = plan_na_afweging(
        eva, regisseur=reg2, gemeente=gemeente, status=PlanStatus.ACTIEF
    )
    noord1 = users["noord1"]
    # From before issue 13: multiproblematiek without a weighing ("Weging ontbreekt").
    plan_d = plan_zonder_weging(
        gijs, regisseur=noord1, gemeente=gemeente, status=PlanStatus.ACTIEF, mandaat=m
    )
    plan_e = services.create_plan(
        person=ilse,
        basis=PlanBasis.TOESTEMMING,
        status=PlanStatus.ACTIEF,
        regisseur=reg1,
        actor=reg1,
        gemeente=gemeente,
        toestemming=services.ToestemmingGegevens(
            "de betrokkene zelf", day - dt.timedelta(days=40), "mondeling"
        ),
    )
    w.plans.update(a=plan_a.id, b=plan_b.id, c=plan_c.id, d=plan_d.id, e=plan_e.id)
    w.afwegingen.update(plan_a=afweging_a.id, plan_c=afweging_c.id)

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
    ggz = session.get(Organisation, w.orgs["ggz"])
    assert ggz is not None
    b5 = services.bring_in(
        plan_d, organisation=ggz, user=None, rol="GGZ-behandeling", start_date=start, actor=noord1
    )
    b6 = services.bring_in(
        plan_d, organisation=schuld, user=None, rol="Schuldhulp", start_date=start, actor=noord1
    )
    b7 = services.bring_in(
        plan_e,
        organisation=jeugd,
        user=None,
        rol="Opvoedondersteuning",
        start_date=start,
        actor=reg1,
    )
    w.betrokkenheden.update(
        a_schuld=b1.id,
        a_jeugd=b2.id,
        b_jeugd=b3.id,
        c_schuld=b4.id,
        d_ggz=b5.id,
        d_schuld=b6.id,
        e_jeugd=b7.id,
    )

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
                uitvoerder_contact=f"Contactpersoon {key} 020-1234567",
                toelichting=f"Toelichting bij {key}",
            ),
            actor=users[
                {plan_a.id: "reg1", plan_d.id: "noord1", plan_e.id: "reg1"}.get(plan.id, "reg2")
            ],
        )
        w.activities[key] = a.id

    act(plan_a, "a_schuld", "schuldhulpverlening", w.orgs["schuldhulp"], "Schuldenoverzicht maken")
    act(plan_a, "a_jeugd", "jeugdhulp", w.orgs["jeugdhulp"], "Gezinsbegeleiding thuis")
    act(plan_a, "a_huishouden", "aanvraag", None, "Post samen openen", UitvoerderSoort.HUISHOUDEN)
    act(plan_b, "b_jeugd", "jeugdhulp", w.orgs["jeugdhulp"], "Begeleiding bij school")
    act(plan_c, "c_schuld", "schuldhulpverlening", w.orgs["schuldhulp"], "Budgetplan afgerond")
    # The activity was recorded while Schuldhulp was involved; the betrokkenheid ended since.
    services.end_betrokkenheid(
        b4, plan=plan_c, actor=reg2, end_date=day - dt.timedelta(days=1), reason="Traject klaar"
    )
    act(plan_d, "d_ggz", "ggz", w.orgs["ggz"], "Behandeling bij GGZ")
    act(plan_e, "e_jeugd", "opvoedondersteuning", w.orgs["jeugdhulp"], "Opvoedondersteuning thuis")

    for key, other, rel in (("a_bram", bram, Relatie.PARTNER), ("a_kees", kees, Relatie.OUDER_VAN)):
        link = gezinslinks.lay_link(
            plan=plan_a, other=other, relatie=rel, plan_person_is_a=True, actor=reg1
        )
        w.links[key] = link.id
    link = gezinslinks.lay_link(
        plan=plan_b, other=frank, relatie=Relatie.HUISGENOOT, plan_person_is_a=True, actor=reg2
    )
    w.links["b_frank"] = link.id
    c1 = services.add_comment(plan_a, actor=reg1, body="Eerste gesprek gevoerd met Anna.")
    hulp1 = users["hulp1"]
    c2 = services.add_comment(plan_a, actor=hulp1, body="Schuldhulp: aanmelding ontvangen.")
    c3 = services.add_comment(plan_a, actor=hulp1, body=SECRET_COMMENT, beroepsgeheim=True)
    w.comments.update(a_reg1=c1.id, a_schuld=c2.id, a_geheim=c3.id)
    from app.auth.services import create_token
    from app.autorisaties import services as autorisaties
    from app.autorisaties.models import InzageNiveau, Vertrouwenspersoon, Vervanging
    from app.clock import now
    from app.plans.models import Activity

    # Schuldhulp's remark on its activity in plan a is under beroepsgeheim.
    a_schuld = session.get(Activity, w.activities["a_schuld"])
    assert a_schuld is not None
    services.update_activity(
        a_schuld,
        services.ActiviteitGegevens(
            aard=a_schuld.aard,
            omschrijving=a_schuld.omschrijving,
            start_date=a_schuld.start_date,
            end_date=a_schuld.end_date,
            uitvoerder_soort=a_schuld.uitvoerder_soort,
            organisation_id=a_schuld.organisation_id,
            uitvoerder_contact=a_schuld.uitvoerder_contact,
            toelichting=a_schuld.toelichting,
            toelichting_beroepsgeheim=True,
        ),
        actor=hulp1,
        expected_version=a_schuld.version,
    )
    # The citizens' choices.
    anna_user = users["anna"]
    autorisaties.zet_inzageniveau(plan_a, jeugd, "volledig", actor=anna_user)
    session.add(
        InzageNiveau(plan_id=plan_d.id, organisation_id=ggz.id, niveau="geen", gewijzigd_op=now())
    )
    g = autorisaties.verleen_toegang(
        anna_user,
        bsn=BSN["truus"],
        naam="Truus Trouw",
        relatie="familielid",
        geldig_tot=day + dt.timedelta(days=90),
    )
    w.vertrouwenspersonen["a_truus"] = g.id
    revoked = Vertrouwenspersoon(
        person_id=w.persons["eva"],
        bsn=BSN["truus"],
        naam="Truus Trouw",
        relatie="buddy",
        geldig_van=day - dt.timedelta(days=30),
        geldig_tot=day + dt.timedelta(days=30),
        verleend_op=now() - dt.timedelta(days=30),
        ingetrokken_op=now() - dt.timedelta(days=2),
    )
    session.add(revoked)
    session.flush()
    w.vertrouwenspersonen["c_truus_ingetrokken"] = revoked.id
    # Consent for plan e is revoked (the regisseur recorded it).
    autorisaties.trek_toestemming_in(plan_e, actor=reg1, toelichting="Telefonisch laten weten")
    # reg3 stands in on plan a (now) and stood in on plan c (expired).
    v = autorisaties.start_vervanging(users["reg3"], bsn=BSN["anna"], reden=VERVANGING_REDEN)
    w.vervangingen["a_reg3"] = v.id
    old = Vervanging(
        plan_id=plan_c.id,
        user_id=users["reg3"].id,
        voor_user_id=reg2.id,
        reden="Vervanging tijdens vakantie van Rutger",
        van=now() - dt.timedelta(days=3),
        tot=now() - dt.timedelta(days=3) + dt.timedelta(hours=8),
    )
    session.add(old)
    session.flush()
    w.vervangingen["c_reg3_verlopen"] = old.id

    for username in STAFF:
        token, plain = create_token(users[username], "test")
        w.tokens[username] = plain
        w.token_ids[username] = token.id
    from tests.support.world_berichten import build_berichten

    build_berichten(w, users)
    from tests.support.world_signalen import build_signalen

    build_signalen(w, users)
    seed_logboek(w, users)
    session.commit()
    for key, plan in (("a", plan_a), ("b", plan_b), ("c", plan_c), ("d", plan_d), ("e", plan_e)):
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

    And the privacy officer's queue (issue 16): Anna's question about ``ggz_anna`` (overdue)
    and a review *nader onderzoek* of ``deling_anna`` in follow-up (``World.logboekvragen``).
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
    from app.privacy.models import BeoordeeldeRegel, Beoordeling, LogboekVraag

    onderzoek = Beoordeling(
        soort="regel",
        conclusie="nader_onderzoek",
        toelichting="Navragen of de deling met Schuldhulp was afgesproken.",
        beoordeeld_door_id=users["privacy1"].id,
        beoordeeld_door_naam=users["privacy1"].name,
        status="in_onderzoek",
        toegewezen_aan_id=users["privacy1"].id,
        termijn=dt.date(2026, 2, 1),
    )
    onderzoek.regels = [BeoordeeldeRegel(seq=lines[2].seq)]
    session.add(onderzoek)

    vraag = LogboekVraag(
        seq=lines[0].seq,
        onderwerp=w.pseudonyms["anna"],
        gesteld_door_id=users["anna"].id,
        vraag="Ik ken deze GGZ-medewerker niet. Waarom keek zij in mijn plan?",
        termijn=dt.date(2026, 1, 15),
        status="open",
    )
    session.add(vraag)
    session.flush()
    w.logboekvragen = {"anna_ggz": vraag.id, "onderzoek_deling": onderzoek.id}
