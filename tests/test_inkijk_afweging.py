"""Inkijk within a signal investigation (issue 13 item 4; SPEC rule 14, Startnotitie §3.2):
the afweging as a purpose — buitenkant only at steps 2–3 of an open case the user weighs, no
doorprikken before step 4, every look logged with the afweging as its object."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN

REDEN = "Nodig om te zien of er een integrale aanpak nodig is."


def _url(world: Any, person: str = "dirk", suffix: str = "") -> str:
    return f"/inkijk/afweging/{world.afwegingen['dirk']}/personen/{world.persons[person]}{suffix}"


def _step(client: FlaskClient, world: Any, antwoord: str, motivering: str) -> None:
    path = f"/signalen/afweging/{world.afwegingen['dirk']}"
    resp = client.post(
        f"{path}/stap",
        data={
            "csrf_token": csrf_token(client, path),
            "antwoord": antwoord,
            "motivering": motivering,
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)


def test_the_team_looks_into_the_buitenkant_at_step_2_logged_with_the_afweging(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    login(client, "reg2")  # the signal team weighs together: not only who opened the case
    before = head_seq(app)
    resp = client.get(_url(world))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "de afweging van een signaal" in body and "stap 2" in body
    assert "Bekend bij" in body and "€" not in body and "Totale schuld" not in body
    # No drill-down and no copying within a weighing.
    assert "/doorprikken/" not in body and "Overnemen in het plan" not in body
    rows = log_lines(app, before)
    assert len(rows) == 1
    (line,) = rows
    assert line["data_subject_id"] == pseudonym(app, BSN["dirk"])
    assert line["processing_activity_id"] == "inkijk-basisgegevens"
    assert line["object_type"] == "afweging"
    assert line["object_id"] == str(world.afwegingen["dirk"])
    assert {"naw", "inkomen", "schulden"} <= set(line["data_categories"].split(","))


def test_only_the_person_and_their_household(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "reg1")
    assert client.get(_url(world, "frank")).status_code == 200  # Dirk's household (gezinslink)
    overzicht = client.get(f"/inkijk/afweging/{world.afwegingen['dirk']}")
    assert overzicht.status_code == 200
    assert "Dirk Dekker" in overzicht.get_data(as_text=True)
    before = head_seq(app)
    assert client.get(_url(world, "anna")).status_code == 404
    assert log_lines(app, before) == []


def test_no_doorprikken_before_step_4(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "reg1")
    path = _url(world, suffix="/doorprikken/schulden")
    token = csrf_token(client, _url(world))
    before = head_seq(app)
    page = client.get(path)
    assert page.status_code == 403
    assert "pas bekijken als er een plan is" in page.get_data(as_text=True)
    posted = client.post(path, data={"csrf_token": token, "reden": REDEN})
    assert posted.status_code == 403
    assert "Totale schuld" not in posted.get_data(as_text=True)
    assert log_lines(app, before) == []


def test_no_inkijk_at_step_4_or_after_the_case_closed(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    login(client, "reg1")
    _step(client, world, "ja", "Schulden en opvoeding: twee leefgebieden.")
    assert client.get(_url(world)).status_code == 200  # step 3: still buitenkant
    page = client.get(f"/signalen/afweging/{world.afwegingen['dirk']}").get_data(as_text=True)
    assert "Inkijk in basisgegevens voor deze afweging" in page
    _step(client, world, "ja", "Een integrale aanpak heeft meerwaarde.")
    before = head_seq(app)
    assert client.get(_url(world)).status_code == 404  # step 4: the weighing is decided
    assert client.get(f"/inkijk/afweging/{world.afwegingen['dirk']}").status_code == 404
    assert log_lines(app, before) == []
    page = client.get(f"/signalen/afweging/{world.afwegingen['dirk']}").get_data(as_text=True)
    assert "Inkijk in basisgegevens voor deze afweging" not in page


def test_a_closed_case_is_no_purpose(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "reg1")
    path = f"/signalen/afweging/{world.afwegingen['dirk']}"
    resp = client.post(
        f"{path}/sluiten",
        data={
            "csrf_token": csrf_token(client, path),
            "reden": "onbereikbaar",
            "motivering": "Drie keer gebeld, geen gehoor.",
        },
    )
    assert resp.status_code == 302
    assert client.get(_url(world)).status_code == 404


def test_outside_the_signal_team_nobody_looks(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "noord1")  # a regisseur, but of a mandated organisation: not the signal team
    assert client.get(_url(world)).status_code == 404
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})
    login(client, "hulp1")
    assert client.get(_url(world)).status_code == 403


def test_the_afweging_page_links_to_the_inkijk(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "reg1")
    page = client.get(f"/signalen/afweging/{world.afwegingen['dirk']}").get_data(as_text=True)
    assert f'href="/inkijk/afweging/{world.afwegingen["dirk"]}"' in page


def test_the_citizen_reads_that_it_was_for_weighing_a_signal(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    from app.inkijk.services import inkijk_voor_burger

    login(client, "reg1")
    client.get(_url(world))
    with app.test_request_context():
        (seen,) = inkijk_voor_burger(world.persons["dirk"], met_bronnen=False).raadplegingen
        assert seen.doel == f"afweging {world.afwegingen['dirk']}"
        assert seen.door == "Regina Eerste" and not seen.doorgeprikt


def test_the_citizens_logboek_names_the_afweging(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    from app.portaal.views.logboek import _regel_html
    from audit import LineFilter, Subject

    login(client, "reg1")
    before = head_seq(app)
    client.get(_url(world))
    with app.test_request_context():
        from app.db import session

        logboek = app.extensions["eenplan_logboek"]
        (line,) = [
            ln
            for ln in logboek.lines_for_subject(
                session.connection(),
                Subject("BSN", BSN["dirk"]),
                limit=5,
                filters=LineFilter(processing_activity_id="inkijk-basisgegevens"),
            )
            if ln.seq > before
        ]
        html = _regel_html(line)
    assert (
        f"Om een signaal over u zorgvuldig te wegen (afweging {world.afwegingen['dirk']})" in html
    )
