"""The privacy officer reviews the logboek in a real browser; the beheerder edits the register.
Every page visited is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


def test_privacy_officer_searches_sees_an_indicator_and_reviews_a_line(
    live_server, page, world
) -> None:
    base = live_server.url
    staff_login(page, base, "privacy1", PASSWORD)
    page.get_by_role("heading", name="Logboekcontrole").wait_for()
    assert_accessible(page)

    # An indicator: Regina used emergency access.
    indicator = page.get_by_role("link", name="Noodtoegang", exact=True)
    expect(indicator).to_be_visible()
    expect(page.get_by_text("Waarneming: de regisseur van dit plan is ziek")).to_be_visible()
    indicator.click()
    page.get_by_role("heading", name="Noodtoegang").wait_for()
    assert_accessible(page)

    # Search by BSN: it travels in the form, not in the address bar.
    page.get_by_role("link", name="Zoeken in het logboek").click()
    page.get_by_role("heading", name="Zoeken in het logboek").wait_for()
    assert_accessible(page)
    page.get_by_label("BSN van de persoon").fill(BSN["dirk"])
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="Gevonden regels").wait_for()
    assert BSN["dirk"] not in page.url
    assert page.get_by_text("Dirk Dekker").count() == 0  # pseudonymous
    assert_accessible(page)

    # Open the line and mark it reviewed.
    page.get_by_role("link", name=f"Regel {world.logboek_seqs['nood_dirk']} van").click()
    page.get_by_role("heading", name=f"Logboekregel {world.logboek_seqs['nood_dirk']}").wait_for()
    expect(page.get_by_text("Nog niet beoordeeld")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Beoordeling vastleggen").click()  # nothing chosen yet
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    page.get_by_label("Rechtmatig: geen actie nodig").check()
    page.get_by_label("Toelichting").fill("Waarneming afgesproken met de teamleider.")
    page.get_by_role("button", name="Beoordeling vastleggen").click()
    page.get_by_text("De beoordeling is vastgelegd.").wait_for()
    expect(page.get_by_text("Waarneming afgesproken met de teamleider.")).to_be_visible()
    assert_accessible(page)

    # The emergency indicator is no longer open.
    page.get_by_role("link", name="Aandachtspunten").click()
    page.get_by_role("heading", name="Logboekcontrole").wait_for()
    assert page.get_by_role("link", name="Noodtoegang", exact=True).count() == 0
    page.get_by_role("link", name="Beoordelingen").click()
    page.get_by_role("heading", name="Beoordelingen").wait_for()
    page.get_by_role("cell", name="Rechtmatig: geen actie nodig").wait_for()
    assert_accessible(page)

    # What was destroyed at the end of its term (nothing yet in the test world).
    page.get_by_role("link", name="Vernietigd").click()
    page.get_by_role("heading", name="Vernietigd na de bewaartermijn").wait_for()
    expect(page.get_by_text("Er is nog niets vernietigd.")).to_be_visible()
    assert_accessible(page)

    # Search by staff member: part of a name; several fit, so the officer chooses one.
    page.get_by_role("link", name="Zoeken in het logboek").click()
    page.get_by_role("heading", name="Zoeken in het logboek").wait_for()
    veld = page.get_by_role("textbox", name=re.compile(r"^Medewerker"))
    veld.fill("de")
    page.get_by_role("button", name="Zoeken").click()
    keuze = page.get_by_role("group", name="Welke medewerker bedoelt u?")
    keuze.wait_for()
    expect(veld).to_have_value("de")
    assert page.get_by_role("heading", name="Gevonden regels").count() == 0
    assert_accessible(page)
    assert keuze.get_by_label("Regina").count() == 0  # "de" is not in her name
    # Zoeken without a choice: the error says so, above and in the group.
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    expect(keuze.get_by_text("Kies een van deze medewerkers")).to_be_visible()
    assert_accessible(page)
    keuze.get_by_label("Roos Derde", exact=False).check()
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="Gevonden regels").wait_for()
    expect(veld).to_have_value("Roos Derde")
    assert "Roos" not in page.url and "Derde" not in page.url
    assert_accessible(page)


def test_beheerder_changes_the_register(live_server, page, world) -> None:
    staff_login(page, live_server.url, "beheer1", PASSWORD)
    page.get_by_role("link", name="Verwerkingsregister").click()
    page.get_by_role("heading", name="Verwerkingsregister").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Beveiligde berichten over een plan").click()
    page.get_by_role("heading", name="Beveiligde berichten over een plan").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Wijzigen").click()
    page.get_by_role("heading", name="Beveiligde berichten over een plan wijzigen").wait_for()
    assert_accessible(page)
    page.get_by_label("Bewaartermijn", exact=True).fill("2 jaar na afsluiten van het plan")
    page.get_by_label("Bewaartermijn: jaren").fill("3")
    page.get_by_label("Contactgegevens").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Versie 2 is vastgelegd.").wait_for()
    expect(page.get_by_text("2 jaar na afsluiten van het plan").first).to_be_visible()
    expect(page.get_by_text("3 jaar na afsluiten van het plan", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Verwerkingsregister", exact=True).first.click()
    page.get_by_role("link", name="Verwerkingsactiviteit toevoegen").click()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
