"""Browser tests: Playwright driving Debian's Chromium against a real server on localhost."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _watched_page(context: Any, violations: list[str]) -> Any:
    """A page of ``context`` with the suite's timeout, whose Content-Security-Policy reports
    (inline script or style, a resource from elsewhere) are collected in ``violations``."""
    p = context.new_page()
    p.set_default_timeout(15_000)
    p.on(
        "console",
        lambda msg: (
            violations.append(f"{p.url}: {msg.text}")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return p


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Another browser (a context of its own: its own cookies), for a second user in the same
    test: ``new_page(locale="nl-NL", init_script=None, **context_options)``. Its pages get the
    same timeout and CSP check as :func:`page`; the contexts are closed at the end."""
    contexts: list[Any] = []
    violations: list[str] = []

    def make(locale: str = "nl-NL", init_script: str | None = None, **options: Any) -> Any:
        context = browser.new_context(locale=locale, **options)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        return _watched_page(context, violations)

    yield make
    for context in contexts:
        context.close()
    assert violations == [], f"CSP violations: {violations}"


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A fresh browser page (Dutch). Any Content-Security-Policy violation the browser reports
    on it fails the test."""
    return new_page()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page, once it has loaded
    (a navigation still in flight would leave axe without a document)."""
    page.wait_for_load_state("load")
    page.evaluate(AXE)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}: {violations}"


def staff_login(page: Any, base: str, username: str, password: str) -> None:
    """Log in with the keyboard only: password, then the code from the user's authenticator
    (world users have one, see tests.support.world.totp_secret; a user without one sets it up from the
    secret shown next to the QR code)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    from app.auth.mfa import current_code
    from tests.support.world import totp_secret

    page.goto(f"{base}/inloggen")
    page.keyboard.press("Tab")  # skip link
    page.locator("input[name=username]").focus()  # by name: the label follows the language
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/inloggen"))
    enrolment = page.url.endswith("/inloggen/tweestapsverificatie")
    if enrolment:
        secret = page.locator(".ep-secret").inner_text().replace(" ", "")
    elif page.url.endswith("/inloggen/code"):
        secret = totp_secret(username)
    else:
        return
    page.get_by_label(re.compile("^Code")).focus()
    page.keyboard.type(current_code(secret))
    try:
        with page.expect_navigation(timeout=20_000) as answer:
            page.keyboard.press("Enter")
    except PlaywrightTimeoutError as exc:
        raise AssertionError(f"login of {username}: no answer to the code within 20 s") from exc
    if not enrolment and page.url.endswith("/inloggen/code"):
        # Still on the code page: say why (the answer's status and what the page says). The
        # in-process test server accepts a code more than once (MFA_REPLAY_PROTECTION off);
        # the quick start's server does not, and a test logs each staff member in there once.
        response = answer.value
        status = response.status if response is not None else None
        said = " ".join(page.locator("main").inner_text().split())[:300]
        raise AssertionError(f"login of {username}: code page answered {status} ({said})")
    if enrolment:
        page.get_by_role("heading", name=re.compile("herstelcodes")).wait_for()
        page.get_by_role("link", name=re.compile("Ik heb de codes bewaard")).focus()
        page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/inloggen" not in url)
