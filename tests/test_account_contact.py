"""Issue 16 item 2: the regisseur edits their own contact details in Mijn account: validated
(named errors, input kept), every change kept as history (old → new, who, when), and shown
where citizens and hulpverleners see the regisseur."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.account.models import ContactWijziging
from app.db import session
from tests.conftest import login
from tests.support.world import World
from tests.test_portaal import form_token

URL = "/account/contactgegevens"


def test_regisseur_changes_contact_details_with_history(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    assert "Contactgegevens wijzigen" in client.get("/account/").get_data(as_text=True)
    page = client.get(URL)
    assert page.status_code == 200
    token = form_token(page.get_data(as_text=True))
    resp = client.post(
        URL, data={"csrf_token": token, "phone": "+31 20 765 4321", "email": "regina@teststad.nl"}
    )
    assert resp.status_code == 302
    html = client.get(URL).get_data(as_text=True)
    assert 'value="+31 20 765 4321"' in html and 'value="regina@teststad.nl"' in html
    assert "naar +31 20 765 4321" in html and "naar regina@teststad.nl" in html
    with app.app_context():
        rows = list(session.scalars(select(ContactWijziging).order_by(ContactWijziging.id)))
        assert [(r.veld, r.nieuw, r.user_id, r.gewijzigd_door_id) for r in rows] == [
            ("phone", "+31 20 765 4321", world.users["reg1"], world.users["reg1"]),
            ("email", "regina@teststad.nl", world.users["reg1"], world.users["reg1"]),
        ]
    # Where others see the regisseur: the plan page of a hulpverlener on her plan.
    hulp = app.test_client()
    login(hulp, "hulp1")
    assert "regina@teststad.nl" in hulp.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    # Saving the same again changes nothing and writes no history.
    client.post(
        URL, data={"csrf_token": token, "phone": "+31 20 765 4321", "email": "regina@teststad.nl"}
    )
    with app.app_context():
        assert len(list(session.scalars(select(ContactWijziging.id)))) == 2


def test_bad_input_is_named_and_kept(app: Flask, client: FlaskClient) -> None:
    login(client, "reg1")
    token = form_token(client.get(URL).get_data(as_text=True))
    bad = client.post(URL, data={"csrf_token": token, "phone": "bel me maar", "email": "regina@"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Vul een telefoonnummer in met 10 tot 15 cijfers" in html
    assert "Vul een geldig e-mailadres in" in html
    assert 'value="bel me maar"' in html and 'value="regina@"' in html
    empty = client.post(URL, data={"csrf_token": token, "phone": "", "email": ""})
    assert empty.status_code == 422
    assert "Vul een telefoonnummer of e-mailadres in" in empty.get_data(as_text=True)
    with app.app_context():
        assert list(session.scalars(select(ContactWijziging.id))) == []


def test_only_a_regisseur(client: FlaskClient) -> None:
    login(client, "hulp1")
    assert client.get(URL).status_code == 403
