"""Issue 13, items 1 and 2: a plan on the basis multiproblematiek only through step 4 of an
afweging, linked both ways; step 4 for a person who has a plan attaches to it in one change;
plans from before without a weighing show "Weging ontbreekt" (migration 0010)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import create_app, migrate
from app.db import get_database, session
from app.domain import AfwegingStatus, PlanBasis, PlanStatus
from app.logboek import unit_of_work
from app.people.models import Person
from app.plans import services
from app.plans.models import Plan, PlanGebeurtenis, Toestemming
from app.signalen import afweging as afwegingskader
from app.signalen.models import Afweging, AfwegingStap
from app.signalen.validation import SignaalError
from app.users.models import User
from tests.conftest import (
    _pg_url,
    base_config,
    csrf_token,
    drop_database,
    head_seq,
    log_lines,
    login,
    pseudonym,
    scratch_database,
)
from tests.support.citizens import login_citizen
from tests.support.world import BSN, World

NIEUW_PERSOON = {
    "bsn": BSN["nieuw"],
    "voornamen": "Nina",
    "achternaam": "Nieuw",
    "geboortedatum": "1992-02-02",
    "status": "concept",
}


def _post(client: FlaskClient, url: str, page: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def _stap(client: FlaskClient, case_id: int, motivering: str) -> Any:
    return _post(
        client,
        f"/signalen/afweging/{case_id}/stap",
        f"/signalen/afweging/{case_id}",
        {"antwoord": "ja", "motivering": motivering},
    )


def _history(app: Flask, plan_id: int) -> list[str]:
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        return list(
            session.scalars(
                select(PlanGebeurtenis.omschrijving)
                .where(PlanGebeurtenis.plan_id == plan_id)
                .order_by(PlanGebeurtenis.id)
                .execution_options(audit_internal=True)
            )
        )


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        return int(
            session.execute(
                select(func.count())
                .select_from(model)
                .where(*where)
                .execution_options(audit_internal=True)
            ).scalar_one()
        )


# --- item 1: no free choice -----------------------------------------------------------------


def test_the_new_plan_form_offers_no_multiproblematiek(client: FlaskClient, world: World) -> None:
    login(client, "reg1")
    page = client.get("/plannen/nieuw").get_data(as_text=True)
    assert 'value="multiproblematiek"' not in page
    assert 'value="toestemming"' in page
    assert "stap 4 van een afweging" in page


def test_posting_multiproblematiek_to_the_form_is_refused(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    before = _count(app, Plan)
    resp = _post(
        client, "/plannen/nieuw", "/plannen/nieuw", {**NIEUW_PERSOON, "basis": "multiproblematiek"}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Multiproblematiek stelt u vast in stap 4 van een afweging" in body
    assert 'value="Nina"' in body  # the input is kept
    assert _count(app, Plan) == before
    assert _count(app, Person, Person.bsn == BSN["nieuw"]) == 0


def test_posting_multiproblematiek_to_the_api_is_refused(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before_plans, before_seq = _count(app, Plan), head_seq(app)
    resp = client.post(
        "/api/v1/plannen",
        json={
            "bsn": BSN["nieuw"],
            "basis": "multiproblematiek",
            "persoon": {"voornamen": "Nina", "achternaam": "Nieuw", "geboortedatum": "1992-02-02"},
        },
        headers={"Authorization": f"Bearer {world.tokens['reg1']}"},
    )
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    [param] = resp.get_json()["invalidParams"]
    assert param["name"] == "basis" and "stap 4 van een afweging" in param["reason"]
    assert _count(app, Plan) == before_plans
    assert log_lines(app, before_seq) == []  # refused before anyone was looked up


def test_the_service_refuses_multiproblematiek_without_an_afweging(
    app: Flask, world: World
) -> None:
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        frank = session.get(Person, world.persons["frank"])
        reg1 = session.get(User, world.users["reg1"])
        assert frank is not None and reg1 is not None and reg1.organisation is not None
        with pytest.raises(services.PlanError) as exc:
            services.create_plan(
                person=frank,
                basis=PlanBasis.MULTIPROBLEMATIEK,
                regisseur=reg1,
                actor=reg1,
                gemeente=reg1.organisation,
            )
        assert exc.value.field == "basis"
        session.rollback()


def test_consent_stays_available_with_its_record(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    resp = _post(
        client,
        "/plannen/nieuw",
        "/plannen/nieuw",
        {
            **NIEUW_PERSOON,
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
        },
    )
    assert resp.status_code == 302
    plan_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert _count(app, Toestemming, Toestemming.plan_id == plan_id) == 1
    assert _history(app, plan_id) == ["Plan aangemaakt (met toestemming, concept)"]


# --- item 1: step 4 makes the plan, linked both ways -----------------------------------------


def _open_case(app: Flask, world: World, person: str) -> int:
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        p = session.get(Person, world.persons[person])
        reg1 = session.get(User, world.users["reg1"])
        assert p is not None and reg1 is not None
        case = afwegingskader.open_afweging(
            p, regisseur=reg1, signalen=[], aanleiding="verzoek_inwoner"
        )
        case_id = case.id
    return case_id


def test_step_4_makes_the_plan_linked_both_ways(app: Flask, world: World) -> None:
    case_id = _open_case(app, world, "frank")
    reg = app.test_client()
    login(reg, "reg1")
    for motivering in (
        "Schulden en werk: twee leefgebieden, bevestigd.",
        "Meerdere hulpverleners nodig; afstemming ontbreekt.",
    ):
        assert _stap(reg, case_id, motivering).status_code == 302
    done = _stap(reg, case_id, "Multiproblematiek vastgesteld in overleg met Frank.")
    assert done.status_code == 302
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        assert case is not None and case.status == AfwegingStatus.MULTIPROBLEMATIEK
        plan = session.get(Plan, case.plan_id)
        assert plan is not None and plan.person_id == world.persons["frank"]
        assert plan.basis == PlanBasis.MULTIPROBLEMATIEK and plan.afweging_id == case_id
        assert not plan.weging_ontbreekt
        plan_id = plan.id
    assert _history(app, plan_id) == [
        "Plan aangemaakt na afweging (multiproblematiek vastgesteld in stap 4, concept)"
    ]
    case_page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert "Het plan is aangemaakt op die basis en gekoppeld aan deze afweging" in case_page
    assert f'href="/plannen/{plan_id}"' in case_page
    plan_page = reg.get(f"/plannen/{plan_id}").get_data(as_text=True)
    assert f'href="/signalen/afweging/{case_id}"' in plan_page
    assert "Weging ontbreekt" not in plan_page


# --- item 2: step 4 for a person who already has a plan --------------------------------------


def _to_step_4(reg: FlaskClient, case_id: int) -> None:
    for motivering in (
        "Schulden en zorg: twee leefgebieden, bevestigd.",
        "Meerdere hulpverleners nodig; afstemming ontbreekt.",
    ):
        assert _stap(reg, case_id, motivering).status_code == 302


def test_step_4_for_a_person_with_a_plan_attaches_it(app: Flask, world: World) -> None:
    # Dirk has plan b (regisseur reg2, basis toestemming) and an open afweging (world).
    case_id, plan_id = world.afwegingen["dirk"], world.plans["b"]
    reg = app.test_client()
    login(reg, "reg1")
    _to_step_4(reg, case_id)
    token = csrf_token(reg, f"/signalen/afweging/{case_id}")
    before = head_seq(app)
    done = reg.post(
        f"/signalen/afweging/{case_id}/stap",
        data={
            "antwoord": "ja",
            "motivering": "Multiproblematiek vastgesteld in het casusoverleg.",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302
    lines = log_lines(app, before)
    dirk = pseudonym(app, BSN["dirk"])
    # One request: the step, its history line and the plan's new basis and link, all about Dirk.
    assert {(r["action"], r["data_subject_id"], r["data_categories"]) for r in lines} == {
        ("create", dirk, "afweging,historie"),
        ("update", dirk, "afweging,plan"),
    }
    page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert "Deze inwoner had al een plan: de afweging is aan dat plan gekoppeld" in page
    assert "de basis is nu multiproblematiek (was: met toestemming)" in page
    # reg1 is not plan b's regisseur: no link to a plan they cannot open.
    assert f'href="/plannen/{plan_id}"' not in page
    assert "Gekoppeld aan het plan van deze inwoner" in page
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        plan = session.get(Plan, plan_id)
        assert case is not None and plan is not None
        assert case.status == AfwegingStatus.MULTIPROBLEMATIEK and case.plan_id == plan_id
        assert plan.afweging_id == case_id and plan.basis == PlanBasis.MULTIPROBLEMATIEK
        assert plan.regisseur_id == world.users["reg2"]  # the plan keeps its regisseur
        assert [s.stap for s in case.stappen] == [1, 2, 3, 4]
    assert _count(app, Plan, Plan.person_id == world.persons["dirk"]) == 1
    assert _count(app, Toestemming, Toestemming.plan_id == plan_id) == 1  # kept, as history
    assert _history(app, plan_id)[-1] == (
        "Afweging (stap 4) gekoppeld aan het plan: basis was met toestemming, nu multiproblematiek "
        "vastgesteld"
    )
    # A second step 4: refused, nothing written.
    steps, before = _count(app, AfwegingStap), head_seq(app)
    again = _stap(reg, case_id, "Nog een keer multiproblematiek vastgesteld.")
    assert again.status_code == 400
    assert "Stap 4 is al vastgelegd" in again.get_data(as_text=True)
    assert _count(app, AfwegingStap) == steps
    assert all(r["action"] == "view" for r in log_lines(app, before))


def test_a_second_step_4_in_the_service_is_refused(app: Flask, world: World) -> None:
    case_id = world.afwegingen["plan_a"]  # completed: step 4 made plan a
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        reg1 = session.get(User, world.users["reg1"])
        assert case is not None and reg1 is not None
        with pytest.raises(SignaalError, match="Stap 4 is al vastgelegd"):
            afwegingskader.besluit(case, 4, True, "Nog eens vastgesteld, dubbel.", actor=reg1)
        session.rollback()


def test_step_4_on_a_closed_afweging_is_refused(app: Flask, world: World) -> None:
    case_id = world.afwegingen["dirk"]
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        reg1 = session.get(User, world.users["reg1"])
        assert case is not None and reg1 is not None
        afwegingskader.sluit_afweging(case, "weigering", "De inwoner wil niet verder.", actor=reg1)
    reg = app.test_client()
    login(reg, "reg1")
    steps = _count(app, AfwegingStap)
    resp = _stap(reg, case_id, "Multiproblematiek vastgesteld toch.")
    # The closed case shows no step form; a forged post is refused and writes nothing.
    assert resp.status_code == 400
    assert "gesloten" in resp.get_data(as_text=True)
    assert _count(app, AfwegingStap) == steps


def test_step_4_for_a_person_with_a_closed_plan_is_refused_whole(app: Flask, world: World) -> None:
    case_id, plan_id = world.afwegingen["dirk"], world.plans["b"]
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        plan = session.get(Plan, plan_id)
        reg2 = session.get(User, world.users["reg2"])
        assert plan is not None and reg2 is not None
        services.close_plan(
            plan, actor=reg2, reason="doelen_bereikt", note=None, expected_version=None
        )
    reg = app.test_client()
    login(reg, "reg1")
    _to_step_4(reg, case_id)
    steps = _count(app, AfwegingStap)
    resp = _stap(reg, case_id, "Multiproblematiek vastgesteld in het overleg.")
    assert resp.status_code == 400
    assert "afgesloten plan" in resp.get_data(as_text=True)
    assert _count(app, AfwegingStap) == steps
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        plan = session.get(Plan, plan_id)
        assert case is not None and case.status == AfwegingStatus.OPEN and case.plan_id is None
        assert plan is not None and plan.basis == PlanBasis.TOESTEMMING


# --- plans from before: "Weging ontbreekt" until step 4 is recorded ----------------------------


def test_weging_ontbreekt_until_step_4_for_that_person(app: Flask, world: World) -> None:
    noord = app.test_client()
    login(noord, "noord1")
    plan_id = world.plans["d"]  # multiproblematiek from before issue 13, no afweging
    assert "Weging ontbreekt" in noord.get(f"/plannen/{plan_id}").get_data(as_text=True)
    assert "Weging ontbreekt" in noord.get("/plannen").get_data(as_text=True)
    reg1 = app.test_client()
    login(reg1, "reg1")
    # reg1's own plan a came from an afweging: no warning there.
    assert "Weging ontbreekt" not in reg1.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    case_id = _open_case(app, world, "gijs")
    _to_step_4(reg1, case_id)
    assert _stap(reg1, case_id, "Multiproblematiek vastgesteld, weging nu vastgelegd.").status_code
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        plan = session.get(Plan, plan_id)
        assert plan is not None and plan.afweging_id == case_id
        assert plan.basis == PlanBasis.MULTIPROBLEMATIEK and not plan.weging_ontbreekt
    assert _history(app, plan_id)[-1] == (
        "Afweging (stap 4) gekoppeld aan het plan: de weging ontbrak, nu vastgelegd"
    )
    page = noord.get(f"/plannen/{plan_id}").get_data(as_text=True)
    assert "Weging ontbreekt" not in page
    assert f'href="/signalen/afweging/{case_id}"' in page  # the plan's regisseur may read it
    assert noord.get(f"/signalen/afweging/{case_id}").status_code == 200
    assert "Weging ontbreekt" not in noord.get("/plannen").get_data(as_text=True)


# --- the citizen's portal ----------------------------------------------------------------------


def test_the_portal_links_plan_and_afweging(app: Flask, world: World) -> None:
    anna = app.test_client()
    login_citizen(app, anna, "anna")
    case_id = world.afwegingen["plan_a"]
    plan_page = anna.get("/mijn/").get_data(as_text=True)
    assert f'href="/mijn/signalen#afweging-{case_id}"' in plan_page
    signalen = anna.get("/mijn/signalen").get_data(as_text=True)
    assert f'id="afweging-{case_id}"' in signalen
    assert "Deze afweging hoort bij uw plan" in signalen
    assert 'href="/mijn/"' in signalen


# --- migration 0010 ------------------------------------------------------------------------------


def _insert(conn: Any, table: sa.Table, **values: Any) -> int:
    """A row with the given values; every other required column gets a plain value."""
    row = dict(values)
    for col in table.columns:
        if col.name in row or col.nullable or col.primary_key or col.server_default is not None:
            continue
        t = col.type
        if isinstance(t, sa.Boolean):
            row[col.name] = False
        elif isinstance(t, sa.Integer):
            row[col.name] = 1
        elif isinstance(t, sa.DateTime):
            row[col.name] = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        elif isinstance(t, sa.Date):
            row[col.name] = dt.date(1980, 1, 1)
        elif isinstance(t, sa.JSON):
            row[col.name] = []
        else:
            row[col.name] = "x"
    return int(conn.execute(sa.insert(table).values(**row).returning(table.c.id)).scalar_one())


def test_migration_links_old_plans_and_marks_the_rest(
    backend: str, _tmp_root: Path, templates: Any
) -> None:
    cleanup = None
    if backend == "sqlite":
        url = f"sqlite:///{_tmp_root / 'migration-0010.sqlite3'}"
    else:
        cleanup = scratch_database("eenplan_m0010")
        url = _pg_url(cleanup)
    app = create_app(base_config(_tmp_root, url))
    migrate.upgrade(app, "0009_organisatievragen")
    with app.app_context(), get_database().engine.begin() as conn:
        md = sa.MetaData()
        md.reflect(conn, only=["organisation", "user", "person", "plan", "afweging"])
        t = md.tables
        org = _insert(conn, t["organisation"], name="Gemeente", kind="gemeente")
        user = _insert(conn, t["user"], username="r", name="R", organisation_id=org)
        oud = _insert(conn, t["person"], bsn="111222333")
        gewogen = _insert(conn, t["person"], bsn="123456782")
        oud_plan = _insert(
            conn, t["plan"], person_id=oud, basis="multiproblematiek", status="actief",
            gemeente_id=org, regisseur_id=user, created_by_id=user, updated_by_id=user,
            mandaat_id=None,
        )  # fmt: skip
        gewogen_plan = _insert(
            conn, t["plan"], person_id=gewogen, basis="multiproblematiek", status="actief",
            gemeente_id=org, regisseur_id=user, created_by_id=user, updated_by_id=user,
            mandaat_id=None,
        )  # fmt: skip
        case = _insert(
            conn, t["afweging"], person_id=gewogen, aanleiding="signalen",
            status="multiproblematiek", regisseur_id=user, plan_id=gewogen_plan,
        )  # fmt: skip
    migrate.upgrade(app)
    with app.app_context(), get_database().engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT id, afweging_id FROM plan")).all())
        bases = set(conn.execute(sa.text("SELECT basis FROM plan")).scalars())
    assert rows == {oud_plan: None, gewogen_plan: case}
    assert bases == {"multiproblematiek"}  # never re-labelled
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        plans = {p.id: p for p in session.scalars(select(Plan))}
        assert plans[oud_plan].weging_ontbreekt and not plans[gewogen_plan].weging_ontbreekt
        session.rollback()
    app.extensions["eenplan_db"].engine.dispose()
    if cleanup:
        drop_database(cleanup)


def test_statuses_in_the_world(app: Flask, world: World) -> None:
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek"):
        plans = {p.id: p for p in session.scalars(select(Plan))}
        a, d = plans[world.plans["a"]], plans[world.plans["d"]]
        assert a.afweging_id == world.afwegingen["plan_a"] and a.status == PlanStatus.ACTIEF
        assert d.weging_ontbreekt
        session.rollback()


def test_the_api_says_whether_the_weighing_is_missing(client: FlaskClient, world: World) -> None:
    def get(user: str, plan: str) -> Any:
        resp = client.get(
            f"/api/v1/plannen/{world.plans[plan]}",
            headers={"Authorization": f"Bearer {world.tokens[user]}"},
        )
        assert resp.status_code == 200
        return resp.get_json()

    assert get("noord1", "d")["wegingOntbreekt"] is True
    assert get("reg1", "a")["wegingOntbreekt"] is False
    assert get("reg2", "b")["wegingOntbreekt"] is False  # toestemming: nothing to weigh
