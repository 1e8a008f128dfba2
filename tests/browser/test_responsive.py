"""Every citizen page and the main staff pages on a phone (375 px) and a wide screen (1280 px),
in both themes (EENPLAN_THEMA voorbeeld and amsterdam), per language: axe-core finds no WCAG 2.1
A/AA violation and nothing scrolls sideways (issue 19). The language is a parameter: the browser
context sends it as Accept-Language: Dutch and English.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from app import create_app
from tests.browser.conftest import LiveServer, axe_violations, staff_login
from tests.browser.test_portaal_flow import PORTAL_PAGES, digid_login
from tests.conftest import base_config, get_database_engine
from tests.support.citizens import burger_app_config
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser

THEMES = ["voorbeeld", "amsterdam"]
# scripts/screenshots.sh sets this: the pages below are then saved as PNG there (docs/img).
SCREENSHOTS = os.environ.get("EENPLAN_SCREENSHOTS", "")
SHOOT = {"/mijn/": "mijn-plan", "/mijn/logboek": "mijn-logboek", "/plannen": "werklijst"}
LANGUAGES = ["nl", "en"]
WIDTHS = [375, 1280]

# The main staff pages, per user who works with them.
STAFF_PAGES: dict[str, list[Any]] = {
    "reg1": [
        lambda w: "/plannen",
        lambda w: f"/plannen/{w.plans['a']}",
        lambda w: "/plannen/nieuw",
        lambda w: f"/plannen/{w.plans['a']}/bewerken",
        lambda w: "/signalen/",
        lambda w: "/berichten",
        lambda w: "/signalen/melden",
        lambda w: "/signalen/mijn-meldingen",
        lambda w: "/account",
    ],
    "hulp1": [lambda w: "/activiteiten", lambda w: "/vragen/"],
    "privacy1": [lambda w: "/privacy/"],
    "beheer1": [lambda w: "/beheer/gebruikers", lambda w: "/beheer/verwerkingsregister/"],
    "teamleider1": [lambda w: "/teamleider/"],
}


@pytest.fixture(params=THEMES)
def themed_server(
    request: pytest.FixtureRequest, db_url: str, _tmp_root: Path, oidc_provider: Any
) -> Iterator[LiveServer]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    cfg["EENPLAN_THEMA"] = request.param
    if request.param == "amsterdam":
        cfg["EENPLAN_MUNICIPALITY"] = "Gemeente Amsterdam"
    app: Flask = create_app(cfg)
    with LiveServer(app) as server:
        yield server
    get_database_engine(app).dispose()


def _context(browser: Any, lang: str, width: int) -> Any:
    return browser.new_context(
        locale={"nl": "nl-NL", "en": "en-GB"}[lang],
        extra_http_headers={"Accept-Language": lang},
        viewport={"width": width, "height": 800},
    )


def _check(page: Any, width: int, problems: list[str]) -> None:
    assert page.evaluate("document.fonts.ready.then(() => true)")
    path = page.url.split("/", 3)[-1]
    name = SHOOT.get("/" + path)
    if SCREENSHOTS and name:
        theme = (
            "amsterdam" if "ams-theme" in page.evaluate("document.body.className") else "voorbeeld"
        )
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{theme}-{name}-{width}.png", full_page=width < 1000)
    page.wait_for_load_state("load")
    measure = "[document.documentElement.scrollWidth, window.innerWidth]"
    overflow = page.evaluate(measure)
    if overflow[0] > overflow[1]:
        # Measured again after a moment: only a lasting overflow counts (on a loaded machine a
        # page can be measured while it is still being laid out).
        page.wait_for_timeout(1000)
        overflow = page.evaluate(measure)
    if overflow[0] > overflow[1]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                    || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
                .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + e.id + ' '
                    + Math.round(e.getBoundingClientRect().right) + '/' + e.scrollWidth)"""
        )
        problems.append(f"{page.url} at {width}px scrolls sideways {overflow}: {wide}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{page.url} at {width}px: {violations}")


