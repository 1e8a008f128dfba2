"""SSO for staff through OpenID Connect, against a real provider process (oidc-provider-mock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import create_app
from app.auth.mfa import current_code
from app.auth.models import ExternalIdentity, LoginSession
from app.db import session
from app.users.models import User
from tests.conftest import base_config, get_database_engine
from tests.support.world import World, totp_secret

ROLE_MAP = '{"eenplan-regisseurs": "regisseur", "eenplan-hulpverleners": "hulpverlener"}'
# The claim the test municipality declares immutable (an employee number at a real one): its
# value is the Eenplan username. Without OIDC_STAFF_LINK_CLAIM nothing is linked by itself.
LINK = {"LINK_CLAIM": "employee_id"}


def make_app(db_url: str, tmp: Path, provider: Any, **settings: str) -> Flask:
    cfg = base_config(tmp, db_url)
    cfg["OIDC_PROVIDERS"] = {"staff": provider.app_config("OIDC_STAFF_", **settings)}
    return create_app(cfg)


@pytest.fixture
def sso_app(db_url: str, _tmp_root: Path, oidc_provider: Any) -> Iterator[Flask]:
    application = make_app(db_url, _tmp_root, oidc_provider, **LINK)
    yield application
    get_database_engine(application).dispose()


def sso_login(client: FlaskClient, provider: Any, sub: str) -> Any:
    """What a browser does: go to the provider, log in there as ``sub``, come back."""
    start = client.get("/inloggen/sso")
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    assert authorize_url.startswith(provider.url + "/oauth2/authorize")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["response_type"] == ["code"] and "state" in query and "nonce" in query
    back = provider.authorize(authorize_url, sub)
    parts = urlsplit(back)
    assert parts.path == "/inloggen/sso/terug"
    return client.get(urlunsplit(("", "", parts.path, parts.query, "")))


def logged_in_as(client: FlaskClient) -> str | None:
    page = client.get("/account/")
    if page.status_code != 200:
        return None
    html = page.get_data(as_text=True)
    start = html.index("<dt>Gebruikersnaam</dt><dd>") + len("<dt>Gebruikersnaam</dt><dd>")
    return html[start : html.index("</dd>", start)]


def test_login_page_offers_sso_only_when_configured(sso_app: Flask, app: Flask) -> None:
    with_sso = sso_app.test_client().get("/inloggen").get_data(as_text=True)
    assert "Inloggen met uw organisatieaccount" in with_sso and "/inloggen/sso" in with_sso
    without = app.test_client().get("/inloggen").get_data(as_text=True)
    assert "/inloggen/sso" not in without
    assert app.test_client().get("/inloggen/sso").status_code == 404


def test_provider_mfa_logs_straight_in_and_links_the_account(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user(
        "idp-reg1",
        {
            "preferred_username": "reg1",
            "employee_id": "reg1",
            "name": "R. Eerste",
            "amr": ["pwd", "otp"],
        },
    )
    client = sso_app.test_client()
    resp = sso_login(client, oidc_provider, "idp-reg1")
    assert resp.status_code == 302 and resp.headers["Location"] == "/plannen"
    assert logged_in_as(client) == "reg1"
    with sso_app.app_context():
        ident = session.scalars(select(ExternalIdentity)).one()
        assert (ident.user_id, ident.subject, ident.issuer) == (
            world.users["reg1"],
            "idp-reg1",
            oidc_provider.url,
        )
        assert session.scalars(select(LoginSession.method)).one() == "sso"


def test_without_mfa_at_the_provider_eenplan_asks_for_its_own_code(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user(
        "idp-hulp1", {"preferred_username": "hulp1", "employee_id": "hulp1", "amr": ["pwd"]}
    )
    client = sso_app.test_client()
    resp = sso_login(client, oidc_provider, "idp-hulp1")
    assert resp.headers["Location"] == "/inloggen/code"
    assert logged_in_as(client) is None  # not yet
    page = client.get("/inloggen/code").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    done = client.post(
        "/inloggen/code",
        data={"code": current_code(totp_secret("hulp1")), "csrf_token": token.group(1)},
    )
    assert done.status_code == 302
    assert logged_in_as(client) == "hulp1"
    with sso_app.app_context():
        assert session.scalars(select(LoginSession.method)).one() == "sso+totp"


def test_the_subject_not_the_username_identifies_a_linked_account(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user(
        "idp-x", {"preferred_username": "reg1", "employee_id": "reg1", "amr": ["otp"]}
    )
    c1 = sso_app.test_client()
    sso_login(c1, oidc_provider, "idp-x")
    assert logged_in_as(c1) == "reg1"
    # The provider renames the user: still the same Eenplan account (linked by iss + sub).
    oidc_provider.set_user(
        "idp-x", {"preferred_username": "hulp1", "employee_id": "hulp1", "amr": ["otp"]}
    )
    c2 = sso_app.test_client()
    sso_login(c2, oidc_provider, "idp-x")
    assert logged_in_as(c2) == "reg1"


def test_unknown_account_is_refused_without_saying_more(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user("idp-nobody", {"preferred_username": "bestaat.niet", "amr": ["otp"]})
    client = sso_app.test_client()
    resp = sso_login(client, oidc_provider, "idp-nobody")
    assert resp.status_code == 302 and resp.headers["Location"] == "/inloggen"
    page = client.get("/inloggen").get_data(as_text=True)
    assert "Met dit account kunt u Eenplan niet gebruiken" in page
    assert logged_in_as(client) is None


def test_roles_follow_the_provider_claims_when_a_role_map_is_configured(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    app = make_app(db_url, _tmp_root, oidc_provider, ROLE_MAP=ROLE_MAP, **LINK)
    oidc_provider.set_user(
        "idp-reg2",
        {
            "preferred_username": "reg2",
            "employee_id": "reg2",
            "amr": ["otp"],
            "groups": ["eenplan-hulpverleners"],
        },
    )
    client = app.test_client()
    sso_login(client, oidc_provider, "idp-reg2")
    assert logged_in_as(client) == "reg2"
    with app.app_context():
        user = session.get(User, world.users["reg2"])
        assert user is not None and {r.value for r in user.roles} == {"hulpverlener"}
    # Both groups: both roles (the role that stays is kept, the new one added).
    oidc_provider.set_user(
        "idp-reg2",
        {
            "preferred_username": "reg2",
            "employee_id": "reg2",
            "amr": ["otp"],
            "groups": ["eenplan-hulpverleners", "eenplan-regisseurs", "iets-anders"],
        },
    )
    both = app.test_client()
    sso_login(both, oidc_provider, "idp-reg2")
    assert logged_in_as(both) == "reg2"
    with app.app_context():
        user = session.get(User, world.users["reg2"])
        assert user is not None and {r.value for r in user.roles} == {"hulpverlener", "regisseur"}
    # No group that maps to a role: no access at all.
    oidc_provider.set_user(
        "idp-reg2", {"preferred_username": "reg2", "employee_id": "reg2", "amr": ["otp"]}
    )
    other = app.test_client()
    resp = sso_login(other, oidc_provider, "idp-reg2")
    assert resp.headers["Location"] == "/inloggen" and logged_in_as(other) is None
    get_database_engine(app).dispose()


def test_provisioning_creates_an_account_with_the_mapped_roles(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    app = make_app(
        db_url,
        _tmp_root,
        oidc_provider,
        ROLE_MAP=ROLE_MAP,
        PROVISION="1",
        ORGANISATION="Gemeente Teststad",
    )
    oidc_provider.set_user(
        "idp-new",
        {
            "preferred_username": "nieuwe.regisseur",
            "name": "Nieuwe Regisseur",
            "amr": ["mfa"],
            "groups": ["eenplan-regisseurs"],
        },
    )
    client = app.test_client()
    sso_login(client, oidc_provider, "idp-new")
    assert logged_in_as(client) == "nieuwe.regisseur"
    with app.app_context():
        user = session.scalars(select(User).where(User.username == "nieuwe.regisseur")).one()
        assert {r.value for r in user.roles} == {"regisseur"}
        assert user.password_hash is None  # SSO only: no local password to guess
        assert user.organisation is not None and user.organisation.name == "Gemeente Teststad"
    get_database_engine(app).dispose()


def test_a_forged_or_replayed_callback_logs_nobody_in(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user("idp-reg1", {"preferred_username": "reg1", "amr": ["otp"]})
    victim = sso_app.test_client()
    start = victim.get("/inloggen/sso")
    back = urlsplit(oidc_provider.authorize(start.headers["Location"], "idp-reg1"))
    callback = urlunsplit(("", "", back.path, back.query, ""))
    # Another browser (no matching state in its session) cannot use the code.
    attacker = sso_app.test_client()
    resp = attacker.get(callback)
    assert resp.headers["Location"] == "/inloggen" and logged_in_as(attacker) is None
    # A changed state is refused, too.
    tampered = callback.replace("state=", "state=x")
    resp = victim.get(tampered)
    assert resp.headers["Location"] == "/inloggen" and logged_in_as(victim) is None


def test_denied_at_the_provider_is_a_failed_login(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    client = sso_app.test_client()
    start = client.get("/inloggen/sso")
    back = urlsplit(oidc_provider.deny(start.headers["Location"]))
    resp = client.get(urlunsplit(("", "", back.path, back.query, "")))
    assert resp.headers["Location"] == "/inloggen"
    assert "niet gelukt" in client.get("/inloggen").get_data(as_text=True)


def test_provider_down_gives_a_message_not_an_error(
    db_url: str, _tmp_root: Path, world: World
) -> None:
    from tests.support.oidc_provider import OidcProvider, free_port

    gone = OidcProvider(f"http://127.0.0.1:{free_port()}")
    app = make_app(db_url, _tmp_root, gone)
    client = app.test_client()
    resp = client.get("/inloggen/sso")
    assert resp.status_code == 302 and resp.headers["Location"] == "/inloggen"
    assert "lukt nu niet" in client.get("/inloggen").get_data(as_text=True)
    gone.close()
    get_database_engine(app).dispose()


# --- linking a new identity-provider account (issue 20, item 2) -----------------------------


def _identities(app: Flask) -> list[tuple[int, str]]:
    with app.app_context():
        return [
            (i.user_id, i.subject)
            for i in session.scalars(select(ExternalIdentity).order_by(ExternalIdentity.id))
        ]


def test_a_new_account_named_like_a_colleague_is_not_linked_by_default(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    """The reproduction: ``attacker-sub3`` with ``preferred_username=regisseur`` got the
    regisseur's session. Without OIDC_STAFF_LINK_CLAIM nothing is linked by itself."""
    app = make_app(db_url, _tmp_root, oidc_provider)
    oidc_provider.set_user(
        "attacker-sub3", {"preferred_username": "reg1", "employee_id": "reg1", "amr": ["otp"]}
    )
    client = app.test_client()
    resp = sso_login(client, oidc_provider, "attacker-sub3")
    assert resp.headers["Location"] == "/inloggen" and logged_in_as(client) is None
    assert "Met dit account kunt u Eenplan niet gebruiken" in client.get("/inloggen").get_data(
        as_text=True
    )
    assert _identities(app) == []
    get_database_engine(app).dispose()


