"""The privacy officer's screens: search, indicators of possible misuse, reviews."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import clock
from app.db import get_database, session
from app.privacy.models import Beoordeling
from audit import Actor, Entry, Subject, TraceContext
from tests.conftest import csrf_token, head_seq, log_lines, login
from tests.support.world import BSN, STAFF, World

ROLE = {
    "reg1": "Regisseur",
    "reg2": "Regisseur",
    "hulp1": "Hulpverlener",
    "hulp_ggz": "Hulpverlener",
}
ORG = {
    "reg1": "Gemeente Teststad",
    "reg2": "Gemeente Teststad",
    "hulp1": "Schuldhulp Teststad",
    "hulp_ggz": "GGZ Teststad",
}


@pytest.fixture
def officer(client: FlaskClient, world: World) -> FlaskClient:
    login(client, "privacy1")
    return client


def view(
    app: Flask,
    world: World,
    user: str,
    plan: str,
    persons: tuple[str, ...] | None = None,
    *,
    trace: TraceContext | None = None,
    emergency: bool = False,
) -> list[int]:
    """Write the lines of ``user`` opening plan ``plan`` (one line per person)."""
    from tests.routes.facts import PLAN_PERSON

    persons = persons or (PLAN_PERSON[plan],)
    logboek = app.extensions["eenplan_logboek"]
    actor = Actor("medewerker", str(world.users[user]), STAFF[user][0], ROLE[user], ORG[user])
    trace = trace or TraceContext.new()
    with app.app_context(), get_database().engine.begin() as conn:
        lines = logboek.record(
            conn,
            [
                Entry(
                    kind="inzage",
                    action="view",
                    name="plan.bekijken",
                    actor=actor,
                    subjects=(Subject("BSN", BSN[p]),),
                    processing_activity="regie-multiproblematiek",
                    data_categories=("naw", "plan"),
                    trace=trace,
                    object_type="plan",
                    object_id=str(world.plans[plan]),
                    emergency=emergency,
                    reason="Waarneming" if emergency else None,
                )
                for p in persons
            ],
        )
    return [line.seq for line in lines]


def indicators(app: Flask, days: int = 30, **config: Any) -> list[Any]:
    from app.privacy import indicators as ind

    app.config.update(config)
    clock.set_offset(dt.timedelta(0))
    with app.test_request_context(), app.app_context():
        since = clock.now() - dt.timedelta(days=days)
        return ind.bereken(since, clock.now() + dt.timedelta(days=8)).aandachtspunten


def kinds_for(punten: list[Any], seqs: list[int]) -> set[str]:
    return {p.soort for p in punten if set(seqs) & set(p.seqs)}


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["reg1", "hulp1", "beheer1", "melder1"])
def test_only_the_privacy_officer(client, world, user: str) -> None:
    login(client, user)
    for path in (
        "/privacy/",
        "/privacy/logboek",
        f"/privacy/regels/{world.logboek_seqs['ggz_anna']}",
    ):
        assert client.get(path).status_code == 403


def test_privacy_officer_lands_on_logboekcontrole(client, world) -> None:
    login(client, "privacy1")
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/privacy/")


# --- search ---------------------------------------------------------------------------------


def _seqs_on(resp: Any) -> list[int]:
    return [int(s) for s in re.findall(r"/privacy/regels/(\d+)\"", resp.get_data(as_text=True))]


def test_search_by_bsn_in_a_post_and_the_reading_is_logged(app, officer, world) -> None:
    token = csrf_token(officer, "/privacy/logboek")
    before = head_seq(app)
    resp = officer.post("/privacy/logboek", data={"csrf_token": token, "bsn": BSN["dirk"]})
    assert resp.status_code == 200
    assert _seqs_on(resp) == [world.logboek_seqs["nood_dirk"]]
    body = resp.get_data(as_text=True)
    assert "Dirk" not in body and "Dekker" not in body  # pseudonymous
    rows = log_lines(app, before)
    assert [
        (r["data_subject_id"], r["processing_activity_id"], r["data_categories"]) for r in rows
    ] == [(world.pseudonyms["dirk"], "toezicht-logboek", "logboek")]
    assert rows[0]["actor_name"] == "Pim Privacy" and rows[0]["actor_role"] == "Privacy officer"


def test_a_bsn_in_the_url_is_not_used(officer, world) -> None:
    resp = officer.get(f"/privacy/logboek?bsn={BSN['anna']}&noodtoegang=y")
    assert resp.status_code == 302
    assert (
        BSN["anna"] not in resp.headers["Location"] and "noodtoegang=y" in resp.headers["Location"]
    )
    twice = officer.get(f"/privacy/logboek?bsn={BSN['anna']}&bsn={BSN['anna']}")
    assert twice.status_code == 302 and BSN["anna"] not in twice.headers["Location"]


def test_search_needs_a_criterion_and_checks_the_period(officer) -> None:
    token = csrf_token(officer, "/privacy/logboek")
    resp = officer.post("/privacy/logboek", data={"csrf_token": token})
    assert resp.status_code == 422 and "Kies minstens één zoekcriterium" in resp.get_data(
        as_text=True
    )
    resp = officer.post(
        "/privacy/logboek",
        data={"csrf_token": token, "van": "2026-02-01", "tot": "2026-01-01", "bsn": "12"},
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert (
        "Deze datum ligt voor de begindatum" in body and "geen geldig burgerservicenummer" in body
    )
    assert 'value="2026-02-01"' in body  # what was typed is kept


def test_search_by_user_organisation_activity_and_emergency(app, officer, world) -> None:
    mine = view(app, world, "hulp_ggz", "a")
    other = view(app, world, "hulp1", "a")
    ggz_user = world.users["hulp_ggz"]
    by_user = _seqs_on(officer.get(f"/privacy/logboek?gebruiker={ggz_user}"))
    assert set(mine) | {world.logboek_seqs["ggz_anna"]} == set(by_user)
    by_org = _seqs_on(officer.get(f"/privacy/logboek?organisatie={world.orgs['schuldhulp']}"))
    assert set(other) <= set(by_org) and not set(mine) & set(by_org)
    nood = _seqs_on(officer.get("/privacy/logboek?noodtoegang=y"))
    assert nood == [world.logboek_seqs["nood_dirk"]]
    activity = _seqs_on(
        officer.get("/privacy/logboek?verwerking=toezicht-logboek&trace=" + world.logboek_trace)
    )
    assert activity == []
    by_person = _seqs_on(
        officer.get(f"/privacy/logboek?persoon={world.pseudonyms['anna']}&gebruiker={ggz_user}")
    )
    assert set(by_person) == set(mine) | {world.logboek_seqs["ggz_anna"]}


def _zoek(officer: FlaskClient, **data: str) -> Any:
    token = csrf_token(officer, "/privacy/logboek")
    return officer.post("/privacy/logboek", data={"csrf_token": token, **data})


def _kandidaten(body: str) -> list[str]:
    """The staff members offered as radio buttons, by user id."""
    return re.findall(r'name="gebruiker"[^>]*type="radio"[^>]*value="(\d+)"', body)


def test_a_staff_member_is_found_by_typing_part_of_the_name(app, officer, world) -> None:
    """A city has thousands of staff: the search asks for (part of) a name or user name, not a
    list of all of them; a name travels only in the POST body."""
    mine = view(app, world, "hulp_ggz", "a")
    reg2 = view(app, world, "reg2", "a")
    ggz_user, reg2_user, reg3_user = (world.users[k] for k in ("hulp_ggz", "reg2", "reg3"))
    empty = officer.get("/privacy/logboek").get_data(as_text=True)
    assert 'name="medewerker"' in empty
    for username, (name, _roles, _org) in STAFF.items():
        if username != "privacy1":  # the officer's own name is in the page's header
            assert name not in empty, username  # no list of every staff member

    # One match (by name, any case): the search runs and the field shows who it was.
    resp = _zoek(officer, medewerker="gerDA")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    gerda = set(_seqs_on(resp))
    assert gerda == set(mine) | {world.logboek_seqs["ggz_anna"]}
    assert (
        'value="Gerda GGZ"' in body
        and f'type="hidden" name="gebruiker" id="gebruiker" value="{ggz_user}"' in body
    )
    # ... by user name too; the paging form carries the id, never the name in an address.
    assert set(_seqs_on(_zoek(officer, medewerker="hulp_ggz"))) == set(_seqs_on(resp))

    # Several matches: the officer chooses; nothing is searched yet, the typed text stays.
    resp = _zoek(officer, medewerker="de")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and _seqs_on(resp) == []
    ids = {world.users[k] for k in ("reg2", "reg3", "melder1", "teamleider1")}
    assert set(map(int, _kandidaten(body))) == ids
    assert 'value="de"' in body and "Welke medewerker bedoelt u?" in body
    # Zoeken again without a choice: the choice is asked for, as an error.
    unchosen = _zoek(officer, medewerker="de", kiezen="de")
    assert unchosen.status_code == 422 and _seqs_on(unchosen) == []
    assert "Kies een van deze medewerkers" in unchosen.get_data(as_text=True)
    assert set(map(int, _kandidaten(unchosen.get_data(as_text=True)))) == ids
    # The choice made: that one's lines.
    chosen = _zoek(officer, medewerker="de", gebruiker=str(reg2_user), kiezen="de")
    assert chosen.status_code == 200 and set(_seqs_on(chosen)) == set(reg2)
    assert 'value="Rutger Tweede"' in chosen.get_data(as_text=True)
    # A stale choice that no longer fits the typed text is not used: the text is searched again.
    again = _zoek(officer, medewerker="Tweede", gebruiker=str(reg3_user))
    assert set(_seqs_on(again)) == set(reg2)

    # No match (citizens are not staff): a clear error, the text kept, nothing searched.
    for text in ("zzz", "Trouw"):
        resp = _zoek(officer, medewerker=text)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422 and _seqs_on(resp) == []
        assert "Geen medewerker gevonden" in body and f'value="{text}"' in body

    # A link with the id (from the overview) shows the name in the field.
    linked = officer.get(f"/privacy/logboek?gebruiker={ggz_user}").get_data(as_text=True)
    assert 'value="Gerda GGZ"' in linked
    # Any actor id of a line works in a link, also one that is no staff member.
    other = officer.get("/privacy/logboek?gebruiker=systeem")
    assert other.status_code == 200
    assert "Alleen regels van gebruiker systeem." in other.get_data(as_text=True)
    # Emptying the field in the form drops the staff member; the next page keeps them.
    emptied = _zoek(officer, medewerker="", gebruiker=str(ggz_user), organisatie="")
    assert emptied.status_code == 422 and _seqs_on(emptied) == []
    assert "Kies minstens één zoekcriterium" in emptied.get_data(as_text=True)
    paged = _zoek(officer, medewerker="", gebruiker=str(ggz_user), voor="999999999")
    assert set(_seqs_on(paged)) == gerda
    # Only a user id as the log writes it names a staff member; other ids name nobody.
    for odd in ("007", "\u0663", "2147483648", "99999999999"):  # (beyond a database integer)
        page = officer.get("/privacy/logboek", query_string={"gebruiker": odd})
        body = page.get_data(as_text=True)
        assert page.status_code in (200, 422)
        assert not [name for name, _r, _o in STAFF.values() if f'value="{name}"' in body]
    # A name in the address bar is taken out of it, as a BSN is.
    named = officer.get("/privacy/logboek?medewerker=Gerda&van=2026-01-01")
    assert named.status_code == 302 and "Gerda" not in named.headers["Location"]
    assert "van=2026-01-01" in named.headers["Location"]


def test_many_staff_fit_the_text_the_first_are_offered_and_former_staff_are_marked(
    app, officer, world
) -> None:
    from app.users.models import User

    with app.app_context():
        for i in range(27):
            session.add(
                User(username=f"kandidaat{i:02}", name=f"Kees Kandidaat {i:02}", active=i != 1)
            )
        session.commit()
    resp = _zoek(officer, medewerker="KANDIDAAT")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and len(_kandidaten(body)) == 25
    assert "Meer dan 25 medewerkers passen bij wat u typte" in body
    assert "Kees Kandidaat 00 (kandidaat00)<" in body
    assert "Kees Kandidaat 01 (kandidaat01), niet meer actief<" in body
    assert "Kees Kandidaat 25" not in body  # by name: the first 25
    # A wildcard typed is a character, not a pattern.
    resp = _zoek(officer, medewerker="%")
    assert resp.status_code == 422 and "Geen medewerker gevonden" in resp.get_data(as_text=True)


def test_search_by_period(app, officer, world, at_time) -> None:
    at_time(dt.datetime(2025, 3, 4, 10, 0))
    old = view(app, world, "reg1", "a")
    at_time(dt.datetime(2025, 3, 6, 10, 0))
    later = view(app, world, "reg1", "a")
    clock.set_offset(
        dt.timedelta(0)
    )  # the officer searches today (and that reading is logged today)
    found = _seqs_on(officer.get("/privacy/logboek?van=2025-03-04&tot=2025-03-05"))
    assert found == old
    found = _seqs_on(officer.get("/privacy/logboek?van=2025-03-05&tot=2025-03-06"))
    assert found == later


def test_search_pages_to_older_lines(app, officer, world) -> None:
    seqs = view(app, world, "reg1", "a", ("kees",) * 55)
    first = officer.get(f"/privacy/logboek?persoon={world.pseudonyms['kees']}")
    assert _seqs_on(first) == sorted(seqs, reverse=True)[:50]
    body = first.get_data(as_text=True)
    cursor = re.search(r'name="voor" value="(\d+)"', body)
    assert cursor
    token = csrf_token(officer, "/privacy/logboek")
    second = officer.post(
        "/privacy/logboek",
        data={"csrf_token": token, "persoon": world.pseudonyms["kees"], "voor": cursor.group(1)},
    )
    assert _seqs_on(second) == sorted(seqs, reverse=True)[50:]


# --- indicators -----------------------------------------------------------------------------


def test_the_worlds_indicators(app, world) -> None:
    punten = indicators(app)
    assert "buiten-betrokkenheid" in kinds_for(punten, [world.logboek_seqs["ggz_anna"]])
    nood = kinds_for(punten, [world.logboek_seqs["nood_dirk"]])
    assert {"noodtoegang", "buiten-betrokkenheid"} <= nood
    reason = next(p for p in punten if p.soort == "noodtoegang")
    assert "Waarneming" in reason.toelichting and reason.actor_name == "Regina Eerste"
    # Sharing a plan is an exchange, not a view: no indicator of its own.
    assert kinds_for(punten, [world.logboek_seqs["deling_anna"]]) <= {"buiten-kantoortijd"}


def test_betrokkenheid_is_judged_at_the_time_of_viewing(app, world, at_time) -> None:
    """Schuldhulp's betrokkenheid on plan c ran until yesterday: a view then was fine, a view
    today is not."""
    today = clock.today()  # the world's today (before the clock moves)
    at_time(dt.datetime.combine(today - dt.timedelta(days=5), dt.time(10)))
    then = view(app, world, "hulp1", "c")
    at_time(dt.datetime.combine(today, dt.time(10)))
    now = view(app, world, "hulp1", "c")
    involved = view(app, world, "hulp1", "a")
    punten = indicators(app)
    assert "buiten-betrokkenheid" not in kinds_for(punten, then)
    assert "buiten-betrokkenheid" in kinds_for(punten, now)
    assert "buiten-betrokkenheid" not in kinds_for(punten, involved)


def test_a_view_on_the_day_a_plan_is_closed_was_within_betrokkenheid(app, world, at_time) -> None:
    """Closing a plan ends its betrokkenheden that day (access stops at once): Schuldhulp's view
    of plan a at 10:00, before the plan was closed at 11:00, is no indicator."""
    from app.plans.models import Plan
    from app.plans.services import close_plan
    from app.users.models import User

    day = clock.today()
    at_time(dt.datetime.combine(day, dt.time(10)))
    before = view(app, world, "hulp1", "a")
    at_time(dt.datetime.combine(day, dt.time(11)))
    with app.test_request_context(), app.app_context():
        plan = session.get(Plan, world.plans["a"])
        regisseur = session.get(User, plan.regisseur_id)
        close_plan(plan, actor=regisseur, reason="doelen_bereikt", note=None, expected_version=None)
        session.commit()
    punten = indicators(app)
    assert "buiten-betrokkenheid" not in kinds_for(punten, before)


def test_caseload_is_judged_at_the_time_of_viewing(app, world, at_time) -> None:
    """reg1 hands plan a to reg2: before that, reg1's views are in caseload, reg2's are not;
    after it, the other way round."""
    from app.plans import services
    from app.plans.models import Plan
    from app.users.models import User

    today = clock.today()  # the world's today (before the clock moves)
    at_time(dt.datetime.combine(today - dt.timedelta(days=2), dt.time(10)))
    reg1_before = view(app, world, "reg1", "a")
    reg2_before = view(app, world, "reg2", "a")
    at_time(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10)))
    with app.app_context():
        plan = session.get(Plan, world.plans["a"])
        reg1 = session.get(User, world.users["reg1"])
        reg2 = session.get(User, world.users["reg2"])
        services.transfer_plan(plan, new_regisseur=reg2, actor=reg1, reason="Verhuisd")
        session.commit()
    at_time(dt.datetime.combine(today, dt.time(10)))
    reg1_after = view(app, world, "reg1", "a")
    reg2_after = view(app, world, "reg2", "a")
    punten = indicators(app)
    assert "buiten-betrokkenheid" not in kinds_for(punten, reg1_before)
    assert "buiten-betrokkenheid" in kinds_for(punten, reg2_before)
    assert "buiten-betrokkenheid" in kinds_for(punten, reg1_after)
    assert "buiten-betrokkenheid" not in kinds_for(punten, reg2_after)


def test_outside_office_hours(app, world, at_time) -> None:
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    at_time(dt.datetime.combine(monday, dt.time(10, 30)))
    office = view(app, world, "reg1", "a")
    at_time(dt.datetime.combine(monday, dt.time(22, 15)))
    evening = view(app, world, "reg1", "a")
    at_time(dt.datetime.combine(monday - dt.timedelta(days=1), dt.time(11, 0)))  # a Sunday
    sunday = view(app, world, "reg1", "a")
    punten = indicators(app, days=10)
    assert "buiten-kantoortijd" not in kinds_for(punten, office)
    assert "buiten-kantoortijd" in kinds_for(punten, evening)
    weekend = [p for p in punten if p.soort == "buiten-kantoortijd" and set(sunday) & set(p.seqs)]
    assert weekend and weekend[0].toelichting == "In het weekend."


def test_many_persons_in_a_short_time(app, world, at_time) -> None:
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    seqs: list[int] = []
    for minute, person in enumerate(("anna", "bram", "kees", "dirk", "eva")):
        at_time(dt.datetime.combine(monday, dt.time(10, minute * 5)))
        seqs += view(app, world, "reg1", "a", (person,))
    # A list page: one request about several plans does not count.
    at_time(dt.datetime.combine(monday, dt.time(14, 0)))
    lijst = TraceContext.new()
    listed = view(app, world, "reg2", "a", ("anna",), trace=lijst)
    listed += view(app, world, "reg2", "b", ("dirk",), trace=lijst)
    listed += view(app, world, "reg2", "c", ("eva",), trace=lijst)
    listed += view(app, world, "reg2", "b", ("frank",), trace=lijst)
    punten = indicators(app, days=10, LOGBOEK_VEEL_PERSONEN=3, LOGBOEK_VEEL_MINUTEN=30)
    veel = [p for p in punten if p.soort == "veel-personen"]
    assert len(veel) == 1
    assert sorted(veel[0].seqs) == sorted(seqs) and veel[0].personen == 5
    assert veel[0].actor_name == "Regina Eerste"
    # Spread out over more than the window, the same views are no indicator.
    punten = indicators(app, days=10, LOGBOEK_VEEL_PERSONEN=3, LOGBOEK_VEEL_MINUTEN=10)
    assert not [p for p in punten if p.soort == "veel-personen"]


def test_overview_shows_indicators_without_persons(app, officer, world) -> None:
    before = head_seq(app)
    resp = officer.get("/privacy/?toon=alle")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Noodtoegang" in body and "Gerda GGZ" in body and "Waarneming" in body
    assert world.pseudonyms["anna"][:8] not in body and "Anna" not in body
    assert log_lines(app, before) == []  # it shows no person, so it reads no one's lines


# --- reviews --------------------------------------------------------------------------------


def test_review_a_line(app, officer, world) -> None:
    seq = world.logboek_seqs["nood_dirk"]
    before = head_seq(app)
    page = officer.get(f"/privacy/regels/{seq}")
    assert page.status_code == 200 and "Nog niet beoordeeld" in page.get_data(as_text=True)
    # Reading the line for the review is itself logged.
    assert [
        (r["data_subject_id"], r["processing_activity_id"]) for r in log_lines(app, before)
    ] == [(world.pseudonyms["dirk"], "toezicht-logboek")]
    token = csrf_token(officer, f"/privacy/regels/{seq}")
    bad = officer.post(
        f"/privacy/regels/{seq}/beoordelen", data={"csrf_token": token, "toelichting": "x"}
    )
    assert bad.status_code == 422 and "Kies een conclusie" in bad.get_data(as_text=True)
    resp = officer.post(
        f"/privacy/regels/{seq}/beoordelen",
        data={
            "csrf_token": token,
            "conclusie": "rechtmatig",
            "toelichting": "Waarneming afgesproken.",
        },
    )
    assert resp.status_code == 302
    page = officer.get(f"/privacy/regels/{seq}").get_data(as_text=True)
    assert "Rechtmatig: geen actie nodig" in page and "Waarneming afgesproken." in page
    with app.app_context():
        # (the world's own review in follow-up, issue 16 #12, left out)
        eigen = world.logboekvragen["onderzoek_deling"]
        reviews = session.query(Beoordeling).filter(Beoordeling.id != eigen).all()
        assert [(b.soort, b.seqs, b.beoordeeld_door_naam) for b in reviews] == [
            ("regel", [seq], "Pim Privacy")
        ]
    # The emergency indicator (that one line) is no longer open.
    open_list = officer.get("/privacy/").get_data(as_text=True)
    assert f'soort=noodtoegang&amp;regels={seq}"' not in open_list
    assert "Rechtmatig" in officer.get("/privacy/?toon=alle").get_data(as_text=True)


def test_review_a_case(app, officer, world) -> None:
    seqs = f"{world.logboek_seqs['ggz_anna']}"
    page = officer.get(f"/privacy/zaak?soort=buiten-betrokkenheid&regels={seqs}")
    assert page.status_code == 200 and "Gerda GGZ" in page.get_data(as_text=True)
    token = csrf_token(officer, f"/privacy/zaak?soort=buiten-betrokkenheid&regels={seqs}")
    resp = officer.post(
        "/privacy/zaak",
        data={
            "csrf_token": token,
            "soort": "buiten-betrokkenheid",
            "regels": seqs,
            "conclusie": "onrechtmatig",
            "toelichting": "Geen reden gevonden; gemeld bij de FG.",
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        eigen = world.logboekvragen["onderzoek_deling"]
        b = session.query(Beoordeling).filter(Beoordeling.id != eigen).one()
        assert (b.soort, b.aandachtspunt, b.conclusie) == (
            "zaak",
            "buiten-betrokkenheid",
            "onrechtmatig",
        )
    listing = officer.get("/privacy/beoordelingen").get_data(as_text=True)
    assert "Onrechtmatig" in listing and "Geen reden gevonden" in listing


@pytest.mark.parametrize(
    "query",
    [
        "soort=onzin&regels=1",
        "soort=noodtoegang&regels=",
        "soort=noodtoegang&regels=a,b",
        "soort=noodtoegang&regels=99999999999999999999",
    ],
)
def test_malformed_case_links_are_400(officer, query: str) -> None:
    """Not a case at all (an unknown kind, no lines, not numbers, beyond the column): 400."""
    assert officer.get(f"/privacy/zaak?{query}").status_code == 400


def test_a_case_of_lines_that_do_not_exist_is_404(officer) -> None:
    assert officer.get("/privacy/zaak?soort=noodtoegang&regels=99999999").status_code == 404


def test_unknown_line_is_404(officer) -> None:
    assert officer.get("/privacy/regels/99999999").status_code == 404


def test_an_indicator_too_big_for_one_case_links_to_its_lines_in_the_logboek(
    app, client, world, at_time, monkeypatch
) -> None:
    """A case page takes at most MAX_REGELS_PER_ZAAK lines (a review covers them all at once);
    a burst in a city held 2,445. Its link on the overview went to a case page that answered
    400; it now opens the logboek search on that staff member and those days, which shows
    every line. Every link on the overview opens."""
    from app.privacy import services

    monkeypatch.setattr(services, "MAX_REGELS_PER_ZAAK", 2)
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(days=7)
    seqs = []
    for minute, plan in enumerate(("a", "b", "a")):
        at_time(dt.datetime.combine(monday, dt.time(22, minute)))
        seqs += view(app, world, "reg1", plan)
    at_time(dt.datetime.combine(today, dt.time(12, 0)))
    login(client, "privacy1")  # after the clock moved: a fresh session
    officer = client
    day = monday.isoformat()
    body = officer.get(f"/privacy/?toon=alle&van={day}&tot={day}").get_data(as_text=True)
    assert "Meer dan 2 regels: te veel om in één keer te beoordelen." in body
    search = f"/privacy/logboek?gebruiker={world.users['reg1']}&amp;van={day}&amp;tot={day}"
    assert search in body
    links = re.findall(r'href="(/privacy/(?:zaak|logboek)\?[^"]+)"', body)
    assert links
    for link in links:
        resp = officer.get(link.replace("&amp;", "&"))
        assert resp.status_code == 200, link
    lines = officer.get(search.replace("&amp;", "&")).get_data(as_text=True)
    for seq in seqs:
        assert f'href="/privacy/regels/{seq}"' in lines
