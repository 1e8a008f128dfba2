"""Gezinslinks by everyone rule 2 names (issue 16, item 4): a hulpverlener involved in the plan
lays and breaks links (before: 403), through the form and the API; the history names them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.correcties.models import Correctiebesluit
from app.db import session
from app.plans.models import Gezinslink, PlanComment, PlanGebeurtenis
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


def _propose(app: Flask, oidc_provider: Any, text: str) -> tuple[Any, int]:
    anna = as_citizen(app, oidc_provider, "anna")
    page = anna.get("/mijn/").get_data(as_text=True)
    resp = anna.post(
        "/mijn/reacties",
        data={"soort": "gezinslinkvoorstel", "body": text, "csrf_token": form_token(page)},
    )
    assert resp.status_code == 302
    with app.app_context():
        voorstel = session.scalars(
            select(PlanComment).where(PlanComment.soort == "gezinslinkvoorstel")
        ).one()
        return anna, voorstel.id


def test_the_regisseur_confirms_a_members_proposal_and_the_history_names_the_member(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    plan = world.plans["a"]
    anna, voorstel = _propose(portaal_app, oidc_provider, "Mijn vader Xander woont bij ons.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    detail = staff.get(f"/plannen/{plan}").get_data(as_text=True)
    url = f"/plannen/{plan}/gezinslinks/nieuw?voorstel={voorstel}"
    assert url.replace("&", "&amp;") in detail
    page = staff.get(url).get_data(as_text=True)
    assert 'id="voorstel"' in page and "Mijn vader Xander woont bij ons." in page
    # Bad input keeps the proposal and the input.
    bad = staff.post(
        url,
        data={
            "voorstel_id": str(voorstel),
            "bsn": BSN["extra"],
            "relatie": "",
            "voornamen": "Xander",
            "csrf_token": form_token(page),
        },
    )
    assert bad.status_code == 422
    assert 'value="Xander"' in bad.get_data(as_text=True)
    resp = staff.post(
        url,
        data={
            "voorstel_id": str(voorstel),
            "bsn": BSN["extra"],
            "relatie": "ouder_van:b",
            "voornamen": "Xander",
            "achternaam": "Extra",
            "geboortedatum": "1950-08-08",
            "csrf_token": form_token(page),
        },
    )
    assert resp.status_code == 302
    with portaal_app.app_context():
        link = session.scalars(select(Gezinslink).order_by(Gezinslink.id.desc())).first()
        assert link is not None and "Anna Aalders (gezinslid)" in link.gelegd_door_naam
        besluit = session.scalars(
            select(Correctiebesluit).where(Correctiebesluit.voorstel_id == voorstel)
        ).one()
        assert besluit.aanvaard
        event = session.scalars(
            select(PlanGebeurtenis.omschrijving)
            .where(PlanGebeurtenis.plan_id == plan, PlanGebeurtenis.soort == "gezinslink")
            .order_by(PlanGebeurtenis.id.desc())
        ).first()
        assert event is not None and "op voorstel van Anna Aalders (gezinslid)" in event
    # Decided: the queue no longer offers it, a second confirmation is refused.
    detail = staff.get(f"/plannen/{plan}").get_data(as_text=True)
    assert 'id="gezinslinkvoorstellen"' not in detail
    assert staff.get(url).status_code == 422
    # The member sees the outcome in the portal.
    mijn = anna.get("/mijn/").get_data(as_text=True)
    assert "Voorstel bevestigd: de gezinslink is aangepast" in mijn


def test_the_regisseur_confirms_breaking_a_link_or_rejects_with_a_reason(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    plan = world.plans["a"]
    anna, voorstel = _propose(portaal_app, oidc_provider, "Bram woont hier niet meer.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    # Rejecting without a reason: refused, named.
    url = f"/plannen/{plan}/correcties/afwijzen?voorstel={voorstel}"
    page = staff.get(url).get_data(as_text=True)
    assert "Voorstel over de gezinslinks afwijzen" in page
    bad = staff.post(url, data={"voorstel_id": str(voorstel), "csrf_token": form_token(page)})
    assert bad.status_code == 422
    assert "Schrijf waarom het voorstel wordt afgewezen." in bad.get_data(as_text=True)
    # Breaking the link with Bram on the proposal.
    link_id = world.links["a_bram"]
    url = f"/plannen/{plan}/gezinslinks/{link_id}/verbreken?voorstel={voorstel}"
    page = staff.get(url).get_data(as_text=True)
    assert "Bram woont hier niet meer." in page
    resp = staff.post(
        url,
        data={"voorstel_id": str(voorstel), "reden": "Verhuisd", "csrf_token": form_token(page)},
    )
    assert resp.status_code == 302
    with portaal_app.app_context():
        link = session.get(Gezinslink, link_id)
        assert link is not None and not link.actief
        assert link.verbroken_door_naam is not None
        assert link.verbroken_door_naam.startswith("Anna Aalders (gezinslid), bevestigd door")
    assert "Voorstel bevestigd" in anna.get("/mijn/").get_data(as_text=True)
    # A second proposal, rejected with a reason: the member reads it.
    _, tweede = _propose_again(portaal_app, anna, "Kees is niet mijn kind.")
    url = f"/plannen/{plan}/correcties/afwijzen?voorstel={tweede}"
    page = staff.get(url).get_data(as_text=True)
    resp = staff.post(
        url,
        data={
            "voorstel_id": str(tweede),
            "reden": "Kees staat in de BRP als uw kind.",
            "csrf_token": form_token(page),
        },
    )
    assert resp.status_code == 302
    mijn = anna.get("/mijn/").get_data(as_text=True)
    assert "Voorstel afgewezen" in mijn and "Kees staat in de BRP als uw kind." in mijn


def _propose_again(app: Flask, anna: Any, text: str) -> tuple[Any, int]:
    page = anna.get("/mijn/").get_data(as_text=True)
    resp = anna.post(
        "/mijn/reacties",
        data={"soort": "gezinslinkvoorstel", "body": text, "csrf_token": form_token(page)},
    )
    assert resp.status_code == 302
    with app.app_context():
        comment = session.scalars(
            select(PlanComment)
            .where(PlanComment.soort == "gezinslinkvoorstel")
            .order_by(PlanComment.id.desc())
        ).first()
        assert comment is not None
        return anna, comment.id


def test_a_hulpverlener_cannot_confirm_a_proposal(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    plan = world.plans["a"]
    _, voorstel = _propose(portaal_app, oidc_provider, "Graag koppelen.")
    staff = portaal_app.test_client()
    login(staff, "hulp_jeugd")
    resp = staff.get(f"/plannen/{plan}/gezinslinks/nieuw?voorstel={voorstel}")
    assert resp.status_code == 422
    assert "Alleen de regisseur bevestigt een voorstel" in resp.get_data(as_text=True)
