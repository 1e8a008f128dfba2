"""Corrections that apply (issue 16 #1): the regisseur edits the person data with history and
optimistic locking, accepts a citizen's correction proposal (applied in one step, linked, a
terugmelding to the BRP logged as an exchange) or rejects it with a reason; the citizen sees it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.correcties.models import Correctiebesluit, Persoonswijziging
from app.db import session
from app.people.models import Person
from app.plans.models import Plan, PlanComment
from app.terugmelding import Melding, TmvAdapter
from app.terugmelding.models import Terugmelding
from tests.conftest import base_config, csrf_token, get_database_engine, head_seq, log_lines, login
from tests.support.citizens import burger_app_config
from tests.support.world import World
from tests.test_portaal import as_citizen, form_token


@pytest.fixture
def portaal_app(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[Flask]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    application = create_app(cfg)
    yield application
    get_database_engine(application).dispose()


def _person_form(html: str) -> dict[str, str]:
    data = {"csrf_token": form_token(html)}
    for name, value in re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', html):
        data.setdefault(name, value)
    return data


def test_regisseur_edits_person_data_with_history_and_locking(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "reg1")
    url = f"/plannen/{world.plans['a']}/persoon"
    page = client.get(url)
    assert page.status_code == 200
    data = _person_form(page.get_data(as_text=True))
    assert data["achternaam"]
    # No reason: refused, input kept.
    bad = client.post(url, data={**data, "telefoon": "0612345678", "reden": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Schrijf waarom de gegevens veranderen." in html
    assert 'value="0612345678"' in html
    # A stale version: conflict, nothing changed.
    stale = client.post(url, data={**data, "version": "0", "telefoon": "0612345678", "reden": "x"})
    assert stale.status_code == 409
    ok = client.post(url, data={**data, "telefoon": "0612345678", "reden": "Nieuw nummer"})
    assert ok.status_code == 302
    with app.app_context():
        person = session.get(Person, world.persons["anna"])
        assert person is not None and person.telefoon == "0612345678"
        w = session.scalars(select(Persoonswijziging)).one()
        assert (w.veld, w.nieuw, w.reden, w.actor_id) == (
            "telefoon",
            "0612345678",
            "Nieuw nummer",
            world.users["reg1"],
        )
        assert session.scalars(select(Terugmelding)).all() == []  # a direct edit: no terugmelding
    assert "Nieuw nummer" in client.get(url).get_data(as_text=True)


def test_other_regisseur_and_hulpverlener_cannot_edit(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "reg2")
    assert client.get(f"/plannen/{world.plans['a']}/persoon").status_code == 404
    other = app.test_client()
    login(other, "hulp1")
    assert other.get(f"/plannen/{world.plans['a']}/persoon").status_code == 403


def _propose(app: Flask, provider: Any, body: str) -> tuple[Any, int]:
    citizen = as_citizen(app, provider, "anna")
    token = form_token(citizen.get("/mijn/").get_data(as_text=True))
    resp = citizen.post(
        "/mijn/reacties", data={"csrf_token": token, "soort": "correctievoorstel", "body": body}
    )
    assert resp.status_code == 302
    with app.app_context():
        c = session.scalars(select(PlanComment).where(PlanComment.body == body)).one()
        return citizen, c.id


def test_accepting_a_brp_correction_applies_it_and_makes_a_terugmelding(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    citizen, voorstel = _propose(portaal_app, oidc_provider, "Mijn straat heet Nieuwe Gracht.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    plan_url = f"/plannen/{world.plans['a']}"
    detail = staff.get(plan_url).get_data(as_text=True)
    assert f"/persoon?voorstel={voorstel}" in detail and f"afwijzen?voorstel={voorstel}" in detail
    page = staff.get(f"{plan_url}/persoon?voorstel={voorstel}")
    assert page.status_code == 200 and "Mijn straat heet Nieuwe Gracht." in page.get_data(
        as_text=True
    )
    data = _person_form(page.get_data(as_text=True))
    assert data["voorstel_id"] == str(voorstel)
    before = head_seq(portaal_app)
    resp = staff.post(f"{plan_url}/persoon", data={**data, "straat": "Nieuwe Gracht", "reden": ""})
    assert resp.status_code == 302
    with portaal_app.app_context():
        person = session.get(Person, world.persons["anna"])
        assert person is not None and person.straat == "Nieuwe Gracht"
        besluit = session.scalars(select(Correctiebesluit)).one()
        assert besluit.voorstel_id == voorstel and besluit.besluit == "aanvaard"
        w = session.scalars(select(Persoonswijziging)).one()
        assert w.voorstel_id == voorstel and w.veld == "straat"
        t = session.scalars(select(Terugmelding)).one()
        assert (t.registratie, t.status, t.besluit_id, t.velden) == (
            "BRP",
            "ontvangen",
            besluit.id,
            "straat",
        )
        assert t.kenmerk and t.kenmerk.startswith("TMV-SYN-")
    sent = [
        line
        for line in log_lines(portaal_app, before)
        if line["action"] == "send" and "Terugmeldvoorziening" in (line["recipient"] or "")
    ]
    assert len(sent) == 1
    assert "bsn" in str(sent[0]["data_categories"]) and "naw" in str(sent[0]["data_categories"])
    # Decided: no second decision.
    again = staff.post(f"{plan_url}/persoon", data={**data, "straat": "X", "reden": "x"})
    assert again.status_code == 422 and "Over dit voorstel is al besloten." in again.get_data(
        as_text=True
    )
    assert "Terugmelding aan de BRP" in staff.get(plan_url).get_data(as_text=True)
    mijn = citizen.get("/mijn/").get_data(as_text=True)
    assert "Verbetering doorgevoerd" in mijn and "Terugmelding aan de BRP" in mijn
    # The exchange is on the citizen's "Met wie is wat uitgewisseld".
    assert "Terugmeldvoorziening (synthetisch)" in citizen.get("/mijn/uitwisselingen").get_data(
        as_text=True
    )


def test_rejecting_needs_a_reason_and_the_citizen_sees_it(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    citizen, voorstel = _propose(portaal_app, oidc_provider, "Mijn naam is fout.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/correcties/afwijzen"
    page = staff.get(f"{url}?voorstel={voorstel}")
    assert page.status_code == 200
    token = form_token(page.get_data(as_text=True))
    bad = staff.post(url, data={"csrf_token": token, "voorstel_id": voorstel, "reden": ""})
    assert bad.status_code == 422
    assert "Schrijf waarom het voorstel wordt afgewezen." in bad.get_data(as_text=True)
    ok = staff.post(
        url,
        data={"csrf_token": token, "voorstel_id": voorstel, "reden": "De BRP klopt hier al."},
    )
    assert ok.status_code == 302
    with portaal_app.app_context():
        b = session.scalars(select(Correctiebesluit)).one()
        assert b.besluit == "afgewezen" and b.reden == "De BRP klopt hier al."
        assert session.scalars(select(Terugmelding)).all() == []
    mijn = citizen.get("/mijn/").get_data(as_text=True)
    assert "Verbetering afgewezen" in mijn and "De BRP klopt hier al." in mijn


def test_a_proposal_of_another_plan_is_refused(app: Flask, world: World) -> None:
    with app.app_context():
        plan_b = session.get(Plan, world.plans["b"])
        assert plan_b is not None
    client = app.test_client()
    login(client, "reg1")
    url = f"/plannen/{world.plans['a']}/correcties/afwijzen"
    token = form_token(client.get(url).get_data(as_text=True))
    bad = client.post(url, data={"csrf_token": token, "voorstel_id": "999999", "reden": "x"})
    assert bad.status_code == 422
    assert "hoort niet bij dit plan" in bad.get_data(as_text=True)


def test_tmv_adapter_posts_json_to_the_configured_endpoint(monkeypatch: Any) -> None:
    import httpx

    seen: dict[str, Any] = {}

    def fake_post(url: str, json: Any, timeout: float) -> httpx.Response:
        seen.update(url=url, json=json)
        return httpx.Response(201, json={"kenmerk": "TMV-123"}, request=httpx.Request("POST", url))

    monkeypatch.setattr(httpx, "post", fake_post)
    antwoord = TmvAdapter("https://tmv.example/terugmeldingen").meld(
        Melding("BRP", "123456782", {"straat": ("Oud", "Nieuw")}, "toelichting", "Gemeente")
    )
    assert antwoord.ontvangen and antwoord.kenmerk == "TMV-123"
    assert seen["json"]["terugmeldingen"] == [
        {"attribuut": "straat", "huidigeWaarde": "Oud", "voorgesteldeWaarde": "Nieuw"}
    ]

    def failing(url: str, json: Any, timeout: float) -> httpx.Response:
        raise httpx.ConnectError("down")

    monkeypatch.setattr(httpx, "post", failing)
    assert not TmvAdapter("https://tmv.example/x").meld(Melding("BRP", "1")).ontvangen


def test_a_failed_terugmelding_is_kept_as_mislukt_and_not_logged_as_sent(
    portaal_app: Flask, oidc_provider: Any, world: World, monkeypatch: Any
) -> None:
    import httpx

    def failing(url: str, json: Any, timeout: float) -> httpx.Response:
        raise httpx.ConnectError("down")

    monkeypatch.setattr(httpx, "post", failing)
    portaal_app.config["TERUGMELDING_URL"] = "https://tmv.example/terugmeldingen"
    citizen, voorstel = _propose(portaal_app, oidc_provider, "Mijn woonplaats is Zaandam.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/persoon"
    data = _person_form(staff.get(f"{url}?voorstel={voorstel}").get_data(as_text=True))
    before = head_seq(portaal_app)
    resp = staff.post(url, data={**data, "woonplaats": "Zaandam", "reden": ""})
    assert resp.status_code == 302
    with portaal_app.app_context():
        t = session.scalars(select(Terugmelding)).one()
        assert (t.adapter, t.status, t.kenmerk) == ("tmv", "mislukt", None)
    assert not [line for line in log_lines(portaal_app, before) if line["action"] == "send"]
    assert "niet verstuurd" in citizen.get("/mijn/").get_data(as_text=True).lower()


def test_a_failed_terugmelding_is_sent_again_when_the_receiver_is_back(
    portaal_app: Flask, oidc_provider: Any, world: World, monkeypatch: Any
) -> None:
    import httpx

    calls: list[dict[str, Any]] = []
    up = {"ok": False}

    def receiver(url: str, json: Any, timeout: float) -> httpx.Response:
        calls.append(json)
        if not up["ok"]:
            raise httpx.ConnectError("down")
        return httpx.Response(201, json={"kenmerk": "TMV-2026-42"})

    monkeypatch.setattr(httpx, "post", receiver)
    portaal_app.config["TERUGMELDING_URL"] = "https://tmv.example/terugmeldingen"
    citizen, voorstel = _propose(portaal_app, oidc_provider, "Mijn woonplaats is Zaandam.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    plan = world.plans["a"]
    url = f"/plannen/{plan}/persoon"
    data = _person_form(staff.get(f"{url}?voorstel={voorstel}").get_data(as_text=True))
    assert staff.post(url, data={**data, "woonplaats": "Zaandam", "reden": ""}).status_code == 302
    with portaal_app.app_context():
        tid = session.scalars(select(Terugmelding)).one().id
    detail = staff.get(f"/plannen/{plan}").get_data(as_text=True)
    retry = f"/plannen/{plan}/terugmeldingen/{tid}/opnieuw"
    assert retry in detail
    # Still down: stays mislukt, counted.
    token = form_token(detail)
    assert staff.post(retry, data={"csrf_token": token}).status_code == 302
    with portaal_app.app_context():
        t = session.get(Terugmelding, tid)
        assert t is not None and (t.status, t.pogingen) == ("mislukt", 2)
    # Back up: received, the same content sent, an exchange logged; no retry offered any more.
    up["ok"] = True
    before = head_seq(portaal_app)
    assert staff.post(retry, data={"csrf_token": token}).status_code == 302
    with portaal_app.app_context():
        t = session.get(Terugmelding, tid)
        assert t is not None and (t.status, t.kenmerk, t.pogingen) == (
            "ontvangen",
            "TMV-2026-42",
            3,
        )
    assert calls[0] == calls[-1]
    assert calls[-1]["terugmeldingen"][0]["voorgesteldeWaarde"] == "Zaandam"
    assert [line for line in log_lines(portaal_app, before) if line["action"] == "send"]
    assert retry not in staff.get(f"/plannen/{plan}").get_data(as_text=True)
    assert "ontvangen door de registratie" in citizen.get("/mijn/").get_data(as_text=True).lower()
    # Again: refused (already received), nothing sent.
    n = len(calls)
    assert staff.post(retry, data={"csrf_token": token}).status_code == 302
    assert len(calls) == n
    # Another plan's regisseur: 404.
    other = portaal_app.test_client()
    login(other, "reg2")
    resp = other.post(retry, data={"csrf_token": csrf_token(other, f"/plannen/{world.plans['b']}")})
    assert resp.status_code == 404


def test_accepting_a_disputed_inkijk_fact_reports_it_to_its_source(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    import datetime as dt

    from sqlalchemy import insert

    from app.inkijk.models import OvergenomenFeit

    with portaal_app.app_context():
        feit_id = session.execute(
            insert(OvergenomenFeit)
            .values(
                plan_id=world.plans["a"],
                person_id=world.persons["anna"],
                bron="schulden",
                bron_naam="Schulden en schuldhulp",
                herkomst="synthetisch",
                categorie="schulden",
                sleutel="schuld",
                label="Openstaande schuld",
                waarde="Ja, bij het CJIB",
                bron_datum=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                overgenomen_op=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                overgenomen_door_naam="Regisseur",
            )
            .returning(OvergenomenFeit.id)
            .execution_options(audit_internal=True)
        ).scalar_one()
        session.commit()
    citizen, voorstel = _propose(portaal_app, oidc_provider, "Die schuld is al betaald.")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/persoon"
    page = staff.get(f"{url}?voorstel={voorstel}").get_data(as_text=True)
    assert "Openstaande schuld: Ja, bij het CJIB" in page
    data = _person_form(page)
    missing = staff.post(url, data={**data, "feit_id": str(feit_id), "reden": ""})
    assert missing.status_code == 422
    assert "Vul de juiste waarde volgens de inwoner in." in missing.get_data(as_text=True)
    before = head_seq(portaal_app)
    ok = staff.post(
        url, data={**data, "feit_id": str(feit_id), "feit_waarde": "Nee, betaald", "reden": ""}
    )
    assert ok.status_code == 302
    with portaal_app.app_context():
        t = session.scalars(select(Terugmelding)).one()
        assert (t.registratie, t.velden, t.status) == (
            "Schulden en schuldhulp",
            "Openstaande schuld",
            "ontvangen",
        )
    sent = [line for line in log_lines(portaal_app, before) if line["action"] == "send"]
    assert len(sent) == 1 and "schulden" in str(sent[0]["data_categories"])
    mijn = citizen.get("/mijn/").get_data(as_text=True)
    assert "Terugmelding aan de Schulden en schuldhulp" in mijn
