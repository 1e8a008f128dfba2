"""Mijn Eenplan, "Wie mag wat zien": levels per organisation, trusted people, consent,
beroepsgeheim releases, and the request for another regisseur (rule 7)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.autorisaties import services as autorisaties
from app.autorisaties.models import OBJECT_OPMERKING, Vertrouwenspersoon
from app.db import session
from app.logboek import unit_of_work
from app.users.models import User
from tests.conftest import login
from tests.support.world import BSN, SECRET_COMMENT, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401


def test_page_shows_levels_and_trusted_people(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    html = client.get("/mijn/toegang").get_data(as_text=True)
    assert "Schuldhulp Teststad" in html and "Jeugdhulp Teststad" in html
    jeugd = world.orgs["jeugdhulp"]
    assert f'id="niveau-{jeugd}-volledig" name="niveau" value="volledig" checked' in html
    assert "Truus" in html and BSN["truus"] not in html


def test_citizen_sets_geen_inzage_and_the_organisation_sees_no_content(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    token = form_token(client.get("/mijn/toegang").get_data(as_text=True))
    schuld = world.orgs["schuldhulp"]
    resp = client.post(
        "/mijn/toegang/niveau",
        data={"csrf_token": token, "organisation_id": schuld, "niveau": "geen"},
    )
    assert resp.status_code == 302
    bad = client.post(
        "/mijn/toegang/niveau",
        data={"csrf_token": token, "organisation_id": schuld, "niveau": "alles"},
    )
    assert bad.status_code == 422 and "Kies geen inzage" in bad.get_data(as_text=True)
    # An organisation not involved in her plan: refused.
    ggz = client.post(
        "/mijn/toegang/niveau",
        data={"csrf_token": token, "organisation_id": world.orgs["ggz"], "niveau": "volledig"},
    )
    assert ggz.status_code == 422
    staff = portaal_app.test_client()
    login(staff, "hulp1")
    plan = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    # No content of others any more (their own organisation's work stays theirs).
    assert "Gezinsbegeleiding thuis" not in plan and "Eerste gesprek gevoerd" not in plan
    # Her decision is in her own log.
    log = client.get("/mijn/logboek").get_data(as_text=True)
    regels = [r.split("</li>")[0] for r in log.split('class="ep-logregel"')[1:]]
    assert any("Gewijzigd" in r and "Anna Aalders" in r and "Wie mag wat zien" in r for r in regels)


def test_grant_and_revoke_a_trusted_person(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    token = form_token(client.get("/mijn/toegang").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "naam": "Bea Bewind",
        "bsn": "123456789",
        "relatie": "bewindvoerder",
        "geldig_tot": "2099-01-01",
    }
    bad = client.post("/mijn/toegang/vertrouwenspersonen", data=data)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Dit is geen geldig burgerservicenummer" in html
    assert 'value="Bea Bewind"' in html  # what was typed stays
    bad = client.post("/mijn/toegang/vertrouwenspersonen", data={**data, "bsn": BSN["dirk"]})
    assert bad.status_code == 422 and "binnen twee jaar" in bad.get_data(as_text=True)
    import datetime as dt

    from app.clock import today

    ok = client.post(
        "/mijn/toegang/vertrouwenspersonen",
        data={
            **data,
            "bsn": BSN["dirk"],
            "geldig_tot": (today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert ok.status_code == 302
    with portaal_app.app_context():
        grant = session.scalars(
            select(Vertrouwenspersoon).where(Vertrouwenspersoon.naam == "Bea Bewind")
        ).one()
        grant_id = grant.id
    assert "Bea Bewind" in client.get("/mijn/toegang").get_data(as_text=True)
    resp = client.post(
        f"/mijn/toegang/vertrouwenspersonen/{grant_id}/intrekken", data={"csrf_token": token}
    )
    assert resp.status_code == 302
    with portaal_app.app_context():
        assert session.get(Vertrouwenspersoon, grant_id).ingetrokken_op is not None  # type: ignore[union-attr]
    # Someone else's grant (Eva's to Truus): 404.
    assert (
        client.post(
            f"/mijn/toegang/vertrouwenspersonen/{world.vertrouwenspersonen['c_truus_ingetrokken']}/intrekken",
            data={"csrf_token": token},
        ).status_code
        == 404
    )


def test_citizen_revokes_consent_and_the_hulpverlener_loses_access(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "dirk")  # plan b: basis toestemming
    html = client.get("/mijn/toegang").get_data(as_text=True)
    assert "Uw toestemming voor het plan" in html
    resp = client.post(
        "/mijn/toegang/toestemming/intrekken",
        data={"csrf_token": form_token(html), "toelichting": "Ik wil dit niet meer."},
    )
    assert resp.status_code == 302
    staff = portaal_app.test_client()
    login(staff, "hulp_jeugd")
    assert staff.get(f"/plannen/{world.plans['b']}").status_code == 404
    after = client.get("/mijn/toegang").get_data(as_text=True)
    assert "U trok uw toestemming in" in after and "Opnieuw toestemming geven" in after


def test_request_for_another_regisseur_reaches_the_municipality(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    token = form_token(client.get("/mijn/toegang").get_data(as_text=True))
    empty = client.post("/mijn/toegang/andere-regisseur", data={"csrf_token": token})
    assert empty.status_code == 422 and "Schrijf waarom" in empty.get_data(as_text=True)
    resp = client.post(
        "/mijn/toegang/andere-regisseur",
        data={"csrf_token": token, "reden": "Het klikt niet tussen ons."},
    )
    assert resp.status_code == 302
    staff = portaal_app.test_client()
    login(staff, "reg1")
    plan = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "De inwoner vraagt om een andere regisseur" in plan
    assert "Het klikt niet tussen ons." in plan
    # In the werklijst too, until the regisseur answers.
    assert "Vraagt om andere regisseur" in staff.get("/plannen").get_data(as_text=True)
    with portaal_app.app_context():
        from app.plans.models import PlanComment

        asked = session.scalars(
            select(PlanComment).where(PlanComment.soort == "regisseurverzoek")
        ).one()
        asked_id = asked.id
    staff.post(
        f"/plannen/{world.plans['a']}/opmerkingen",
        data={
            "csrf_token": form_token(plan),
            "reply_to": asked_id,
            "body": "Ik bel u morgen om het te bespreken.",
        },
    )
    assert "Vraagt om andere regisseur" not in staff.get("/plannen").get_data(as_text=True)
    # A colleague standing in sees it too (the municipality, not only the regisseur).
    colleague = portaal_app.test_client()
    login(colleague, "reg3")
    assert "De inwoner vraagt om een andere regisseur" in colleague.get(
        f"/plannen/{world.plans['a']}"
    ).get_data(as_text=True)


def test_citizen_releases_an_item_under_beroepsgeheim(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    comment_id = world.comments["a_geheim"]
    client = as_citizen(portaal_app, oidc_provider, "anna")
    assert SECRET_COMMENT not in client.get("/mijn/toegang").get_data(as_text=True)
    with portaal_app.app_context():
        hulp1 = session.get(User, world.users["hulp1"])
        assert hulp1 is not None
        with unit_of_work(session, "zeggenschap-inwoner"):
            autorisaties.geef_beroepsgeheim_vrij(OBJECT_OPMERKING, comment_id, actor=hulp1)
    html = client.get("/mijn/toegang").get_data(as_text=True)
    assert SECRET_COMMENT in html and "U gaf nog geen toestemming" in html
    resp = client.post(
        f"/mijn/toegang/beroepsgeheim/{OBJECT_OPMERKING}/{comment_id}",
        data={"csrf_token": form_token(html)},
    )
    assert resp.status_code == 302
    assert "U gaf toestemming om dit door te geven" in client.get("/mijn/toegang").get_data(
        as_text=True
    )
    with portaal_app.app_context():
        from app import access

        assert comment_id in {
            c.id for c in session.scalars(access.shareable_comments(world.plans["a"]))
        }
    # An item that is not released to her: 404.
    assert (
        client.post(
            f"/mijn/toegang/beroepsgeheim/{OBJECT_OPMERKING}/{comment_id + 999}",
            data={"csrf_token": form_token(html)},
        ).status_code
        == 404
    )