def test_only_the_declared_immutable_claim_links_not_preferred_username(
    sso_app: Flask, oidc_provider: Any, world: World
) -> None:
    oidc_provider.set_user("attacker-sub4", {"preferred_username": "reg1", "amr": ["otp"]})
    client = sso_app.test_client()
    sso_login(client, oidc_provider, "attacker-sub4")
    assert logged_in_as(client) is None
    assert _identities(sso_app) == []


def test_never_a_second_subject_for_an_account_and_the_link_is_logged(
    sso_app: Flask, oidc_provider: Any, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="eenplan.security")
    oidc_provider.set_user("idp-reg1", {"employee_id": "reg1", "amr": ["otp"]})
    first = sso_app.test_client()
    sso_login(first, oidc_provider, "idp-reg1")
    assert logged_in_as(first) == "reg1"
    linked = [r for r in caplog.records if getattr(r, "event", None) == "sso.linked"]
    assert len(linked) == 1
    assert linked[0].user_id == world.users["reg1"]  # type: ignore[attr-defined]
    assert "reg1" not in linked[0].getMessage()  # the id, not the name
    # A second account at the same provider carrying the same claim value: refused, logged.
    oidc_provider.set_user("attacker-sub5", {"employee_id": "reg1", "amr": ["otp"]})
    second = sso_app.test_client()
    resp = sso_login(second, oidc_provider, "attacker-sub5")
    assert resp.headers["Location"] == "/inloggen" and logged_in_as(second) is None
    assert _identities(sso_app) == [(world.users["reg1"], "idp-reg1")]
    refused = [r for r in caplog.records if getattr(r, "event", None) == "sso.link_refused"]
    assert len(refused) == 1 and refused[0].user_id == world.users["reg1"]  # type: ignore[attr-defined]


