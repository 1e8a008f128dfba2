"""Deferred disclosure in a real browser (issue 13 #7): a regisseur of the signal team defers a
signal (a refused date first: the error is named, the input kept), the privacy officer reviews
it — every page checked by axe (and the CSP)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.clock import today
from tests.browser.conftest import assert_accessible, staff_login
from tests.browser.test_portaal_flow import digid_login
from tests.browser.test_portaal_flow import portaal_server as portaal_server  # the fixture
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def test_regisseur_defers_privacy_officer_reviews(app, live_server, new_page, page, world) -> None:  # type: ignore[no-untyped-def]
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
    expect(page.get_by_text("De mentor is bang voor de vader.").first).to_be_visible()
    assert_accessible(page)

    po = new_page(locale="nl-NL")
    staff_login(po, live_server.url, "privacy1", PASSWORD)
    po.goto(f"{live_server.url}/privacy/uitstel")
    po.get_by_role("heading", name="Uitstel van inzage").wait_for()
    expect(po.get_by_text("De mentor is bang voor de vader.").first).to_be_visible()
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
    expect(po.get_by_text("Akkoord: het uitstel blijft.").first).to_be_visible()
    po.context.close()


def test_citizen_reads_removed_and_late_shown_signals(  # type: ignore[no-untyped-def]
    app, portaal_server, page, oidc_provider, world
) -> None:
    """ "Signalen over mij" with a removed signal (the tombstone, in plain words) and a signal
    shown later than it came in (with the reason): axe-clean."""
    from sqlalchemy import select

    from app.clock import now
    from app.db import session
    from app.logboek import unit_of_work
    from app.signalen import vergeten
    from app.signalen.models import Vroegsignaal
    from app.signalen.uitstel import Uitstel
    from tests.conftest import pseudonym
    from tests.support.world import BSN
    from tests.test_portaal_signalen import _signalen_over

    _signalen_over(app, world, "anna")
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        signalen = list(
            session.scalars(
                select(Vroegsignaal)
                .where(Vroegsignaal.person_id == world.persons["anna"])
                .order_by(Vroegsignaal.id)
            )
        )
        rows = vergeten.tombstone_rows(Vroegsignaal.id == signalen[0].id)
        vergeten.tombstones(rows, "signalen-afweging", "signalen.purge", now(), "bewaartermijn")
        session.add(
            Uitstel(
                vroegsignaal_id=signalen[1].id,
                onderwerp=pseudonym(app, BSN["anna"]),
                tot=today(),  # ended today: shown, with the reason
                reden="onderzoek",
                toelichting="De politie deed nog onderzoek.",
                ingesteld_door="Regina Eerste, Regisseur",
                ingesteld_op=now(),
            )
        )
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    digid_login(page, portaal_server.url, oidc_provider, "digid-anna")
    page.get_by_role("heading", name="Mijn plan").wait_for()
    page.goto(f"{portaal_server.url}/mijn/signalen")
    page.get_by_role("heading", name="Verwijderde signalen").wait_for()
    expect(page.get_by_text("Er is binnen de vaste termijn niets mee gedaan")).to_be_visible()
    expect(page.get_by_text("U ziet dit signaal pas sinds")).to_be_visible()
    expect(page.get_by_text("De politie deed nog onderzoek.")).to_be_visible()
    assert_accessible(page)
