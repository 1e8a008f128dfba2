"""Issue 16 item 3: the teamleider handles the citizen's request for another regisseur (rule 7):
a queue of their organisation's requests, handing the plan over or declining with a reason,
the werklijst badge cleared and the citizen told the outcome; buitenkant only, logged."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import clock
from app.db import session
from app.plans.models import Plan, PlanGebeurtenis
from tests.conftest import head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401

REDEN = "Het klikt niet tussen ons."


def _ask(app: Flask, oidc_provider: Any) -> FlaskClient:
    citizen = as_citizen(app, oidc_provider, "anna")
    token = form_token(citizen.get("/mijn/toegang").get_data(as_text=True))
    resp = citizen.post(
        "/mijn/toegang/andere-regisseur", data={"csrf_token": token, "reden": REDEN}
    )
    assert resp.status_code == 302
    return citizen


def _staff(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    login(client, username)
    return client


def test_the_request_reaches_the_teamleider_and_a_transfer_clears_it(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = _ask(portaal_app, oidc_provider)
    lead = _staff(portaal_app, "teamleider1")
    before = head_seq(portaal_app)
    queue = lead.get("/teamleider/").get_data(as_text=True)
    assert "Anna" in queue and "Regina Eerste" in queue
    assert "Verzoeken om een andere regisseur" in queue  # in the navigation
    # The look is logged: naam and plan (buitenkant), as the teamleider.
    lines = log_lines(portaal_app, before)
    assert [(r["data_subject_id"], r["data_categories"]) for r in lines] == [
        (pseudonym(portaal_app, BSN["anna"]), "naw,plan")
    ]
    assert lines[0]["actor_role"] == "Teamleider"
    url = f"/teamleider/plannen/{world.plans['a']}"
    page = lead.get(url).get_data(as_text=True)
    assert REDEN in page  # the request's reason: what the decision needs
    assert BSN["anna"] not in page
    # Bad input: errors by field, input kept, nothing changed.
    bad = lead.post(
        url,
        data={"csrf_token": form_token(page), "keuze": "overdragen", "reden": "Wijkwissel X"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Kies de nieuwe regisseur." in html
    assert "Wijkwissel X" in html
    # Hand over to Rutger, with a reason.
    ok = lead.post(
        url,
        data={
            "csrf_token": form_token(page),
            "keuze": "overdragen",
            "regisseur_id": str(world.users["reg2"]),
            "reden": "Op verzoek van de inwoner",
        },
    )
    assert ok.status_code == 302
    with portaal_app.app_context():
        plan = session.get(Plan, world.plans["a"])
        assert plan is not None and plan.regisseur_id == world.users["reg2"]
        events = session.scalars(
            select(PlanGebeurtenis.omschrijving).where(PlanGebeurtenis.plan_id == plan.id)
        ).all()
        assert any("Regie overgedragen van Regina Eerste aan Rutger Tweede" in e for e in events)
    assert "Er zijn geen open verzoeken." in lead.get("/teamleider/").get_data(as_text=True)
    # The new regisseur's werklijst has no badge: the request was answered.
    assert "Vraagt om andere regisseur" not in _staff(portaal_app, "reg2").get("/plannen").get_data(
        as_text=True
    )
    # The citizen reads the outcome.
    mine = citizen.get("/mijn/").get_data(as_text=True)
    assert "Uw verzoek om een andere regisseur is toegekend" in mine
    assert "Rutger Tweede" in mine
    # The old regisseur is told on their werklijst (the name loaded with a logged line), and
    # no longer opens the plan.
    old = _staff(portaal_app, "reg1")
    before = head_seq(portaal_app)
    werklijst = old.get("/plannen").get_data(as_text=True)
    assert 'id="overdrachten"' in werklijst
    assert "het plan van Anna Aalders" in werklijst and "over aan Rutger Tweede" in werklijst
    anna_lines = [
        r
        for r in log_lines(portaal_app, before)
        if r["data_subject_id"] == pseudonym(portaal_app, BSN["anna"])
    ]
    assert anna_lines and anna_lines[0]["action"] == "view"
    assert old.get(f"/plannen/{world.plans['a']}").status_code == 404
    assert 'id="overdrachten"' not in _staff(portaal_app, "reg2").get("/plannen").get_data(
        as_text=True
    )


def test_a_declined_request_tells_the_citizen_why_and_clears_the_badge(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = _ask(portaal_app, oidc_provider)
    reg1 = _staff(portaal_app, "reg1")
    assert "Vraagt om andere regisseur" in reg1.get("/plannen").get_data(as_text=True)
    lead = _staff(portaal_app, "teamleider1")
    url = f"/teamleider/plannen/{world.plans['a']}"
    page = lead.get(url).get_data(as_text=True)
    empty = lead.post(url, data={"csrf_token": form_token(page), "keuze": "afwijzen"})
    assert empty.status_code == 422 and "Schrijf de reden." in empty.get_data(as_text=True)
    resp = lead.post(
        url,
        data={
            "csrf_token": form_token(page),
            "keuze": "afwijzen",
            "reden": "Regina blijft; we plannen een gesprek met u beiden.",
        },
    )
    assert resp.status_code == 302
    assert "Vraagt om andere regisseur" not in reg1.get("/plannen").get_data(as_text=True)
    mine = citizen.get("/mijn/").get_data(as_text=True)
    assert "niet toegekend" in mine and "gesprek met u beiden" in mine
    with portaal_app.app_context():
        plan = session.get(Plan, world.plans["a"])
        assert plan is not None and plan.regisseur_id == world.users["reg1"]


def test_a_teamleider_sees_only_their_own_organisations_plans(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    lead = _staff(portaal_app, "teamleider1")
    # Plan d is Regie Noord's: as if it did not exist, and nothing logged.
    before = head_seq(portaal_app)
    assert lead.get(f"/teamleider/plannen/{world.plans['d']}").status_code == 404
    assert log_lines(portaal_app, before) == []
    # The plan itself (content) is not the teamleider's: 403 on the regisseur's pages.
    assert lead.get(f"/plannen/{world.plans['a']}").status_code == 403


def test_beheer_assigns_the_teamleider_role_at_a_municipality_or_mandated_org(
    app: Flask, world: World
) -> None:
    from tests.test_admin import NEW_USER, _beheer, post

    c = _beheer(app)
    new = {**NEW_USER, "username": "tl.jeugd", "roles": ["teamleider"]}
    resp = post(c, "/beheer/gebruikers/nieuw", {**new, "organisation_id": world.orgs["jeugdhulp"]})
    assert resp.status_code == 422 and "mandaat" in resp.get_data(as_text=True)
    assert 'value="tl.jeugd"' in resp.get_data(as_text=True)  # input kept
    resp = post(
        c, "/beheer/gebruikers/nieuw", {**new, "organisation_id": world.orgs["regie_noord"]}
    )
    assert resp.status_code == 201
    assert "Teamleider" in c.get("/beheer/gebruikers").get_data(as_text=True)


# --- issue 16 item 9: the werklijst tells the regisseur what needs them ------------------------


def test_werklijst_flags_sort_and_counts_in_the_navigation(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    import datetime as dt

    from app.plans.models import Activity

    citizen = _ask(portaal_app, oidc_provider)
    token = form_token(citizen.get("/mijn/").get_data(as_text=True))
    resp = citizen.post(
        "/mijn/reacties",
        data={"csrf_token": token, "soort": "correctievoorstel", "body": "Mijn adres klopt niet."},
    )
    assert resp.status_code == 302
    with portaal_app.app_context():
        from app.logboek import unit_of_work

        with unit_of_work(session, "regie-multiproblematiek", name="test.verlopen"):
            a = session.get(Activity, world.activities["a_schuld"])
            assert a is not None
            a.end_date = clock.today() - dt.timedelta(days=2)
            a.afgerond = False
            # Plan a came from the afweging whose dát-informatie question is still open.
            from app.signalen.models import DatInformatieVraag

            afweging_id = session.execute(
                select(DatInformatieVraag.afweging_id).execution_options(audit_internal=True)
            ).scalar_one()
            plan = session.get(Plan, world.plans["a"])
            assert plan is not None
            plan.afweging_id = afweging_id
        session.commit()
    reg1 = _staff(portaal_app, "reg1")
    html = reg1.get("/plannen").get_data(as_text=True)
    for label in (
        "Vraagt om andere regisseur",
        "Correctie voorgesteld",
        "Activiteit over de einddatum",
        "Toestemming ingetrokken",
        "Dát-informatie niet beantwoord",
    ):
        assert label in html
    # Counts in the navigation.
    assert "1 vraagt om andere regisseur" in html and "1 correctie voorgesteld" in html
    # Sorted by a flag: Anna's plan (a) first, even if plan e was changed later.
    sorted_html = reg1.get("/plannen?sorteer=ingetrokken").get_data(as_text=True)
    assert sorted_html.index("Ilse") < sorted_html.index("Anna")
    sorted_html = reg1.get("/plannen?sorteer=correctie").get_data(as_text=True)
    assert sorted_html.index("Anna") < sorted_html.index("Ilse")
    # Other regisseurs see none of it.
    assert "Correctie voorgesteld" not in _staff(portaal_app, "reg2").get("/plannen").get_data(
        as_text=True
    )
    # Answered, the proposal is no longer open; the request for another regisseur (the same
    # kind of condition, in the same statement) still is.
    from app.plans.models import PlanComment

    with portaal_app.app_context():
        asked_id = session.scalars(
            select(PlanComment.id).where(PlanComment.body == "Mijn adres klopt niet.")
        ).one()
    page = reg1.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    resp = reg1.post(
        f"/plannen/{world.plans['a']}/opmerkingen",
        data={"csrf_token": form_token(page), "reply_to": asked_id, "body": "Ik pas het aan."},
    )
    assert resp.status_code == 302
    html = reg1.get("/plannen").get_data(as_text=True)
    # (The labels stay in the sort choices; the navigation counts what is open.)
    assert "1 correctie voorgesteld" not in html and "1 vraagt om andere regisseur" in html
