"""Mijn Eenplan: "Wie heeft mijn gegevens gezien" and "Met wie is wat uitgewisseld" — filters,
deferred lines appearing once their date passes — and the live stream (Server-Sent Events,
PostgreSQL LISTEN/NOTIFY or the in-process broker) with its polling fallback."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Flask

from app import clock
from app.db import session
from app.logboek import unit_of_work
from audit import Actor, Entry, Subject, TraceContext
from tests.conftest import head_seq, log_lines, login
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401 - the fixture


def write_line(app: Flask, key: str, **fields: Any) -> int:
    with app.app_context():
        lb = app.extensions["eenplan_logboek"]
        values: dict[str, Any] = {
            "kind": "inzage",
            "action": "view",
            "name": "plan.bekijken",
            "actor": Actor("medewerker", "999", "Olga Onderzoek", "Regisseur", "Veilig Thuis"),
            "subjects": (Subject("BSN", BSN[key]),),
            "processing_activity": "regie-multiproblematiek",
            "data_categories": ("plan",),
            "trace": TraceContext.new(),
        }
        values.update(fields)
        # Through a unit of work, as the application writes: its commit tells the live pages.
        uow = unit_of_work(session, "regie-multiproblematiek", actor=values["actor"])
        with uow as ledger:
            ledger.record(Entry(**values))
        lines = [
            line
            for line in uow.lines
            if line.data_subject_id == lb.pseudonymise(Subject("BSN", BSN[key]))
        ]
        return int(lines[0].seq)


def test_log_page_shows_who_what_why_and_the_filters_work(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    assert staff.get(f"/plannen/{world.plans['a']}").status_code == 200
    before = head_seq(portaal_app)
    page = client.get("/mijn/logboek")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert log_lines(portaal_app, before) == []  # reading one's own lines: no line
    assert "Regina Eerste" in html and "regisseur bij Gemeente Teststad" in html
    assert "Gerda GGZ" in html  # the world's line: GGZ looked (a line the privacy officer checks)
    assert "Naam, adres en geboortedatum" in html  # categories in words
    assert "samenhangend helpen" in html  # the purpose from the register
    assert "Uitvoering van een wettelijke taak van de gemeente" in html
    assert "AVG art. 6" not in html  # the legal basis in plain words
    assert "Rutger" not in html and BSN["anna"] not in html and "Dirk" not in html
    assert 'data-live="/mijn/logboek/live"' in html
    # Filter by organisation, by kind and by period.
    ggz = client.get("/mijn/logboek?organisatie=GGZ+Teststad").get_data(as_text=True)
    assert "Gerda GGZ" in ggz and "Regina Eerste" not in ggz and "data-live" not in ggz
    gezien = client.get("/mijn/logboek?soort=uitgewisseld").get_data(as_text=True)
    assert "van Gemeente Teststad naar Schuldhulp Teststad" in gezien and "Gerda" not in gezien
    tomorrow = clock.today() + dt.timedelta(days=1)
    later = client.get(f"/mijn/logboek?van={tomorrow.isoformat()}").get_data(as_text=True)
    assert "Gerda" not in later and "geen regels die bij uw filter passen" in later
    bad = client.get(f"/mijn/logboek?van={tomorrow.isoformat()}&tot=2020-01-01")
    assert bad.status_code == 422 and "ligt voor de datum" in bad.get_data(as_text=True)
    assert 'value="2020-01-01"' in bad.get_data(as_text=True)  # what was typed stays


def test_exchanges_page_lists_only_exchanges(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    html = client.get("/mijn/uitwisselingen").get_data(as_text=True)
    assert "van Gemeente Teststad naar Schuldhulp Teststad" in html
    assert "Gerda GGZ" not in html


def test_deferred_line_appears_once_its_date_passes_with_a_note(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    seq = write_line(
        portaal_app,
        "anna",
        disclose_after=clock.today() + dt.timedelta(days=10),
        deferral_reason="Onderzoek in een gedwongen kader liep nog.",
    )
    client = as_citizen(portaal_app, oidc_provider, "anna")
    assert f'id="regel-{seq}"' not in client.get("/mijn/logboek").get_data(as_text=True)
    assert client.get("/mijn/logboek/nieuw?na=0").get_json()["regels"][0]["seq"] != seq
    clock.set_offset(dt.timedelta(days=11))
    try:
        client = as_citizen(portaal_app, oidc_provider, "anna")  # a new login, 11 days later
        html = client.get("/mijn/logboek").get_data(as_text=True)
    finally:
        clock.set_offset(dt.timedelta(0))
    assert f'id="regel-{seq}"' in html and "Olga Onderzoek" in html
    assert "later dan het gebeurde" in html and "gedwongen kader liep nog" in html


def test_other_peoples_lines_never_show(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    write_line(portaal_app, "dirk", reason="Geheim over Dirk")
    client = as_citizen(portaal_app, oidc_provider, "anna")
    html = client.get("/mijn/logboek").get_data(as_text=True)
    polled = json.dumps(client.get("/mijn/logboek/nieuw?na=0").get_json())
    for text in (html, polled):
        assert "Geheim over Dirk" not in text and "Waarneming" not in text


# --- live -------------------------------------------------------------------------------------


# The stream itself, served as in production: tests/test_portaal_live.py.


def test_polling_fallback_returns_new_lines(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    start = citizen.get("/mijn/logboek/nieuw?na=0").get_json()["laatste"]
    staff = portaal_app.test_client()
    login(staff, "reg1")
    staff.get(f"/plannen/{world.plans['a']}")
    body = citizen.get(f"/mijn/logboek/nieuw?na={start}").get_json()
    assert body["laatste"] > start and len(body["regels"]) == 1
    assert "Regina Eerste" in body["regels"][0]["html"]
