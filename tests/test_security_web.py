"""The web surface, for every route the application has (the url_map, through the route
registry in tests/routes): security headers, no inline script or style, CSRF on every
state-changing request, API tokens only in headers, error pages that say nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from app import ROOT, create_app
from tests.conftest import base_config, get_database_engine, head_seq, login
from tests.routes import ROUTES
from tests.routes.spec import Case, RouteSpec
from tests.support.citizens import login_citizen
from tests.support.logins import Logins
from tests.support.world import World

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csp_directives(resp: Any) -> dict[str, str]:
    value = resp.headers.get("Content-Security-Policy", "")
    out = {}
    for part in value.split(";"):
        name, _, rest = part.strip().partition(" ")
        if name:
            out[name] = rest.strip()
    return out


def assert_secure_headers(resp: Any, what: str) -> None:
    for name, value in REQUIRED.items():
        assert resp.headers.get(name) == value, f"{what}: {name}={resp.headers.get(name)!r}"
    csp = csp_directives(resp)
    assert csp.get("default-src") == "'none'", f"{what}: CSP {csp}"
    assert csp.get("frame-ancestors") == "'none'", what
    if "sandbox" in csp:
        # A download of user content: stricter still — nothing may run or load at all.
        assert "attachment" in resp.headers.get("Content-Disposition", ""), what
        assert not {"script-src", "style-src", "img-src"} & set(csp), f"{what}: {csp}"
    else:
        for directive in ("script-src", "style-src"):
            assert csp.get(directive) == "'self'", f"{what}: {directive} {csp.get(directive)!r}"
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in resp.headers["Content-Security-Policy"]
    assert "camera=()" in resp.headers.get("Permissions-Policy", ""), what
    assert "Strict-Transport-Security" not in resp.headers, f"{what}: HSTS over plain HTTP"
    if not resp.request.path.startswith("/static/"):
        assert resp.headers.get("Cache-Control") == "no-store", (
            f"{what}: {resp.headers.get('Cache-Control')}"
        )


def assert_no_inline_code(html: str, what: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src"), f"{what}: inline <script>"
    assert soup.find("style") is None, f"{what}: <style> element"
    for el in soup.find_all(True):
        for attr in el.attrs:
            assert attr != "style", f"{what}: style attribute on <{el.name}>"
            assert not attr.lower().startswith("on"), f"{what}: {attr} handler on <{el.name}>"
        for attr in ("href", "src", "action", "formaction"):
            value = str(el.get(attr) or "")
            assert not value.strip().lower().startswith("javascript:"), f"{what}: {attr}"


CITIZEN_USERS = {"anna", "truus"}


def _case_for(spec: RouteSpec) -> Case:
    cases = spec.cases()
    allowed = [c for c in cases if spec.allowed(c) and c.user != "anoniem"]
    return allowed[0] if allowed else cases[-1]


def _client_for(app: Flask, world: World, user: str, cache: dict[str, FlaskClient]) -> FlaskClient:
    if user not in cache:
        client = app.test_client()
        if user in CITIZEN_USERS:
            login_citizen(app, client, user)  # citizens log in through the portal (OIDC)
        elif user != "anoniem":
            login(client, user)
        cache[user] = client
    return cache[user]


def _csrf(client: FlaskClient) -> str:
    for page in ("/account/tokens", "/inloggen"):
        m = re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page).get_data(as_text=True)
        )
        if m:
            return m.group(1)
    raise AssertionError("no CSRF token")


def call(
    app: Flask, world: World, spec: RouteSpec, user: str, cache: dict[str, FlaskClient]
) -> Any:
    case = _case_for(spec)
    case = Case(user, case.scenario, case.plan)
    client = _client_for(app, world, user, cache)
    headers = {}
    if spec.kind == "api" and user != "anoniem":
        headers["Authorization"] = f"Bearer {world.tokens[user]}"
    kwargs: dict[str, Any] = {"headers": headers}
    body = spec.body(world, case) if spec.body else {}
    if spec.method != "GET":
        if spec.kind == "api":
            kwargs["json"] = body
        else:
            kwargs["data"] = {**body, "csrf_token": _csrf(client)}
    return client.open(spec.path(world, case), method=spec.method, **kwargs)


@pytest.mark.slow
def test_every_route_sends_the_security_headers_and_no_inline_code(
    app: Flask, world: World
) -> None:
    """As anonymous and as a user who may call it, every registered route (so every rule in
    the url_map: test_every_route_is_in_the_registry guarantees that) answers with the
    headers; every HTML answer is free of inline script and style."""
    cache: dict[str, FlaskClient] = {}
    seen = 0
    # Routes that end the session last, so the other requests keep their login.
    ordered = sorted(
        ROUTES,
        key=lambda s: (
            s.endpoint in ("auth.logout", "account.overal_uitloggen", "portaal.uitloggen")
        ),
    )
    for spec in ordered:
        users = {"anoniem", _case_for(spec).user}
        for user in sorted(users):
            resp = call(app, world, spec, user, cache)
            what = f"{spec.id} as {user} ({resp.status_code})"
            assert resp.status_code < 500, what
            assert_secure_headers(resp, what)
            if resp.mimetype == "text/html":
                assert_no_inline_code(resp.get_data(as_text=True), what)
            seen += 1
    assert seen >= 2 * len({s.id for s in ROUTES}) - 5


def test_static_files_and_error_pages_have_the_headers_too(app: Flask, world: World) -> None:
    client = app.test_client()
    css = client.get("/static/css/eenplan.css")
    assert css.status_code == 200
    assert_secure_headers(css, "static css")
    assert css.headers["Cache-Control"] != "no-store"
    for resp, what in (
        (client.get("/bestaat-niet"), "404"),
        (client.get("/api/v1/bestaat-niet"), "api 404"),
        (client.delete("/inloggen"), "405"),
        (client.post("/inloggen", data={"username": "x"}), "csrf 400"),
    ):
        assert_secure_headers(resp, what)
        if resp.mimetype == "text/html":
            assert_no_inline_code(resp.get_data(as_text=True), what)


def test_hsts_only_over_tls_and_proxy_headers_only_when_trusted(
    app: Flask, db_url: str, _tmp_root: Path, world: World
) -> None:
    client = app.test_client()
    tls = client.get("/inloggen", base_url="https://eenplan.example")
    assert tls.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/inloggen").headers
    # Without PROXY_FIX, anyone can send X-Forwarded-Proto: it is ignored.
    spoofed = client.get("/inloggen", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers
    cfg = base_config(_tmp_root, db_url)
    cfg["PROXY_FIX"] = 1
    behind_proxy = create_app(cfg)
    resp = behind_proxy.test_client().get("/inloggen", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in resp.headers
    get_database_engine(behind_proxy).dispose()


def test_templates_have_no_inline_script_or_style() -> None:
    """Every template, also ones no test renders (the CSP would block them in a browser)."""
    bad = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle\s*=\s*[\"']|\son[a-z]+\s*=\s*[\"']|\son[a-z]+=\S|javascript:",
        re.I,
    )
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


# --- CSRF -----------------------------------------------------------------------------------


def _unsafe_rules(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, m)
        for rule in app.url_map.iter_rules()
        for m in (rule.methods or set()) & UNSAFE
    )


def test_every_state_changing_form_needs_a_csrf_token(app: Flask, world: World) -> None:
    specs = {spec.id: spec for spec in ROUTES}
    checked = []
    logins = Logins(app, set(CITIZEN_USERS))  # each user logs in once (tests/support/logins.py)
    for endpoint, method in _unsafe_rules(app):
        spec = specs[f"{method} {endpoint}"]
        if spec.kind == "api":
            continue
        case = _case_for(spec)
        client = app.test_client() if case.user == "anoniem" else logins.client(case.user)[0]
        body = spec.body(world, case) if spec.body else {}
        before = head_seq(app)
        for token in (None, "forged-token", _csrf(app.test_client())):  # none, made up, another's
            data = dict(body)
            if token is not None:
                data["csrf_token"] = token
            resp = client.open(spec.path(world, case), method=method, data=data)
            assert resp.status_code == 400, (
                f"{spec.id} as {case.user} with {token!r}: {resp.status_code}"
            )
            assert "formulier is verlopen" in resp.get_data(as_text=True)
        assert head_seq(app) == before, f"{spec.id} wrote logboek lines without a CSRF token"
        if case.user != "anoniem":
            assert client.get("/account/").status_code == 200  # nothing happened (still in)
        checked.append(spec.id)
    assert "POST auth.login" in checked and "POST account.overal_uitloggen" in checked


def test_login_without_csrf_token_does_not_log_in(app: Flask, world: World) -> None:
    from tests.support.world import PASSWORD

    client = app.test_client()
    resp = client.post("/inloggen", data={"username": "reg1", "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen"  # no login pending


def test_cookie_authenticated_api_calls_need_the_csrf_header(app: Flask, world: World) -> None:
    specs = {spec.id: spec for spec in ROUTES}
    client = app.test_client()
    login(client, "reg1")
    token = _csrf(client)
    checked = 0
    for endpoint, method in _unsafe_rules(app):
        spec = specs[f"{method} {endpoint}"]
        if spec.kind != "api" or endpoint.startswith("bronnen_api."):
            # The source API never accepts a session (only a source token): nothing to forge.
            continue
        case = Case("reg1", "eigen", "a")
        body = spec.body(world, case) if spec.body else {}
        before = head_seq(app)
        refused = client.open(spec.path(world, case), method=method, json=body)
        assert refused.status_code == 400, f"{spec.id}: {refused.status_code}"
        assert refused.mimetype == "application/problem+json"
        assert head_seq(app) == before
        forged = client.open(
            spec.path(world, case), method=method, json=body, headers={"X-CSRFToken": "x"}
        )
        assert forged.status_code == 400
        # With the header the CSRF check passes (what follows is the route's own answer).
        passed = client.open(
            spec.path(world, case), method=method, json=body, headers={"X-CSRFToken": token}
        )
        assert passed.status_code != 400 or "invalidParams" in passed.get_json(), spec.id
        checked += 1
    assert checked >= 6


# --- API tokens only in headers -------------------------------------------------------------


@pytest.mark.parametrize("param", ["access_token", "token", "api_key", "bearer"])
def test_api_tokens_in_the_url_or_body_are_ignored(app: Flask, world: World, param: str) -> None:
    client = app.test_client()
    plain = world.tokens["reg1"]
    assert client.get(f"/api/v1/plannen?{param}={plain}").status_code == 401
    resp = client.post("/api/v1/personen/_zoek", data={param: plain, "bsn": "111222333"})
    assert resp.status_code == 401
    assert (
        client.get("/api/v1/plannen", headers={"Authorization": f"Bearer {plain}"}).status_code
        == 200
    )


def test_other_authorization_schemes_are_refused(app: Flask, world: World) -> None:
    import base64

    plain = world.tokens["reg1"]
    client = app.test_client()
    basic = base64.b64encode(f"reg1:{plain}".encode()).decode()
    for header in (f"Basic {basic}", f"Token {plain}", plain, f"Bearer {plain}x"):
        resp = client.get("/api/v1/plannen", headers={"Authorization": header})
        assert resp.status_code == 401, header
        assert resp.headers["WWW-Authenticate"] == 'Bearer realm="eenplan"'


# --- error pages ----------------------------------------------------------------------------


def test_error_pages_show_no_stack_trace_sql_or_personal_data(
    db_url: str, _tmp_root: Path, world: World
) -> None:
    app = create_app(base_config(_tmp_root, db_url))

    def boom() -> str:
        raise RuntimeError(
            "SELECT * FROM person WHERE bsn = '111222333' -- Anna Aalders, Teststraat 1"
        )

    app.add_url_rule("/_test/boom", "boom", boom)
    app.add_url_rule("/api/v1/_test/boom", "api_boom", boom)
    client = app.test_client()
    for path, kind in (
        ("/_test/boom", "text/html"),
        ("/api/v1/_test/boom", "application/problem+json"),
    ):
        resp = client.get(path, headers={"Authorization": f"Bearer {world.tokens['reg1']}"})
        assert resp.status_code == 500 and resp.mimetype == kind
        body = resp.get_data(as_text=True)
        for leak in ("Traceback", "SELECT", "111222333", "Anna", "RuntimeError", "boom", 'File "'):
            assert leak not in body, f"{path} shows {leak!r}"
        assert_secure_headers(resp, path)
    get_database_engine(app).dispose()
