"""Corrections that apply, in a real browser: the citizen proposes a correction of a BRP fact
(the street), the regisseur accepts it and changes the street, a terugmelding goes to the
(synthetic) terugmeldvoorziening, and the citizen sees the outcome. axe on every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from tests.browser.conftest import LiveServer, assert_accessible, staff_login
from tests.browser.test_portaal_flow import digid_login
from tests.conftest import base_config, get_database_engine
from tests.support.citizens import burger_app_config
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def server(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[LiveServer]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    app: Flask = create_app(cfg)
    with LiveServer(app) as live:
        yield live
    get_database_engine(app).dispose()


def test_citizen_correction_accepted_with_terugmelding(
    server: LiveServer, page: Any, new_page: Any, oidc_provider: Any, world: Any
) -> None:
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    digid_login(page, server.url, oidc_provider, "digid-anna")
    page.wait_for_url(f"{server.url}/mijn/")
    page.get_by_label("Iets in het plan laten verbeteren").check()
    page.locator("textarea[name=body]").fill("Mijn straat heet Nieuwe Gracht.")
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text("Mijn straat heet Nieuwe Gracht.").first.wait_for()
    assert_accessible(page)

    staff = new_page(locale="nl-NL")
    staff_login(staff, server.url, "reg1", PASSWORD)
    staff.goto(f"{server.url}/plannen/{world.plans['a']}")
    staff.get_by_role("link", name="Voorstel aanvaarden").first.click()
    staff.get_by_role("heading", name="Voorstel voor correctie aanvaarden").wait_for()
    assert_accessible(staff)
    staff.get_by_label("Straat").fill("Nieuwe Gracht")
    staff.get_by_role("button", name="Voorstel aanvaarden en opslaan").click()
    staff.get_by_text("De terugmelding aan de BRP is verstuurd.").wait_for()
    assert "Terugmelding aan de BRP" in staff.content()
    assert_accessible(staff)
    staff.context.close()

    page.goto(f"{server.url}/mijn/")
    page.get_by_text("Verbetering doorgevoerd").wait_for()
    assert "Terugmelding aan de BRP: ontvangen door de registratie" in page.content()
    assert_accessible(page)
