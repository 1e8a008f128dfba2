"""Issue 13 in a real browser, every page checked by axe: the mandated regisseur sees "Weging
ontbreekt" on a plan from before; the signal team's regisseur takes Dirk's case (Dirk has a plan
on the basis toestemming) through step 4, which attaches the case to that plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_weging_ontbreekt_is_shown(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "noord1", PASSWORD)
    page.get_by_role("heading", name="Mijn werklijst").wait_for()
    expect(page.get_by_text("Weging ontbreekt").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Gijs Groen").click()
    page.get_by_role("heading", name="Plan van Gijs Groen").wait_for()
    expect(page.get_by_text("er is geen afweging vastgelegd")).to_be_visible()
    assert_accessible(page)


def test_step_4_attaches_the_case_to_the_existing_plan(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.goto(f"{live_server.url}/signalen/afweging/{world.afwegingen['dirk']}")
    page.get_by_role("heading", name=re.compile("Afweging voor Dirk Dekker")).wait_for()
    for motivering in (
        "Schulden en zorg: twee leefgebieden, bevestigd.",
        "Meerdere hulpverleners nodig; afstemming ontbreekt.",
    ):
        page.get_by_role("radio", name="Ja", exact=True).check()
        page.get_by_label("Motivering").first.fill(motivering)
        page.get_by_role("button", name="Stap vastleggen").click()
        page.get_by_text("De stap is vastgelegd.").wait_for()
    expect(page.get_by_text("Heeft de inwoner al een plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_label("Motivering").first.fill("Multiproblematiek vastgesteld in het overleg.")
    page.get_by_role("button", name="Stap vastleggen").click()
    page.get_by_text("Deze inwoner had al een plan").wait_for()
    expect(page.get_by_text("Gekoppeld aan het plan van deze inwoner")).to_be_visible()
    assert_accessible(page)
