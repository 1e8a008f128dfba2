"""Issue 16 item 10 in a real browser: Dirk (plan b, basis toestemming) revokes his consent on a
page that says what happens, with a reason; the portal shows the new state; he gives consent
again. The regisseur's side (account contact details, issue 16 item 2) in a second context.
axe-core checks every page (WCAG 2.1 A/AA)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, assert_accessible, staff_login
from tests.browser.test_portaal_flow import digid_login, portaal_server  # noqa: F401
from tests.support.world import BSN, PASSWORD

pytestmark = pytest.mark.browser


def test_citizen_revokes_and_gives_consent_again(
    portaal_server: LiveServer,  # noqa: F811
    page: Any,
    oidc_provider: Any,
) -> None:
    base = portaal_server.url
    oidc_provider.set_user("digid-dirk", {"bsn": BSN["dirk"]})
    digid_login(page, base, oidc_provider, "digid-dirk")
    page.get_by_role("heading", name="Mijn plan").wait_for()
    page.goto(f"{base}/mijn/toegang")
    page.get_by_role("link", name="Toestemming intrekken").click()
    page.get_by_role("heading", name="Wilt u uw toestemming intrekken?").wait_for()
    assert_accessible(page)
    page.get_by_label("Waarom trekt u uw toestemming in?").fill("Ik wil eerst nadenken.")
    page.get_by_role("button", name="Ja, trek mijn toestemming in").click()
    page.get_by_text("U trok uw toestemming in").first.wait_for()
    assert_accessible(page)
    assert page.locator("input[name=niveau]").count() == 0
    page.goto(f"{base}/mijn/")
    page.locator("#basis-ingetrokken").wait_for()
    assert_accessible(page)
    page.goto(f"{base}/mijn/toegang")
    page.get_by_role("link", name="Opnieuw toestemming geven").click()
    page.get_by_role("heading", name="Opnieuw toestemming geven").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ik geef opnieuw toestemming").click()
    page.get_by_text("U gaf opnieuw toestemming.").wait_for()
    assert page.locator("input[name=niveau]").count() > 0


def test_regisseur_edits_contact_details(
    portaal_server: LiveServer,  # noqa: F811
    page: Any,
) -> None:
    base = portaal_server.url
    staff_login(page, base, "reg1", PASSWORD)
    page.goto(f"{base}/account/")
    page.get_by_role("link", name="Contactgegevens wijzigen").click()
    page.get_by_role("heading", name="Mijn contactgegevens").wait_for()
    assert_accessible(page)
    page.get_by_label("Telefoonnummer").fill("bel me")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    assert page.get_by_label("Telefoonnummer").input_value() == "bel me"
    page.get_by_label("Telefoonnummer").fill("020-7654321")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Uw contactgegevens zijn opgeslagen.").wait_for()
    page.get_by_text("naar 020-7654321").wait_for()
