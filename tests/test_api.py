"""JSON API v1: authentication, problem+json, versions, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from app.api.openapi import document
from tests.support.world import BSN


def auth(world, user: str = "reg1") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def assert_problem(resp, status: int, field: str | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["status"] == status and body["title"]
    if field is not None:
        assert field in [p["name"] for p in body["invalidParams"]]
    return body  # type: ignore[no-any-return]


def test_no_token_is_401_problem(client, world) -> None:
    resp = client.get("/api/v1/plannen")
    assert_problem(resp, 401)
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("token", ["ep_onzin", "Basic abc", "ep_"])
def test_bad_token_is_401(client, world, token: str) -> None:
    assert_problem(client.get("/api/v1/plannen", headers={"Authorization": f"Bearer {token}"}), 401)


def test_revoked_token_no_longer_works(app, client, world) -> None:
    from app.db import session
    from app.users.models import ApiToken

    assert client.get("/api/v1/plannen", headers=auth(world)).status_code == 200
    with app.app_context():
        from app.auth.services import revoke_token

        revoke_token(session.get(ApiToken, world.token_ids["reg1"]))
        session.commit()
    assert_problem(client.get("/api/v1/plannen", headers=auth(world)), 401)


def test_token_is_not_accepted_in_the_query_string(client, world) -> None:
    assert_problem(client.get(f"/api/v1/plannen?access_token={world.tokens['reg1']}"), 401)
    # With a token in the header, the parameter is an unknown one: 400 naming it, not its value.
    resp = client.get(f"/api/v1/plannen?access_token={world.tokens['reg1']}", headers=auth(world))
    assert_problem(resp, 400)
    assert [p["name"] for p in resp.get_json()["invalidParams"]] == ["access_token"]
    assert world.tokens["reg1"] not in resp.get_data(as_text=True)


def test_unknown_query_parameters_are_400(client, world) -> None:
    resp = client.get("/api/v1/plannen?pagesize=1&status=actief", headers=auth(world))
    assert_problem(resp, 400)
    assert [p["name"] for p in resp.get_json()["invalidParams"]] == ["pagesize"]
    plan = world.plans["a"]
    assert_problem(client.get(f"/api/v1/plannen/{plan}?expand=all", headers=auth(world)), 400)
    assert (
        client.get("/api/v1/plannen?pageSize=1&status=actief", headers=auth(world)).status_code
        == 200
    )
    assert_problem(client.get("/api/verwerkingsregister/v1/verwerkingsactiviteiten?q=x"), 400)


def test_unsupported_accept_is_406(client, world) -> None:
    for accept in ("text/html", "application/xml", "text/csv, application/pdf"):
        resp = client.get("/api/v1/plannen", headers={**auth(world), "Accept": accept})
        assert_problem(resp, 406)
    for accept in ("application/json", "*/*", "application/*", "application/problem+json"):
        resp = client.get("/api/v1/plannen", headers={**auth(world), "Accept": accept})
        assert resp.status_code == 200, accept
    assert client.get("/api/v1/plannen", headers=auth(world)).status_code == 200  # no Accept


def test_api_version_on_every_answer_including_routing_errors(client, world) -> None:
    for method, path in (
        ("GET", "/api/v1/bestaat-niet"),
        ("DELETE", f"/api/v1/plannen/{world.plans['a']}"),
        ("GET", "/api/v1/plannen"),
        ("GET", "/api/v1/openapi.json"),
        ("POST", "/api/v1/bronnen/cjib/signalen"),
    ):
        resp = client.open(path, method=method, headers=auth(world))
        assert resp.headers.get("API-Version") == "1.0.0", (method, path, resp.status_code)
    assert client.get("/api/ldv/v1/processing-activities").headers["API-Version"] == "1.1.0"


def test_openapi_document_is_readable_cross_origin(client) -> None:
    resp = client.get("/api/v1/openapi.json", headers={"Origin": "https://ontwikkelaar.example"})
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in resp.headers
    contact = resp.get_json()["info"]["contact"]
    assert {"name", "email", "url"} <= set(contact)


def test_list_is_paginated_with_a_maximum(client, world) -> None:
    resp = client.get("/api/v1/plannen?pageSize=1", headers=auth(world, "reg2"))
    body = resp.get_json()
    assert resp.status_code == 200 and resp.headers["API-Version"] == "1.0.0"
    assert (
        body["totalItems"] == 2
        and body["totalPages"] == 2
        and len(body["_embedded"]["plannen"]) == 1
    )
    # One paging style: follow _links (HAL), as the logboek's pages do.
    links = body["_links"]
    assert "prev" not in links and links["first"]["href"] == links["self"]["href"]
    second = client.get(links["next"]["href"], headers=auth(world, "reg2")).get_json()
    assert second["page"] == 2 and "next" not in second["_links"]
    assert second["_links"]["prev"]["href"] == links["self"]["href"]
    assert second["_embedded"]["plannen"] != body["_embedded"]["plannen"]
    assert_problem(client.get("/api/v1/plannen?pageSize=101", headers=auth(world)), 400, "pageSize")
    assert_problem(client.get("/api/v1/plannen?page=0", headers=auth(world)), 400, "page")
    assert_problem(client.get("/api/v1/plannen?status=weg", headers=auth(world)), 400, "status")


def test_create_plan_with_invalid_bsn(client, world) -> None:
    body = assert_problem(
        client.post(
            "/api/v1/plannen",
            json={
                "bsn": "123456789",
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
            },
            headers=auth(world),
        ),
        400,
        "bsn",
    )
    assert (
        "11-proef" in body["invalidParams"][0]["reason"]
        or "BSN" in body["invalidParams"][0]["reason"]
    )


def test_create_plan_missing_fields_are_named(client, world) -> None:
    assert_problem(
        client.post(
            "/api/v1/plannen",
            json={
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
            },
            headers=auth(world),
        ),
        400,
        "bsn",
    )
    assert_problem(
        client.post(
            "/api/v1/plannen",
            json={
                "bsn": BSN["nieuw"],
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
            },
            headers=auth(world),
        ),
        422,  # well-formed, but the person is not known yet (a 400 is for malformed input)
        "persoon",
    )
    assert_problem(
        client.post(
            "/api/v1/plannen",
            json={
                "bsn": BSN["nieuw"],
                "basis": "toestemming",
                "persoon": {"voornamen": "N", "achternaam": "N", "geboortedatum": "1990-01-01"},
            },
            headers=auth(world),
        ),
        422,
        "toestemming",
    )


def test_non_json_body_is_415(client, world) -> None:
    resp = client.post(
        "/api/v1/plannen",
        data="bsn=1",
        headers={**auth(world), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_problem(resp, 415)


def test_malformed_json_is_400(client, world) -> None:
    resp = client.post(
        "/api/v1/plannen",
        data="{niet: json",
        headers={**auth(world), "Content-Type": "application/json"},
    )
    assert_problem(resp, 400, "body")


def test_second_plan_is_409_with_the_regisseur_and_a_link_only_for_who_may_open_it(
    client, world
) -> None:
    body = assert_problem(
        client.post(
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
            headers=auth(world),
        ),
        409,
    )
    assert body["regisseur"]["naam"] == "Rutger Tweede" and "existingPlan" not in body
    body = assert_problem(
        client.post(
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
            headers=auth(world, "reg2"),
        ),
        409,
    )
    assert body["existingPlan"] == f"/api/v1/plannen/{world.plans['b']}"


def test_update_needs_the_version(client, world) -> None:
    url = f"/api/v1/plannen/{world.plans['a']}"
    assert_problem(client.patch(url, json={"status": "concept"}, headers=auth(world)), 428)
    etag = client.get(url, headers=auth(world)).headers["ETag"]
    ok = client.patch(url, json={"status": "concept"}, headers={**auth(world), "If-Match": etag})
    assert ok.status_code == 200 and ok.get_json()["status"] == "concept"
    # The same old version again: someone changed it meanwhile.
    stale = client.patch(url, json={"status": "actief"}, headers={**auth(world), "If-Match": etag})
    body = assert_problem(stale, 412)
    assert body["currentVersion"] == int(etag.strip('"')) + 1
    assert client.get(url, headers=auth(world)).get_json()["status"] == "concept"


def test_activity_update_conflict_between_two_users(client, world) -> None:
    url = f"/api/v1/plannen/{world.plans['a']}/activiteiten/{world.activities['a_schuld']}"
    v = client.get(url, headers=auth(world, "hulp1")).get_json()["version"]
    first = client.patch(
        url, json={"toelichting": "Van Hanna", "version": v}, headers=auth(world, "hulp1")
    )
    assert first.status_code == 200
    second = client.patch(
        url, json={"toelichting": "Van Regina", "version": v}, headers=auth(world, "reg1")
    )
    assert_problem(second, 412)
    assert client.get(url, headers=auth(world)).get_json()["toelichting"] == "Van Hanna"


def test_activity_validation(client, world) -> None:
    url = f"/api/v1/plannen/{world.plans['a']}/activiteiten"
    base = {
        "aard": "gesprek",
        "omschrijving": "x",
        "startdatum": "2026-01-10",
        "uitvoerderSoort": "huishouden",
    }
    assert_problem(
        client.post(url, json={**base, "einddatum": "2026-01-01"}, headers=auth(world)),
        422,
        "einddatum",
    )
    assert_problem(
        client.post(url, json={**base, "startdatum": "10-01-2026"}, headers=auth(world)),
        400,
        "startdatum",
    )
    assert_problem(
        client.post(url, json={**base, "aard": "iets"}, headers=auth(world)), 400, "aard"
    )
    assert_problem(
        client.post(url, json={**base, "omschrijving": ""}, headers=auth(world)),
        400,
        "omschrijving",
    )
    assert_problem(
        client.post(url, json={**base, "afgerond": "ja"}, headers=auth(world)), 400, "afgerond"
    )
    assert_problem(
        client.post(url, json={**base, "uitvoerderSoort": "organisatie"}, headers=auth(world)),
        422,
        "organisatieId",
    )
    created = client.post(url, json=base, headers=auth(world))
    assert created.status_code == 201 and created.headers["Location"].startswith(url)


def test_hulpverlener_cannot_record_for_another_organisation(client, world) -> None:
    url = f"/api/v1/plannen/{world.plans['a']}/activiteiten"
    resp = client.post(
        url,
        json={
            "aard": "gesprek",
            "omschrijving": "x",
            "startdatum": "2026-01-10",
            "organisatieId": world.orgs["jeugdhulp"],
        },
        headers=auth(world, "hulp1"),
    )
    assert_problem(resp, 422, "organisatieId")


def test_person_lookup_by_bsn_in_the_body(client, world) -> None:
    resp = client.post("/api/v1/personen/_zoek", json={"bsn": BSN["anna"]}, headers=auth(world))
    assert resp.status_code == 200 and resp.get_json()["bsn"] == BSN["anna"]
    # Household members of the regisseur's plans can be looked up; others cannot.
    assert (
        client.post(
            "/api/v1/personen/_zoek", json={"bsn": BSN["kees"]}, headers=auth(world)
        ).status_code
        == 200
    )
    assert_problem(
        client.post("/api/v1/personen/_zoek", json={"bsn": BSN["dirk"]}, headers=auth(world)), 404
    )
    assert_problem(
        client.post("/api/v1/personen/_zoek", json={"bsn": "12"}, headers=auth(world)), 400, "bsn"
    )


def test_break_link_only_by_setting_actief_false(client, world) -> None:
    url = f"/api/v1/plannen/{world.plans['a']}/gezinslinks/{world.links['a_bram']}"
    assert_problem(client.patch(url, json={"actief": True}, headers=auth(world)), 400, "actief")
    resp = client.patch(url, json={"actief": False, "reden": "Verhuisd"}, headers=auth(world))
    assert resp.status_code == 200 and resp.get_json()["actief"] is False
    links = client.get(
        f"/api/v1/plannen/{world.plans['a']}/gezinslinks", headers=auth(world)
    ).get_json()
    ended = [x for x in links["_embedded"]["gezinslinks"] if x["id"] == world.links["a_bram"]]
    assert ended and ended[0]["verbrokenDoor"] == "Regina Eerste"


def test_session_cookie_api_calls_need_csrf(app, world) -> None:
    from tests.conftest import login

    c = app.test_client()
    login(c, "reg1")
    assert c.get("/api/v1/plannen").status_code == 200  # reading with the session works
    resp = c.post(f"/api/v1/plannen/{world.plans['a']}/activiteiten", json={"aard": "gesprek"})
    assert_problem(resp, 400)


def test_unknown_api_path_is_problem_json(client, world) -> None:
    assert_problem(client.get("/api/v1/bestaat-niet", headers=auth(world)), 404)
    assert_problem(client.delete(f"/api/v1/plannen/{world.plans['a']}", headers=auth(world)), 405)


# --- the OpenAPI document -------------------------------------------------------------------


def test_openapi_document_is_valid() -> None:
    validate(document())


def test_openapi_paths_match_the_routes(app) -> None:
    doc = document()
    documented = {
        (path, method.upper())
        for path, item in doc["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
    }
    actual = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = rule.rule.removeprefix("/api/v1")
        for arg, name in (
            ("plan_id", "planId"),
            ("activity_id", "activiteitId"),
            ("link_id", "gezinslinkId"),
            ("person_id", "persoonId"),
        ):
            path = path.replace(f"<int:{arg}>", "{" + name + "}")
        path = path.replace("<bron_code>", "{bronCode}")
        path = path.replace("<path:bron_referentie>", "{bronReferentie}")
        for m in rule.methods or ():
            if m not in ("HEAD", "OPTIONS"):
                actual.add((path, m))
    assert documented == actual


def _schema_for(path: str, method: str, status: int) -> dict[str, Any]:
    doc = document()
    resp = doc["paths"][path][method]["responses"][str(status)]
    content = resp["content"]
    schema = next(iter(content.values()))["schema"]
    return {**schema, "components": doc["components"]}


@pytest.mark.parametrize(
    ("method", "path", "template", "status", "user", "body"),
    [
        ("get", "/plannen", "/plannen", 200, "reg1", None),
        ("get", "/plannen/{a}", "/plannen/{planId}", 200, "reg1", None),
        ("get", "/plannen/{a}/activiteiten", "/plannen/{planId}/activiteiten", 200, "hulp1", None),
        ("get", "/plannen/{a}/gezinslinks", "/plannen/{planId}/gezinslinks", 200, "reg1", None),
        ("get", "/plannen/{b}", "/plannen/{planId}", 404, "reg1", None),
        ("post", "/plannen", "/plannen", 400, "reg1", {"bsn": "1"}),
        (
            "post",
            "/plannen",
            "/plannen",
            201,
            "reg1",
            {
                "bsn": BSN["nieuw"],
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
                "persoon": {"voornamen": "N", "achternaam": "N", "geboortedatum": "1990-01-01"},
            },
        ),
        ("post", "/personen/_zoek", "/personen/_zoek", 200, "reg1", {"bsn": BSN["anna"]}),
        (
            "post",
            "/plannen",
            "/plannen",
            409,
            "reg1",
            {
                "bsn": BSN["dirk"],
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
            },
        ),
        (
            "post",
            "/plannen",
            "/plannen",
            409,
            "reg2",
            {
                "bsn": BSN["dirk"],
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
            },
        ),
    ],
)
def test_responses_match_the_openapi_schemas(
    client, world, method, path, template, status, user, body
) -> None:
    url = "/api/v1" + path.format(a=world.plans["a"], b=world.plans["b"])
    resp = client.open(url, method=method.upper(), json=body, headers=auth(world, user))
    assert resp.status_code == status
    OAS31Validator(_schema_for(template, method, status)).validate(resp.get_json())


def test_every_route_finds_its_documented_query_parameters(app) -> None:
    """The 400 for unknown query parameters reads the contract: every route must find itself."""
    from app.api.blueprint import V1

    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert V1.operation(rule.endpoint, method) is not None, rule.rule
