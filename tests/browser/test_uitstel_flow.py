"""Deferred disclosure in a real browser (issue 13 #7): a regisseur of the signal team defers a
signal (a refused date first: the error is named, the input kept), the privacy officer reviews
it — every page checked by axe (and the CSP)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import today
from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_regisseur_defers_privacy_officer_reviews(app, live_server, browser, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "reg2", PASSWORD)
    page.goto(f"{live_server.url}/signalen/persoon/{world.persons['kees']}")
    page.get_by_role("link", name="Later tonen aan de inwoner (gedwongen kader)").click()
    page.get_by_role("heading", name="Signaal later tonen aan de inwoner").wait_for()
    assert_accessible(page)
    te_laat = (today() + dt.timedelta(days=120)).isoformat()
    page.get_by_label("Zichtbaar voor de inwoner vanaf").fill(te_laat)
    page.get_by_label("Om de persoon die het meldde te beschermen").check()
    page.get_by_label("Toelichting").fill("De mentor is bang voor de vader.")
    page.get_by_role("button", name="Uitstellen").click()
    page.get_by_text("Uitstel mag hoogstens 90 dagen").first.wait_for()
    assert page.get_by_label("Toelichting").input_value() == "De mentor is bang voor de vader."
    assert_accessible(page)
    page.get_by_label("Zichtbaar voor de inwoner vanaf").fill(
        (today() + dt.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Uitstellen").click()
    page.get_by_text("Het signaal is uitgesteld").wait_for()
    assert page.get_by_text("De mentor is bang voor de vader.").first.is_visible()
    assert_accessible(page)

    context = browser.new_context(locale="nl-NL")
    po = context.new_page()
    staff_login(po, live_server.url, "privacy1", PASSWORD)
    po.goto(f"{live_server.url}/privacy/uitstel")
    po.get_by_role("heading", name="Uitstel van inzage").wait_for()
    assert po.get_by_text("De mentor is bang voor de vader.").first.is_visible()
    assert_accessible(po)
    nieuw = world.uitstel["dirk_cjib"] + 1  # the world has one deferral; this is the next
    po.get_by_role("link", name=f"Uitstel {nieuw} beoordelen").click()
    po.get_by_role("heading", name=f"Uitstel {nieuw} beoordelen").wait_for()
    assert_accessible(po)
    po.get_by_role("button", name="Beoordeling vastleggen").click()
    po.get_by_text("Kies akkoord of beëindigen.").first.wait_for()
    assert_accessible(po)
    po.get_by_label("Akkoord: het uitstel blijft").check()
    po.get_by_role("button", name="Beoordeling vastleggen").click()
    po.get_by_text("Uw beoordeling van het uitstel is vastgelegd.").wait_for()
    assert po.get_by_text("Akkoord: het uitstel blijft.").first.is_visible()
    context.close()