def _untouched_looks_valid(page: Any) -> bool:
    """An empty required field nobody touched is not styled as wrong (no pink, no red border);
    marked invalid (as the server does after a submit) it is."""
    return bool(
        page.evaluate(
            """() => {
            const f = [...document.querySelectorAll(
                'textarea[required], input[required]:not([type=hidden]), select[required]')]
                .find(e => e.matches(':invalid'));
            if (!f) return false;
            const look = () => { const c = getComputedStyle(f); return c.backgroundColor + c.borderColor; };
            const untouched = look();
            f.setAttribute('aria-invalid', 'true');
            const marked = look();
            f.removeAttribute('aria-invalid');
            return untouched !== marked;
        }"""
        )
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_citizen_pages_fit_a_phone_and_pass_axe(
    themed_server: LiveServer, browser: Any, oidc_provider: Any, world: Any, lang: str
) -> None:
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    problems: list[str] = []
    for width in WIDTHS:
        context = _context(browser, lang, width)
        page = context.new_page()
        digid_login(page, themed_server.url, oidc_provider, "digid-anna")
        for path, _title in PORTAL_PAGES:
            page.goto(f"{themed_server.url}{path}")
            _check(page, width, problems)
        for path in ("/mijn/", "/mijn/toegang"):
            page.goto(f"{themed_server.url}{path}")
            assert _untouched_looks_valid(page), path
        page.goto(f"{themed_server.url}/mijn/gegevens")
        page.locator('form[action$="/gegevens/document"] button').click()
        page.wait_for_url("**/mijn/gegevens/document")
        page.locator("article.ep-document h1").wait_for()
        _check(page, width, problems)
        berichten = page.locator('.ep-nav__link[href="/mijn/berichten"]')
        if width == 375:
            # The menu is closed behind a button; it opens, and its links are there.
            menu = page.locator("summary.ep-menu__knop")
            expect(menu).to_be_visible()
            assert page.evaluate("document.querySelector('[data-ep-menu]').open") is False
            expect(berichten).not_to_be_visible()
            menu.click()
            expect(berichten).to_be_visible()
        else:
            expect(page.locator("summary.ep-menu__knop")).not_to_be_visible()
            expect(berichten).to_be_visible()
        context.close()
    assert problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_pages_fit_a_phone_and_pass_axe(
    themed_server: LiveServer, browser: Any, world: Any, lang: str
) -> None:
    problems: list[str] = []
    for user, pages in STAFF_PAGES.items():
        for width in WIDTHS:
            context = _context(browser, lang, width)
            page = context.new_page()
            staff_login(page, themed_server.url, user, PASSWORD)
            for path in pages:
                resp = page.goto(f"{themed_server.url}{path(world)}")
                assert resp is not None and resp.status == 200, (user, page.url)
                _check(page, width, problems)
            if user == "reg1":
                for path in ("/signalen/melden", f"/plannen/{world.plans['a']}"):
                    page.goto(f"{themed_server.url}{path}")
                    assert _untouched_looks_valid(page), path
            context.close()
    assert problems == []


def test_the_theme_brings_its_fonts_favicon_and_chevron(
    themed_server: LiveServer, browser: Any, world: Any
) -> None:
    """Headings in the theme's web font (not a serif fallback), a favicon that loads, select
    boxes with a chevron."""
    context = _context(browser, "nl", 1280)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    staff_login(page, themed_server.url, "reg1", PASSWORD)
    page.goto(f"{themed_server.url}/plannen")
    page.evaluate("document.fonts.ready.then(() => true)")
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    amsterdam = "ams-theme" in page.evaluate("document.body.className")
    family = "Amsterdam Sans" if amsterdam else "Noto Serif"
    assert heading_font.strip("'\"").startswith(family), heading_font
    assert any(family in f for f in loaded), loaded
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200
    chevron = page.evaluate("getComputedStyle(document.querySelector('select')).backgroundImage")
    assert "chevron.svg" in chevron
    assert (page.locator(".ep-brand__logo").count() == 1) is amsterdam
    assert failed == []
    context.close()
