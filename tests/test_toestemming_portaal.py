"""Issue 16 item 10: revoking consent from the portal is confirmed on a page that says what
happens (with an optional reason); the new state shows everywhere (portal plan page, Wie mag wat
zien, the regisseur's plan page, the werklijst); no levels are offered for organisations that do
not see the plan; and the citizen can give consent again (a new consent record). Each step is
one transaction and logged as the citizen's own decision."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.db import session
from app.plans.models import Toestemming
from tests.conftest import head_seq, log_lines, login
from tests.support.world import World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401

INTREKKEN = "/mijn/toegang/toestemming/intrekken"
GEVEN = "/mijn/toegang/toestemming/geven"
REDEN = "Ik wil eerst zelf nadenken."


def _decisions(app: Flask, before: int) -> list[tuple[str, str, str]]:
    return [
        (r["actor_type"], r["name"], r["data_categories"])
        for r in log_lines(app, before)
        if r["actor_type"] == "burger" and r["name"].startswith("zeggenschap.")
    ]


def test_revoking_asks_first_and_says_what_happens(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "dirk")  # plan b: basis toestemming
    overzicht = client.get("/mijn/toegang").get_data(as_text=True)
    assert "U gaf toestemming" in overzicht and INTREKKEN in overzicht
    page = client.get(INTREKKEN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Wat gebeurt er dan?" in html and "Jeugdhulp Teststad" in html
    assert "Ja, trek mijn toestemming in" in html and "Nee, ga terug" in html
    # Only looking at the page changes nothing: the organisation still sees the plan.
    hulp = portaal_app.test_client()
    login(hulp, "hulp_jeugd")
    assert hulp.get(f"/plannen/{world.plans['b']}").status_code == 200
    # Too long a reason: named error, the input kept, nothing revoked.
    long = "x" * 2001
    bad = client.post(INTREKKEN, data={"csrf_token": form_token(html), "toelichting": long})
    assert bad.status_code == 422
    assert "Hooguit 2000 tekens." in bad.get_data(as_text=True)
    assert long in bad.get_data(as_text=True)
    assert hulp.get(f"/plannen/{world.plans['b']}").status_code == 200


def test_after_revoking_the_state_shows_everywhere_and_consent_can_be_given_again(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    plan_b = world.plans["b"]
    client = as_citizen(portaal_app, oidc_provider, "dirk")
    token = form_token(client.get(INTREKKEN).get_data(as_text=True))
    before = head_seq(portaal_app)
    resp = client.post(INTREKKEN, data={"csrf_token": token, "toelichting": REDEN})
    assert resp.status_code == 302
    assert _decisions(portaal_app, before) == [
        ("burger", "zeggenschap.toestemming.intrekken", "toestemming")
    ]
    # Portal: the plan page and Wie mag wat zien say so; no level is offered any more.
    plan_page = client.get("/mijn/").get_data(as_text=True)
    assert "Toestemming ingetrokken" in plan_page and "Met toestemming" not in plan_page
    toegang = client.get("/mijn/toegang").get_data(as_text=True)
    assert "U trok uw toestemming in" in toegang and REDEN in toegang
    assert 'name="niveau"' not in toegang
    assert 'id="niveaus-niet"' in toegang and "Jeugdhulp Teststad" in toegang
    assert GEVEN in toegang
    # Setting a level anyway is refused.
    refused = client.post(
        "/mijn/toegang/niveau",
        data={
            "csrf_token": form_token(toegang),
            "organisation_id": world.orgs["jeugdhulp"],
            "niveau": "volledig",
        },
    )
    assert refused.status_code == 422
    assert "U trok uw toestemming in" in refused.get_data(as_text=True)
    # Revoking twice: the page says it cannot.
    again = client.get(INTREKKEN).get_data(as_text=True)
    assert "Ja, trek mijn toestemming in" not in again
    # Staff: the regisseur's plan page and werklijst show it; the organisation no longer sees it.
    reg = portaal_app.test_client()
    login(reg, "reg2")
    detail = reg.get(f"/plannen/{plan_b}").get_data(as_text=True)
    assert 'id="basis-ingetrokken"' in detail and REDEN in detail
    werklijst = reg.get("/plannen").get_data(as_text=True)
    assert "Toestemming ingetrokken" in werklijst
    hulp = portaal_app.test_client()
    login(hulp, "hulp_jeugd")
    assert hulp.get(f"/plannen/{plan_b}").status_code == 404

    # Giving consent again: a page first, then a new consent record.
    page = client.get(GEVEN)
    assert page.status_code == 200 and "Ja, ik geef opnieuw toestemming" in page.get_data(
        as_text=True
    )
    before = head_seq(portaal_app)
    resp = client.post(GEVEN, data={"csrf_token": form_token(page.get_data(as_text=True))})
    assert resp.status_code == 302
    assert _decisions(portaal_app, before) == [
        ("burger", "zeggenschap.toestemming.geven", "toestemming")
    ]
    with portaal_app.app_context():
        rows = list(
            session.scalars(
                select(Toestemming)
                .where(Toestemming.plan_id == plan_b)
                .order_by(Toestemming.id)
                .execution_options(audit_internal=True)
            )
        )
        assert [r.ingetrokken_op is None for r in rows] == [False, True]
        assert rows[-1].gegeven_door == "de inwoner zelf"
    assert hulp.get(f"/plannen/{plan_b}").status_code == 200
    toegang = client.get("/mijn/toegang").get_data(as_text=True)
    assert "U gaf toestemming" in toegang and 'name="niveau"' in toegang
    assert "Toestemming ingetrokken" not in reg.get("/plannen").get_data(as_text=True)
    # Giving it twice is refused.
    twice = client.post(GEVEN, data={"csrf_token": form_token(toegang)})
    assert twice.status_code == 422 and "U gaf al toestemming" in twice.get_data(as_text=True)
