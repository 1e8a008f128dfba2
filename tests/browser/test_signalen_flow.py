"""Signals in a real browser: a melder files a signal and sees its status; a regisseur of the
signal team sees it in the queue and opens a case — every page checked by axe (and the CSP)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


def test_melder_files_regisseur_opens_a_case(app, live_server, new_page, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "melder1", PASSWORD)
    page.get_by_role("link", name="Signaal melden").click()
    page.get_by_role("heading", name="Signaal melden", exact=True).wait_for()
    assert_accessible(page)
    # Submitting without identification: the error is named, what was typed stays.
    page.get_by_label("Uw signaal").fill("Vader vertelde over een loonbeslag.")
    page.get_by_role("button", name="Signaal versturen").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert page.get_by_label("Uw signaal").input_value() == "Vader vertelde over een loonbeslag."
    assert_accessible(page)
    page.get_by_label("BSN van de inwoner").fill(BSN["frank"])
    page.get_by_label("Uw naam").fill("Mees Melder")
    page.get_by_label("Uw telefoonnummer of e-mailadres").fill("mees@school.example")
    page.get_by_label("Uw relatie met de inwoner").fill("Mentor van de dochter")
    page.get_by_label("Wat was de aanleiding?").fill("Dochter deze maand vaak afwezig.")
    page.get_by_label("Onderwijs en leerplicht").check()
    page.get_by_label("Financiën en schulden").check()
    page.get_by_role("button", name="Signaal versturen").click()
    page.get_by_role("heading", name="Mijn meldingen").wait_for()
    expect(page.get_by_text("Ontvangen, nog niet gewogen").first).to_be_visible()
    assert page.get_by_text("Frank").count() == 0
    assert_accessible(page)

    reg = new_page(locale="nl-NL")
    staff_login(reg, live_server.url, "reg1", PASSWORD)
    reg.get_by_role("link", name="Signalen", exact=True).click()
    reg.get_by_role("heading", name="Signalen", exact=True).wait_for()
    expect(reg.get_by_role("link", name="Frank Fransen")).to_be_visible()
    # no police signal: the rule did not fire (its name is only in the filter's choices)
    assert reg.get_by_role("table").get_by_text("Schoolverzuim samen met").count() == 0
    assert_accessible(reg)
    reg.get_by_role("link", name="Frank Fransen").click()
    reg.get_by_text("loonbeslag").wait_for()
    assert_accessible(reg)
    reg.get_by_role("button", name="Afweging starten met deze signalen").click()
    reg.get_by_role("heading", name=re.compile("Afweging voor Frank Fransen")).wait_for()
    expect(reg.get_by_text("Wordt gewogen").first).to_be_visible()
    assert_accessible(reg)
    reg.get_by_label("Ja").check()
    reg.get_by_label("Motivering").first.fill("Onderwijs en financiën, bevestigd door vader.")
    reg.get_by_role("button", name="Stap vastleggen").click()
    reg.get_by_text("De stap is vastgelegd.").wait_for()
    expect(reg.get_by_text("Stap 3: Is een integrale aanpak nodig?")).to_be_visible()
    assert_accessible(reg)
    reg.context.close()

    page.reload()
    expect(page.get_by_text("In behandeling").first).to_be_visible()


def test_beheerder_sees_sources_and_rules(app, live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "beheer1", PASSWORD)
    page.get_by_role("link", name="Signaalbronnen").click()
    page.get_by_role("heading", name="Signaalbronnen en combinatieregels").wait_for()
    expect(page.get_by_text("Achterstand bij 3 of meer overheidsschuldeisers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="CJIB").click()
    page.get_by_role("heading", name="Signaalbron CJIB").wait_for()
    assert_accessible(page)
    page.get_by_label("Bewaartermijn zonder vervolgstap (dagen)").fill("120")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("CJIB is opgeslagen.").wait_for()
    expect(page.get_by_text("120 dagen")).to_be_visible()
