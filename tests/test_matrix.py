"""The access matrix: every role × every route × (own, someone else's, former) object.

For each case it checks the status, the fields or texts the user gets, and — the logboek
guarantee — exactly the logboek lines the request must write (and none when access is denied).
Routes that change data get a fresh database per allowed case; all other cases share one.
Each user logs in once per database and reuses the session cookie (see "one login per user").
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from tests.conftest import (
    Template,
    base_config,
    get_database_engine,
    head_seq,
    log_lines,
    pseudonym,
    template_for,
)
from tests.routes import ROUTES
from tests.routes.facts import CITIZENS, MANDATE_LABEL, MANDATED, is_vervanger
from tests.routes.spec import USERS, Case, Line, RouteSpec
from tests.support.logins import Login, Logins, log_in
from tests.support.world import BSN, VERVANGING_REDEN, World


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


def call(
    app: Flask, world: World, logins: Logins, spec: RouteSpec, case: Case
) -> tuple[Any, list[dict[str, Any]]]:
    """Make the request as the case's user; return the response and the lines it wrote.

    Staff and citizens come with the session cookie of their one login on this database
    (``logins``, see tests/support/logins.py); API calls by staff carry their token instead."""
    client = app.test_client()
    headers: dict[str, str] = {}
    csrf = ""
    if case.user in CITIZENS or (case.user != "anoniem" and spec.kind != "api"):
        client, csrf = logins.client(case.user)  # citizens have no API token: their session
    elif case.user != "anoniem":
        headers["Authorization"] = f"Bearer {world.tokens[case.user]}"
    url = spec.path(world, case)
    body = spec.body(world, case) if spec.body else None
    kwargs: dict[str, Any] = {"headers": headers}
    if spec.method != "GET":
        if spec.kind == "api":
            kwargs["json"] = body or {}
            if case.user in CITIZENS:
                headers["X-CSRFToken"] = csrf
        else:
            if case.user == "anoniem":
                client, csrf = logins.client("anoniem")  # a session with just a CSRF token
            data = dict(body or {})
            data["csrf_token"] = csrf
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


def check(app: Flask, world: World, logins: Logins, spec: RouteSpec, case: Case) -> None:
    resp, rows = call(app, world, logins, spec, case)
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


# --- one login per user and database ---------------------------------------------------------
# Every user of the matrix is logged in once, in a copy of the world's template (the "logged-in
# template"); the cases that change data get a copy of that, the others share one copy per
# module. Their cookies are reused; a case that ended or changed a session makes the next case
# of that user log in again (tests/support/logins.py checks each cookie before it is reused).

# Sessions end after SESSION_IDLE_MINUTES (30) without activity: a logged-in template older than
# this is made again, so copies of it never start with sessions close to their idle timeout.
REFRESH_SECONDS = 15 * 60

_logged_in: dict[str, Template] = {}


def _log_everyone_in(app: Flask) -> dict[str, Login]:
    return {user: log_in(app, user, CITIZENS) for user in USERS}


def logged_in_template(backend: str, templates: dict[str, Template], tmp: Path) -> Template:
    current = _logged_in.get(backend)
    if current is None or time.monotonic() - current.made > REFRESH_SECONDS:
        if current is not None:
            current.drop()
        source = template_for(backend, templates, tmp)
        current = Template(backend, tmp, source=source, prepare=_log_everyone_in)
        _logged_in[backend] = current
    return current


@pytest.fixture(scope="session")
def _logged_in_templates() -> Iterator[dict[str, Template]]:
    yield _logged_in
    for t in _logged_in.values():
        t.drop()
    _logged_in.clear()


@pytest.fixture(scope="module")
def matrix_shared(
    shared_backend: str,
    templates: dict[str, Template],
    _logged_in_templates: dict[str, Template],
    _tmp_root: Path,
) -> Iterator[tuple[Flask, World, Logins]]:
    """One copy of the logged-in template for all cases that change nothing but the logboek."""
    template = logged_in_template(shared_backend, templates, _tmp_root)
    url, cleanup = template.copy()
    application = create_app(base_config(_tmp_root, url))
    yield application, template.world, Logins(application, CITIZENS, template.prepared)
    get_database_engine(application).dispose()
    cleanup()


@pytest.fixture
def matrix_fresh(
    backend: str,
    templates: dict[str, Template],
    _logged_in_templates: dict[str, Template],
    _tmp_root: Path,
) -> Iterator[tuple[Flask, World, Logins]]:
    """A copy of the logged-in template of its own, for a case that changes data."""
    template = logged_in_template(backend, templates, _tmp_root)
    url, cleanup = template.copy()
    application = create_app(base_config(_tmp_root, url))
    yield application, template.world, Logins(application, CITIZENS, template.prepared)
    get_database_engine(application).dispose()
    cleanup()


@pytest.mark.matrix
@pytest.mark.parametrize(("spec", "case"), _cases(mutating=False))
def test_matrix_shared(
    matrix_shared: tuple[Flask, World, Logins], spec: RouteSpec, case: Case
) -> None:
    check(*matrix_shared, spec, case)


@pytest.mark.matrix
@pytest.mark.parametrize(("spec", "case"), _cases(mutating=True))
def test_matrix_changes(
    matrix_fresh: tuple[Flask, World, Logins], spec: RouteSpec, case: Case
) -> None:
    check(*matrix_fresh, spec, case)


def test_every_route_is_in_the_registry(app: Flask) -> None:
    # Not marked matrix: it is quick, and the quick loop should catch an unregistered route.
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
