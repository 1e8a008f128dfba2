"""Query parameters of the HTML routes: parsed and bounded (app/params.py), a 400 with the Dutch
error page for what a route does not take — never a 500, never a silently different page.

The reproductions of issue 20 (item 5) run on both databases: an integer beyond the column made
SQLite raise OverflowError and PostgreSQL DataError. tests/test_html_fuzz.py sends random and
hostile values to every route below; this module also checks that the route registry declares
every query parameter the code reads (the fuzz test sends only what is declared).
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from wtforms.fields.core import UnboundField

from tests.conftest import login
from tests.routes import ROUTES
from tests.support.citizens import login_citizen
from tests.support.world import World

ROOT = Path(__file__).resolve().parents[1]
TOO_BIG = "9223372036854775808"  # 2**63: one beyond BIGINT (and SQLite's integer)


def bad_request(resp: Any, name: str) -> bool:
    html = resp.get_data(as_text=True)
    return resp.status_code == 400 and "Het verzoek klopt niet" in html and f"‘{name}’" in html


@pytest.fixture
def staff(client: FlaskClient, world: World) -> Any:
    def _as(username: str) -> FlaskClient:
        login(client, username)
        return client

    return _as


@pytest.fixture
def anna(app: Flask, client: FlaskClient, world: World) -> FlaskClient:
    login_citizen(app, client, "anna")
    return client


# --- the reproductions ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["reg1", "hulp1", "noord1"])
def test_an_unknown_plan_status_is_400_not_500(staff: Any, username: str) -> None:
    client = staff(username)
    assert bad_request(client.get("/plannen?status=onzin"), "status")
    assert client.get("/plannen?status=actief").status_code == 200
    assert client.get("/plannen?status=").status_code == 200  # empty: all statuses


@pytest.mark.parametrize(
    "query", ["pagina=99999999999999999999", "pagina=0", "pagina=-1", "pagina=twee"]
)
def test_a_page_number_out_of_range_is_400(staff: Any, query: str) -> None:
    assert bad_request(staff("reg1").get(f"/plannen?{query}"), "pagina")


@pytest.mark.parametrize("path", ["/mijn/logboek", "/mijn/uitwisselingen"])
def test_a_citizens_page_beyond_the_column_is_400_not_500(anna: FlaskClient, path: str) -> None:
    assert bad_request(anna.get(f"{path}?voor={TOO_BIG}"), "voor")
    assert bad_request(anna.get(f"{path}?voor=-5"), "voor")
    # The largest line number there can be is a page like any other (older than everything).
    assert anna.get(f"{path}?voor={int(TOO_BIG) - 1}").status_code == 200


def test_a_case_with_a_line_number_beyond_the_column_is_400_not_500(staff: Any) -> None:
    resp = staff("privacy1").get("/privacy/zaak?soort=noodtoegang&regels=99999999999999999999")
    assert bad_request(resp, "regels")


# --- what the fuzzing found besides ---------------------------------------------------------


def test_a_date_beyond_what_a_day_can_be_added_to_is_refused(anna: FlaskClient) -> None:
    """``tot=9999-12-31`` overflowed when the day after was computed."""
    resp = anna.get("/mijn/logboek?tot=9999-12-31")
    assert resp.status_code == 422 and "tussen 1900 en 2999" in resp.get_data(as_text=True)


def test_the_privacy_overview_refuses_a_period_it_cannot_show(staff: Any) -> None:
    client = staff("privacy1")
    assert bad_request(client.get("/privacy/?tot=9999-12-31"), "tot")
    assert bad_request(client.get("/privacy/?van=gisteren"), "van")
    assert bad_request(client.get("/privacy/?toon=sommige"), "toon")
    assert client.get("/privacy/?toon=alle&van=2026-01-01").status_code == 200


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("soort=gelogen", "soort"),  # not a kind: was silently "everything"
        ("organisatie=" + "x" * 201, "organisatie"),
        ("voor=1&voor=2", "voor"),  # twice: which one?
        ("na=%C2%B2", "na"),  # a superscript two is a digit to str.isdigit, not to int()
        ("na=1&dag=2026-12-04", "dag"),  # the live page's day: JJJJMMDD
    ],
)
def test_the_citizens_log_refuses_what_it_does_not_take(
    anna: FlaskClient, query: str, name: str
) -> None:
    path = "/mijn/logboek/nieuw" if name in ("na", "dag") else "/mijn/logboek"
    assert bad_request(anna.get(f"{path}?{query}"), name)


def test_the_live_log_ignores_a_last_event_id_that_is_no_line_number(anna: FlaskClient) -> None:
    for value in ("²", TOO_BIG, "-1", "x"):
        resp = anna.get("/mijn/logboek/live", headers={"Last-Event-ID": value})
        assert resp.status_code == 200 and "retry: 3000" in resp.get_data(as_text=True)
    assert bad_request(anna.get("/mijn/logboek/live?na=%C2%B2"), "na")


def test_a_parameter_given_twice_is_400_an_unknown_one_is_ignored(staff: Any) -> None:
    client = staff("privacy1")
    assert bad_request(client.get("/privacy/logboek?van=2026-01-01&van=2026-02-01"), "van")
    assert bad_request(client.get("/privacy/?toon=open&toon=alle"), "toon")
    assert client.get("/privacy/?utm_source=nieuwsbrief").status_code == 200


@pytest.mark.parametrize(
    ("path", "name"),
    [("/activiteiten?toon=sommige", "toon"), ("/plannen/{plan}/berichten?met=niemand", "met")],
)
def test_an_unknown_choice_is_400(staff: Any, world: World, path: str, name: str) -> None:
    client = staff("hulp1")
    assert bad_request(client.get(path.format(plan=world.plans["a"])), name)


# --- every parameter the code reads is in the registry --------------------------------------


def test_no_view_reads_the_query_string_but_through_app_params() -> None:
    """``request.args``/``request.values`` only in app/params.py (the APIs: their contract,
    app/contract)."""
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "app/params.py" or rel.startswith(("app/api/", "app/contract/")):
            continue
        text = path.read_text()
        for needle in ("request.args", "request.values"):
            if re.search(r"(?<![\w.])" + re.escape(needle) + r"\b", text):
                found.append(f"{rel}: {needle}")
    assert not found, found


def _is_params_args(node: ast.AST) -> bool:
    """``params.args()``"""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "args"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "params"
    )


def _form_fields(cls: Any) -> set[str]:
    return {n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField)}


def _names_read(module: ModuleType, function: str, seen: set[str] | None = None) -> set[str]:
    """The query parameters a view function reads through app.params, with those of the
    module's own functions it calls, and the fields of the forms it fills from the query."""
    seen = seen if seen is not None else set()
    if function in seen:
        return set()
    seen.add(function)
    tree = ast.parse(inspect.getsource(module))
    defs = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    names: set[str] = set()
    for node in ast.walk(defs[function]):
        if isinstance(node, ast.Call):
            func = node.func
            first = node.args[0] if node.args else None
            literal = first.value if isinstance(first, ast.Constant) else None
            if isinstance(func, ast.Attribute) and isinstance(literal, str):
                if isinstance(func.value, ast.Name) and func.value.id == "params":
                    names.add(literal)  # params.integer("voor", …)
                elif _is_params_args(func.value) and func.attr in ("get", "getlist"):
                    names.add(literal)  # params.args().get("next")
            if isinstance(func, ast.Name):
                target = getattr(module, func.id, None)
                from_query = any(_is_params_args(a) for a in node.args) or any(
                    _is_params_args(k.value) for k in node.keywords
                )
                if from_query and isinstance(target, type):
                    names |= _form_fields(target) - {"csrf_token"}  # Form(params.args())
                elif func.id in defs:
                    names |= _names_read(module, func.id, seen)
        elif (
            isinstance(node, ast.Compare)
            and _is_params_args(node.comparators[0])
            and isinstance(node.left, ast.Constant)
        ):
            names.add(str(node.left.value))  # "bsn" in params.args()
    return names


def _read_per_endpoint(app: Flask) -> dict[str, set[str]]:
    out = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if not isinstance(view, FunctionType) or not view.__module__.startswith("app."):
            continue
        if view.__module__.startswith("app.api."):
            continue  # the API: its OpenAPI document and tests/test_api_fuzz.py
        names = _names_read(sys.modules[view.__module__], view.__name__)
        if names:
            out[rule.endpoint] = names
    return out


def test_the_registry_declares_every_query_parameter_a_route_reads(shared_app: Flask) -> None:
    read = _read_per_endpoint(shared_app)
    assert "portaal.logboek" in read and "voor" in read["portaal.logboek"]  # the scan works
    declared: dict[str, set[str]] = {}
    for spec in ROUTES:
        if spec.method == "GET":
            declared.setdefault(spec.endpoint, set()).update(spec.query)
    missing = {
        endpoint: sorted(names - declared.get(endpoint, set()))
        for endpoint, names in read.items()
        if names - declared.get(endpoint, set())
    }
    assert not missing, f"declare these in tests/routes/ (RouteSpec.query): {missing}"
