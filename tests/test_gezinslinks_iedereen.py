"""Gezinslinks by everyone rule 2 names (issue 16, item 4): a hulpverlener involved in the plan
lays and breaks links (before: 403), through the form and the API; the history names them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.db import session
from app.plans.models import Gezinslink, PlanGebeurtenis
from tests.conftest import csrf_token, login
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401 - the fixture


def test_an_involved_hulpverlener_lays_and_breaks_a_link(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "hulp_jeugd")
    plan = world.plans["a"]
    detail = client.get(f"/plannen/{plan}").get_data(as_text=True)
    assert f"/plannen/{plan}/gezinslinks/nieuw" in detail
    url = f"/plannen/{plan}/gezinslinks/nieuw"
    assert client.get(url).status_code == 200
    # Bad input: the errors by field, the input kept.
    bad = client.post(
        url,
        data={
            "bsn": BSN["extra"],
            "relatie": "",
            "voornamen": "Xander",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert bad.status_code == 422
    assert 'value="Xander"' in bad.get_data(as_text=True)
    resp = client.post(
        url,
        data={
            "bsn": BSN["extra"],
            "relatie": "ouder_van:a",
            "voornamen": "Xander",
            "achternaam": "Extra",
            "geboortedatum": "2018-08-08",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        link = session.scalars(select(Gezinslink).order_by(Gezinslink.id.desc())).first()
        assert link is not None and link.gelegd_door_naam == "Joost Jeugd"
        link_id = link.id
    url = f"/plannen/{plan}/gezinslinks/{link_id}/verbreken"
    resp = client.post(url, data={"reden": "Vergissing", "csrf_token": csrf_token(client, url)})
    assert resp.status_code == 302
    with app.app_context():
        link = session.get(Gezinslink, link_id)
        assert link is not None and link.verbroken_door_naam == "Joost Jeugd"
        events = session.execute(
            select(PlanGebeurtenis.actor_name, PlanGebeurtenis.omschrijving)
            .where(PlanGebeurtenis.plan_id == plan, PlanGebeurtenis.soort == "gezinslink")
            .order_by(PlanGebeurtenis.id.desc())
            .limit(2)
        ).all()
        assert [e[0] for e in events] == ["Joost Jeugd", "Joost Jeugd"]


def test_a_hulpverlener_not_involved_still_cannot(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "hulp_ggz")  # GGZ is not involved in plan a
    assert client.get(f"/plannen/{world.plans['a']}/gezinslinks/nieuw").status_code == 404


def test_a_household_member_proposes_a_link_and_the_regisseur_sees_the_queue(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    page = anna.get("/mijn/").get_data(as_text=True)
    assert "gezinslinkvoorstel" in page
    text = "Mijn moeder woont sinds mei bij ons; graag koppelen."
    resp = anna.post(
        "/mijn/reacties",
        data={"soort": "gezinslinkvoorstel", "body": text, "csrf_token": form_token(page)},
    )
    assert resp.status_code == 302
    assert "Voorstel over uw huishouden" in anna.get("/mijn/").get_data(as_text=True)
    staff = portaal_app.test_client()
    login(staff, "reg1")
    detail = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert 'id="gezinslinkvoorstellen"' in detail
    assert text in detail and "Anna Aalders" in detail
