"""Issue 16 item 8: an activity only for an organisation involved in the plan. An activity for
GGZ on a plan where GGZ is not involved used to be accepted and then invisible to GGZ. Now the
form refuses it with a named error (input kept), or the regisseur brings GGZ in in the same step
(a checkbox); the API answers 422 problem+json, or brings it in with ``betrekOrganisatie``."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.db import session
from app.plans.models import Activity, Betrokkenheid
from tests.conftest import login
from tests.support.world import World
from tests.test_portaal import form_token

TODAY_FIELDS = {
    "aard": "gesprek",
    "omschrijving": "Intake bij de GGZ",
    "uitvoerder_soort": "organisatie",
    "start_date": "2026-12-01",
    "end_date": "",
    "toelichting": "",
}


def _count(app: Flask, model: type, plan_id: int, org_id: int) -> int:
    with app.app_context():
        return len(
            list(
                session.scalars(
                    select(model.id)  # type: ignore[attr-defined]
                    .where(model.plan_id == plan_id, model.organisation_id == org_id)  # type: ignore[attr-defined]
                    .execution_options(audit_internal=True)
                )
            )
        )


def _post(client: FlaskClient, plan_id: int, **extra: str) -> tuple[int, str]:
    url = f"/plannen/{plan_id}/activiteiten/nieuw"
    page = client.get(url).get_data(as_text=True)
    resp = client.post(url, data={"csrf_token": form_token(page), **TODAY_FIELDS, **extra})
    return resp.status_code, resp.get_data(as_text=True)


def test_form_refuses_an_organisation_that_is_not_involved(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    plan_a, ggz = world.plans["a"], world.orgs["ggz"]
    page = client.get(f"/plannen/{plan_a}/activiteiten/nieuw").get_data(as_text=True)
    assert "GGZ Teststad (niet betrokken)" in page
    assert "Betrek deze organisatie bij het plan" in page
    status, html = _post(client, plan_a, organisation_id=str(ggz))
    assert status == 422
    assert "GGZ Teststad is niet betrokken bij dit plan" in html
    assert 'id="organisation_id-fout"' in html
    assert "Intake bij de GGZ" in html  # input kept
    assert _count(app, Activity, plan_a, ggz) == 0
    assert _count(app, Betrokkenheid, plan_a, ggz) == 0


def test_regisseur_brings_the_organisation_in_in_the_same_step(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    plan_a, ggz = world.plans["a"], world.orgs["ggz"]
    status, _html = _post(client, plan_a, organisation_id=str(ggz), betrekken="y")
    assert status == 302
    assert _count(app, Activity, plan_a, ggz) == 1
    assert _count(app, Betrokkenheid, plan_a, ggz) == 1
    # GGZ now sees the plan and the activity of its own organisation.
    hulp = app.test_client()
    login(hulp, "hulp_ggz")
    assert "Intake bij de GGZ" in hulp.get(f"/plannen/{plan_a}").get_data(as_text=True)
    assert "Intake bij de GGZ" in hulp.get("/activiteiten").get_data(as_text=True)


def test_both_or_neither_when_the_activity_is_refused(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    plan_a, ggz = world.plans["a"], world.orgs["ggz"]
    status, html = _post(
        client, plan_a, organisation_id=str(ggz), betrekken="y", aard="niet-bestaand"
    )
    assert status == 422
    assert _count(app, Betrokkenheid, plan_a, ggz) == 0


def test_api_refuses_with_problem_json_or_brings_in_on_request(app: Flask, world: World) -> None:
    client = app.test_client()
    plan_a, ggz = world.plans["a"], world.orgs["ggz"]
    body = {
        "aard": "gesprek",
        "omschrijving": "Intake bij de GGZ",
        "startdatum": "2026-12-01",
        "uitvoerderSoort": "organisatie",
        "organisatieId": ggz,
    }
    headers = {"Authorization": f"Bearer {world.tokens['reg1']}"}
    url = f"/api/v1/plannen/{plan_a}/activiteiten"
    refused = client.post(url, json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.content_type.startswith("application/problem+json")
    params = refused.get_json()["invalidParams"]
    assert params[0]["name"] == "organisatieId"
    assert "niet betrokken" in params[0]["reason"]
    assert _count(app, Activity, plan_a, ggz) == 0
    wrong = client.post(url, json={**body, "betrekOrganisatie": "ja"}, headers=headers)
    assert wrong.status_code == 400
    made = client.post(url, json={**body, "betrekOrganisatie": True}, headers=headers)
    assert made.status_code == 201
    assert _count(app, Betrokkenheid, plan_a, ggz) == 1


def test_changing_an_activity_to_an_organisation_not_involved_is_refused(
    app: Flask, world: World
) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['reg1']}"}
    url = f"/api/v1/plannen/{world.plans['a']}/activiteiten/{world.activities['a_jeugd']}"
    version = client.get(url, headers=headers).get_json()["version"]
    resp = client.patch(
        url, json={"organisatieId": world.orgs["ggz"], "version": version}, headers=headers
    )
    assert resp.status_code == 422
    assert resp.get_json()["invalidParams"][0]["name"] == "organisatieId"
    # Editing without changing the organisation stays possible, also after its betrokkenheid
    # ended (plan c's Schuldhulp activity is history; the rule is about new assignments).
    ok = client.patch(
        url, json={"omschrijving": "Nieuwe omschrijving", "version": version}, headers=headers
    )
    assert ok.status_code == 200
