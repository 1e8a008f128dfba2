"""A new colleague's first login, in a real browser with axe on every page: password, set up
the authenticator app from the QR code, save the recovery codes, choose an own password; then
the security page and logging out everywhere."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.auth.mfa import current_code
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

TEMPORARY = "tijdelijk paard fontein 42"
OWN = "mijn eigen fiets staat buiten"


def test_first_login_of_a_new_colleague(app, live_server, page, world) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "nieuwe.collega",
            "--name",
            "Noor Haddou",
            "--role",
            "hulpverlener",
            "--organisation",
            "Schuldhulp Teststad",
            "--password",
            TEMPORARY,
        ]
    )
    assert result.exit_code == 0, result.output
    base = live_server.url
    page.goto(f"{base}/inloggen")
    page.get_by_label("Gebruikersnaam").fill("nieuwe.collega")
    page.get_by_label("Wachtwoord").fill(TEMPORARY)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page)
    secret = page.locator(".ep-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Instellen").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    page.get_by_label("Code uit de app").fill(current_code(secret))
    page.get_by_role("button", name="Instellen").click()

    page.get_by_role("heading", name=re.compile("Bewaar nu uw herstelcodes")).wait_for()
    assert page.get_by_role("list", name="Herstelcodes").locator("li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()

    page.get_by_role("heading", name="Kies een nieuw wachtwoord").wait_for()
    assert_accessible(page)
    # People can see what they typed (a button, by script from a file: the CSP allows no other).
    field = page.get_by_label("Nieuw wachtwoord", exact=True)
    field.fill("laat me zien")
    toon = page.get_by_role("button", name=re.compile("^(Toon|Verberg) Nieuw wachtwoord$"))
    assert toon.inner_text().startswith("Toon")
    toon.click()
    assert field.get_attribute("type") == "text"
    assert toon.get_attribute("aria-pressed") == "true"
    toon.click()
    assert field.get_attribute("type") == "password"
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("welkom2026!!")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("welkom2026!!")
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_text("veelgebruikte of uitgelekte wachtwoorden").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(OWN)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(OWN)
    page.get_by_role("button", name="Opslaan en verder").click()
    page.get_by_text("Uw nieuwe wachtwoord is opgeslagen.").wait_for()

    page.get_by_role("link", name="Mijn account").click()
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_role("heading", name="Wachtwoord wijzigen").wait_for()
    assert_accessible(page)
    page.goto(f"{base}/account/beveiliging")
    expect(page.get_by_text("dit apparaat")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Overal uitloggen").click()
    page.get_by_role("heading", name="Inloggen voor medewerkers").wait_for()
    expect(page.get_by_text("U bent uitgelogd op alle apparaten")).to_be_visible()
    assert_accessible(page)
