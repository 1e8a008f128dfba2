"""A medewerker logs in through the municipality's identity provider, in a real browser, with
a real OIDC provider process; Eenplan asks for its own code because the provider did no MFA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.auth.mfa import current_code
from tests.browser.conftest import LiveServer, assert_accessible
from tests.conftest import base_config, get_database_engine
from tests.support.world import totp_secret

pytestmark = pytest.mark.browser


@pytest.fixture
def sso_server(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[LiveServer]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {
        "staff": oidc_provider.app_config(
            "OIDC_STAFF_", LABEL="Inloggen met uw gemeenteaccount", LINK_CLAIM="employee_id"
        )
    }
    app: Flask = create_app(cfg)
    with LiveServer(app) as server:
        yield server
    get_database_engine(app).dispose()


def test_sso_login_then_eenplans_own_code(sso_server, page, oidc_provider, world) -> None:
    oidc_provider.set_user(
        "idp-reg1", {"preferred_username": "reg1", "employee_id": "reg1", "amr": ["pwd"]}
    )
    page.goto(f"{sso_server.url}/inloggen")
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met uw gemeenteaccount").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize**")
    page.locator("input[name=sub]").first.fill("idp-reg1")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{sso_server.url}/inloggen/code")
    assert_accessible(page)
    page.get_by_label("Code").fill(current_code(totp_secret("reg1")))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Mijn werklijst").wait_for()
    page.get_by_role("link", name="Mijn account").click()
    page.get_by_role(
        "link", name="Beveiliging: waar u bent ingelogd, overal uitloggen, herstelcodes"
    ).click()
    page.get_by_text("organisatieaccount en app").wait_for()
    assert_accessible(page)
