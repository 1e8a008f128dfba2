"""The access matrix: every role × every route × (own, someone else's, former) object.

For each case it checks the status, the fields or texts the user gets, and — the logboek
guarantee — exactly the logboek lines the request must write (and none when access is denied).
Routes that change data get a fresh database per allowed case; all other cases share one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.citizens import login_citizen
from tests.conftest import head_seq, log_lines, login, pseudonym
from tests.routes import ROUTES
from tests.routes.facts import CITIZENS, MANDATE_LABEL, MANDATED, is_vervanger
from tests.routes.spec import Case, Line, RouteSpec
from tests.world import BSN, VERVANGING_REDEN, World


def _cases(mutating: bool) -> list[Any]:
    out = []
    for spec in ROUTES:
        for case in spec.cases():
            fresh = spec.mutates and spec.allowed(case)
            if fresh == mutating:
                out.append(
                    pytest.param(
                        spec, case, id=f"{spec.id}[{spec_label(spec)}]-{case.user}-{case.scenario}"
                    )
                )
    return out


def spec_label(spec: RouteSpec) -> str:
    # Distinguish specs of one endpoint (e.g. the Schuldhulp vs Jeugdhulp activity variants).
    same = [s for s in ROUTES if s.id == spec.id]
    return str(same.index(spec)) if len(same) > 1 else "0"


def _csrf(client: FlaskClient, logged_in: bool) -> str:
    page = client.get("/account/tokens" if logged_in else "/inloggen")
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    if (
        m is None
    ):  # users without the tokens page (there are none yet) fall back to the account page
        page = client.get("/account/")
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert m, "no CSRF token found"
    return m.group(1)


def call(app: Flask, world: World, spec: RouteSpec, case: Case) -> tuple[Any, list[dict[str, Any]]]:
    """Make the request as the case's user; return the response and the lines it wrote."""
    client = app.test_client()
    headers: dict[str, str] = {}
    if case.user in CITIZENS:
        login_citizen(app, client, case.user)  # citizens have no API token: their session
    elif case.user != "anoniem":
        if spec.kind == "api":
            headers["Authorization"] = f"Bearer {world.tokens[case.user]}"
        else:
            login(client, case.user)
    url = spec.path(world, case)
    body = spec.body(world, case) if spec.body else None
    kwargs: dict[str, Any] = {"headers": headers}
    if spec.method != "GET":
        if spec.kind == "api":
            kwargs["json"] = body or {}
            if case.user in CITIZENS:
                headers["X-CSRFToken"] = _csrf(client, True)
        else:
            data = dict(body or {})
            data["csrf_token"] = _csrf(client, case.user != "anoniem")
            kwargs["data"] = data
    before = head_seq(app)
    resp = client.open(url, method=spec.method, **kwargs)
    return resp, log_lines(app, before)


def actual_lines(app: Flask, rows: list[dict[str, Any]]) -> Counter[Line]:
    by_pseudonym = {pseudonym(app, bsn): key for key, bsn in BSN.items()}
    return Counter(
        Line(
            by_pseudonym.get(r["data_subject_id"], r["data_subject_id"]),
            r["action"],
            frozenset(c for c in r["data_categories"].split(",") if c),
            r["kind"],
            bool(r["emergency"]),
        )
        for r in rows
    )


def check(app: Flask, world: World, spec: RouteSpec, case: Case) -> None:
    resp, rows = call(app, world, spec, case)
    expected_status = spec.expected_status(case)
    body = resp.get_data(as_text=True)
    assert resp.status_code == expected_status, (
        f"{spec.id} as {case.user}/{case.scenario}: {resp.status_code}"
    )
    allowed = spec.allowed(case)
    if not allowed:
        assert rows == [], f"denied request wrote logboek lines: {rows}"
        from tests.routes.facts import PERSON_NAME

        own = PERSON_NAME.get(case.user)  # a citizen's own name is in the page header
        for name in PERSON_NAME.values():
            assert name == own or name not in body, f"denied response shows {name}"
        for bsn in BSN.values():
            assert bsn not in body
        if spec.kind == "api" and resp.status_code >= 400:
            assert resp.mimetype == "application/problem+json"
        return
    expected_lines = spec.lines(world, case) if spec.lines else []
    if is_vervanger(case):
        # A stand-in's every line is emergency access with the reason given.
        expected_lines = [replace(line, emergency=True) for line in expected_lines]
    expected = Counter(expected_lines)
    assert actual_lines(app, rows) == expected, (
        f"logboek lines of {spec.id} as {case.user}/{case.scenario}"
    )
    for r in rows:
        # Who acted: a mandated regisseur acts "namens" the municipality; a stand-in says so.
        assert r["actor_mandate"] == (MANDATE_LABEL if case.user in MANDATED else None)
        own_reason = spec.reason(world, case) if spec.reason else None
        if r["emergency"]:
            assert r["reason"], "emergency access without a reason"
            assert r["actor_role"] == "Regisseur (vervanging)" or spec.id == (
                "POST autorisaties.vervanging"
            )
        else:
            assert r["reason"] == own_reason
        if is_vervanger(case):
            expected_reason = VERVANGING_REDEN
            if own_reason:
                expected_reason = f"{VERVANGING_REDEN} | Doorprikken: {own_reason}"
            assert r["reason"] == expected_reason
    for text in spec.must_show(world, case):
        assert text in body, f"{text!r} missing"
    for text in spec.must_not_show(world, case):
        assert text not in body, f"{text!r} must not be shown"
    if spec.api_fields is not None and resp.is_json:
        assert set(resp.get_json()) == spec.api_fields(case)


@pytest.mark.parametrize(("spec", "case"), _cases(mutating=False))
def test_matrix_shared(shared_app: Flask, shared_world: World, spec: RouteSpec, case: Case) -> None:
    check(shared_app, shared_world, spec, case)


@pytest.mark.parametrize(("spec", "case"), _cases(mutating=True))
def test_matrix_changes(app: Flask, world: World, spec: RouteSpec, case: Case) -> None:
    check(app, world, spec, case)


def test_every_route_is_in_the_registry(app: Flask) -> None:
    registered = {
        f"{m} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        for m in rule.methods or ()
        if m not in ("HEAD", "OPTIONS") and rule.endpoint != "static"
    }
    described = {spec.id for spec in ROUTES}
    assert registered - described == set(), (
        "routes missing from tests/routes (add them to the matrix)"
    )
    assert described - registered == set(), "registry describes routes that do not exist"
