"""External addresses come from the configuration, never from the Host header (issue 20, item 6).

The reproduction: ``Host: evil.example`` on ``/inloggen/sso`` and ``/mijn/inloggen/digid`` gave
``redirect_uri=http://evil.example/…`` — the identity provider would send the code there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from app import create_app
from tests.conftest import base_config, get_database_engine
from tests.support.citizens import burger_app_config
from tests.support.world import World

BASE = "https://eenplan.gemeente.example"


def make_app(db_url: str, tmp: Path, provider: Any, **settings: Any) -> Flask:
    cfg = base_config(tmp, db_url)
    cfg.pop("EENPLAN_TRUSTED_HOSTS", None)  # the defaults, as in production
    cfg["OIDC_PROVIDERS"] = {
        "staff": provider.app_config("OIDC_STAFF_"),
        "burger": burger_app_config(provider),
    }
    cfg.update(settings)
    return create_app(cfg)


@pytest.fixture
def dev_app(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[Flask]:
    """No EENPLAN_BASE_URL (development): only loopback hosts are served."""
    application = make_app(db_url, _tmp_root, oidc_provider)
    yield application
    get_database_engine(application).dispose()


@pytest.fixture
def prod_app(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[Flask]:
    application = make_app(db_url, _tmp_root, oidc_provider, EENPLAN_BASE_URL=BASE)
    yield application
    get_database_engine(application).dispose()


def redirect_uri(resp: Any) -> str:
    assert resp.status_code == 302, resp.status_code
    return parse_qs(urlsplit(resp.headers["Location"]).query)["redirect_uri"][0]


START = {"/inloggen/sso": "/inloggen/sso/terug", "/mijn/inloggen/digid": "/mijn/inloggen/terug"}


@pytest.mark.parametrize("path", list(START))
def test_an_unknown_host_is_refused(
    dev_app: Flask, prod_app: Flask, world: World, path: str
) -> None:
    for app in (dev_app, prod_app):
        resp = app.test_client().get(path, headers={"Host": "evil.example"})
        assert resp.status_code == 400
        assert "evil.example" not in resp.headers.get("Location", "")
        assert "evil.example" not in resp.get_data(as_text=True)
    # Other pages too: the host check is for every request.
    assert (
        dev_app.test_client().get("/inloggen", headers={"Host": "evil.example"}).status_code == 400
    )


@pytest.mark.parametrize("path", list(START))
def test_redirect_uri_comes_from_the_base_url(prod_app: Flask, world: World, path: str) -> None:
    client = prod_app.test_client()
    resp = client.get(path, base_url=BASE)
    assert redirect_uri(resp) == BASE + START[path]
    # Also when the request came in over plain HTTP behind a proxy that did not say so.
    plain = prod_app.test_client().get(path, base_url="http://eenplan.gemeente.example")
    assert redirect_uri(plain) == BASE + START[path]


@pytest.mark.parametrize("path", list(START))
def test_development_builds_it_from_a_loopback_request(
    dev_app: Flask, world: World, path: str
) -> None:
    for base in ("http://localhost", "http://127.0.0.1:5000"):
        resp = dev_app.test_client().get(path, base_url=base)
        assert redirect_uri(resp) == base + START[path]


def test_trusted_hosts_follow_the_base_url_or_the_explicit_setting(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    app = make_app(db_url, _tmp_root, oidc_provider, EENPLAN_BASE_URL=BASE)
    assert app.config["TRUSTED_HOSTS"] == ["eenplan.gemeente.example"]
    get_database_engine(app).dispose()
    app = make_app(
        db_url,
        _tmp_root,
        oidc_provider,
        EENPLAN_BASE_URL=BASE,
        EENPLAN_TRUSTED_HOSTS=["eenplan.gemeente.example", "intern.gemeente.example"],
    )
    assert (
        app.test_client().get("/inloggen", base_url="http://intern.gemeente.example").status_code
        == 200
    )
    resp = app.test_client().get("/inloggen/sso", base_url="http://intern.gemeente.example")
    assert redirect_uri(resp) == BASE + "/inloggen/sso/terug"
    get_database_engine(app).dispose()


@pytest.mark.parametrize(
    "bad", ["eenplan.gemeente.example", "ftp://x.example", "https://x.example/pad"]
)
def test_a_malformed_base_url_stops_the_start(db_url: str, _tmp_root: Path, bad: str) -> None:
    cfg = base_config(_tmp_root, db_url)
    cfg["EENPLAN_BASE_URL"] = bad
    with pytest.raises(ValueError, match="EENPLAN_BASE_URL"):
        create_app(cfg)
