"""Mijn Eenplan: the citizen's login through OpenID Connect (a real provider process), the
pages for bad input, and Mijn plan (comments, corrections, own activities done)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import create_app
from app.auth.models import LoginSession
from app.autorisaties.models import Vertrouwenspersoon
from app.autorisaties.services import als_inwoner, verleen_toegang
from app.clock import now, today
from app.db import session
from app.people.models import Person
from app.plans.models import Activity, PlanComment
from app.users.models import User
from tests.conftest import base_config, get_database_engine, head_seq, log_lines, login
from tests.support.citizens import burger_app_config, oidc_login_citizen
from tests.support.world import BSN, World


@pytest.fixture
def portaal_app(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[Flask]:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    application = create_app(cfg)
    yield application
    get_database_engine(application).dispose()


def as_citizen(app: Flask, provider: Any, key: str) -> FlaskClient:
    provider.set_user(f"digid-{key}", {"bsn": BSN[key]})
    client = app.test_client()
    resp = oidc_login_citizen(client, provider, f"digid-{key}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/mijn/", resp.status_code
    return client


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found
    return found.group(1)


def assert_clean_page(html: str, *forbidden: str) -> None:
    assert "Traceback" not in html and "Exception" not in html
    for text in forbidden:
        assert text not in html


# --- login ------------------------------------------------------------------------------------


def test_login_page_offers_digid_only_when_configured(portaal_app: Flask, app: Flask) -> None:
    assert "/mijn/inloggen/digid" in portaal_app.test_client().get("/mijn/inloggen").get_data(
        as_text=True
    )
    assert "/mijn/inloggen/digid" not in app.test_client().get("/mijn/inloggen").get_data(
        as_text=True
    )
    assert app.test_client().get("/mijn/inloggen/digid").status_code == 404


def test_citizen_logs_in_with_the_bsn_claim_and_sees_their_plan(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = portaal_app.test_client()
    start = client.get("/mijn/inloggen/digid")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["response_type"] == ["code"] and "nonce" in query and "state" in query
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mijn plan" in html and "Regina Eerste" in html  # the regisseur, with contact
    assert "reg1@test.example" in html and "Post samen openen" in html
    assert BSN["anna"] not in html
    with portaal_app.app_context():
        row = session.scalars(select(LoginSession)).one()
        assert row.method == "oidc-burger" and row.user_id == world.users["anna"]


def test_bsn_claim_name_is_configurable(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider, BSN_CLAIM="urn:nl:bsn")}
    app = create_app(cfg)
    oidc_provider.set_user("digid-claim", {"urn:nl:bsn": BSN["anna"], "bsn": BSN["dirk"]})
    client = app.test_client()
    assert oidc_login_citizen(client, oidc_provider, "digid-claim").status_code == 302
    assert "Post samen openen" in client.get("/mijn/").get_data(as_text=True)  # Anna's plan
    get_database_engine(app).dispose()


def test_first_login_of_a_person_with_a_plan_creates_the_citizen_account(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "dirk")
    assert "Begeleiding bij school" in client.get("/mijn/").get_data(as_text=True)
    with portaal_app.app_context():
        user = session.scalars(select(User).where(User.person_id == world.persons["dirk"])).one()
        assert user.password_hash is None and BSN["dirk"] not in user.username
        assert "Dekker" not in user.username


def test_logout_ends_the_session_here_and_at_the_provider(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/").get_data(as_text=True)
    resp = client.post("/mijn/uitloggen", data={"csrf_token": form_token(page)})
    assert resp.status_code == 302
    target = urlsplit(resp.headers["Location"])
    assert resp.headers["Location"].startswith(oidc_provider.url + "/oauth2/end_session")
    q = parse_qs(target.query)
    assert q["post_logout_redirect_uri"] == ["http://localhost/mijn/uitgelogd"]
    assert q["client_id"] == ["eenplan-test"]
    # The provider's end-session endpoint answers (the real one, not a mock of it).
    assert (
        oidc_provider.http.get(resp.headers["Location"][len(oidc_provider.url) :]).status_code
        == 200
    )
    assert client.get("/mijn/").status_code == 302  # logged out here
    with portaal_app.app_context():
        row = session.scalars(select(LoginSession)).one()
        assert row.ended_at is not None and row.end_reason == "uitgelogd"


def test_idle_session_expires(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    import datetime as dt

    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    app = create_app(cfg)
    client = as_citizen(app, oidc_provider, "anna")
    with app.app_context():
        row = session.scalars(select(LoginSession)).one()
        row.last_seen_at = row.last_seen_at - dt.timedelta(minutes=31)
        session.commit()
    resp = client.get("/mijn/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/mijn/inloggen"
    get_database_engine(app).dispose()


# --- bad input --------------------------------------------------------------------------------


def test_a_token_that_fails_validation_logs_nobody_in(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    client = portaal_app.test_client()
    start = client.get("/mijn/inloggen/digid")
    back = urlsplit(oidc_provider.authorize(start.headers["Location"], "digid-anna"))
    # The nonce this browser expects differs from the one in the ID token: the token is refused.
    with client.session_transaction() as sess:
        for key, value in sess.items():
            if key.startswith("_state_burger_"):
                value["data"]["nonce"] = "een-andere-nonce"
                sess[key] = value
    resp = client.get(f"{back.path}?{back.query}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 401 and "Inloggen is niet gelukt" in html
    assert_clean_page(html, BSN["anna"], "Anna")
    assert client.get("/mijn/").status_code == 302


def test_a_forged_callback_is_refused(portaal_app: Flask, oidc_provider: Any, world: World) -> None:
    oidc_provider.set_user("digid-anna", {"bsn": BSN["anna"]})
    victim = portaal_app.test_client()
    start = victim.get("/mijn/inloggen/digid")
    back = urlsplit(oidc_provider.authorize(start.headers["Location"], "digid-anna"))
    attacker = portaal_app.test_client()
    resp = attacker.get(f"{back.path}?{back.query}")
    assert resp.status_code == 401
    assert_clean_page(resp.get_data(as_text=True), "Anna", "Aalders")
    assert attacker.get("/mijn/").status_code == 302


@pytest.mark.parametrize(
    ("claims", "status", "text"),
    [
        ({}, 400, "Wij kregen uw burgerservicenummer niet"),
        ({"bsn": "123456789"}, 400, "burgerservicenummer dat niet klopt"),
        ({"bsn": ["111222333", "100000010"]}, 400, "burgerservicenummer dat niet klopt"),
        ({"bsn": BSN["nieuw"]}, 404, "Er is geen plan voor u"),  # nobody Eenplan knows
        ({"bsn": BSN["bram"]}, 404, "Er is geen plan voor u"),  # known, in a household, no plan
    ],
)
def test_bad_claims_get_a_clear_dutch_page(
    portaal_app: Flask,
    oidc_provider: Any,
    world: World,
    claims: dict[str, Any],
    status: int,
    text: str,
) -> None:
    oidc_provider.set_user("digid-x", claims)
    client = portaal_app.test_client()
    resp = oidc_login_citizen(client, oidc_provider, "digid-x")
    html = resp.get_data(as_text=True)
    assert resp.status_code == status and text in html
    assert '<html lang="nl"' in html
    # Nothing about others: not the household (Bram is Anna's partner), no plan, no regisseur.
    assert_clean_page(html, "Anna", "Aalders", "Regina", BSN["bram"], "123456789")
    assert client.get("/mijn/").status_code == 302
    with portaal_app.app_context():
        assert session.scalars(select(LoginSession)).first() is None


def test_denied_at_the_provider(portaal_app: Flask, oidc_provider: Any, world: World) -> None:
    client = portaal_app.test_client()
    start = client.get("/mijn/inloggen/digid")
    back = urlsplit(oidc_provider.deny(start.headers["Location"]))
    resp = client.get(f"{back.path}?{back.query}")
    assert resp.status_code == 401 and "Inloggen is gestopt" in resp.get_data(as_text=True)


def test_provider_down_gives_a_page_not_an_error(
    db_url: str, _tmp_root: Path, world: World
) -> None:
    from tests.support.oidc_provider import OidcProvider, free_port

    gone = OidcProvider(f"http://127.0.0.1:{free_port()}")
    cfg = base_config(_tmp_root, db_url)
    cfg["OIDC_PROVIDERS"] = {"burger": burger_app_config(gone)}
    app = create_app(cfg)
    resp = app.test_client().get("/mijn/inloggen/digid")
    assert resp.status_code == 503 and "Inloggen lukt nu niet" in resp.get_data(as_text=True)
    gone.close()
    get_database_engine(app).dispose()


def test_trusted_person_without_a_plan_sees_whose_plan_she_may_read(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    # Truus has no plan of her own; Anna gave her read-only access (rule 12).
    client = as_citizen(portaal_app, oidc_provider, "truus")
    resp = client.get("/mijn/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Meekijken" in html
    assert "Plan van Anna Aalders" in html and f'href="/mijn/meekijken/{world.plans["a"]}"' in html
    assert BSN["anna"] not in html
    # Plan c's grant was revoked: not listed, and the plan page stays closed.
    assert f'href="/mijn/meekijken/{world.plans["c"]}"' not in html
    assert client.get(f"/mijn/meekijken/{world.plans['c']}").status_code == 404
    plan = client.get(f"/mijn/meekijken/{world.plans['a']}")
    page = plan.get_data(as_text=True)
    assert plan.status_code == 200 and "Plan van Anna Aalders" in page
    assert "Regina Eerste" in page and "Post samen openen" in page  # regisseur, activities
    assert "Bram" not in page and "Versturen" not in page  # no household, no forms
    assert "Toelichting bij a_schuld" not in page
    with portaal_app.app_context():
        grant = session.get(Vertrouwenspersoon, world.vertrouwenspersonen["a_truus"])
        assert grant is not None
        grant.ingetrokken_op = now()
        session.commit()
    # Once Anna revokes it, Truus sees the clear "no plan" page and nothing about Anna.
    gone = client.get("/mijn/")
    html = gone.get_data(as_text=True)
    assert gone.status_code == 404 and "Er is geen plan voor u" in html
    assert_clean_page(html, "Anna", "Regina")


def test_first_login_of_a_trusted_person_creates_an_account(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    # Bram has no plan and no account: refused (above) until Anna gives him access.
    with portaal_app.app_context():
        anna = session.scalars(select(User).where(User.username == "anna")).one()
        with als_inwoner(anna):  # her decision is logged: it runs in a unit of work
            verleen_toegang(
                anna,
                bsn=BSN["bram"],
                naam="Bram Aalders",
                relatie="familielid",
                geldig_tot=today() + dt.timedelta(days=30),
            )
    client = as_citizen(portaal_app, oidc_provider, "bram")
    html = client.get("/mijn/").get_data(as_text=True)
    assert "Plan van Anna Aalders" in html
    with portaal_app.app_context():
        bram = session.scalars(
            select(User).join(Person, Person.id == User.person_id).where(Person.bsn == BSN["bram"])
        ).one()
        assert bram.is_burger and BSN["bram"] not in bram.username and "Bram" not in bram.username


def test_staff_cannot_use_the_portal(portaal_app: Flask, world: World) -> None:
    client = portaal_app.test_client()
    login(client, "reg1")
    assert client.get("/mijn/").status_code == 403


# --- Mijn plan --------------------------------------------------------------------------------


def test_citizen_comments_and_proposes_a_correction_the_regisseur_sees_it(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    token = form_token(client.get("/mijn/").get_data(as_text=True))
    bad = client.post("/mijn/reacties", data={"csrf_token": token, "soort": "correctievoorstel"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Schrijf hier uw bericht." in html
    assert re.search(
        r'value="correctievoorstel"[^>]*checked|checked[^>]*value="correctievoorstel"', html
    )
    resp = client.post(
        "/mijn/reacties",
        data={
            "csrf_token": token,
            "soort": "correctievoorstel",
            "body": "Mijn telefoonnummer is veranderd.",
        },
    )
    assert resp.status_code == 302
    assert "Mijn telefoonnummer is veranderd." in client.get("/mijn/").get_data(as_text=True)
    with portaal_app.app_context():
        c = session.scalars(
            select(PlanComment).where(PlanComment.body == "Mijn telefoonnummer is veranderd.")
        ).one()
        assert c.soort == "correctievoorstel" and c.author_id == world.users["anna"]
    staff = portaal_app.test_client()
    login(staff, "reg1")
    assert "Mijn telefoonnummer is veranderd." in staff.get(
        f"/plannen/{world.plans['a']}"
    ).get_data(as_text=True)


def test_citizen_marks_own_activity_done_but_not_an_organisations(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    html = client.get("/mijn/").get_data(as_text=True)
    token = form_token(html)
    own = world.activities["a_huishouden"]
    assert f"/mijn/activiteiten/{own}/klaar" in html
    assert f"/mijn/activiteiten/{world.activities['a_schuld']}/klaar" not in html
    resp = client.post(f"/mijn/activiteiten/{own}/klaar", data={"csrf_token": token})
    assert resp.status_code == 302
    other = client.post(
        f"/mijn/activiteiten/{world.activities['a_schuld']}/klaar", data={"csrf_token": token}
    )
    assert other.status_code == 404
    elsewhere = client.post(
        f"/mijn/activiteiten/{world.activities['b_jeugd']}/klaar", data={"csrf_token": token}
    )
    assert elsewhere.status_code == 404
    with portaal_app.app_context():
        assert session.get(Activity, own).afgerond is True  # type: ignore[union-attr]
        assert session.get(Activity, world.activities["a_schuld"]).afgerond is False  # type: ignore[union-attr]


# --- berichten and basisgegevens --------------------------------------------------------------


def test_citizen_writes_to_the_regisseur_who_reads_it(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/berichten")
    assert page.status_code == 200
    token = form_token(page.get_data(as_text=True))
    empty = client.post("/mijn/berichten", data={"csrf_token": token, "met": "inwoner"})
    assert empty.status_code == 422 and "Schrijf een bericht." in empty.get_data(as_text=True)
    resp = client.post(
        "/mijn/berichten",
        data={"csrf_token": token, "met": "inwoner", "body": "Kunnen we volgende week bellen?"},
    )
    assert resp.status_code == 302
    assert "Kunnen we volgende week bellen?" in client.get("/mijn/berichten").get_data(as_text=True)
    staff = portaal_app.test_client()
    login(staff, "reg1")
    threads = staff.get(f"/plannen/{world.plans['a']}/berichten").get_data(as_text=True)
    assert "Gesprek tussen de regisseur en de inwoner" in threads


def test_basisgegevens_shows_the_citizens_own_inkijk(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/basisgegevens")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Wie keek in uw basisgegevens" in html
    assert "Wat de registraties nu over u zeggen" in html
    assert "Dirk" not in html and "Traceback" not in html


def test_basisgegevens_lists_facts_copied_into_the_plan(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    import datetime as dt

    from app.inkijk.models import OvergenomenFeit

    with portaal_app.app_context():
        session.add(
            OvergenomenFeit(
                plan_id=world.plans["a"],
                person_id=world.persons["anna"],
                bron="schulden",
                bron_naam="Schulden en schuldhulp",
                herkomst="synthetisch",
                categorie="schulden",
                sleutel="achterstand",
                label="Betalingsachterstand",
                waarde="Ja, bij de zorgverzekeraar",
                bron_datum=dt.datetime.now(dt.UTC),
                overgenomen_door_id=world.users["reg1"],
                overgenomen_door_naam="Regina Eerste",
            )
        )
        session.commit()
    client = as_citizen(portaal_app, oidc_provider, "anna")
    before = head_seq(portaal_app)
    page = client.get("/mijn/basisgegevens")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ja, bij de zorgverzekeraar" in html
    assert log_lines(portaal_app, before) == []  # her own data: no line


def test_the_regisseur_answers_a_correction_and_the_citizen_sees_the_answer(
    portaal_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    token = form_token(client.get("/mijn/").get_data(as_text=True))
    client.post(
        "/mijn/reacties",
        data={"csrf_token": token, "soort": "correctievoorstel", "body": "Mijn adres klopt niet."},
    )
    with portaal_app.app_context():
        asked = session.scalars(
            select(PlanComment).where(PlanComment.body == "Mijn adres klopt niet.")
        ).one()
        asked_id = asked.id
    staff = portaal_app.test_client()
    login(staff, "reg1")
    plan = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert f'id="antwoord-{asked_id}"' in plan
    resp = staff.post(
        f"/plannen/{world.plans['a']}/opmerkingen",
        data={"csrf_token": form_token(plan), "reply_to": asked_id, "body": "Ik pas het aan."},
    )
    assert resp.status_code == 302
    html = client.get("/mijn/").get_data(as_text=True)
    question = html.index("Mijn adres klopt niet.")
    assert "Regina Eerste</strong> antwoordde" in html[question:]
    assert "Ik pas het aan." in html[question:]
    with portaal_app.app_context():
        answer = session.scalars(
            select(PlanComment).where(PlanComment.body == "Ik pas het aan.")
        ).one()
        assert answer.reply_to_id == asked_id
