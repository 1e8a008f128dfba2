"""The logboek read API: /api/v1/dataverwerkingen (Logboek Dataverwerkingen read extension)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from sqlalchemy import select

from app import clock
from app.api.openapi import document
from app.db import get_database, session
from audit import Actor, Entry, LogboekError, Subject, TraceContext
from tests.conftest import csrf_token, head_seq, log_lines
from tests.support.world import BSN, World

URL = "/api/v1/dataverwerkingen"


def auth(world: World, user: str = "privacy1") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def ldv(resp: Any) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["_embedded"]["dataverwerkingen"]  # type: ignore[no-any-return]


def validate(resp: Any) -> None:
    doc = document()
    schema = doc["components"]["schemas"]["DataverwerkingenPagina"]
    OAS31Validator({**schema, "components": doc["components"]}).validate(resp.get_json())


def reading_lines(app: Flask, before: int) -> list[tuple[str, str, str, str]]:
    """(subject, activity, categories, actor) of the lines written since ``before``."""
    return sorted(
        (r["data_subject_id"], r["processing_activity_id"], r["data_categories"], r["actor_name"])
        for r in log_lines(app, before)
    )


# --- who may ----------------------------------------------------------------------------


def test_privacy_officer_reads_a_trace_and_that_reading_is_logged(app, client, world) -> None:
    before = head_seq(app)
    resp = client.get(f"{URL}?traceId={world.logboek_trace}", headers=auth(world))
    lines = ldv(resp)
    validate(resp)
    seqs = [line["attributes"]["eenplan.seq"] for line in lines]
    assert seqs == sorted(world.logboek_seqs.values(), reverse=True)  # newest first
    emergency = next(
        line
        for line in lines
        if line["attributes"]["eenplan.seq"] == world.logboek_seqs["nood_dirk"]
    )
    assert emergency["attributes"]["eenplan.emergency"] is True
    assert emergency["attributes"]["eenplan.reason"].startswith("Waarneming")
    assert emergency["attributes"]["dpl.core.data_subject_id"] == world.pseudonyms["dirk"]
    assert emergency["attributes"]["eenplan.legal_basis"]  # from the register version
    assert emergency["traceId"].replace("-", "") == world.logboek_trace
    body = resp.get_data(as_text=True)
    assert all(bsn not in body for bsn in BSN.values())
    # One line per person whose lines were shown, under toezicht-logboek, by the officer.
    assert reading_lines(app, before) == sorted(
        [
            (world.pseudonyms["anna"], "toezicht-logboek", "logboek", "Pim Privacy"),
            (world.pseudonyms["dirk"], "toezicht-logboek", "logboek", "Pim Privacy"),
        ]
    )
    rows = log_lines(app, before)
    assert {r["object_type"] for r in rows} == {"logboek"}
    assert {r["name"] for r in rows} == {"api.dataverwerkingen.lezen"}


@pytest.mark.parametrize("user", ["reg1", "hulp1", "melder1", "beheer1"])
def test_other_staff_may_not_read_the_logboek(app, client, world, user: str) -> None:
    before = head_seq(app)
    resp = client.get(f"{URL}?traceId={world.logboek_trace}", headers=auth(world, user))
    assert resp.status_code == 403 and resp.mimetype == "application/problem+json"
    assert log_lines(app, before) == []


def test_without_a_token_401(client, world) -> None:
    resp = client.get(f"{URL}?traceId={world.logboek_trace}")
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"


# --- parameters -------------------------------------------------------------------------


def test_no_filter_is_a_400_problem(client, world) -> None:
    resp = client.get(URL, headers=auth(world))
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
    names = {p["name"] for p in resp.get_json()["invalidParams"]}
    assert names == {"dataSubjectId", "traceId", "processingActivityId"}


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        (f"dataSubjectId={BSN['anna']}", "dataSubjectId", "BSN hoort niet in een URL"),
        ("dataSubjectId=abc", "dataSubjectId", "pseudoniem"),
        ("traceId=xyz", "traceId", "trace-id"),
        ("processingActivityId=DROP%20TABLE", "processingActivityId", "register"),
        ("traceId=" + "a" * 32 + "&pageSize=101", "pageSize", "100"),
        ("traceId=" + "a" * 32 + "&pageSize=0", "pageSize", "100"),
        ("traceId=" + "a" * 32 + "&cursor=abc", "cursor", "cursor"),
    ],
)
def test_bad_parameters(client, world, query: str, field: str, reason: str) -> None:
    resp = client.get(f"{URL}?{query}", headers=auth(world))
    assert resp.status_code == 400, resp.get_data(as_text=True)
    params = resp.get_json()["invalidParams"]
    assert [p["name"] for p in params] == [field]
    assert reason in params[0]["reason"]


def _write(app: Flask, n: int, bsn: str, **extra: Any) -> list[int]:
    logboek = app.extensions["eenplan_logboek"]
    actor = Actor("medewerker", "1", "Regina Eerste", "Regisseur", "Gemeente Teststad")
    with app.app_context(), get_database().engine.begin() as conn:
        lines = logboek.record(
            conn,
            [
                Entry(
                    kind="inzage",
                    action="view",
                    name="plan.bekijken",
                    actor=actor,
                    subjects=(Subject("BSN", bsn),),
                    processing_activity="regie-multiproblematiek",
                    data_categories=("naw",),
                    trace=TraceContext.new(),
                    **extra,
                )
                for _ in range(n)
            ],
        )
    return [line.seq for line in lines]


def test_pages_by_cursor_with_a_maximum(app, client, world) -> None:
    seqs = _write(app, 5, BSN["kees"])
    kees = world.pseudonyms["kees"]
    got: list[int] = []
    url = f"{URL}?dataSubjectId={kees}&pageSize=2"
    pages = 0
    while url:
        resp = client.get(url, headers=auth(world))
        validate(resp)
        body = resp.get_json()
        got += [line["attributes"]["eenplan.seq"] for line in body["_embedded"]["dataverwerkingen"]]
        assert len(body["_embedded"]["dataverwerkingen"]) <= 2
        url = body["_links"].get("next", {}).get("href")
        assert "nextCursor" not in body  # one paging style: _links
        pages += 1
    assert got == sorted(seqs, reverse=True) and pages == 3
    # The search by BSN pages the same way: the same body again to _links.next.
    got, url = [], f"{URL}/_zoek?pageSize=2"
    while url:
        body = client.post(url, json={"bsn": BSN["kees"]}, headers=auth(world)).get_json()
        got += [line["attributes"]["eenplan.seq"] for line in body["_embedded"]["dataverwerkingen"]]
        url = body["_links"].get("next", {}).get("href")
    # (the earlier reading is itself logged about kees: those lines come first)
    assert [seq for seq in got if seq in seqs] == sorted(seqs, reverse=True)


def test_by_processing_activity(app, client, world) -> None:
    resp = client.get(
        f"{URL}?processingActivityId=regie-multiproblematiek&pageSize=100", headers=auth(world)
    )
    lines = ldv(resp)
    assert lines and all(
        line["attributes"]["dpl.core.processing_activity_id"].endswith(
            "/api/verwerkingsregister/v1/verwerkingsactiviteiten/regie-multiproblematiek"
        )
        and line["attributes"]["eenplan.processing_activity"] == "regie-multiproblematiek"
        for line in lines
    )
    assert ldv(client.get(f"{URL}?processingActivityId=bestaat-niet", headers=auth(world))) == []
    # The URI as a record names it works too.
    uri = lines[0]["attributes"]["dpl.core.processing_activity_id"]
    by_uri = ldv(
        client.get(
            URL, query_string={"processingActivityId": uri, "pageSize": 100}, headers=auth(world)
        )
    )
    assert by_uri and {x["attributes"]["dpl.core.processing_activity_id"] for x in by_uri} == {uri}


def test_search_by_bsn_in_the_body(app, client, world) -> None:
    before = head_seq(app)
    resp = client.post(f"{URL}/_zoek", json={"bsn": BSN["dirk"]}, headers=auth(world))
    lines = ldv(resp)
    validate(resp)
    assert [line["attributes"]["eenplan.seq"] for line in lines] == [
        world.logboek_seqs["nood_dirk"]
    ]
    assert reading_lines(app, before) == [
        (world.pseudonyms["dirk"], "toezicht-logboek", "logboek", "Pim Privacy")
    ]
    bad = client.post(f"{URL}/_zoek", json={"bsn": "123456789"}, headers=auth(world))
    assert bad.status_code == 400 and bad.get_json()["invalidParams"][0]["name"] == "bsn"
    form = client.post(f"{URL}/_zoek", data={"bsn": BSN["dirk"]}, headers=auth(world))
    assert form.status_code == 415


def test_a_failing_log_write_returns_no_lines(app, client, world, monkeypatch) -> None:
    logboek = app.extensions["eenplan_logboek"]

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise LogboekError("schijf vol")

    monkeypatch.setattr(logboek, "record", fail)
    resp = client.get(f"{URL}?traceId={world.logboek_trace}", headers=auth(world))
    assert resp.status_code == 500 and resp.mimetype == "application/problem+json"
    body = resp.get_data(as_text=True)
    assert world.pseudonyms["anna"] not in body and "Waarneming" not in body


# --- the citizen --------------------------------------------------------------------------


def citizen_client(app: Flask, world: World, person: str = "anna") -> FlaskClient:
    """A logged-in citizen. The DigiD login arrives with the portal; until then a test route
    logs the citizen in the way that login will (Flask-Login, a server-side session)."""
    from app.users.models import User
    from tests.support.citizens import login_citizen

    with app.app_context():
        existing = session.scalars(
            select(User).where(User.person_id == world.persons[person])
        ).first()
        if existing is None:
            existing = User(
                username=f"burger-{person}", name=person, person_id=world.persons[person]
            )
            session.add(existing)
            session.commit()
        username = existing.username
    client = app.test_client()
    login_citizen(app, client, username)
    return client


def test_citizen_reads_only_own_lines_and_deferred_ones_after_their_date(app, world) -> None:
    deferred = _write(
        app,
        1,
        BSN["anna"],
        disclose_after=clock.today() + dt.timedelta(days=30),
        deferral_reason="Lopend onderzoek (gedwongen kader)",
    )[0]
    disclosed = _write(
        app,
        1,
        BSN["anna"],
        disclose_after=clock.today() - dt.timedelta(days=1),
        deferral_reason="Was uitgesteld",
    )[0]
    client = citizen_client(app, world)
    before = head_seq(app)
    own = ldv(client.get(f"{URL}?dataSubjectId={world.pseudonyms['anna']}"))
    seqs = {line["attributes"]["eenplan.seq"] for line in own}
    assert {world.logboek_seqs["ggz_anna"], world.logboek_seqs["deling_anna"], disclosed} <= seqs
    assert deferred not in seqs
    assert {line["attributes"]["dpl.core.data_subject_id"] for line in own} == {
        world.pseudonyms["anna"]
    }
    # Someone else's pseudonym: nothing. A trace: only her own lines in it.
    assert ldv(client.get(f"{URL}?dataSubjectId={world.pseudonyms['dirk']}")) == []
    in_trace = ldv(client.get(f"{URL}?traceId={world.logboek_trace}"))
    assert {line["attributes"]["eenplan.seq"] for line in in_trace} == {
        world.logboek_seqs["ggz_anna"],
        world.logboek_seqs["deling_anna"],
    }
    # Reading one's own lines is nobody else's inzage: no lines.
    assert log_lines(app, before) == []
    # The rest of the API stays closed to citizens.
    assert client.get("/api/v1/plannen").status_code == 403


def test_citizen_searches_by_own_bsn_only(app, world) -> None:
    client = citizen_client(app, world)
    token = csrf_token(client, "/account/")
    headers = {"X-CSRFToken": token}
    own = ldv(client.post(f"{URL}/_zoek", json={"bsn": BSN["anna"]}, headers=headers))
    assert own and {line["attributes"]["dpl.core.data_subject_id"] for line in own} == {
        world.pseudonyms["anna"]
    }
    assert ldv(client.post(f"{URL}/_zoek", json={"bsn": BSN["dirk"]}, headers=headers)) == []
    assert client.post(f"{URL}/_zoek", json={"bsn": BSN["anna"]}).status_code == 400  # no CSRF
