"""The regisseur's screens over HTTP: bad input keeps what was typed, conflicts lose nothing."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import csrf_token, log_lines, login
from tests.support.world import BSN


def post(client: FlaskClient, path: str, data: dict[str, str], form_page: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token})


def test_login_with_wrong_password_says_nothing_about_the_user(client, world) -> None:
    token = csrf_token(client, "/inloggen")
    wrong_user = client.post(
        "/inloggen", data={"username": "bestaatniet", "password": "x" * 12, "csrf_token": token}
    )
    wrong_pw = client.post(
        "/inloggen", data={"username": "reg1", "password": "x" * 12, "csrf_token": token}
    )
    assert wrong_user.status_code == wrong_pw.status_code == 401
    msg = "Onjuiste gebruikersnaam of wachtwoord."
    assert msg in wrong_user.get_data(as_text=True) and msg in wrong_pw.get_data(as_text=True)
    # What was typed as username stays in the form.
    assert 'value="reg1"' in wrong_pw.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, world, app) -> None:
    login(client, "reg1")
    resp = client.post(f"/plannen/{world.plans['a']}/opmerkingen", data={"body": "zonder token"})
    assert resp.status_code == 400
    assert "formulier is verlopen" in resp.get_data(as_text=True)
    assert "zonder token" not in client.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)


def test_invalid_bsn_shows_error_and_keeps_input(client, world) -> None:
    login(client, "reg1")
    resp = post(
        client,
        "/plannen/nieuw",
        {
            "bsn": "123456789",
            "voornamen": "Piet",
            "achternaam": "Proef",
            "geboortedatum": "1980-01-01",
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "geen geldig burgerservicenummer" in body
    assert 'value="123456789"' in body and 'value="Piet"' in body and 'value="Proef"' in body
    assert 'aria-invalid="true"' in body
    assert 'href="#bsn"' in body  # the error summary links to the field


def test_missing_required_fields_are_named(client, world) -> None:
    login(client, "reg1")
    resp = post(client, "/plannen/nieuw", {"bsn": BSN["nieuw"], "basis": "", "status": "concept"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Kies de basis van het plan." in body
    assert "Deze persoon is nog niet bekend: vul dit in." in body


def test_plan_with_consent_requires_consent_fields(client, world) -> None:
    login(client, "reg1")
    resp = post(
        client,
        "/plannen/nieuw",
        {
            "bsn": BSN["nieuw"],
            "voornamen": "Nina",
            "achternaam": "Nieuw",
            "geboortedatum": "1992-02-02",
            "basis": "toestemming",
            "status": "concept",
        },
    )
    assert resp.status_code == 422
    assert "vraagt om vastgelegde toestemming" in resp.get_data(as_text=True)


def test_second_plan_for_same_bsn_names_its_regisseur(client, world, app) -> None:
    login(client, "reg1")
    resp = post(
        client,
        "/plannen/nieuw",
        {
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Er is al een plan voor deze persoon" in body
    assert "Rutger Tweede" in body
    # reg1 may not open it: no link to it (its address would be a 404 anyway).
    assert f'href="/plannen/{world.plans["b"]}"' not in body
    assert client.get(f"/plannen/{world.plans['b']}").status_code == 404


def test_create_plan_then_open_it(client, world, app) -> None:
    login(client, "reg1")
    resp = post(
        client,
        "/plannen/nieuw",
        {
            "bsn": BSN["nieuw"],
            "voornamen": "Nina",
            "achternaam": "Nieuw",
            "geboortedatum": "1992-02-02",
            "straat": "Nieuwstraat",
            "huisnummer": "5",
            "postcode": "1011 AB",
            "woonplaats": "Teststad",
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "actief",
        },
    )
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"])
    body = page.get_data(as_text=True)
    assert "Plan van Nina Nieuw" in body and "1011AB" in body and "Actief" in body
    assert "Plan aangemaakt" in body  # history


def test_activity_end_before_start_keeps_input(client, world) -> None:
    login(client, "reg1")
    path = f"/plannen/{world.plans['a']}/activiteiten/nieuw"
    resp = post(
        client,
        path,
        {
            "aard": "gesprek",
            "omschrijving": "Gesprek met de school",
            "uitvoerder_soort": "organisatie",
            "organisation_id": str(world.orgs["schuldhulp"]),
            "start_date": "2026-05-10",
            "end_date": "2026-05-01",
        },
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "De einddatum ligt voor de startdatum." in body
    assert "Gesprek met de school" in body and 'value="2026-05-10"' in body


def test_activity_with_bad_date_format(client, world) -> None:
    login(client, "reg1")
    path = f"/plannen/{world.plans['a']}/activiteiten/nieuw"
    resp = post(
        client,
        path,
        {
            "aard": "gesprek",
            "omschrijving": "Iets",
            "uitvoerder_soort": "huishouden",
            "start_date": "31-31-2026",
        },
    )
    assert resp.status_code == 422
    assert "Vul een datum in" in resp.get_data(as_text=True)


def test_second_save_of_an_activity_gets_a_conflict_and_keeps_input(app, world) -> None:
    reg, hulp = app.test_client(), app.test_client()
    login(reg, "reg1")
    login(hulp, "hulp1")
    path = f"/plannen/{world.plans['a']}/activiteiten/{world.activities['a_schuld']}/bewerken"
    # Both open the form (version 1).
    form_reg = reg.get(path).get_data(as_text=True)
    form_hulp = hulp.get(path).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form_reg).group(1)
    assert version == re.search(r'name="version" type="hidden" value="(\d+)"', form_hulp).group(1)
    base = {
        "aard": "schuldhulpverlening",
        "uitvoerder_soort": "organisatie",
        "organisation_id": str(world.orgs["schuldhulp"]),
        "start_date": "2026-01-01",
        "version": version,
    }
    first = post(reg, path, {**base, "omschrijving": "Regina's versie"})
    assert first.status_code == 302
    second = post(
        hulp, path, {**base, "omschrijving": "Hanna's versie", "toelichting": "Hanna's toelichting"}
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Iemand anders was u voor" in body
    assert (
        "Hanna&#39;s versie" in body and "Hanna&#39;s toelichting" in body
    )  # her input is still there
    assert "Regina&#39;s versie" in body  # and she sees the other version
    # Nothing was overwritten.
    page = reg.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Regina&#39;s versie" in page and "Hanna&#39;s versie" not in page
    # Saving again from the conflict page (now carrying the new version) goes through.
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1)
    assert int(new_version) == int(version) + 1
    third = post(hulp, path, {**base, "version": new_version, "omschrijving": "Hanna's versie"})
    assert third.status_code == 302


def test_plan_edit_conflict(app, world) -> None:
    a, b = app.test_client(), app.test_client()
    login(a, "reg1")
    login(b, "reg1")
    path = f"/plannen/{world.plans['a']}/bewerken"
    v = re.search(
        r'name="version" type="hidden" value="(\d+)"', a.get(path).get_data(as_text=True)
    ).group(1)
    assert post(a, path, {"status": "concept", "mandaat": "", "version": v}).status_code == 302
    resp = post(b, path, {"status": "actief", "mandaat": "", "version": v})
    assert resp.status_code == 409
    assert "Nu: status concept" in resp.get_data(as_text=True)


def test_hulpverlener_adds_activity_only_for_own_organisation(client, world) -> None:
    login(client, "hulp1")
    path = f"/plannen/{world.plans['a']}/activiteiten/nieuw"
    data = {
        "aard": "budgetbeheer",
        "omschrijving": "Budgetbeheer starten",
        "uitvoerder_soort": "organisatie",
        "start_date": "2026-01-01",
    }
    # Another organisation is not on offer: a tampered form is refused, input kept.
    refused = post(client, path, {**data, "organisation_id": str(world.orgs["jeugdhulp"])})
    assert refused.status_code == 422
    assert "Budgetbeheer starten" in refused.get_data(as_text=True)
    assert "Budgetbeheer starten" not in client.get(f"/plannen/{world.plans['a']}").get_data(
        as_text=True
    )
    resp = post(client, path, {**data, "organisation_id": str(world.orgs["schuldhulp"])})
    assert resp.status_code == 302
    page = client.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Budgetbeheer starten" in page


def test_search_by_bsn_does_not_put_it_in_the_url(client, world) -> None:
    login(client, "reg1")
    resp = post(client, "/plannen", {"q": BSN["anna"], "status": ""})
    assert resp.status_code == 200
    assert "Anna Aalders" in resp.get_data(as_text=True)
    assert BSN["anna"] not in resp.request.url
    # The form posts; the status filter is the only GET parameter.
    assert 'method="post" action="/plannen"' in resp.get_data(as_text=True)


def test_werklijst_filters_by_status(client, world) -> None:
    login(client, "reg2")
    assert "Dirk Dekker" in client.get("/plannen?status=actief").get_data(as_text=True)
    assert "Dirk Dekker" not in client.get("/plannen?status=afgesloten").get_data(as_text=True)


def test_lay_and_break_link_via_screens(client, world, app) -> None:
    login(client, "reg1")
    plan = f"/plannen/{world.plans['a']}"
    resp = post(client, f"{plan}/gezinslinks/nieuw", {"bsn": BSN["eva"], "relatie": "huisgenoot:a"})
    assert resp.status_code == 302
    assert "Eva Evers" in client.get(plan).get_data(as_text=True)
    resp = post(
        client, f"{plan}/gezinslinks/{world.links['a_bram']}/verbreken", {"reden": "Verhuisd"}
    )
    assert resp.status_code == 302
    page = client.get(plan).get_data(as_text=True)
    assert "Verbroken links (1)" in page and "Verhuisd" in page


def test_bring_in_organisation_gives_access_and_logs_the_exchange(app, world) -> None:
    reg, ggz = app.test_client(), app.test_client()
    login(reg, "reg1")
    login(ggz, "hulp_ggz")
    plan = f"/plannen/{world.plans['a']}"
    assert ggz.get(plan).status_code == 404
    resp = post(
        reg,
        f"{plan}/betrokkenheden/nieuw",
        {
            "organisation_id": str(world.orgs["ggz"]),
            "user_id": "",
            "rol": "Behandeling",
            "start_date": "2020-01-01",
        },
        form_page=f"{plan}/betrokkenheden/nieuw",
    )
    assert resp.status_code == 302
    assert ggz.get(plan).status_code == 200
    exchanges = [r for r in log_lines(app) if r["kind"] == "uitwisseling"]
    assert exchanges[-1]["recipient"] == "GGZ Teststad"
    assert exchanges[-1]["sender"] == "Gemeente Teststad"


def test_betrokkenheid_for_one_person_only(app, world) -> None:
    """A betrokkenheid that names a hulpverlener gives only that person access."""
    from sqlalchemy import select

    from app.db import session
    from app.users.models import User

    reg = app.test_client()
    login(reg, "reg1")
    with app.app_context():
        # A second GGZ hulpverlener.
        from app.auth.passwords import hash_password
        from app.users.models import UserRole
        from tests.support.world import PASSWORD

        u = User(
            username="hulp_ggz2",
            name="Guus GGZ",
            organisation_id=world.orgs["ggz"],
            password_hash=hash_password(PASSWORD),
        )
        u.role_rows = [UserRole(role="hulpverlener")]
        session.add(u)
        session.commit()
        named = session.scalars(select(User).where(User.username == "hulp_ggz")).one().id
    plan = f"/plannen/{world.plans['a']}"
    resp = post(
        reg,
        f"{plan}/betrokkenheden/nieuw",
        {
            "organisation_id": str(world.orgs["ggz"]),
            "user_id": str(named),
            "rol": "Behandeling",
            "start_date": "2020-01-01",
        },
    )
    assert resp.status_code == 302
    one, two = app.test_client(), app.test_client()
    login(one, "hulp_ggz")
    login(two, "hulp_ggz2")
    assert one.get(plan).status_code == 200
    assert two.get(plan).status_code == 404


def test_close_plan_via_screen(client, world) -> None:
    login(client, "reg1")
    plan = f"/plannen/{world.plans['a']}"
    resp = post(client, f"{plan}/afsluiten", {"reden": "anders", "toelichting": ""})
    assert resp.status_code == 422 and "Licht de reden toe." in resp.get_data(as_text=True)
    resp = post(
        client, f"{plan}/afsluiten", {"reden": "doelen_bereikt", "toelichting": "Alles op de rit"}
    )
    assert resp.status_code == 302
    page = client.get(plan).get_data(as_text=True)
    assert "Afgesloten" in page and "Doelen bereikt" in page
    assert "Activiteit toevoegen" not in page  # closed plans are read-only
    assert client.get(f"{plan}/activiteiten/nieuw").status_code == 404


def test_comment_too_long_is_refused_and_kept(client, world) -> None:
    login(client, "reg1")
    plan = f"/plannen/{world.plans['a']}"
    text = "x" * 5001
    resp = post(client, f"{plan}/opmerkingen", {"body": text}, form_page=plan)
    assert resp.status_code == 422
    assert text in resp.get_data(as_text=True)


def test_unknown_plan_is_404_like_a_forbidden_one(client, world) -> None:
    login(client, "reg1")
    missing = client.get("/plannen/999999")
    forbidden = client.get(f"/plannen/{world.plans['b']}")
    assert missing.status_code == forbidden.status_code == 404

    def page(resp) -> str:  # type: ignore[no-untyped-def]
        # The CSRF token (of the logout form) carries a timestamp: equal pages, other seconds.
        return re.sub(r'name="csrf_token" value="[^"]+"', "", resp.get_data(as_text=True))

    assert page(missing) == page(forbidden)


def test_api_token_page_shows_token_once(client, world) -> None:
    login(client, "reg1")
    resp = post(client, "/account/tokens", {"name": "Mijn koppeling"})
    assert resp.status_code == 201
    token = re.search(r'id="nieuw-token">(ep_[^<]+)<', resp.get_data(as_text=True)).group(1)
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    api = client.application.test_client()
    assert (
        api.get("/api/v1/plannen", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
