"""Signalen over mij (rule 13): the citizen sees the signals about them and the weighing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.clock import now, today
from app.db import session
from app.signalen.models import Afweging, AfwegingStap, SignaalBron, Vroegsignaal
from app.users.models import User
from tests.conftest import head_seq, log_lines, login
from tests.support.citizens import login_citizen
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401 - fixture


def _signalen_over(app: Flask, world: World, key: str) -> None:
    """A neighbour's melding and a CJIB arrears signal (in a case with one step) about ``key``."""
    with app.app_context():
        reg1 = session.scalars(select(User).where(User.username == "reg1")).one()
        cjib = session.scalars(select(SignaalBron).where(SignaalBron.code == "cjib")).one()
        case = Afweging(
            person_id=world.persons[key],
            aanleiding="signalen",
            status="open",
            regisseur_id=reg1.id,
            geopend_op=now() - dt.timedelta(days=1),
        )
        session.add(case)
        session.flush()
        session.add_all(
            [
                Vroegsignaal(
                    bron_id=None,
                    person_id=world.persons[key],
                    bsn=BSN[key],
                    melder_naam="Nina Naaste",
                    melder_contact="06-12345678",
                    relatie="Buurvrouw",
                    aanleiding="Post stapelt zich op",
                    inhoud="De brievenbus puilt uit met aanmaningen.",
                    categorie="overig",
                    domeinen="financien",
                    signaaldatum=today(),
                    ontvangen_op=now() - dt.timedelta(hours=3),
                ),
                Vroegsignaal(
                    bron_id=cjib.id,
                    bron_referentie=f"CJIB-PORTAAL-{key}",
                    person_id=world.persons[key],
                    bsn=BSN[key],
                    categorie="betalingsachterstand",
                    domeinen="financien",
                    gegevens={"bedrag": "120.00"},
                    signaaldatum=today(),
                    ontvangen_op=now() - dt.timedelta(days=2),
                    afweging_id=case.id,
                ),
                AfwegingStap(
                    afweging=case,
                    stap=1,
                    antwoord=True,
                    motivering="Twee signalen over geldzaken",
                    besloten_door_id=reg1.id,
                    besloten_door_naam=reg1.name,
                    besloten_op=now() - dt.timedelta(hours=20),
                ),
            ]
        )
        session.commit()


def test_citizen_sees_signals_about_them_with_source_status_and_weighing(
    app: Flask, world: World
) -> None:
    _signalen_over(app, world, "anna")
    client = app.test_client()
    login_citizen(app, client, "anna")
    before = head_seq(app)
    resp = client.get("/mijn/signalen")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "De brievenbus puilt uit met aanmaningen." in html
    assert "Buurvrouw" in html and "CJIB" in html
    assert "In behandeling" in html and "Ontvangen, nog niet gewogen" in html
    assert "Twee signalen over geldzaken" in html and "Regina Eerste" in html
    # The melder's name and contact stay out; signals about others (her son Kees, Dirk) too.
    for hidden in ("Nina Naaste", "06-12345678", "geen geld is voor eten", "420"):
        assert hidden not in html
    assert BSN["anna"] not in html
    # Her own data shown to her: no log line.
    assert log_lines(app, before) == []


def test_no_signals_says_so(app: Flask, world: World) -> None:
    client = app.test_client()
    login_citizen(app, client, "anna")
    html = client.get("/mijn/signalen").get_data(as_text=True)
    assert "De gemeente heeft geen signalen over u." in html


def test_staff_cannot_open_the_citizens_signal_page(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "reg1")
    assert client.get("/mijn/signalen").status_code == 403


def test_person_with_only_signals_logs_in_and_sees_them(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    # Frank has no plan and no account; a signal about him lets him log in (rule 13).
    _signalen_over(portaal_app, world, "frank")
    client = as_citizen(portaal_app, oidc_provider, "frank")
    resp = client.get("/mijn/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/mijn/signalen"
    html = client.get("/mijn/signalen").get_data(as_text=True)
    assert "De brievenbus puilt uit met aanmaningen." in html
    assert "Hieruit volgde uw plan" not in html


def test_download_holds_the_signals_and_the_weighing(app: Flask, world: World) -> None:
    import json
    import re

    _signalen_over(app, world, "anna")
    client = app.test_client()
    login_citizen(app, client, "anna")
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    resp = client.post("/mijn/gegevens/download", data={"csrf_token": token.group(1)})
    data = json.loads(resp.get_data(as_text=True))
    assert {(s["bron"], s["status"]) for s in data["signalen"]} == {
        # A private person by relation only; a source system by organisation (rule 4).
        ("Buurvrouw", "Ontvangen, nog niet gewogen"),
        ("CJIB (bronsysteem)", "In behandeling"),
    }
    assert "Nina Naaste" not in resp.get_data(as_text=True)
    assert [st["motivering"] for st in data["afwegingen"][0]["stappen"]] == [
        "Twee signalen over geldzaken"
    ]