def test_provisioning_never_takes_over_an_existing_username(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    app = make_app(
        db_url,
        _tmp_root,
        oidc_provider,
        ROLE_MAP=ROLE_MAP,
        PROVISION="1",
        ORGANISATION="Gemeente Teststad",
    )
    oidc_provider.set_user(
        "attacker-sub6",
        {"preferred_username": "reg1", "amr": ["mfa"], "groups": ["eenplan-regisseurs"]},
    )
    client = app.test_client()
    sso_login(client, oidc_provider, "attacker-sub6")
    assert logged_in_as(client) is None
    assert _identities(app) == []
    get_database_engine(app).dispose()


def test_the_functioneel_beheerder_links_explicitly(
    db_url: str, _tmp_root: Path, oidc_provider: Any, world: World
) -> None:
    app = make_app(db_url, _tmp_root, oidc_provider)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "link-sso", "reg1", "--subject", "idp-reg1-echt"])
    assert result.exit_code == 0, result.output
    oidc_provider.set_user("idp-reg1-echt", {"preferred_username": "iets", "amr": ["otp"]})
    client = app.test_client()
    sso_login(client, oidc_provider, "idp-reg1-echt")
    assert logged_in_as(client) == "reg1"
    # A second subject only on purpose (--replace), and a subject belongs to one account.
    again = runner.invoke(args=["users", "link-sso", "reg1", "--subject", "idp-ander"])
    assert again.exit_code != 0 and "al een account" in again.output
    taken = runner.invoke(args=["users", "link-sso", "reg2", "--subject", "idp-reg1-echt"])
    assert taken.exit_code != 0 and "al gekoppeld" in taken.output
    replaced = runner.invoke(
        args=["users", "link-sso", "reg1", "--subject", "idp-ander", "--replace"]
    )
    assert replaced.exit_code == 0, replaced.output
    assert _identities(app) == [(world.users["reg1"], "idp-ander")]
    assert logged_in_as(client) is None  # replacing ends the account's sessions
    get_database_engine(app).dispose()


