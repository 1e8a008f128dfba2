"""The signal queue's filters and totals in a real browser (axe clean): issue 13, item 6."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_regisseur_filters_the_queue(app, live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.get_by_role("link", name="Signalen", exact=True).click()
    page.get_by_role("heading", name="Signalen", exact=True).wait_for()
    expect(page.get_by_text("Per urgentie:")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Urgentie").select_option("2")
    page.get_by_label("Bron").select_option("melding")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url("**/signalen/?*urgentie=2*")
    assert page.get_by_label("Urgentie").input_value() == "2"  # the filter stays chosen
    assert page.get_by_label("Bron").input_value() == "melding"
    expect(page.get_by_text("(gefilterd)")).to_be_visible()
    assert_accessible(page)
