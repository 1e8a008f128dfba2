"""Issue 7 in a real browser: a regisseur looks into basisgegevens with doelbinding and drills
down with a reason; a hulpverlener and the regisseur exchange messages. Axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.conftest import log_lines, pseudonym
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser

REDEN = "Nodig om met Anna een betalingsregeling in het plan af te spreken."


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_text("U bent uitgelogd.").wait_for()


def test_regisseur_inkijk_with_doorprikken(live_server, page, world, app) -> None:
    base = live_server.url
    staff_login(page, base, "reg1", PASSWORD)
    page.goto(f"{base}/plannen/{world.plans['a']}")
    page.get_by_role("link", name="Inkijk in basisgegevens").click()
    page.get_by_role("heading", name="Inkijk in basisgegevens").wait_for()
    assert_accessible(page)
    expect(page.get_by_text("Doel van deze inkijk")).to_be_visible()
    page.get_by_role("link", name="Inkijk openen voor Anna Aalders").click()
    page.get_by_role("heading", name="Inkijk: Anna Aalders").wait_for()
    assert_accessible(page)
    # Buitenkant: that she is known at debt help and since when — not how much.
    expect(page.get_by_text("Bekend bij schuldhulpverlening sinds")).to_be_visible()
    assert page.get_by_text("Totale schuld").count() == 0
    assert BSN["anna"] not in page.url

    page.get_by_role("link", name="Doorprikken naar details: Schulden en schuldhulp").click()
    page.get_by_role("heading", name="Details uit Schulden en schuldhulp: Anna Aalders").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Details bekijken").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    assert page.get_by_text("Totale schuld").count() == 0
    page.get_by_label("Waarom heeft u deze details nodig?").fill(REDEN)
    page.get_by_role("button", name="Details bekijken").click()
    page.get_by_text("Totale schuld").wait_for()
    assert_accessible(page)

    # The line with the reason is in Anna's logboek, and the citizen's service shows it.
    anna = pseudonym(app, BSN["anna"])
    lines = [r for r in log_lines(app) if r["data_subject_id"] == anna and r["reason"] == REDEN]
    assert len(lines) == 1
    assert lines[0]["processing_activity_id"] == "inkijk-basisgegevens"
    assert "schulden" in lines[0]["data_categories"].split(",")
    with app.test_request_context():
        from app.inkijk.services import inkijk_voor_burger

        mine = inkijk_voor_burger(world.persons["anna"], met_bronnen=False)
        assert mine.raadplegingen[0].reden == REDEN
        assert mine.raadplegingen[0].door == "Regina Eerste"

    # Copy one buitenkant fact into the plan: it shows there with its source and date.
    page.get_by_role("link", name="Terug naar de buitenkant").click()
    page.get_by_role(
        "button", name="Overnemen in het plan: Schulden en schuldhulp, Schuldhulpverlening"
    ).click()
    page.get_by_text("Het feit staat nu in het plan").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar het plan").click()
    page.get_by_role("heading", name="Overgenomen uit basisgegevens").wait_for()
    expect(page.get_by_text("bron: Schulden en schuldhulp")).to_be_visible()
    assert_accessible(page)


def test_hulpverlener_and_regisseur_exchange_messages(live_server, page, world) -> None:
    base = live_server.url
    staff_login(page, base, "reg1", PASSWORD)
    page.goto(f"{base}/plannen/{world.plans['a']}")
    page.get_by_role("link", name="Berichten over dit plan").click()
    page.get_by_role("heading", name="Berichten over het plan van Anna Aalders").wait_for()
    assert_accessible(page)
    page.get_by_label("Hanna Schuld (Schuldhulp Teststad)").check()
    page.get_by_label("Bericht", exact=True).fill("Hanna, kun je het schuldenoverzicht delen?")
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Gesprek met Hanna Schuld (Schuldhulp Teststad)").wait_for()
    expect(page.get_by_text("Hanna, kun je het schuldenoverzicht delen?")).to_be_visible()
    assert_accessible(page)
    logout(page)

    staff_login(page, base, "hulp1", PASSWORD)
    page.get_by_role("link", name="ongelezen").first.wait_for()
    page.get_by_role("link", name="Berichten (").click()
    page.get_by_role("heading", name="Berichten", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Gesprek met de regisseur").click()
    page.get_by_text("Hanna, kun je het schuldenoverzicht delen?").wait_for()
    assert_accessible(page)
    page.get_by_label("Bericht", exact=True).fill("Ja, het overzicht komt vrijdag.")
    page.get_by_label("Onder beroepsgeheim").check()
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Ja, het overzicht komt vrijdag.").wait_for()
    expect(page.get_by_text("onder beroepsgeheim").first).to_be_visible()
    assert_accessible(page)
    logout(page)

    staff_login(page, base, "reg1", PASSWORD)
    page.get_by_role("link", name="Berichten (").click()
    page.get_by_role("link", name="Gesprek met Hanna Schuld (Schuldhulp Teststad)").click()
    page.get_by_text("Ja, het overzicht komt vrijdag.").wait_for()
    assert_accessible(page)
