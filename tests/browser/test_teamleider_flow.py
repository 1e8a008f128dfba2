"""Issue 16 items 3 and 9 in a real browser, every page checked by axe: the teamleider's queue
and decision page (errors named, then a hand-over), and the regisseur's werklijst with its flags
and sort choice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_teamleider_hands_a_plan_over(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "teamleider1", PASSWORD)
    page.get_by_role("link", name="Verzoeken om een andere regisseur").click()
    page.get_by_role("heading", name="Verzoeken om een andere regisseur").wait_for()
    expect(page.get_by_text("Er zijn geen open verzoeken.")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/teamleider/plannen/{world.plans['a']}")
    page.get_by_role("heading", name="Verzoek om een andere regisseur").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Kies wat u besluit.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Het plan overdragen aan een andere regisseur").check()
    page.get_by_label("Nieuwe regisseur (bij overdragen)").select_option(label="Rutger Tweede")
    page.get_by_label("Reden").fill("Wisseling van wijk")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het plan is overgedragen aan Rutger Tweede.").wait_for()
    assert_accessible(page)


def test_werklijst_flags_and_sort_are_accessible(live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.get_by_role("heading", name="Mijn werklijst").wait_for()
    page.get_by_label("Eerst").select_option("ingetrokken")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("heading", name="Mijn werklijst").wait_for()
    assert "sorteer=ingetrokken" in page.url
    # the badge in the table (not the sort option of the same name), once the page has settled
    expect(page.locator(".ep-badge", has_text="Toestemming ingetrokken").first).to_be_visible()
    assert_accessible(page)
