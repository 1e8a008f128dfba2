"""Inkijk: doelbinding, buitenkant first, doorprikken with a reason, copying a fact, the cache,
the synthetic source and the Haal Centraal BRP adapter against a real local HTTP server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.clock import today
from app.db import session
from app.inkijk.bronnen import (
    BUITENKANT,
    DETAIL,
    BronAntwoord,
    BronNietBeschikbaar,
    Feit,
    InkijkBronnen,
    parse_bronnen,
)
from app.inkijk.haalcentraal import BUITENKANT_FIELDS, HaalCentraalBRP
from app.inkijk.synthetisch import SynthetischeBron
from tests.conftest import (
    base_config,
    csrf_token,
    get_database_engine,
    head_seq,
    log_lines,
    login,
    pseudonym,
)
from tests.support.haalcentraal_server import API_KEY, HaalCentraalServer
from tests.support.world import BSN

REDEN = "Nodig om de betalingsregeling in het plan af te spreken."


def _person_url(world: Any, person: str, suffix: str = "", plan: str = "a") -> str:
    return f"/inkijk/plan/{world.plans[plan]}/personen/{world.persons[person]}{suffix}"


def _lines_about(app: Flask, rows: list[dict[str, Any]], person: str) -> list[dict[str, Any]]:
    p = pseudonym(app, BSN[person])
    return [r for r in rows if r["data_subject_id"] == p]


# --- doelbinding ------------------------------------------------------------------------------


def test_only_the_plans_regisseur_and_only_people_of_the_plan(app, client, world) -> None:
    login(client, "reg1")
    assert client.get(_person_url(world, "anna")).status_code == 200
    assert client.get(_person_url(world, "kees")).status_code == 200  # household member
    # Dirk is not in plan a's household: no inkijk under this purpose.
    before = head_seq(app)
    assert client.get(_person_url(world, "dirk")).status_code == 404
    assert client.get(_person_url(world, "dirk", plan="b")).status_code == 404  # not reg1's plan
    assert client.get(f"/inkijk/onbekend/{world.plans['a']}").status_code == 404  # no such purpose
    assert log_lines(app, before) == []
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})
    login(client, "hulp1")
    assert client.get(_person_url(world, "anna")).status_code == 403


def test_no_inkijk_in_a_closed_plan(app, client, world) -> None:
    login(client, "reg1")
    path = f"/plannen/{world.plans['a']}/afsluiten"
    client.post(path, data={"csrf_token": csrf_token(client, path), "reden": "doelen_bereikt"})
    assert client.get(_person_url(world, "anna")).status_code == 404
    assert "Inkijk in basisgegevens" not in client.get(f"/plannen/{world.plans['a']}").get_data(
        as_text=True
    )


# --- buitenkant and doorprikken -------------------------------------------------------------


def test_buitenkant_shows_that_not_how_much_and_logs_the_categories(app, client, world) -> None:
    login(client, "reg1")
    before = head_seq(app)
    body = client.get(_person_url(world, "anna")).get_data(as_text=True)
    start = (today() - dt.timedelta(days=20)).replace(day=1)
    # Consistent with the plan: Schuldhulp's activity started 20 days ago.
    assert "Bekend bij schuldhulpverlening sinds" in body and "traject actief" in body
    assert "€" not in body and "Totale schuld" not in body
    rows = log_lines(app, before)
    assert len(rows) == 1
    line = rows[0]
    assert line["processing_activity_id"] == "inkijk-basisgegevens"
    assert line["object_type"] == "plan" and line["object_id"] == str(world.plans["a"])
    assert set(line["data_categories"].split(",")) == {
        "naw",
        "gezin",
        "inkomen",
        "schulden",
        "onderwijs",
        "zorg",
    }
    assert line["reason"] is None
    assert start.year <= today().year


def test_doorprikken_needs_a_reason_that_goes_on_the_line(app, client, world) -> None:
    login(client, "reg1")
    path = _person_url(world, "anna", "/doorprikken/schulden")
    token = csrf_token(client, path)
    before = head_seq(app)
    short = client.post(path, data={"csrf_token": token, "reden": "nodig"})
    text = short.get_data(as_text=True)
    assert short.status_code == 422
    assert (
        "Totale schuld" not in text and 'value="nodig"' not in text and "nodig</textarea>" in text
    )
    rows = log_lines(app, before)
    assert [set(r["data_categories"].split(",")) for r in rows] == [{"naw"}]  # no detail shown
    before = head_seq(app)
    ok = client.post(path, data={"csrf_token": token, "reden": REDEN})
    assert ok.status_code == 200
    assert "Totale schuld" in ok.get_data(as_text=True)
    rows = log_lines(app, before)
    assert len(rows) == 1
    assert rows[0]["reason"] == REDEN
    assert rows[0]["name"] == "inkijk.doorprikken"
    assert set(rows[0]["data_categories"].split(",")) == {"naw", "schulden"}


def test_doorprikken_in_the_brp_logs_the_household_it_shows(app, client, world) -> None:
    login(client, "reg1")
    path = _person_url(world, "anna", "/doorprikken/brp")
    token = csrf_token(client, path)
    before = head_seq(app)
    resp = client.post(path, data={"csrf_token": token, "reden": REDEN})
    assert "Bram Aalders" in resp.get_data(as_text=True)
    rows = log_lines(app, before)
    for person in ("anna", "bram", "kees"):
        (line,) = _lines_about(app, rows, person)
        assert line["reason"] == REDEN and line["object_id"] == str(world.plans["a"])


def test_the_citizen_sees_the_inkijk_with_its_reason(app, client, world) -> None:
    from app.inkijk.services import inkijk_voor_burger

    login(client, "reg1")
    client.get(_person_url(world, "anna"))
    path = _person_url(world, "anna", "/doorprikken/schulden")
    client.post(path, data={"csrf_token": csrf_token(client, path), "reden": REDEN})
    with app.test_request_context():
        seen = inkijk_voor_burger(world.persons["anna"], met_bronnen=True)
        # Newest first: the drill-down, the page with the reason form, the buitenkant.
        assert [r.doorgeprikt for r in seen.raadplegingen] == [True, False, False]
        drill = seen.raadplegingen[0]
        assert drill.reden == REDEN and drill.door == "Regina Eerste"
        assert drill.organisatie == "Gemeente Teststad" and "schulden" in drill.categorieen
        assert {r.soort.sleutel for r in seen.eigen_gegevens} >= {"brp", "schulden"}
        # Kees was not looked into: nothing to show him.
        assert inkijk_voor_burger(world.persons["kees"], met_bronnen=False).raadplegingen == []


# --- copying a fact into the plan -------------------------------------------------------------


def test_copy_a_fact_records_source_and_date_and_only_the_regisseur_sees_it(
    app, client, world
) -> None:
    login(client, "reg1")
    page = _person_url(world, "anna")
    token = csrf_token(client, page)
    before = head_seq(app)
    resp = client.post(
        _person_url(world, "anna", "/overnemen"),
        data={"csrf_token": token, "bron": "schulden", "sleutel": "schuldhulp"},
    )
    assert resp.status_code == 302
    rows = log_lines(app, before)
    assert [(r["action"], set(r["data_categories"].split(","))) for r in rows] == [
        ("create", {"schulden", "historie"})
    ]
    plan_page = client.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Overgenomen uit basisgegevens" in plan_page
    assert "bron: Schulden en schuldhulp, Synthetische testbron (Eenplan), opgevraagd" in plan_page
    assert "Feit overgenomen uit Schulden en schuldhulp" in plan_page  # in the history
    # The same fact twice is refused.
    again = client.post(
        _person_url(world, "anna", "/overnemen"),
        data={"csrf_token": token, "bron": "schulden", "sleutel": "schuldhulp"},
        follow_redirects=True,
    )
    assert "Dit feit staat al in het plan." in again.get_data(as_text=True)
    # A fact that is not in the source's answer cannot be smuggled in.
    forged = client.post(
        _person_url(world, "anna", "/overnemen"),
        data={"csrf_token": token, "bron": "schulden", "sleutel": "verzonnen"},
        follow_redirects=True,
    )
    assert "staat niet (meer) in het antwoord" in forged.get_data(as_text=True)
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})
    login(client, "hulp1")
    assert "Overgenomen uit basisgegevens" not in client.get(
        f"/plannen/{world.plans['a']}"
    ).get_data(as_text=True)
    with app.test_request_context():
        from app.inkijk.services import inkijk_voor_burger

        (feit,) = inkijk_voor_burger(world.persons["anna"], met_bronnen=False).overgenomen
        assert feit.bron == "schulden" and feit.herkomst.startswith("Synthetische")
        assert feit.overgenomen_door_naam == "Regina Eerste" and feit.bron_datum is not None


# --- the synthetic source ---------------------------------------------------------------------


def test_synthetic_source_is_deterministic_and_fits_age_and_household(app, world) -> None:
    with app.test_request_context():
        for bron in ("inkomen", "schulden", "onderwijs", "leerplicht", "jeugdhulp", "wmo"):
            one = SynthetischeBron(bron).vraag(BSN["bram"], DETAIL)
            two = SynthetischeBron(bron).vraag(BSN["bram"], DETAIL)
            assert one.feiten == two.feiten
        kees = SynthetischeBron("onderwijs").vraag(BSN["kees"], BUITENKANT)
        assert "Ja, " in kees.feiten[0].waarde  # a 12-year-old is at school
        assert SynthetischeBron("leerplicht").vraag(BSN["kees"], BUITENKANT).feit("leerplichtig")
        anna_inkomen = SynthetischeBron("inkomen").vraag(BSN["anna"], BUITENKANT)
        assert anna_inkomen.feit("inkomen") is not None
        kees_inkomen = SynthetischeBron("inkomen").vraag(BSN["kees"], BUITENKANT)
        assert "Minderjarig" in kees_inkomen.feiten[0].waarde
        brp = SynthetischeBron("brp").vraag(BSN["anna"], DETAIL)
        assert set(brp.ook_over) == {BSN["bram"], BSN["kees"]}
        assert brp.feit("naam").waarde == "Anna Aalders"  # type: ignore[union-attr]
        gezin = SynthetischeBron("brp").vraag(BSN["anna"], BUITENKANT).feit("gezin")
        assert gezin is not None and gezin.waarde == "Partner en 1 minderjarig kind"
        unknown = SynthetischeBron("brp").vraag("999999990", BUITENKANT)
        assert not unknown.bekend


def test_synthetic_source_answers_for_every_demo_person(tmp_path) -> None:
    """The demo data set (demo/) gets answers from every source without errors."""
    from app import migrate
    from app.inkijk.bronnen import BRONNEN
    from app.people.models import Person
    from demo import load_demo

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'demo.sqlite3'}"))
    migrate.upgrade(app)
    with app.app_context():
        load_demo(persons=40)
        from sqlalchemy import select

        bsns = list(session.scalars(select(Person.bsn)))
        for bsn in bsns:
            for b in BRONNEN:
                for niveau in (BUITENKANT, DETAIL):
                    answer = SynthetischeBron(b.sleutel).vraag(bsn, niveau)
                    assert answer.feiten, (b.sleutel, niveau)
    get_database_engine(app).dispose()


# --- the cache --------------------------------------------------------------------------------


class _Teller:
    herkomst = "teller"
    partij = None

    def __init__(self) -> None:
        self.calls = 0

    def vraag(self, bsn: str, niveau: str) -> BronAntwoord:
        self.calls += 1
        return BronAntwoord(
            "schulden",
            niveau,
            True,
            (Feit("n", "n", str(self.calls)),),
            "teller",
            dt.datetime.now(dt.UTC),
        )


def test_buitenkant_answers_expire_and_detail_is_never_cached() -> None:
    clock = [0.0]
    teller = _Teller()
    bronnen = InkijkBronnen({"schulden": teller}, cache_seconds=300, timer=lambda: clock[0])
    first, fresh = bronnen.vraag("schulden", BSN["anna"])
    assert fresh and teller.calls == 1
    again, fresh = bronnen.vraag("schulden", BSN["anna"])
    assert not fresh and again is first and teller.calls == 1
    clock[0] = 301.0
    _, fresh = bronnen.vraag("schulden", BSN["anna"])
    assert fresh and teller.calls == 2
    bronnen.vraag("schulden", BSN["anna"], DETAIL)
    bronnen.vraag("schulden", BSN["anna"], DETAIL)
    assert teller.calls == 4


def test_configuration_chooses_the_adapters() -> None:
    assert parse_bronnen("brp=haalcentraal, schulden=uit") == {
        "brp": "haalcentraal",
        "schulden": "uit",
    }
    with pytest.raises(ValueError):
        parse_bronnen("kadaster=haalcentraal")
    with pytest.raises(ValueError):
        InkijkBronnen.from_config(
            {"INKIJK_BRONNEN": "schulden=haalcentraal", "HAALCENTRAAL_BRP_URL": "x"}
        )
    with pytest.raises(ValueError):
        InkijkBronnen.from_config({"INKIJK_BRONNEN": "brp=haalcentraal"})  # no URL
    configured = InkijkBronnen.from_config(
        {
            "INKIJK_BRONNEN": "brp=haalcentraal,wmo=uit",
            "HAALCENTRAAL_BRP_URL": "http://127.0.0.1:9/x",
        }
    )
    assert isinstance(configured.adapters["brp"], HaalCentraalBRP)
    assert "wmo" not in configured.adapters
    assert isinstance(configured.adapters["schulden"], SynthetischeBron)


# --- the Haal Centraal BRP adapter against a real HTTP server --------------------------------


@pytest.fixture
def brp_server() -> Iterator[HaalCentraalServer]:
    with HaalCentraalServer() as server:
        yield server
        assert server.violations == []  # every answer fitted the standard's schema


def test_haalcentraal_request_and_response_shape(brp_server) -> None:
    adapter = HaalCentraalBRP(brp_server.url, api_key=API_KEY)
    answer = adapter.vraag(BSN["anna"], BUITENKANT)
    (request,) = brp_server.requests
    assert request["path"] == "/haalcentraal/api/brp/personen"  # no BSN in the URL
    assert BSN["anna"] not in request["path"]
    body = json.loads(request["body"])
    assert body == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [BSN["anna"]],
        "fields": BUITENKANT_FIELDS,
        "inclusiefOverledenPersonen": True,
    }
    assert request["headers"]["X-API-KEY"] == API_KEY
    assert answer.bekend
    assert answer.feit("adres-sinds").waarde == "maart 2015"  # type: ignore[union-attr]
    assert answer.feit("woonplaats").waarde == "Teststad"  # type: ignore[union-attr]
    assert answer.feit("gezin").waarde == "Partner en 1 minderjarig kind"  # type: ignore[union-attr]
    assert answer.feit("naam") is None and answer.ook_over == ()  # buitenkant: no names
    detail = adapter.vraag(BSN["anna"], DETAIL)
    assert detail.feit("naam").waarde == "Anna Aalders"  # type: ignore[union-attr]
    assert "Teststraat 1, 1234AB Teststad" in detail.feit("adres").waarde  # type: ignore[union-attr]
    assert set(detail.ook_over) == {BSN["bram"], BSN["kees"]}
    assert "burgerservicenummer" in json.loads(brp_server.requests[-1]["body"])["fields"]


def test_haalcentraal_not_found_and_failures(brp_server) -> None:
    adapter = HaalCentraalBRP(brp_server.url, api_key=API_KEY)
    assert not adapter.vraag("999999990", BUITENKANT).bekend  # personen: []
    with pytest.raises(BronNietBeschikbaar):
        HaalCentraalBRP(brp_server.url, api_key="fout").vraag(BSN["anna"], BUITENKANT)  # 401
    brp_server.fail_with = 503
    with pytest.raises(BronNietBeschikbaar):
        adapter.vraag(BSN["anna"], BUITENKANT)
    with pytest.raises(BronNietBeschikbaar):
        HaalCentraalBRP("http://127.0.0.1:9/niets", timeout=1).vraag(BSN["anna"], BUITENKANT)


@pytest.fixture
def hc_app(db_url: str, _tmp_root: Path, brp_server: HaalCentraalServer) -> Iterator[Flask]:
    config = {
        **base_config(_tmp_root, db_url),
        "INKIJK_BRONNEN": "brp=haalcentraal",
        "HAALCENTRAAL_BRP_URL": brp_server.url,
        "HAALCENTRAAL_BRP_API_KEY": API_KEY,
    }
    application = create_app(config)
    yield application
    get_database_engine(application).dispose()


def test_inkijk_through_haalcentraal_logs_the_exchange_once_per_fetch(
    hc_app: Flask, world, brp_server
) -> None:
    client: FlaskClient = hc_app.test_client()
    login(client, "reg1")
    before = head_seq(hc_app)
    body = client.get(_person_url(world, "anna")).get_data(as_text=True)
    assert "BRP via Haal Centraal BRP bevragen" in body and "maart 2015" in body
    rows = log_lines(hc_app, before)
    exchanges = [r for r in rows if r["kind"] == "uitwisseling"]
    assert [
        (r["action"], r["sender"], set(r["data_categories"].split(","))) for r in exchanges
    ] == [("receive", "BRP (Rijksdienst voor Identiteitsgegevens)", {"bsn", "naw", "gezin"})]
    # Within the cache time: shown (and logged) again, but the BRP is not asked again.
    before = head_seq(hc_app)
    client.get(_person_url(world, "anna"))
    rows = log_lines(hc_app, before)
    assert [r["kind"] for r in rows] == ["inzage"]
    assert len(brp_server.requests) == 1
    # Doorprikken asks again (detail is not cached) and logs the household it shows.
    path = _person_url(world, "anna", "/doorprikken/brp")
    token = csrf_token(client, path)
    before = head_seq(hc_app)
    client.post(path, data={"csrf_token": token, "reden": REDEN})
    rows = log_lines(hc_app, before)
    assert {r["data_subject_id"] for r in rows if r["kind"] == "inzage"} == {
        pseudonym(hc_app, BSN[p]) for p in ("anna", "bram", "kees")
    }
    assert len(brp_server.requests) == 2


def test_an_unreachable_brp_shows_nothing_of_it_and_logs_nothing_of_it(
    hc_app: Flask, world, brp_server
) -> None:
    brp_server.fail_with = 503
    client = hc_app.test_client()
    login(client, "reg1")
    before = head_seq(hc_app)
    resp = client.get(_person_url(world, "kees"))
    assert resp.status_code == 200
    assert "Deze bron is nu niet bereikbaar" in resp.get_data(as_text=True)
    (line,) = log_lines(hc_app, before)
    assert "gezin" not in line["data_categories"].split(",")
    assert line["kind"] == "inzage"


def test_a_copied_fact_about_a_household_member_says_whom_it_is_about(app, client, world) -> None:
    login(client, "reg1")
    token = csrf_token(client, _person_url(world, "bram"))
    before = head_seq(app)
    client.post(
        _person_url(world, "bram", "/overnemen"),
        data={"csrf_token": token, "bron": "brp", "sleutel": "woonplaats"},
    )
    rows = log_lines(app, before)
    # The fact is about Bram (NAW); the history entry is in Anna's plan.
    assert {(r["data_subject_id"], r["data_categories"]) for r in rows} == {
        (pseudonym(app, BSN["bram"]), "naw"),
        (pseudonym(app, BSN["anna"]), "historie"),
    }
    page = client.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Bram Aalders — Woonplaats: Teststad" in page
