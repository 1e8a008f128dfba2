"""Questions to organisations in a real browser: the regisseur of the signal team asks
Jeugdhulp for dát-informatie within an open afweging; a hulpverlener of Jeugdhulp, in a second
browser context, finds it under "Vragen aan mijn organisatie" and answers; the regisseur sees
the answer and it starts the step's motivation — every page checked by axe (and the CSP)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_regisseur_asks_hulpverlener_answers(app, live_server, new_page, page, world) -> None:  # type: ignore[no-untyped-def]
    case_url = f"{live_server.url}/signalen/afweging/{world.afwegingen['dirk']}"
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.goto(case_url)
    page.get_by_role("heading", name=re.compile("Afweging voor Dirk")).wait_for()
    expect(page.get_by_role("heading", name="Vragen aan organisaties")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Organisatie").select_option(label="Jeugdhulp Teststad")
    page.get_by_role("button", name="Vraag stellen").click()
    page.get_by_text("De vraag is gesteld aan Jeugdhulp Teststad").wait_for()
    assert_accessible(page)

    hulp = new_page(locale="nl-NL")
    staff_login(hulp, live_server.url, "hulp_jeugd", PASSWORD)
    hulp.get_by_role("link", name="Vragen aan mijn organisatie (1 open)").click()
    hulp.get_by_role("heading", name="Vragen aan mijn organisatie").wait_for()
    assert_accessible(hulp)
    hulp.get_by_role("link", name="Dirk Dekker").click()
    hulp.get_by_role("heading", name="Vraag over Dirk Dekker").wait_for()
    assert_accessible(hulp)
    # Sending without a choice: the error is named.
    hulp.get_by_role("button", name="Antwoord versturen").click()
    hulp.get_by_role("heading", name="Controleer de invoer").wait_for()
    expect(hulp.get_by_text("Kies ja of nee.").first).to_be_visible()
    assert_accessible(hulp)
    hulp.get_by_label("Ja, bekend").check()
    hulp.get_by_role("button", name="Antwoord versturen").click()
    hulp.get_by_text("Uw antwoord is verstuurd naar de gemeente.").wait_for()
    expect(hulp.get_by_text("Er staan geen vragen open voor uw organisatie.")).to_be_visible()
    assert_accessible(hulp)
    hulp.context.close()

    page.goto(case_url)
    page.get_by_text("Jeugdhulp Teststad: bekend").first.wait_for()
    assert "Antwoorden van organisaties: Jeugdhulp Teststad: bekend." in (
        page.get_by_label("Motivering").first.input_value()
    )
    assert_accessible(page)
