"""Fuzzing the JSON API from its OpenAPI document with schemathesis, over real HTTP.

The application runs under a real WSGI server on a free local port (with its own database copy,
per backend); schemathesis reads ``/api/v1/openapi.json`` from it and, for every operation,
sends a bounded number of generated requests — valid ones and deliberately invalid ones — with
a regisseur's API token. Every answer must

* not be a server error (no 5xx),
* have a status code, content type and headers that the document declares,
* have a body that matches the declared schema,
* reject invalid input with a 4xx, and refuse the request without the token (401).

Bounded: ``FUZZ_EXAMPLES`` examples per operation (default 25), so it runs in CI in minutes;
raise it locally (``FUZZ_EXAMPLES=500 pytest tests/test_api_fuzz.py``) to dig deeper.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from app.api.openapi import document
from tests.browser.conftest import LiveServer
from tests.support.world import BSN, World

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def api_server(shared_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(shared_app) as server:
        yield server


PATHS = document()["paths"]
OPERATIONS = sorted(
    (path, method.upper())
    for path, item in PATHS.items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
)

# Statuses a schema-valid request may get besides success: the document declares them for
# what JSON Schema cannot say — 412/428 (the version you sent is stale or missing), 422 (does not
# fit the stored data, e.g. an unknown person or a closed plan).
ACCEPTED_FOR_VALID_INPUT = ["2xx", "401", "403", "404", "409", "412", "422", "428", "429"]


def _bsn_strategy() -> Any:
    """9-digit numbers that pass the 11-proef (the document's ``format: bsn``)."""

    @st.composite
    def bsn(draw: Any) -> str:
        digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check == 10:
            digits[-1] = (digits[-1] + 1) % 10
            total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
            check = total % 11
        return "".join(map(str, digits)) + str(check)

    return st.one_of(st.sampled_from(sorted(BSN.values())), bsn().filter(_valid_bsn))


def _valid_bsn(value: str) -> bool:
    from app.people.services import is_valid_bsn

    return is_valid_bsn(value)


schemathesis.openapi.format("bsn", _bsn_strategy())


@pytest.fixture(scope="module")
def api_schema(api_server: LiveServer, shared_world: World, shared_app: Flask) -> Any:
    config = SchemathesisConfig.from_dict(
        {
            # A regisseur's personal token, as the document's bearerAuth scheme says. Schemathesis
            # also sends requests without it (and with a wrong one): they must get a 401.
            "auth": {
                "openapi": {
                    "bearerAuth": {"bearer": shared_world.tokens["reg1"]},
                    # The source API (signalen): an organisation-scoped token of a source.
                    "bronAuth": {"bearer": _bron_token(shared_app)},
                }
            },
            "generation": {"with-security-parameters": False},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_INPUT},
            },
        }
    )
    return schemathesis.openapi.from_url(f"{api_server.url}/api/v1/openapi.json", config=config)


def _bron_token(app: Flask) -> str:
    from app.db import session
    from app.signalen import inrichting

    with app.app_context():
        bron = inrichting.bron(BRON)
        assert bron is not None
        _token, plain = inrichting.maak_bron_token(bron, "fuzz")
        session.commit()
    return plain


BRON = "belastingdienst"


def _pinned(world: World, path: str) -> dict[str, int | str]:
    """Path parameters of objects that exist and that reg1 may see (plan a and its parts)."""
    values: dict[str, int | str] = {
        "planId": world.plans["a"],
        "activiteitId": world.activities["a_schuld"],
        "gezinslinkId": world.links["a_kees"],
        "persoonId": world.persons["anna"],
        "bronCode": BRON,
    }
    return {k: v for k, v in values.items() if "{" + k + "}" in path}


def _has_other_input(path: str, method: str) -> bool:
    """Besides the path: a body, query or header parameters (something to make invalid)."""
    item = PATHS[path]
    op = item[method.lower()]
    params = [*item.get("parameters", []), *op.get("parameters", [])]
    # A raw text body (CSV, JSON Lines) has no form a server could check as "wrong type": every
    # mutation of it is still text. Only JSON bodies count.
    json_body = "application/json" in op.get("requestBody", {}).get("content", {})
    return json_body or any(p["in"] != "path" for p in params)


CASES = [
    (path, method, mode, target)
    for path, method in OPERATIONS
    for mode in ("positive", "negative")
    for target in (("bestaand", "willekeurig") if "{" in path else ("-",))
    # With the path pinned to real objects, an invalid request needs something else to break.
    if not (mode == "negative" and target == "bestaand" and not _has_other_input(path, method))
]


@pytest.mark.parametrize(
    ("path", "method", "mode", "target"),
    CASES,
    ids=[f"{m} {p} {mode} {t}" for p, m, mode, t in CASES],
)
def test_api_conforms_to_its_openapi_document(
    api_schema: Any, shared_world: World, path: str, method: str, mode: str, target: str
) -> None:
    operation = api_schema[path][method]
    strategy = operation.as_strategy(
        generation_mode=GenerationMode(mode),
        path_parameters=_pinned(shared_world, path) if target == "bestaand" else None,
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        case.call_and_validate(timeout=30)

    fuzz()
