"""The logboek as *Logboek Dataverwerkingen*: the records, the read extension 1.1.0
(``POST /api/ldv/v1/processing-activities``) and the register the records point at — every
response validated against the standard's own schemas in ``../shared/standards/ldv-lezen/``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.db import get_database
from app.logboek.ldv import register_application
from audit import Actor, Entry, Subject, TraceContext
from tests.conftest import head_seq, log_lines
from tests.support.standards import ldv_validator
from tests.support.world import BSN, World

URL = "/api/ldv/v1/processing-activities"


def auth(world: World, user: str = "privacy1") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def check_envelope(resp: Any) -> dict[str, Any]:
    """A 200 answer: the envelope and every record conform to the standard."""
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    assert resp.headers["API-Version"] == "1.1.0"
    body = resp.get_json()
    ldv_validator("ListProcessingActivities").validate(body)
    for record in body["processingActivities"]:
        ldv_validator("ProcessingActivity").validate(record)
        ldv_validator("Attributes").validate(record["attributes"])
        # Every record names its activity, and the data subject with its type.
        assert "dpl.core.processing_activity_id" in record["attributes"]
    assert body["metadata"]["organizationName"]
    assert body["metadata"]["logbookId"].startswith("http")
    return body  # type: ignore[no-any-return]


def check_problem(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    assert resp.headers["API-Version"] == "1.1.0"
    body = resp.get_json()
    ldv_validator("Nlgovproblem").validate(body)
    return body  # type: ignore[no-any-return]


def post(client: FlaskClient, world: World, body: Any, user: str = "privacy1", query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(URL + query, json=body, headers=auth(world, user))


def test_the_request_bodies_used_here_are_the_standards() -> None:
    request = ldv_validator("ProcessingActivityRequest")
    for body in (
        {"dpl.core.data_subject_id": BSN["dirk"], "dpl.core.data_subject_id_type": "BSN"},
        {"traceId": "5eed0000-0000-0000-0000-000000000001"},
        {"startTime": 0, "endTime": 1764068470669},
    ):
        request.validate(body)


def test_by_bsn_in_the_body_and_the_reading_is_logged(app, client, world) -> None:
    before = head_seq(app)
    resp = post(
        client,
        world,
        {"dpl.core.data_subject_id": BSN["dirk"], "dpl.core.data_subject_id_type": "BSN"},
    )
    body = check_envelope(resp)
    records = body["processingActivities"]
    assert [r["attributes"]["eenplan.seq"] for r in records] == [world.logboek_seqs["nood_dirk"]]
    assert records[0]["attributes"]["dpl.core.data_subject_id"] == world.pseudonyms["dirk"]
    assert all(bsn not in resp.get_data(as_text=True) for bsn in BSN.values())
    new = log_lines(app, before)
    assert [(r["data_subject_id"], r["processing_activity_id"]) for r in new] == [
        (world.pseudonyms["dirk"], "toezicht-logboek")
    ]
    # The pseudonym as served in a record finds the same lines (and now the reading's own).
    again = post(client, world, {"dpl.core.data_subject_id": world.pseudonyms["dirk"]})
    assert check_envelope(again)["processingActivities"][1:] == records


def test_trace_id_as_uuid_and_as_32_hex(client, world) -> None:
    trace = world.logboek_trace
    as_uuid = f"{trace[:8]}-{trace[8:12]}-{trace[12:16]}-{trace[16:20]}-{trace[20:]}"
    a = check_envelope(post(client, world, {"traceId": as_uuid}))["processingActivities"]
    b = check_envelope(post(client, world, {"traceId": trace.upper()}))["processingActivities"]
    assert a == b and len(a) == len(world.logboek_seqs)
    assert {r["traceId"] for r in a} == {as_uuid}  # answered in the schema's (uuid) form


def test_one_span_per_data_subject_under_the_action(app, client, world) -> None:
    """The core standard: an action about several people gives each person a span of their
    own, with the shared action as the parent span."""
    trace = TraceContext.new()
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.begin() as conn:
        logboek.record(
            conn,
            [
                Entry(
                    kind="inzage",
                    action="view",
                    name="plannen.lijst",
                    actor=Actor("medewerker", "1", "Rita Regisseur", "regisseur", "Gemeente"),
                    subjects=tuple(Subject("BSN", BSN[k]) for k in ("anna", "dirk")),
                    processing_activity="regie-multiproblematiek",
                    data_categories=("naw",),
                    trace=trace,
                )
            ],
        )
    records = check_envelope(post(client, world, {"traceId": trace.trace_id}))[
        "processingActivities"
    ]
    assert len(records) == 2
    assert len({r["spanId"] for r in records}) == 2
    assert {r["parentSpanId"] for r in records} == {trace.span_id}
    assert {r["status"] for r in records} == {"Ok"}


def test_processing_activity_is_a_uri_that_resolves(client, world) -> None:
    records = check_envelope(post(client, world, {"traceId": world.logboek_trace}))[
        "processingActivities"
    ]
    uri = records[0]["attributes"]["dpl.core.processing_activity_id"]
    key = records[0]["attributes"]["eenplan.processing_activity"]
    register = client.get(urlsplit(uri).path)  # no login: public within the municipality
    assert register.status_code == 200
    assert register.headers["API-Version"] == "1.0.0"
    assert register.headers["Access-Control-Allow-Origin"] == "*"
    entry = register.get_json()
    assert entry["sleutel"] == key and entry["doel"] and entry["grondslag"]
    assert "changed_by" not in entry and "door" not in str(entry)
    version = client.get(urlsplit(entry["_links"]["versies"][0]["href"]).path)
    assert version.status_code == 200 and version.get_json()["versie"] == 1
    # Filtering by that URI gives only lines under that activity.
    same = check_envelope(post(client, world, {"dpl.core.processing_activity_id": uri}))
    assert same["processingActivities"]
    assert {
        r["attributes"]["dpl.core.processing_activity_id"] for r in same["processingActivities"]
    } == {uri}


def test_foreign_operation_processor_on_exchanges_with_applications(app, client, world) -> None:
    register_application(app, "Schuldhulp Teststad", "https://schuldhulp.example/api")
    try:
        records = check_envelope(post(client, world, {"traceId": world.logboek_trace}))[
            "processingActivities"
        ]
        by_seq = {r["attributes"]["eenplan.seq"]: r for r in records}
        exchange = by_seq[world.logboek_seqs["deling_anna"]]["attributes"]
        view = by_seq[world.logboek_seqs["nood_dirk"]]["attributes"]
        assert exchange["dpl.core.foreign_operation.processor"] == "https://schuldhulp.example/api"
        assert "dpl.core.foreign_operation.processor" not in view
        found = check_envelope(
            post(
                client,
                world,
                {"dpl.core.foreign_operation.processor": "https://schuldhulp.example/api"},
            )
        )["processingActivities"]
        assert [r["attributes"]["eenplan.seq"] for r in found] == [
            world.logboek_seqs["deling_anna"]
        ]
    finally:
        app.extensions["eenplan_applicaties"].pop("Schuldhulp Teststad")


def test_start_and_end_time(client, world) -> None:
    records = check_envelope(post(client, world, {"traceId": world.logboek_trace}))[
        "processingActivities"
    ]
    t = records[0]["startTime"]
    assert records[0]["endTime"] >= t
    at = check_envelope(
        post(client, world, {"traceId": world.logboek_trace, "startTime": t, "endTime": t})
    )
    assert records[0] in at["processingActivities"]
    later = check_envelope(
        post(client, world, {"traceId": world.logboek_trace, "startTime": t + 1})
    )
    assert all(r["startTime"] > t for r in later["processingActivities"])
    earlier = check_envelope(
        post(client, world, {"traceId": world.logboek_trace, "endTime": t - 1})
    )
    assert all(r["endTime"] < t for r in earlier["processingActivities"])


def test_paging_with_links(client, world) -> None:
    body = {"traceId": world.logboek_trace}
    seen: list[int] = []
    query = "?pageSize=1"
    for _ in range(10):
        page = check_envelope(post(client, world, body, query=query))
        seen += [r["attributes"]["eenplan.seq"] for r in page["processingActivities"]]
        nxt = page["_links"].get("next")
        if not nxt:
            break
        parts = urlsplit(nxt["href"])
        assert parts.path == URL
        query = "?" + parts.query
    assert seen == sorted(world.logboek_seqs.values(), reverse=True)


def test_every_record_of_the_log_conforms(client, world) -> None:
    """All lines (the world's and everything written while it was built), page by page."""
    query, total = "?pageSize=100", 0
    while True:
        page = check_envelope(post(client, world, {"startTime": 0}, query=query))
        total += len(page["processingActivities"])
        if "next" not in page["_links"]:
            break
        query = "?" + urlsplit(page["_links"]["next"]["href"]).query
    assert total >= len(world.logboek_seqs)


@pytest.mark.parametrize(
    ("body", "query", "location"),
    [
        ({}, "", "#/"),
        ({"onbekend": 1}, "", "#/onbekend"),
        ({"traceId": "niet-een-trace"}, "", "#/traceId"),
        ({"traceId": "0" * 32}, "", "#/traceId"),
        ({"dpl.core.data_subject_id": "123456789"}, "", "#/dpl.core.data_subject_id"),
        ({"dpl.core.data_subject_id_type": "BSN"}, "", "#/dpl.core.data_subject_id"),
        ({"dpl.core.processing_activity_id": "regie"}, "", "#/dpl.core.processing_activity_id"),
        ({"startTime": "gisteren"}, "", "#/startTime"),
        ({"startTime": 10, "endTime": 5}, "", "#/endTime"),
        ({"startTime": True}, "", "#/startTime"),
        ({"startTime": 0}, "?bsn=111222333", "#/bsn"),
        ({"startTime": 0}, "?pageSize=0", "#/pageSize"),
        ({"startTime": 0}, "?cursor=x", "#/cursor"),
        ([1], "", "#/"),
    ],
)
def test_bad_requests_are_400_in_the_standards_problem_shape(
    client, world, body, query, location
) -> None:
    problem = check_problem(post(client, world, body, query=query), 400)
    assert [e["location"] for e in problem["errors"]] == [location]
    assert all(bsn not in str(problem) for bsn in BSN.values())


def test_who_may_read(client, world) -> None:
    body = {"dpl.core.data_subject_id": BSN["dirk"], "dpl.core.data_subject_id_type": "BSN"}
    check_problem(client.post(URL, json=body), 401)
    check_problem(post(client, world, body, user="reg1"), 403)
    check_problem(
        client.post(URL, data="x", headers={**auth(world), "Content-Type": "text/plain"}), 415
    )
    check_problem(client.get(URL, headers=auth(world)), 405)
    check_problem(client.get("/api/ldv/v1/bestaat-niet", headers=auth(world)), 404)


def test_verify_passes_over_lines_written_before_and_after(app: Flask, client, world) -> None:
    """Lines written before issue 15 (status ``OK``, one span per request) and after (``Ok``)
    stay verifiable together; both are served in the standard's shape."""
    logboek = app.extensions["eenplan_logboek"]
    trace = TraceContext.new()
    common: dict[str, Any] = {
        "kind": "inzage",
        "action": "view",
        "name": "plan.bekijken",
        "actor": Actor("medewerker", "1", "Rita Regisseur", "regisseur", "Gemeente"),
        "subjects": (Subject("BSN", BSN["anna"]),),
        "processing_activity": "regie-multiproblematiek",
        "data_categories": ("naw",),
        "trace": trace,
    }
    with app.app_context(), get_database().engine.begin() as conn:
        logboek.record(conn, [Entry(status_code="OK", **common)])  # the old way
        logboek.record(conn, [Entry(**common)])
    stored = [r["status_code"] for r in log_lines(app, head_seq(app) - 2)]
    assert stored == ["OK", "Ok"]
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--zonder-ankers"])
    assert result.exit_code == 0, result.output
    records = check_envelope(post(client, world, {"traceId": trace.trace_id}))[
        "processingActivities"
    ]
    assert [r["status"] for r in records] == ["Ok", "Ok"]
    assert dt.datetime.fromtimestamp(records[0]["startTime"] / 1000, dt.UTC).year >= 2026


def test_a_refused_action_that_told_something_is_logged_with_error(app, client, world) -> None:
    """A second plan for the same person is refused (409), but the answer told the caller that
    the person has one: that inzage is logged, and the failed action's lines carry ``Error``."""
    before = head_seq(app)
    resp = client.post(
        "/api/v1/plannen",
        json={
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming": {
                "gegevenDoor": "de betrokkene zelf",
                "gegevenOp": "2020-01-02",
                "wijze": "mondeling",
            },
        },
        headers=auth(world, "reg1"),
    )
    assert resp.status_code == 409, resp.get_data(as_text=True)
    lines = log_lines(app, before)
    assert lines and {r["status_code"] for r in lines} == {"Error"}
    records = check_envelope(post(client, world, {"traceId": lines[0]["trace_id"]}))
    assert {r["status"] for r in records["processingActivities"]} == {"Error"}
    # An ordinary request's lines are Ok.
    before = head_seq(app)
    client.get(f"/api/v1/plannen/{world.plans['a']}", headers=auth(world, "reg1"))
    assert {r["status_code"] for r in log_lines(app, before)} == {"Ok"}


@pytest.mark.parametrize(
    "path", ["/api/ldv/v1/openapi.json", "/api/verwerkingsregister/v1/openapi.json"]
)
def test_the_other_apis_publish_their_openapi_documents(client, path) -> None:
    from openapi_spec_validator import validate

    resp = client.get(path)  # no login, any origin
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    validate(resp.get_json())
    assert {"name", "email", "url"} <= set(resp.get_json()["info"]["contact"])


def test_answers_match_eenplans_own_ldv_document(client, world) -> None:
    from openapi_schema_validator import OAS31Validator

    doc = client.get("/api/ldv/v1/openapi.json").get_json()
    components = {"components": doc["components"]}
    page = post(client, world, {"traceId": world.logboek_trace})
    OAS31Validator(
        {"$ref": "#/components/schemas/ListProcessingActivities", **components}
    ).validate(page.get_json())
    bad = post(client, world, {"traceId": "x"})
    OAS31Validator({"$ref": "#/components/schemas/Probleem", **components}).validate(bad.get_json())
