"""Mijn Eenplan in English, in a real browser (issue 19): an English-speaking browser gets
English pages with lang="en" from its Accept-Language; the citizen logs in through the real
OpenID Connect provider, reads their plan, the log page (with a regisseur's view of their plan
and an English date on it) and their signals, switches to Dutch and back with the switch in the
header, and logs out. axe-core checks every page (WCAG 2.1 A/AA)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, assert_accessible, staff_login
from tests.browser.test_portaal_flow import portaal_server  # noqa: F401
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser

PAGES_EN = [
    ("/mijn/", "My plan"),
    ("/mijn/logboek", "Who has seen my data"),
    ("/mijn/uitwisselingen", "What was shared with whom"),
    ("/mijn/signalen", "Signals about me"),
    ("/mijn/toegang", "Who can see what"),
    ("/mijn/berichten", "Messages"),
    ("/mijn/basisgegevens", "My basic details"),
    ("/mijn/gegevens", "Download my data"),
]
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}, \d{2}:\d{2}\b"
)


def _lang(page: Any) -> str:
    return str(page.locator("html").get_attribute("lang"))


def test_a_citizen_uses_mijn_eenplan_in_english(
    portaal_server: LiveServer,  # noqa: F811
    new_page: Any,
    oidc_provider: Any,
    world: Any,
) -> None:
    base = portaal_server.url
    page = new_page(locale="en-GB")  # Accept-Language: en-GB
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})

    page.goto(f"{base}/mijn/inloggen")
    page.get_by_role("heading", name="Log in to My Eenplan").wait_for()
    assert _lang(page) == "en"
    assert_accessible(page)
    page.get_by_role("link", name="Log in with DigiD").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize**")
    page.locator("input[name=sub]").first.fill("digid-anna")
    page.get_by_role("button", name="Authorize").click()
    page.get_by_role("heading", name="My plan", exact=True).wait_for()

    for path, heading in PAGES_EN:
        page.goto(f"{base}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert _lang(page) == "en"
        nav = page.get_by_role("navigation", name="Main menu")
        assert nav.get_by_role("link", name="Who has seen my data").count() == 1
        assert_accessible(page)

    page.goto(f"{base}/mijn/")
    text = page.locator("main").inner_text()
    assert "Your care coordinator" in text and "Regina Eerste" in text

    # A regisseur opens Anna's plan (a Dutch browser: the staff side is Dutch for them).
    staff = new_page(locale="nl-NL")
    staff_login(staff, base, "reg1", PASSWORD)
    staff.goto(f"{base}/plannen/{world.plans['a']}")
    staff.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    staff.context.close()

    page.goto(f"{base}/mijn/logboek")
    newest = page.locator("#logregels > li").first
    line = newest.inner_text()
    assert "Regina Eerste" in line and "Viewed" in line and "Which data" in line
    assert ENGLISH_DATE.search(line), line
    assert_accessible(page)

    page.goto(f"{base}/mijn/signalen")
    page.get_by_role("heading", name="Signals about me", exact=True).wait_for()
    assert "signal" in page.locator("main").inner_text().lower()

    # The switch: Dutch, and back to English; the choice holds on the next page.
    page.get_by_role("button", name=re.compile("^Nederlands")).click()
    page.get_by_role("heading", name="Signalen over mij", exact=True).wait_for()
    assert _lang(page) == "nl"
    page.goto(f"{base}/mijn/")
    page.get_by_role("heading", name="Mijn plan", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^English")).click()
    page.get_by_role("heading", name="My plan", exact=True).wait_for()
    assert _lang(page) == "en"

    # Log out: here, and at the provider.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.get_by_role("heading", name="You are logged out").wait_for()
    assert _lang(page) == "en"
    assert_accessible(page)
    page.context.close()


def test_a_staff_member_signs_in_and_manages_their_account_in_english(
    live_server: LiveServer, new_page: Any, world: Any
) -> None:
    from app.auth.mfa import current_code
    from tests.support.world import totp_secret

    base = live_server.url
    page = new_page(locale="en-GB")
    page.goto(f"{base}/inloggen")
    page.get_by_role("heading", name="Staff login").wait_for()
    assert _lang(page) == "en"
    assert_accessible(page)
    page.get_by_label("Username").fill("reg1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Enter the code from your app").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile("^Code")).fill(current_code(totp_secret("reg1")))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)

    for path, heading in [("/account/", "My account"), ("/account/beveiliging", "Security")]:
        page.goto(f"{base}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert _lang(page) == "en"
        assert_accessible(page)
    sessions = page.locator("table").inner_text()
    assert "password and app" in sessions and "this device" in sessions
    assert ENGLISH_DATE.search(sessions), sessions

    page.get_by_role("button", name="Log out", exact=True).click()
    page.get_by_text("You are logged out.").wait_for()
    assert _lang(page) == "en"
    page.context.close()
