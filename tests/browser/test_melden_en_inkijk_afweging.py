"""Issue 13 items 4 and 9 in a real browser, every page checked by axe (and the CSP): a
hulpverlener reports a signal and sees it as their own "Melding 1"; a regisseur of the signal
team looks into the buitenkant from an afweging at step 2 (no doorprikken)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


def test_a_hulpverlener_reports_a_signal(app, live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "hulp1", PASSWORD)
    page.get_by_role("link", name="Signaal melden").click()
    page.get_by_role("heading", name="Signaal melden", exact=True).wait_for()
    assert page.get_by_label("Uw relatie met de inwoner").input_value() == (
        "Hulpverlener bij Schuldhulp Teststad"
    )
    assert_accessible(page)
    page.get_by_label("BSN van de inwoner").fill(BSN["frank"])
    page.get_by_label("Uw telefoonnummer of e-mailadres").fill("hanna@schuldhulp.example")
    page.get_by_label("Wat was de aanleiding?").fill("Huisbezoek bij de buren.")
    page.get_by_label("Uw signaal").fill("De huur is al maanden niet betaald.")
    page.get_by_label("Wonen").check()
    page.get_by_role("button", name="Signaal versturen").click()
    page.get_by_text("Uw signaal is ontvangen als Melding 1.").wait_for()
    page.get_by_role("heading", name="Mijn meldingen").wait_for()
    expect(page.get_by_role("cell", name="Melding 1", exact=True)).to_be_visible()
    assert page.get_by_text("Frank").count() == 0
    assert_accessible(page)


def test_the_signal_team_looks_into_the_buitenkant_from_an_afweging(  # type: ignore[no-untyped-def]
    app, live_server, page, world
) -> None:
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.goto(f"{live_server.url}/signalen/afweging/{world.afwegingen['dirk']}")
    page.get_by_role("heading", name=re.compile("Afweging voor Dirk Dekker")).wait_for()
    page.get_by_role("link", name="Inkijk in basisgegevens voor deze afweging").click()
    page.get_by_role("heading", name="Inkijk in basisgegevens").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Inkijk openen voor Dirk Dekker").click()
    page.get_by_role("heading", name="Inkijk: Dirk Dekker").wait_for()
    expect(page.get_by_text(re.compile("Doorprikken naar details kan pas"))).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Doorprikken naar details")).count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar de afweging van een signaal").click()
    page.get_by_role("heading", name=re.compile("Afweging voor Dirk Dekker")).wait_for()
