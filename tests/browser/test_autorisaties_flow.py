"""Who sees what, in a real browser: buitenkant and full detail, a level change by the citizen,
a stand-in's emergency access, and the beheer screens — every page checked by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, staff_login
from tests.support.world import BSN, PASSWORD, SECRET_COMMENT

pytestmark = pytest.mark.browser


def _set_level(app, world, niveau: str) -> None:  # type: ignore[no-untyped-def]
    """Anna changes what Schuldhulp sees (through the service the portal will call)."""
    from app.autorisaties import services as autorisaties
    from app.db import session
    from app.organisations.models import Organisation
    from app.plans.models import Plan
    from app.users.models import User

    with app.app_context():
        anna = session.scalars(select(User).where(User.username == "anna")).one()
        plan = session.get(Plan, world.plans["a"])
        org = session.get(Organisation, world.orgs["schuldhulp"])
        with autorisaties.als_inwoner(anna):
            autorisaties.zet_inzageniveau(plan, org, niveau, actor=anna)


def test_hulpverlener_sees_buitenkant_then_the_citizens_choice(
    app, live_server, page, world
) -> None:
    staff_login(page, live_server.url, "hulp1", PASSWORD)
    page.get_by_role("link", name="Anna Aalders").click()
    page.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    assert_accessible(page)
    # Own organisation in full, remark under beroepsgeheim included; the others as buitenkant.
    expect(page.get_by_text("Schuldenoverzicht maken")).to_be_visible()
    expect(page.get_by_text("Toelichting bij a_schuld")).to_be_visible()
    expect(page.get_by_text(SECRET_COMMENT)).to_be_visible()
    jeugd = page.get_by_role("region", name="Jeugdhulp Teststad")
    # the kind of help
    expect(jeugd.get_by_role("heading", name="Jeugdhulp", exact=True)).to_be_visible()
    expect(jeugd.get_by_text("U ziet alleen de buitenkant van deze activiteit.")).to_be_visible()
    assert page.get_by_text("Gezinsbegeleiding thuis").count() == 0

    _set_level(app, world, "volledig")
    page.reload()
    page.get_by_text("Gezinsbegeleiding thuis").wait_for()
    expect(page.get_by_text("Toelichting bij a_jeugd")).to_be_visible()
    assert_accessible(page)

    _set_level(app, world, "geen")
    page.reload()
    page.get_by_text("alleen ziet dát er een plan is").wait_for()
    # "Geen inzage" never stops their own work: their own activity stays, the others' go.
    expect(page.get_by_text("Schuldenoverzicht maken")).to_be_visible()
    assert page.get_by_text("Gezinsbegeleiding thuis").count() == 0
    assert page.get_by_text(BSN["anna"]).count() == 0
    expect(page.get_by_text("Regina Eerste")).to_be_visible()
    assert_accessible(page)


def test_hulpverlener_with_volledig_never_sees_anothers_beroepsgeheim(
    live_server, page, world
) -> None:
    staff_login(page, live_server.url, "hulp_jeugd", PASSWORD)
    page.goto(f"{live_server.url}/plannen/{world.plans['a']}")
    page.get_by_text("Schuldenoverzicht maken").wait_for()
    assert page.get_by_text("Toelichting bij a_schuld").count() == 0
    assert page.get_by_text(SECRET_COMMENT).count() == 0
    # Marking one's own remark as beroepsgeheim, with the keyboard-usable checkbox.
    page.get_by_role("link", name="Wijzigen: Jeugdhulp").click()
    assert_accessible(page)
    page.get_by_label("De toelichting valt onder mijn beroepsgeheim").check()
    page.get_by_role("button", name="Opslaan").click()
    # Now under beroepsgeheim: marked so, and its own organisation decides on releasing it.
    page.get_by_role("link", name="Vrijgeven of niet").wait_for()
    expect(page.get_by_text("Voortgang (beroepsgeheim):").first).to_be_visible()


def test_stand_in_gives_a_reason_and_sees_the_notice(live_server, page, world) -> None:
    staff_login(page, live_server.url, "reg2", PASSWORD)
    page.get_by_role("link", name="Collega vervangen").click()
    page.get_by_role("heading", name="Plan van een collega openen").wait_for()
    assert_accessible(page)
    page.get_by_label("BSN van de inwoner").fill(BSN["anna"])
    page.get_by_label("Reden").fill("kort")
    page.get_by_role("button", name="Plan openen als vervanger").click()
    page.get_by_role("heading", name="Controleer de invoer").wait_for()
    assert_accessible(page)
    page.get_by_label("Reden").fill("Regina is ziek en Anna belt met een dringende vraag.")
    page.get_by_role("button", name="Plan openen als vervanger").click()
    page.get_by_role("heading", name="Plan van Anna Aalders").wait_for()
    assert BSN["anna"] not in page.url
    expect(page.get_by_text("U opent dit plan als vervanger van Regina Eerste")).to_be_visible()
    assert_accessible(page)


def test_revoked_consent_shows_the_regisseur_the_next_step(live_server, page, world) -> None:
    staff_login(page, live_server.url, "reg1", PASSWORD)
    page.goto(f"{live_server.url}/plannen/{world.plans['e']}")
    page.get_by_role("heading", name="De toestemming voor dit plan is ingetrokken").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Plan afsluiten").first.click()
    assert page.get_by_label("Reden").input_value() == "toestemming_ingetrokken"
    assert_accessible(page)
    page.get_by_role("button", name="Plan afsluiten").click()
    page.get_by_text("Het plan is afgesloten.").wait_for()


def test_beheerder_manages_users_organisations_and_mandates(live_server, page, world) -> None:
    staff_login(page, live_server.url, "beheer1", PASSWORD)
    page.get_by_role("heading", name="Gebruikers").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Gebruiker toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill("nina.noord")
    page.get_by_label("Naam", exact=True).fill("Nina Noord")
    page.get_by_label("Organisatie").select_option(label="Regie Noord")
    page.get_by_label("Regisseur").check()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Beginwachtwoord").wait_for()
    assert_accessible(page)
    # Find her in the list by part of her name: the text is posted, never in the address.
    page.get_by_role("link", name="Gebruikers", exact=True).click()
    page.get_by_role("textbox", name=re.compile(r"^Zoek een gebruiker")).fill("noord")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Nina Noord").wait_for()
    assert page.get_by_role("link", name="Hanna Schuld").count() == 0
    assert "noord" not in page.url.lower()
    assert_accessible(page)
    page.get_by_role("link", name="Organisaties", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Mandaten", exact=True).click()
    page.get_by_role("cell", name="MB-TEST-1", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Beëindigen: MB-TEST-1").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mandaat beëindigen").click()
    page.get_by_text("Het mandaat is beëindigd.").wait_for()
