"""A regisseur does the day's work in a real browser, with every page checked by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


def test_regisseur_main_path(live_server, page, world) -> None:
    base = live_server.url
    staff_login(page, base, "reg1", PASSWORD)
    page.get_by_role("heading", name="Mijn werklijst").wait_for()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Anna Aalders")).to_be_visible()

    # Search by BSN: the BSN does not end up in the address bar.
    page.get_by_label("Zoek op naam of BSN").fill(BSN["anna"])
    page.get_by_role("button", name="Zoeken").click()
    assert BSN["anna"] not in page.url
    expect(page.get_by_role("link", name="Anna Aalders")).to_be_visible()

    # Create a plan; first with a wrong BSN.
    page.get_by_role("link", name="Nieuw plan").click()
    assert_accessible(page)
    page.get_by_label("Burgerservicenummer (BSN)").fill("123456789")
    page.get_by_label("Voornamen").fill("Nina")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.get_by_label("Geboortedatum").fill("1992-02-02")
    # Only consent here: multiproblematiek is established in step 4 of an afweging (issue 13).
    assert page.get_by_label("Multiproblematiek vastgesteld").count() == 0
    page.get_by_label("Met toestemming").check()
    page.get_by_label("Toestemming gegeven door").fill("de betrokkene zelf")
    page.get_by_label("Datum toestemming").fill("2020-01-02")
    page.get_by_label("Hoe is de toestemming gegeven").select_option("mondeling")
    page.get_by_role("button", name="Plan aanmaken").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    assert page.get_by_label("Voornamen").input_value() == "Nina"  # input kept
    page.get_by_label("Burgerservicenummer (BSN)").fill(BSN["nieuw"])
    page.get_by_role("button", name="Plan aanmaken").click()
    page.get_by_role("heading", name="Plan van Nina Nieuw").wait_for()
    assert_accessible(page)

    # Add an activity, then edit and complete it.
    page.get_by_role("link", name="Activiteit toevoegen").click()
    page.get_by_label("Soort activiteit").select_option("schuldhulpverlening")
    page.get_by_label("Omschrijving").fill("Aanmelden bij schuldhulp")
    # Schuldhulp is not involved yet: refused on the field, input kept (issue 16 item 8) …
    page.get_by_label("Uitvoerende organisatie").select_option(
        label="Schuldhulp Teststad (niet betrokken)"
    )
    page.get_by_label("Einddatum").fill("2030-01-01")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    assert page.get_by_label("Omschrijving").input_value() == "Aanmelden bij schuldhulp"
    # … or brought in in the same step.
    page.get_by_label("Betrek deze organisatie bij het plan").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Aanmelden bij schuldhulp").wait_for()
    page.get_by_role("cell", name="Schuldhulp Teststad", exact=True).wait_for()
    page.get_by_role("link", name="Wijzigen: Schuldhulpverlening").click()
    page.get_by_label("Toelichting op de voortgang").fill("Eerste gesprek gepland")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Eerste gesprek gepland").wait_for()
    page.get_by_role("button", name="Afronden: Schuldhulpverlening").click()
    page.get_by_text("De activiteit is afgerond.").wait_for()

    # Household: link a family member.
    page.get_by_role("link", name="Gezinslid koppelen").click()
    assert_accessible(page)
    page.get_by_label("BSN van het gezinslid").fill(BSN["extra"])
    page.get_by_label("Relatie").select_option("ouder_van:a")
    page.get_by_label("Voornamen").fill("Xander")
    page.get_by_label("Achternaam").fill("Extra")
    page.get_by_label("Geboortedatum").fill("2018-08-08")
    page.get_by_role("button", name="Koppelen").click()
    page.get_by_role("cell", name="Xander Extra", exact=True).wait_for()

    # Bring in an organisation, then end it.
    page.get_by_role("link", name="Organisatie betrekken").click()
    page.get_by_label("Organisatie", exact=True).select_option(label="GGZ Teststad")
    page.get_by_label("Wat doet de organisatie in dit plan").fill("Behandeling")
    page.get_by_role("button", name="Betrekken").click()
    page.get_by_role("cell", name="GGZ Teststad", exact=True).wait_for()
    page.get_by_role("link", name="Beëindigen: GGZ Teststad").click()
    page.get_by_role("button", name="Beëindigen").click()
    page.get_by_text("De betrokkenheid is beëindigd.").wait_for()

    # Break the link: it moves to the history.
    page.get_by_role("link", name="Link verbreken met Xander Extra").click()
    page.get_by_label("Reden").fill("Woont bij de andere ouder")
    page.get_by_role("button", name="Link verbreken").click()
    page.get_by_text("Verbroken links (1)").wait_for()

    # Comment, then close the plan.
    page.get_by_role("textbox", name="Opmerking").fill("Plan besproken met Nina.")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    page.get_by_text("Plan besproken met Nina.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Plan afsluiten").click()
    page.get_by_label("Reden").select_option("doelen_bereikt")
    page.get_by_role("button", name="Plan afsluiten").click()
    page.get_by_text("Het plan is afgesloten.").wait_for()
    expect(page.get_by_text("Afgesloten op")).to_be_visible()
    assert page.get_by_role("link", name="Activiteit toevoegen").count() == 0


def test_hulpverlener_sees_only_own_organisations_part(live_server, page, world) -> None:
    staff_login(page, live_server.url, "hulp1", PASSWORD)
    page.get_by_role("heading", name="Plannen waarbij ik betrokken ben").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Anna Aalders").click()
    page.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    assert_accessible(page)
    expect(page.get_by_text("Schuldenoverzicht maken")).to_be_visible()
    assert page.get_by_text("Gezinsbegeleiding thuis").count() == 0
    assert page.get_by_text("Bram Aalders").count() == 0
    page.get_by_role("link", name="Activiteiten van mijn organisatie").click()
    assert_accessible(page)
    expect(page.get_by_text("Schuldenoverzicht maken")).to_be_visible()


def test_keyboard_only_skip_link_and_focus(live_server, page, world) -> None:
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Naar de inhoud" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