def test_an_issuer_with_a_trailing_slash_meets_its_explicit_link(app: Flask, world: World) -> None:
    """Some providers put a trailing slash in ``iss`` (e.g. ``https://sts.windows.net/<tenant>/``):
    a link made by the beheerder and the login's lookup compare the same issuer, and the claim
    path never adds a second subject for that issuer."""
    from app.auth.services import link_identity, normalise_issuer, staff_user_for_sso
    from app.db import session
    from app.logboek import unit_of_work
    from app.users.models import User

    cfg = {
        "issuer": "https://idp.example/tenant",
        "link_claim": "employee_id",
        "username_claim": "preferred_username",
        "role_claim": "roles",
    }
    with app.app_context(), unit_of_work(session, "regie-multiproblematiek", name="test"):
        reg1 = session.get(User, world.users["reg1"])
        assert reg1 is not None
        link_identity(reg1, "staff", "https://idp.example/tenant", "idp-1", via="beheerder")
        claims = {"iss": "https://idp.example/tenant/", "sub": "idp-1", "amr": ["otp"]}
        found = staff_user_for_sso("staff", cfg, claims)
        assert found is not None and found.id == reg1.id
        other = {"iss": "https://idp.example/tenant/", "sub": "idp-2", "employee_id": "reg1"}
        assert staff_user_for_sso("staff", cfg, other) is None  # no second subject
    assert normalise_issuer(" https://idp.example/tenant/ ") == "https://idp.example/tenant"
