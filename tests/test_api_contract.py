"""One source for the API contract (app/contract): the OpenAPI documents and the validation of
requests come from the same pydantic models, and what a client reads is Dutch, as before."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.world import BSN

URL = "/api/v1"


def auth(world: Any, user: str = "reg1") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[user]}"}


def invalid_params(resp: Any) -> list[dict[str, str]]:
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    assert resp.headers["API-Version"] == "1.0.0"
    return resp.get_json()["invalidParams"]  # type: ignore[no-any-return]


TOESTEMMING = {"gegevenDoor": "de betrokkene", "gegevenOp": "2020-01-02", "wijze": "mondeling"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"bsn": "12345", "basis": "toestemming"},
            {"name": "bsn", "code": "bsn", "reason": "Een BSN heeft precies 9 cijfers."},
        ),
        (
            {"bsn": BSN["anna"], "basis": "gezin"},
            {"name": "basis", "code": "enum", "reason": "Een van: multiproblematiek, toestemming"},
        ),
        (
            {"bsn": BSN["anna"], "basis": "toestemming", "mandaatId": 0},
            {
                "name": "mandaatId",
                "code": "range",
                "reason": "Een geheel getal van 1 tot en met 2147483647.",
            },
        ),
        (
            {"bsn": BSN["anna"], "basis": "toestemming", "mandaatId": "3"},
            {"name": "mandaatId", "code": "integer", "reason": "Een geheel getal verwacht."},
        ),
        (
            {
                "bsn": BSN["anna"],
                "basis": "toestemming",
                "toestemming": {**TOESTEMMING, "gegevenDoor": " "},
            },
            {"name": "gegevenDoor", "code": "required", "reason": "Verplicht veld."},
        ),
        (
            {
                "bsn": BSN["anna"],
                "basis": "toestemming",
                "toestemming": {**TOESTEMMING, "gegevenOp": "2-1-2020"},
            },
            {"name": "gegevenOp", "code": "date", "reason": "Een datum als JJJJ-MM-DD."},
        ),
        (
            {
                "bsn": BSN["anna"],
                "basis": "toestemming",
                "toestemming": {**TOESTEMMING, "toelichting": "a\x00b"},
            },
            {"name": "toelichting", "code": "pattern", "reason": "Tekst zonder NUL-tekens."},
        ),
        (
            {
                "bsn": BSN["anna"],
                "basis": "toestemming",
                "toestemming": {**TOESTEMMING, "gegevenDoor": "x" * 201},
            },
            {"name": "gegevenDoor", "code": "maxLength", "reason": "Hooguit 200 tekens."},
        ),
        (
            {"bsn": BSN["anna"], "basis": "toestemming", "toestemming": 3},
            {"name": "toestemming", "code": "object", "reason": "Een JSON-object verwacht."},
        ),
        (
            {"basis": "toestemming"},
            {"name": "bsn", "code": "required", "reason": "Verplicht veld."},
        ),
        (
            [1, 2],
            {"name": "body", "code": "invalid", "reason": "Stuur een JSON-object."},
        ),
    ],
)
def test_a_request_that_does_not_fit_is_400_in_dutch(client, world, body, expected) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(f"{URL}/plannen", json=body, headers=auth(world))
    assert expected in invalid_params(resp)


ENGLISH = {
    "bsn": "A BSN has exactly 9 digits.",
    "basis": "One of: multiproblematiek, toestemming",
    "mandaatId": "A whole number from 1 up to and including 2147483647.",
    "gegevenOp": "A date as YYYY-MM-DD.",
}


def test_the_reasons_follow_accept_language(client, world) -> None:  # type: ignore[no-untyped-def]
    body = {
        "bsn": "12345",
        "basis": "gezin",
        "mandaatId": 0,
        "toestemming": {**TOESTEMMING, "gegevenOp": "2-1-2020"},
    }
    headers = {**auth(world), "Accept-Language": "en"}
    resp = client.post(f"{URL}/plannen", json=body, headers=headers)
    assert resp.get_json()["title"] == "The request is not right"
    reasons = {p["name"]: p["reason"] for p in invalid_params(resp)}
    assert reasons == ENGLISH


def test_every_field_that_does_not_fit_is_named(client, world) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(f"{URL}/plannen", json={"bsn": 1, "basis": 2}, headers=auth(world))
    assert {p["name"] for p in invalid_params(resp)} == {"bsn", "basis"}


def test_an_integral_number_is_an_integer_as_json_schema_says(client, world) -> None:  # type: ignore[no-untyped-def]
    plan = world.plans["a"]
    resp = client.patch(
        f"{URL}/plannen/{plan}", json={"version": 1.0, "mandaatId": 3.5}, headers=auth(world)
    )
    # 3.5 is no integer; 1.0 is (else version would have been named as well).
    assert [p["name"] for p in invalid_params(resp)] == ["mandaatId"]


def test_query_parameters_keep_their_own_reasons(client, world) -> None:  # type: ignore[no-untyped-def]
    params = invalid_params(client.get(f"{URL}/plannen?pageSize=500&page=x", headers=auth(world)))
    assert {"name": "pageSize", "code": "maximum", "reason": "Tussen 1 en 100."} in params
    assert {"name": "page", "code": "integer", "reason": "Een geheel getal."} in params
    params = invalid_params(client.get(f"{URL}/plannen?status=weg", headers=auth(world)))
    assert params == [
        {"name": "status", "code": "enum", "reason": "Een van: concept, actief, afgesloten."}
    ]


def test_breaking_a_link_says_how(client, world) -> None:  # type: ignore[no-untyped-def]
    plan, link = world.plans["a"], world.links["a_kees"]
    resp = client.patch(
        f"{URL}/plannen/{plan}/gezinslinks/{link}", json={"actief": True}, headers=auth(world)
    )
    assert invalid_params(resp) == [
        {
            "name": "actief",
            "code": "enum",
            "reason": 'Een gezinslink kan alleen worden verbroken: stuur {"actief": false}.',
        }
    ]


def test_the_document_shows_what_the_validation_checks(app) -> None:  # type: ignore[no-untyped-def]
    """The request bodies in the document are the models the routes validate with."""
    from app.api.blueprint import V1
    from app.api.openapi import document

    doc = document()
    for op in V1.operations:
        spec = doc["paths"][op.path][op.method]
        if op.body is not None:
            ref = spec["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] == op.body.__name__
            assert op.body.__name__ in doc["components"]["schemas"]
        documented = {p["name"] for p in spec.get("parameters", []) if p["in"] == "query"}
        assert documented == V1.query_names(op.endpoint, op.method)
        for response in spec["responses"].values():
            assert "API-Version" in response["headers"]


def test_a_route_reads_only_the_body_it_documents(app) -> None:  # type: ignore[no-untyped-def]
    from app.api.schemas import BsnZoekvraag, PlanNieuw
    from app.contract import request_body

    with app.test_request_context(f"{URL}/personen/_zoek", method="POST", json={"bsn": "1"}):
        with pytest.raises(AssertionError):
            request_body(PlanNieuw)
        with pytest.raises(Exception, match="invalid input"):
            request_body(BsnZoekvraag)


def test_head_reads_the_query_as_get_does(client, world) -> None:  # type: ignore[no-untyped-def]
    assert client.head(f"{URL}/plannen?pageSize=5", headers=auth(world)).status_code == 200
    assert client.head(f"{URL}/plannen?pageSize=500", headers=auth(world)).status_code == 400


def test_an_answer_that_breaks_its_contract_fails_the_tests(
    client, world, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    """While testing, every API answer is checked against the model its route documents."""
    from app.api import personen

    url = f"{URL}/personen/{world.persons['anna']}"
    assert client.get(url, headers=auth(world)).status_code == 200
    monkeypatch.setattr(personen, "person_json", lambda p: {"id": p.id, "bsn": 123})
    assert client.get(url, headers=auth(world)).status_code == 500
    assert "breaks its contract" in caplog.text and "('bsn',)" in caplog.text
