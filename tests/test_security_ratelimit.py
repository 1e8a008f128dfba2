"""Rate limits, declared at the views: every login step shares one limit per address, both
OpenID Connect returns (staff SSO and the citizen portal) have one, both APIs (staff and
sources) one per token; and every application keeps its own switch and counters.

Real requests against apps with tiny limits; tests/conftest.py switches the limits off for
every other test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import oidc_provider_config
from app.db import session
from app.signalen import inrichting as signalen_services
from tests.conftest import base_config, get_database_engine
from tests.support.world import World

OTHER_ADDRESS = {"REMOTE_ADDR": "10.0.0.7"}


def _provider(prefix: str) -> dict[str, Any]:
    """A provider that is never contacted: the returns below carry ?error=…, which Authlib and
    the views refuse before any request to the provider."""
    cfg = oidc_provider_config({prefix + "ISSUER": "https://idp.example.invalid"}, prefix)
    assert cfg is not None
    return cfg


@pytest.fixture
def make_app(db_url: str, _tmp_root: Path, world: World) -> Iterator[Any]:
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        cfg = base_config(_tmp_root, db_url)
        cfg.update({"RATELIMIT_ENABLED": True, **settings})
        app = create_app(cfg)
        made.append(app)
        return app

    yield make
    for app in made:
        get_database_engine(app).dispose()


def _csrf(client: FlaskClient) -> str:
    import re

    html = client.get("/inloggen").get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m, "no CSRF token"
    return m.group(1)


def _post(client: FlaskClient, path: str, token: str) -> Any:
    return client.post(path, data={"csrf_token": token})


def _assert_throttled(resp: Any) -> None:
    assert resp.status_code == 429, resp.status_code
    assert "Retry-After" in resp.headers


def test_every_login_step_shares_one_limit(make_app: Any) -> None:
    app = make_app(RATELIMIT_LOGIN="6 per minute")
    client = app.test_client()
    token = _csrf(client)
    steps = [
        "/inloggen",
        "/inloggen/code",
        "/inloggen/tweestapsverificatie",
        "/inloggen/nieuw-wachtwoord",
        "/account/wachtwoord",
        "/account/beveiliging/herstelcodes",
    ]
    for path in steps:
        assert _post(client, path, token).status_code != 429, path
    for path in steps:  # one limit for all of them: each step is refused now
        _assert_throttled(_post(client, path, token))
    # Reading the pages is not limited.
    assert client.get("/inloggen").status_code == 200


def test_the_staff_sso_return_is_throttled(make_app: Any) -> None:
    app = make_app(RATELIMIT_LOGIN="2 per minute", OIDC_PROVIDERS={"staff": _provider("S_")})
    client = app.test_client()
    url = "/inloggen/sso/terug?error=access_denied"
    for _ in range(2):
        assert client.get(url).status_code == 302
    _assert_throttled(client.get(url))
    assert client.get(url, environ_base=OTHER_ADDRESS).status_code == 302


def test_the_portal_login_return_is_throttled(make_app: Any) -> None:
    """/mijn/inloggen/terug got no limit at all when limits were installed by endpoint name
    before the portal's blueprint was registered."""
    app = make_app(RATELIMIT_LOGIN="2 per minute", OIDC_PROVIDERS={"burger": _provider("B_")})
    client = app.test_client()
    url = "/mijn/inloggen/terug?error=access_denied"
    for _ in range(2):
        assert client.get(url).status_code == 401
    _assert_throttled(client.get(url))
    assert "te veel verzoeken" in client.get(url).get_data(as_text=True).lower()
    assert client.get(url, environ_base=OTHER_ADDRESS).status_code == 401


def _bron_token(app: Flask, code: str) -> dict[str, str]:
    with app.app_context():
        bron = signalen_services.bron(code)
        assert bron is not None
        _t, plain = signalen_services.maak_bron_token(bron, "test")
        session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_the_source_api_is_throttled_per_token(make_app: Any) -> None:
    """The bronnen API got no limit at all (its blueprint was registered after the limits)."""
    app = make_app(RATELIMIT_API="2 per minute")
    cjib, belastingdienst = _bron_token(app, "cjib"), _bron_token(app, "belastingdienst")
    client = app.test_client()
    url = "/api/v1/bronnen/cjib/signalen"
    for _ in range(2):
        resp = client.post(url, json={}, headers=cjib)
        assert resp.status_code == 400, resp.status_code
        assert resp.headers.get("X-RateLimit-Limit") == "2"
    blocked = client.post(url, json={}, headers=cjib)
    _assert_throttled(blocked)
    assert blocked.mimetype == "application/problem+json"
    # Another source's token has its own counter.
    other = "/api/v1/bronnen/belastingdienst/signalen"
    assert client.post(other, json={}, headers=belastingdienst).status_code == 400


def test_the_staff_api_is_throttled_per_token(make_app: Any, world: World) -> None:
    app = make_app(RATELIMIT_API="2 per minute")
    client = app.test_client()
    reg1 = {"Authorization": f"Bearer {world.tokens['reg1']}"}
    for _ in range(2):
        assert client.get("/api/v1/plannen", headers=reg1).status_code == 200
    _assert_throttled(client.get("/api/v1/plannen", headers=reg1))
    reg2 = {"Authorization": f"Bearer {world.tokens['reg2']}"}
    assert client.get("/api/v1/plannen", headers=reg2).status_code == 200


def test_each_application_keeps_its_own_switch_and_counters(make_app: Any) -> None:
    """One limiter serves every application; the limits are declared once, at the views, but
    each app has its own storage and its own RATELIMIT_ENABLED (tests make many apps)."""
    first = make_app(RATELIMIT_LOGIN="2 per minute")
    second = make_app(RATELIMIT_LOGIN="2 per minute")
    off = make_app(RATELIMIT_ENABLED=False, RATELIMIT_LOGIN="1 per minute")
    a, b, c = first.test_client(), second.test_client(), off.test_client()
    ta, tb, tc = _csrf(a), _csrf(b), _csrf(c)
    for _ in range(2):
        assert _post(a, "/inloggen", ta).status_code != 429
    _assert_throttled(_post(a, "/inloggen", ta))  # still on after an app with limits off
    for _ in range(2):  # the same address, but another app: its own counter
        assert _post(b, "/inloggen", tb).status_code != 429
    _assert_throttled(_post(b, "/inloggen", tb))
    for _ in range(5):  # limits off in this app, whatever the others do
        assert _post(c, "/inloggen", tc).status_code != 429
