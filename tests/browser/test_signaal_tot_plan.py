"""Issue 13's whole chain in a real browser, every page checked by axe (and the CSP):

three government creditors deliver arrears signals for a BSN that Eenplan does not know, through
the real source API with their own source tokens → the signal team's queue shows them as one
combined row → the regisseur records the person from the BRP ("Persoon opnemen uit de BRP"),
which matches every signal with that BSN → an afweging, in which a hulpverlener of Jeugdhulp
answers the dát-informatie question in another browser context → step 4 → a plan on the basis
multiproblematiek, linked to its afweging both ways → the citizen logs in with DigiD and sees
the signals, how the municipality weighed them, and the plan."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from playwright.sync_api import expect

from app import create_app
from tests.browser.conftest import LiveServer, assert_accessible, staff_login
from tests.browser.test_portaal_flow import digid_login
from tests.conftest import base_config, get_database_engine
from tests.support.citizens import burger_app_config
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser

BSN = "310040012"  # valid (11-proef), not in the test world: nobody with it is known in Eenplan
CREDITORS = {"belastingdienst": "Belastingdienst", "cak": "CAK", "cjib": "CJIB"}
RIJK = "Achterstand bij 3 of meer overheidsschuldeisers"
NAAM = "Kevin de Boer"  # whom the synthetic BRP has for BSN (app/inkijk/synthetisch_nieuw.py)


@pytest.fixture
def server(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[tuple[LiveServer, Flask]]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    app: Flask = create_app(cfg)
    with LiveServer(app) as live:
        yield live, app
    get_database_engine(app).dispose()


def _source_token(app: Flask, code: str) -> str:
    from app.db import session
    from app.signalen import inrichting

    with app.app_context():
        bron = inrichting.bron(code)
        assert bron is not None
        _t, plain = inrichting.maak_bron_token(bron, "ketentest")
        session.commit()
    return plain


def _deliver(app: Flask, base: str) -> list[int]:
    """Each creditor delivers one arrears signal through the source API, with its own token."""
    ids = []
    for code in CREDITORS:
        resp = httpx.post(
            f"{base}/api/v1/bronnen/{code}/signalen",
            json={
                "bsn": BSN,
                "bronReferentie": f"KETEN-{code}",
                "signaaldatum": "2026-01-15",
                "schuldsoort": "achterstand",
                "bedrag": "420.00",
                "maandenAchterstand": 3,
                "schuldeiser": CREDITORS[code],
            },
            headers={"Authorization": f"Bearer {_source_token(app, code)}"},
            timeout=10,
            trust_env=False,
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["status"] == "opgeslagen"
        ids.append(int(resp.json()["id"]))
    return ids


def _queue_rows(page: Any, ids: list[int]) -> list[Any]:
    """The queue's rows that link to one of these signals."""
    rows = page.locator("tbody tr")
    return [
        rows.nth(i)
        for i in range(rows.count())
        if any(rows.nth(i).locator(f'a[href$="/signalen/signaal/{sid}"]').count() for sid in ids)
    ]


