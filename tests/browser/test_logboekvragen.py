"""Issue 16 #11/#12 in a real browser: the privacy officer's queue (a citizen's question and a
review in follow-up), answering the question with a refused and then an accepted form; axe on
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_privacy_officer_answers_a_citizens_question(live_server, page, world) -> None:
    staff_login(page, live_server.url, "privacy1", PASSWORD)
    page.get_by_role("heading", name="Logboekcontrole").wait_for()
    expect(page.get_by_role("heading", name="Veel geweigerde opvragingen")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Werkvoorraad").click()
    page.get_by_role("heading", name="Werkvoorraad", exact=True).wait_for()
    expect(page.get_by_text("Ik ken deze GGZ-medewerker niet")).to_be_visible()
    expect(page.get_by_role("heading", name="Beoordelingen in opvolging (1)")).to_be_visible()
    assert_accessible(page)

    vraag_id = world.logboekvragen["anna_ggz"]
    page.get_by_role("link", name=f"Vraag {vraag_id}").click()
    page.get_by_role("heading", name=f"Vraag {vraag_id} van een inwoner").wait_for()
    assert_accessible(page)
    page.get_by_label("Afgerond").check()
    page.get_by_role("button", name="Opslaan").click()  # closing without an answer
    page.get_by_text("Schrijf een antwoord voor de inwoner").first.wait_for()
    assert page.get_by_label("Afgerond").is_checked()  # the choice kept
    assert_accessible(page)
    page.get_by_label("Antwoord aan de inwoner").fill("Zij keek per ongeluk; dat is besproken.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De vraag is bijgewerkt.").wait_for()
    assert page.get_by_text("Ik ken deze GGZ-medewerker niet").count() == 0
    assert_accessible(page)
