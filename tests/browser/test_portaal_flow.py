"""Mijn Eenplan in a real browser: a citizen logs in through a real OpenID Connect provider
process, opens "Wie heeft mijn gegevens gezien", a regisseur views the plan in a second
browser context, and the new line appears without a reload. axe-core checks every portal page
(WCAG 2.1 A/AA); the page fixture fails on any CSP violation (the live script is a file)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from playwright.sync_api import expect

from app import create_app
from tests.browser.conftest import LiveServer, assert_accessible, staff_login
from tests.conftest import base_config, get_database_engine
from tests.support.citizens import burger_app_config
from tests.support.oidc_provider import free_port
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser

PORTAL_PAGES = [
    ("/mijn/", "Mijn plan"),
    ("/mijn/logboek", "Wie heeft mijn gegevens gezien"),
    ("/mijn/uitwisselingen", "Met wie is wat uitgewisseld"),
    ("/mijn/signalen", "Signalen over mij"),
    ("/mijn/toegang", "Wie mag wat zien"),
    ("/mijn/berichten", "Berichten"),
    ("/mijn/basisgegevens", "Mijn basisgegevens"),
    ("/mijn/gegevens", "Mijn gegevens downloaden"),
]


@pytest.fixture
def portaal_server(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[LiveServer]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    cfg["PORTAAL_LIVE_HEARTBEAT_SECONDS"] = 1
    cfg["PORTAAL_LIVE_MAX_SECONDS"] = 60
    app: Flask = create_app(cfg)
    with LiveServer(app) as server:
        yield server
    get_database_engine(app).dispose()


class QuickStart:
    """The quick start's own server, started as scripts/run.sh does (``serve.py``): uvicorn
    serving asgi:app with two worker processes (the pages in a thread pool, the streams on the event loop), on
    the test database and the test's OIDC provider."""

    def __init__(self, db_url: str, instance: Path, provider: Any, **extra: str) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        cfg = base_config(instance, db_url)
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "SECRET_KEY": cfg["SECRET_KEY"],
            "AUDIT_SUBJECT_KEY": cfg["AUDIT_SUBJECT_KEY"],
            "AUDIT_CHAIN_KEY": cfg["AUDIT_CHAIN_KEY"],
            "AUDIT_ANCHOR_STORE": cfg["AUDIT_ANCHOR_STORE"],
            "MFA_KEY": cfg["MFA_KEY"],
            "EENPLAN_MUNICIPALITY": cfg["EENPLAN_MUNICIPALITY"],
            "EENPLAN_ARGON2_PROFILE": "test",
            "RATELIMIT_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            "PORTAAL_LIVE_HEARTBEAT_SECONDS": "1",
            "OIDC_BURGER_ISSUER": provider.url,
            "OIDC_BURGER_CLIENT_ID": "eenplan-test",
            "OIDC_BURGER_CLIENT_SECRET": "test-secret",
            **extra,
        }
        root = Path(__file__).resolve().parents[2]
        self.log = open(instance / f"quickstart-{port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed module
            [
                sys.executable,
                "serve.py",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, "the quick start's server stopped"
            assert time.monotonic() < deadline, "the quick start's server did not start"
            try:
                if httpx.get(self.url + "/inloggen", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def quickstart_server(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[QuickStart]:
    server = QuickStart(db_url, _tmp_root, oidc_provider)
    yield server
    server.close()


def digid_login(page: Any, base: str, provider: Any, sub: str) -> None:
    page.goto(f"{base}/mijn/inloggen")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("DigiD")).click()  # Dutch or English
    page.wait_for_url(f"{provider.url}/oauth2/authorize**")
    page.locator("input[name=sub]").first.fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_citizen_sees_a_new_line_appear_live(
    quickstart_server: QuickStart, page: Any, new_page: Any, oidc_provider: Any, world: Any
) -> None:
    """Against the quick start's own configuration (two worker processes on SQLite): the
    regisseur's view may be served by the other process than the citizen's stream."""
    portaal_server = quickstart_server
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    digid_login(page, portaal_server.url, oidc_provider, "digid-anna")
    page.get_by_role("heading", name="Mijn plan").wait_for()
    for path, heading in PORTAL_PAGES:
        page.goto(f"{portaal_server.url}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert_accessible(page)
    page.goto(f"{portaal_server.url}/mijn/logboek")
    # (Waiting with locators, not wait_for_function: the page's CSP forbids eval.)
    expect(page.locator("#logregels[data-ready='1']")).to_have_count(1)
    before = page.locator("#logregels > li").count()
    # A regisseur opens Anna's plan, in another browser (context).
    staff = new_page(locale="nl-NL")
    staff_login(staff, portaal_server.url, "reg1", PASSWORD)
    staff.goto(f"{portaal_server.url}/plannen/{world.plans['a']}")
    staff.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    staff.context.close()
    # The line arrives on the open page, without a reload.
    # (The werklijst after login and the plan page: a line each.)
    expect(page.locator("#logregels > li").nth(before)).to_be_attached(timeout=10_000)
    newest = page.locator("#logregels > li").first
    assert "Regina Eerste" in newest.inner_text() and "Bekeken" in newest.inner_text()
    assert "nieuwe regel" in page.locator("#live-status").inner_text()
    assert_accessible(page)
    # Log out: here, and at the provider.
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.get_by_role("heading", name="U bent uitgelogd").wait_for()
    assert_accessible(page)
    page.goto(f"{portaal_server.url}/mijn/")
    page.get_by_role("heading", name="Inloggen op Mijn Eenplan").wait_for()


def test_bad_input_pages_are_clear_and_accessible(
    portaal_server: LiveServer, page: Any, oidc_provider: Any, world: Any
) -> None:
    for sub, claims, heading in [
        ("digid-geen-bsn", {}, "Wij kregen uw burgerservicenummer niet"),
        ("digid-fout", {"bsn": "123456789"}, "Wij kregen een burgerservicenummer dat niet klopt"),
        ("digid-bram", {"bsn": BSN["bram"]}, "Er is geen plan voor u"),
    ]:
        oidc_provider.set_user(sub, claims)
        digid_login(page, portaal_server.url, oidc_provider, sub)
        page.get_by_role("heading", name=heading).wait_for()
        assert "Anna" not in page.content()
        assert_accessible(page)


def test_polling_fallback_without_event_source(
    portaal_server: LiveServer, new_page: Any, oidc_provider: Any, world: Any
) -> None:
    page = new_page(locale="nl-NL", init_script="delete window.EventSource;")
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    digid_login(page, portaal_server.url, oidc_provider, "digid-anna")
    page.get_by_role("heading", name="Mijn plan").wait_for()
    page.goto(f"{portaal_server.url}/mijn/logboek")
    before = page.locator("#logregels > li").count()
    staff = new_page(locale="nl-NL")
    staff_login(staff, portaal_server.url, "reg1", PASSWORD)
    staff.goto(f"{portaal_server.url}/plannen/{world.plans['a']}")
    staff.context.close()
    expect(page.locator("#logregels > li").nth(before)).to_be_attached(timeout=15_000)
    assert "Regina Eerste" in page.locator("#logregels > li").first.inner_text()
    page.context.close()


def test_a_refused_stream_falls_back_to_polling(
    db_url: str, _tmp_root: Path, new_page: Any, oidc_provider: Any, world: Any
) -> None:
    """The stream service refuses every stream (429: the limit is 0 here); the page polls and
    the new line still arrives."""
    server = QuickStart(db_url, _tmp_root, oidc_provider, PORTAAL_LIVE_MAX_PER_SESSIE="0")
    try:
        page = new_page(locale="nl-NL")
        oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
        digid_login(page, server.url, oidc_provider, "digid-anna")
        page.get_by_role("heading", name="Mijn plan").wait_for()
        refused = []
        page.on(
            "response",
            lambda r: refused.append(r.status) if "/mijn/logboek/live" in r.url else None,
        )
        page.goto(f"{server.url}/mijn/logboek")
        expect(page.locator("#logregels[data-polling='1']")).to_have_count(1)
        assert 429 in refused
        before = page.locator("#logregels > li").count()
        staff = new_page(locale="nl-NL")
        staff_login(staff, server.url, "reg1", PASSWORD)
        staff.goto(f"{server.url}/plannen/{world.plans['a']}")
        staff.context.close()
        expect(page.locator("#logregels > li").nth(before)).to_be_attached(timeout=15_000)
        assert "Regina Eerste" in page.locator("#logregels > li").first.inner_text()
        page.context.close()
    finally:
        server.close()


def test_trusted_person_reads_the_plan_read_only(
    portaal_server: LiveServer, page: Any, oidc_provider: Any, world: Any
) -> None:
    # Truus has no plan; Anna gave her read-only access (rule 12).
    oidc_provider.set_user("digid-truus", {"bsn": BSN["truus"]})
    digid_login(page, portaal_server.url, oidc_provider, "digid-truus")
    page.get_by_role("heading", name="Meekijken", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Plan van Anna Aalders").click()
    page.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    assert page.get_by_role("button", name="Versturen").count() == 0
    assert "Regina Eerste" in page.content()
    assert_accessible(page)