def test_from_arrears_signals_to_a_plan_the_citizen_sees(  # type: ignore[no-untyped-def]
    server, new_page, page, oidc_provider, world
) -> None:
    live, app = server
    base = live.url
    ids = _deliver(app, base)

    # --- the queue: the signals about someone not (yet) in Eenplan ------------------------------
    staff_login(page, base, "reg1", PASSWORD)
    page.get_by_role("link", name="Signalen", exact=True).click()
    page.get_by_role("heading", name="Signalen", exact=True).wait_for()
    assert_accessible(page)
    html = page.content()
    assert BSN not in html  # the queue never shows the BSN
    rows = _queue_rows(page, ids)
    # Grouped by the delivered BSN (issue 13 item 5): one combined row, with the rule for three
    # government creditors and the highest urgency.
    assert len(rows) == 1
    text = rows[0].inner_text()
    assert "3 signalen met hetzelfde BSN" in text
    assert RIJK in text and "Zeer hoog" in text

    # --- recording: the person is taken from the BRP, every signal with the BSN matched -------
    rows[0].get_by_role("link").first.click()
    page.get_by_role("heading", name="Signaal koppelen aan een persoon").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Persoon opnemen uit de BRP").click()
    page.get_by_role("heading", name="Persoon opnemen uit de BRP").wait_for()
    assert BSN not in page.url  # the BSN travels in no address
    brp = page.locator("#brp-persoon").inner_text()
    assert NAAM in brp and "Geboortedatum" in brp and "Amsterdam" in brp
    assert_accessible(page)
    page.get_by_role("button", name="Persoon opnemen en signalen koppelen").click()
    page.get_by_text("De persoon is opgenomen uit de BRP").wait_for()
    # Landed on the person's signals: all three creditors, and the afweging can start here.
    for naam in CREDITORS.values():
        expect(page.get_by_text(naam).first).to_be_visible()
    expect(page.get_by_role("button", name="Afweging starten met deze signalen")).to_be_visible()
    assert BSN not in page.url
    assert_accessible(page)
    # Matching one signal matches every open signal delivered with that BSN.
    page.goto(f"{base}/signalen/")
    assert _queue_rows(page, ids) == []
    person_row = page.locator("tbody tr", has=page.get_by_role("link", name=NAAM))
    assert person_row.count() == 1
    assert RIJK in person_row.inner_text() and "Zeer hoog" in person_row.inner_text()
    assert_accessible(page)

    # --- the afweging, with a dát-informatie question ------------------------------------------
    page.get_by_role("link", name=NAAM).click()
    for naam in CREDITORS.values():
        expect(page.get_by_text(naam).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Afweging starten met deze signalen").click()
    page.get_by_role("heading", name=re.compile(f"Afweging voor {NAAM}")).wait_for()
    case_url = page.url
    assert_accessible(page)
    page.get_by_label("Organisatie").select_option(label="Jeugdhulp Teststad")
    page.get_by_role("button", name="Vraag stellen").click()
    page.get_by_text("De vraag is gesteld aan Jeugdhulp Teststad").wait_for()
    assert_accessible(page)

    hulp = new_page(locale="nl-NL")
    staff_login(hulp, base, "hulp_jeugd", PASSWORD)
    hulp.get_by_role("link", name=re.compile(r"^Vragen aan mijn organisatie")).click()
    hulp.get_by_role("heading", name="Vragen aan mijn organisatie").wait_for()
    assert_accessible(hulp)
    hulp.get_by_role("link", name=NAAM).click()
    hulp.get_by_role("heading", name=f"Vraag over {NAAM}").wait_for()
    assert_accessible(hulp)
    hulp.get_by_label("Ja, bekend").check()
    hulp.get_by_role("button", name="Antwoord versturen").click()
    hulp.get_by_text("Uw antwoord is verstuurd naar de gemeente.").wait_for()
    assert_accessible(hulp)
    hulp.context.close()

    # --- steps 2, 3 and 4 -----------------------------------------------------------------------
    page.goto(case_url)
    page.get_by_text("Jeugdhulp Teststad: bekend").first.wait_for()
    motivering = page.get_by_label("Motivering").first
    assert "Antwoorden van organisaties: Jeugdhulp Teststad: bekend." in motivering.input_value()
    motivering.fill(
        motivering.input_value() + " Schulden bij drie overheidsschuldeisers: signaal klopt."
    )
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_role("button", name="Stap vastleggen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()
    assert_accessible(page)
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_label("Motivering").first.fill("Schulden en zorg: meerdere hulpverleners nodig.")
    page.get_by_role("button", name="Stap vastleggen").click()
    page.get_by_text("De stap is vastgelegd.").wait_for()
    expect(page.get_by_text("Heeft de inwoner al een plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Ja", exact=True).check()
    page.get_by_label("Motivering").first.fill("Multiproblematiek vastgesteld in het overleg.")
    page.get_by_role("button", name="Stap vastleggen").click()
    page.get_by_text(
        "Het plan is aangemaakt op die basis en gekoppeld aan deze afweging"
    ).wait_for()
    assert_accessible(page)

    # --- the plan, linked to its afweging both ways ---------------------------------------------
    page.get_by_role("link", name="Naar het plan").click()
    page.get_by_role("heading", name=f"Plan van {NAAM}").wait_for()
    header = page.locator(".ep-plan-header .ep-meta").inner_text()
    assert "Multiproblematiek vastgesteld" in header and "Weging ontbreekt" not in header
    expect(
        page.locator("#plan-afweging").get_by_text(
            "Multiproblematiek is vastgesteld in stap 4 van een afweging."
        )
    ).to_be_visible()
    assert_accessible(page)
    page.locator("#plan-afweging").get_by_role("link", name="Naar de afweging").click()
    page.wait_for_url(case_url)
    page.get_by_role("heading", name=re.compile(f"Afweging voor {NAAM}")).wait_for()

    # --- the citizen: signals, the weighing and the plan in Mijn Eenplan ------------------------
    citizen = new_page(locale="nl-NL")
    oidc_provider.set_user("digid-sanne", {"bsn": BSN})
    digid_login(citizen, base, oidc_provider, "digid-sanne")
    citizen.get_by_role("heading", name="Mijn plan").wait_for()
    assert "Hulp op meer dan één gebied tegelijk" in citizen.locator("p.ep-meta").first.inner_text()
    expect(
        citizen.locator("#plan-afweging").get_by_text("De gemeente heeft eerst goed bekeken")
    ).to_be_visible()
    assert_accessible(citizen)
    citizen.locator("#plan-afweging").get_by_role(
        "link", name="Lees hoe de gemeente het heeft bekeken"
    ).click()
    citizen.get_by_role("heading", name="Signalen over mij").wait_for()
    signalen = citizen.locator("section[aria-labelledby=signalen-kop]")
    assert signalen.locator("li.ep-activity").count() == len(CREDITORS)
    for naam in CREDITORS.values():
        assert naam in signalen.inner_text()
    weging = citizen.locator("section[aria-labelledby=afweging-kop]").inner_text()
    assert "Hoe de gemeente het heeft bekeken" in weging
    assert "Multiproblematiek vastgesteld in het overleg." in weging
    assert "Jeugdhulp Teststad: bekend" in weging
    assert "Deze afweging hoort bij uw plan." in weging
    assert_accessible(citizen)
    citizen.get_by_role("link", name="Bekijk uw plan").click()
    citizen.get_by_role("heading", name="Mijn plan").wait_for()
    assert_accessible(citizen)
    citizen.context.close()
