"""The functioneel beheerder's screens: users, organisations, mandates — never plan content."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from app.db import session
from app.users.models import User
from tests.conftest import csrf_token, login


def post(client: FlaskClient, path: str, data: dict, page: str | None = None):  # type: ignore[no-untyped-def,type-arg]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})


def _beheer(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    c = app.test_client()
    login(c, "beheer1")
    return c


NEW_USER = {
    "username": "jan.jeugd",
    "name": "Jan Jeugd",
    "email": "jan@jeugdhulp.example",
    "phone": "",
    "roles": ["hulpverlener"],
}


def test_new_user_gets_a_one_time_password_and_can_log_in(app, world) -> None:
    c = _beheer(app)
    resp = post(
        c, "/beheer/gebruikers/nieuw", {**NEW_USER, "organisation_id": world.orgs["jeugdhulp"]}
    )
    assert resp.status_code == 201
    password = re.search(r'id="beginwachtwoord">([^<]+)<', resp.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    assert password not in c.get("/beheer/gebruikers").get_data(as_text=True)
    with app.app_context():
        u = session.scalars(select(User).where(User.username == "jan.jeugd")).one()
        assert u.password_hash and password not in u.password_hash
        assert u.organisation_id == world.orgs["jeugdhulp"]
    newcomer = app.test_client()
    login(newcomer, "jan.jeugd", password)
    # Jeugdhulp is involved in plan a: the new hulpverlener sees it at once.
    assert "Anna Aalders" in newcomer.get("/plannen").get_data(as_text=True)


def test_bad_input_is_named_and_kept(app, world) -> None:
    c = _beheer(app)
    resp = post(
        c,
        "/beheer/gebruikers/nieuw",
        {
            **NEW_USER,
            "username": "hulp1",
            "email": "geen-adres",
            "roles": [],
            "organisation_id": "",
        },
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Vul een geldig e-mailadres in." in body and 'value="geen-adres"' in body
    assert 'value="Jan Jeugd"' in body
    resp = post(
        c,
        "/beheer/gebruikers/nieuw",
        {**NEW_USER, "username": "hulp1", "organisation_id": world.orgs["jeugdhulp"]},
    )
    assert resp.status_code == 422 and "Deze gebruikersnaam bestaat al." in resp.get_data(
        as_text=True
    )
    # A regisseur works at a municipality or at an organisation with a mandate.
    resp = post(
        c,
        "/beheer/gebruikers/nieuw",
        {**NEW_USER, "roles": ["regisseur"], "organisation_id": world.orgs["jeugdhulp"]},
    )
    assert resp.status_code == 422 and "mandaat" in resp.get_data(as_text=True)
    resp = post(
        c,
        "/beheer/gebruikers/nieuw",
        {**NEW_USER, "roles": ["regisseur"], "organisation_id": world.orgs["regie_noord"]},
    )
    assert resp.status_code == 201


def test_roles_and_organisation_change_access_at_once(app, world) -> None:
    c = _beheer(app)
    hulp = app.test_client()
    login(hulp, "hulp_ggz")
    assert hulp.get(f"/plannen/{world.plans['b']}").status_code == 404
    path = f"/beheer/gebruikers/{world.users['hulp_ggz']}"
    resp = post(
        c,
        path,
        {
            "name": "Gerda GGZ",
            "email": "",
            "phone": "",
            "organisation_id": world.orgs["jeugdhulp"],
            "roles": ["hulpverlener"],
        },
    )
    assert resp.status_code == 302
    assert hulp.get(f"/plannen/{world.plans['b']}").status_code == 200


def test_two_beheerders_editing_the_same_user_get_a_conflict(app, world) -> None:
    c = _beheer(app)
    path = f"/beheer/gebruikers/{world.users['hulp1']}"
    page = c.get(path).get_data(as_text=True)
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    token = csrf_token(c, path)
    data = {
        "csrf_token": token,
        "stamp": stamp,
        "email": "",
        "phone": "",
        "organisation_id": world.orgs["schuldhulp"],
        "roles": ["hulpverlener"],
    }
    assert c.post(path, data={**data, "name": "Eerste versie"}).status_code == 302
    resp = c.post(path, data={**data, "name": "Tweede versie"})
    assert resp.status_code == 409 and 'value="Tweede versie"' in resp.get_data(as_text=True)
    with app.app_context():
        assert session.get(User, world.users["hulp1"]).name == "Eerste versie"  # type: ignore[union-attr]


def test_deactivated_user_is_out_at_once_and_the_last_beheerder_stays(app, world) -> None:
    c = _beheer(app)
    hulp = app.test_client()
    login(hulp, "hulp1")
    token_headers = {"Authorization": f"Bearer {world.tokens['hulp1']}"}
    assert hulp.get("/plannen").status_code == 200
    resp = post(
        c, f"/beheer/gebruikers/{world.users['hulp1']}/deactiveren", {}, page="/beheer/gebruikers"
    )
    assert resp.status_code == 302
    assert hulp.get("/plannen").status_code == 302  # session no longer valid: to the login page
    assert hulp.get("/api/v1/plannen", headers=token_headers).status_code == 401
    resp = post(
        c, f"/beheer/gebruikers/{world.users['beheer1']}/deactiveren", {}, page="/beheer/gebruikers"
    )
    assert "U kunt uzelf niet deactiveren." in c.get("/beheer/gebruikers").get_data(as_text=True)
    with app.app_context():
        assert session.get(User, world.users["beheer1"]).active  # type: ignore[union-attr]


def test_organisation_names_are_unique_and_mandates_do_not_overlap(app, world) -> None:
    c = _beheer(app)
    resp = post(
        c, "/beheer/organisaties/nieuw", {"name": "jeugdhulp teststad", "kind": "jeugdhulp"}
    )
    assert resp.status_code == 422 and "Er is al een organisatie" in resp.get_data(as_text=True)
    data = {
        "organisation_id": world.orgs["regie_noord"],
        "gemeente_id": world.orgs["gemeente"],
        "besluit": "MB-DUBBEL",
        "valid_from": "2026-01-01",
        "valid_until": "",
    }
    resp = post(c, "/beheer/mandaten/nieuw", data)
    assert resp.status_code == 422 and "MB-TEST-1" in resp.get_data(as_text=True)
    resp = post(c, "/beheer/mandaten/nieuw", {**data, "organisation_id": world.orgs["gemeente"]})
    assert resp.status_code == 422  # a municipality does not mandate itself
    resp = post(
        c,
        "/beheer/mandaten/nieuw",
        {**data, "valid_from": "2030-01-01", "valid_until": "2029-01-01"},
    )
    assert resp.status_code == 422 and "De einddatum ligt voor de begindatum." in resp.get_data(
        as_text=True
    )


def test_beheerder_never_sees_plans(app, world) -> None:
    c = _beheer(app)
    assert c.get("/plannen").status_code == 403
    assert c.get(f"/plannen/{world.plans['a']}").status_code == 403
    resp = c.get("/api/v1/plannen", headers={"Authorization": f"Bearer {world.tokens['beheer1']}"})
    assert resp.status_code == 403 and resp.mimetype == "application/problem+json"
    # And the beheer screens are the beheerder's alone.
    reg = app.test_client()
    login(reg, "reg1")
    assert reg.get("/beheer/gebruikers").status_code == 403


def _user_ids(body: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/beheer/gebruikers/(\d+)"', body)]


def test_the_user_list_of_a_city_is_paged_and_searched(app, world) -> None:
    """Thousands of staff in a city: 50 a page by name, the next page by the last one's id; a
    search by (part of) a name or user name travels in the POST body, never in the address."""
    with app.app_context():
        for i in range(60):
            session.add(User(username=f"stad{i:02}", name=f"Stad Collega {i:02}"))
        session.commit()
        everyone = list(
            session.execute(
                select(User.id).where(User.person_id.is_(None)).order_by(User.name, User.id)
            ).scalars()
        )
    c = _beheer(app)
    first = c.get("/beheer/gebruikers").get_data(as_text=True)
    assert _user_ids(first) == everyone[:50]
    nxt = re.search(r'href="(/beheer/gebruikers\?na=(\d+))"', first)
    assert nxt is not None and int(nxt.group(2)) == everyone[49]
    second = c.get(nxt.group(1)).get_data(as_text=True)
    assert _user_ids(second) == everyone[50:100]
    if len(everyone) <= 100:
        assert 'href="/beheer/gebruikers?na=' not in second  # the last page
    assert 'href="/beheer/gebruikers"' in second  # back to the first

    # Search: part of a name or a user name, any case; paged the same way, in the POST body.
    found = post(c, "/beheer/gebruikers", {"zoek": "collega 1"})
    assert found.status_code == 200
    body = found.get_data(as_text=True)
    assert len(_user_ids(body)) == 10 and "Stad Collega 10" in body and "Hanna Schuld" not in body
    assert 'value="collega 1"' in body
    many = post(c, "/beheer/gebruikers", {"zoek": "stad"}).get_data(as_text=True)
    assert len(_user_ids(many)) == 50
    upper = post(c, "/beheer/gebruikers", {"zoek": "STAD"}).get_data(as_text=True)
    assert _user_ids(upper) == _user_ids(many)
    more = re.search(r'name="na" value="(\d+)"', many)
    assert more is not None
    rest = post(c, "/beheer/gebruikers", {"zoek": "stad", "na": more.group(1)})
    assert len(_user_ids(rest.get_data(as_text=True))) == 10
    none = post(c, "/beheer/gebruikers", {"zoek": "zzz"}).get_data(as_text=True)
    assert _user_ids(none) == [] and "Geen gebruikers gevonden" in none

    # A search text in the address is taken out of it.
    named = c.get("/beheer/gebruikers?zoek=Hanna")
    assert named.status_code == 302 and "Hanna" not in named.headers["Location"]
    twice = c.get(f"/beheer/gebruikers?zoek=Hanna&zoek=Jan&na={everyone[10]}")  # also twice
    assert twice.status_code == 302  # the page asked for is kept, the names are not
    assert twice.headers["Location"] == f"/beheer/gebruikers?na={everyone[10]}"
    assert c.get("/beheer/gebruikers?na=abc").status_code == 400
    beyond = post(c, "/beheer/gebruikers", {"zoek": "stad", "na": "99999999999"})
    assert beyond.status_code == 200 and len(_user_ids(beyond.get_data(as_text=True))) == 50

    # Deactivating (or activating) someone on a later page leads back to a page that begins with
    # them, showing what changed; not to the first page, where they are not.
    target = everyone[60]
    done = post(c, f"/beheer/gebruikers/{target}/deactiveren", {})
    assert done.status_code == 302
    assert done.headers["Location"] == f"/beheer/gebruikers?na={everyone[59]}"
    back = c.get(done.headers["Location"]).get_data(as_text=True)
    assert _user_ids(back)[0] == target and "kan niet meer inloggen" in back
    again = post(c, f"/beheer/gebruikers/{target}/activeren", {})
    assert again.headers["Location"] == f"/beheer/gebruikers?na={everyone[59]}"
    top = post(c, f"/beheer/gebruikers/{everyone[0]}/deactiveren", {})
    assert top.headers["Location"] == "/beheer/gebruikers"  # the first user: the first page
