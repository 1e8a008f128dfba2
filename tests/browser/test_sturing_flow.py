"""Issue 18 in a real browser, every page checked by axe: beleid logs in and lands on the
management information, reads each page with its charts and tables, changes the filter (a named
error for two slices at once), and the teamleider sees the team pages but not privacy."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from app.db import session
from app.sturing.bijwerken import bijwerken
from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import PASSWORD, World
from tests.support.world_sturing import build_sturing

pytestmark = pytest.mark.browser


def _figures(app: Flask, world: World) -> None:
    with app.app_context():
        build_sturing(world)
        bijwerken()
        session.commit()


def test_beleid_reads_every_page(app, live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    _figures(app, world)
    staff_login(page, live_server.url, "beleid1", PASSWORD)
    page.get_by_role("heading", name="Sturingsinformatie").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Caseload").click()
    page.get_by_role("heading", name="Caseload", exact=True).wait_for()
    page.get_by_label("Van (maand, JJJJ-MM)").fill("2026-01")
    page.get_by_label("Tot en met (maand, JJJJ-MM)").fill("2026-03")
    page.get_by_role("button", name="Toon de cijfers").click()
    page.get_by_role("table", name="Nieuwe plannen").wait_for()
    assert page.locator("svg[role=img]").count() >= 2
    assert page.get_by_role("cell", name="< 5").count() > 0
    assert_accessible(page)
    for naam in ("Van signaal tot plan", "Tijd tot hulp", "Samenwerking", "Privacy"):
        page.get_by_role("navigation", name="Onderdelen van de sturingsinformatie").get_by_role(
            "link", name=naam
        ).click()
        page.get_by_role("heading", name=naam, exact=True, level=1).wait_for()
        assert "van=2026-01" in page.url  # the filter travels with the tabs
        assert_accessible(page)
    page.get_by_role("link", name="Van signaal tot plan").first.click()
    page.get_by_label("Per", exact=True).select_option("kwartaal")
    page.get_by_label("Leefgebied", exact=True).select_option(label="Wonen")
    page.get_by_label("Bron", exact=True).select_option("cjib")
    page.get_by_role("button", name="Toon de cijfers").click()
    page.get_by_text("Kies één van organisatie, leefgebied of bron").first.wait_for()
    assert page.get_by_role("columnheader", name="2026 K1").count() > 0
    assert_accessible(page)
    # Printable: on paper the figures stay, the navigation, filter and download links go.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Toon de cijfers")).not_to_be_visible()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).not_to_be_visible()
    expect(page.get_by_role("table", name="Van signaal tot plan")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()


def test_the_teamleider_sees_the_team_pages(app, live_server, page, world) -> None:  # type: ignore[no-untyped-def]
    _figures(app, world)
    staff_login(page, live_server.url, "teamleider1", PASSWORD)
    page.get_by_role("link", name="Sturingsinformatie").click()
    page.get_by_role("heading", name="Sturingsinformatie").wait_for()
    assert page.get_by_role("link", name="Privacy").count() == 0
    page.get_by_role("link", name="Samenwerking").click()
    page.get_by_role("heading", name="Samenwerking", exact=True).wait_for()
    assert page.get_by_label("Team", exact=True).count() == 0  # their own team only
    assert_accessible(page)
