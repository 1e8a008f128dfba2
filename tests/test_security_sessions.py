"""Sessions: cookie flags, rotation on login and on a change of roles, idle and absolute
timeouts, logging out that really ends the session, and logging out everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import clock, create_app
from app.auth.models import LoginSession
from app.db import session
from app.users.models import User, UserRole
from tests.conftest import base_config, get_database_engine, login
from tests.support.world import World
from tests.test_security_auth import form_post, password_step

COOKIE = "eenplan_session"


@pytest.fixture
def shifted_clock() -> Iterator[Any]:
    def shift(**kw: float) -> None:
        clock.set_offset(dt.timedelta(**kw))

    yield shift
    clock.set_offset(dt.timedelta(0))


def cookie_value(client: FlaskClient, name: str = COOKIE) -> str | None:
    c = client.get_cookie(name)
    return c.value if c else None


def with_cookie(app: Flask, value: str, name: str = COOKIE) -> FlaskClient:
    """Another browser that carries a copied (stolen, captured) session cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


def test_the_session_cookie_is_httponly_samesite_and_not_permanent_beyond_idle(
    app: Flask, world: World
) -> None:
    client = app.test_client()
    login(client, "reg1")
    resp = client.get("/account/")
    assert resp.status_code == 200
    header = next((h for h in resp.headers.getlist("Set-Cookie") if h.startswith(COOKIE)), None)
    assert header is not None  # refreshed on every request (sliding idle timeout)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/" in header
    assert "Secure" not in header  # plain HTTP in development
    # The cookie lives no longer than the idle timeout (30 minutes).
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.expires is not None
    lifetime = cookie.expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=29) < lifetime <= dt.timedelta(minutes=30, seconds=5)


def test_behind_tls_the_cookie_is_secure_and_host_only(
    db_url: str, _tmp_root: Path, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = create_app(base_config(_tmp_root, db_url))
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-eenplan_session"
    client = app.test_client()
    resp = client.get("/inloggen", base_url="https://eenplan.example")
    header = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith("__Host-"))
    assert "Secure" in header and "HttpOnly" in header and "Domain" not in header
    get_database_engine(app).dispose()


def test_login_starts_a_new_session_a_planted_cookie_stays_anonymous(
    app: Flask, world: World
) -> None:
    victim = app.test_client()
    victim.get("/inloggen")
    planted = cookie_value(victim)
    assert planted
    attacker = with_cookie(app, planted)
    login(victim, "reg1")
    assert cookie_value(victim) != planted
    assert is_logged_in(victim)
    assert not is_logged_in(attacker)  # session fixation does not work
    # Half-way (password right, code not yet) gives nothing either.
    half = app.test_client()
    password_step(half, "reg2")
    assert not is_logged_in(with_cookie(app, cookie_value(half) or ""))


def test_logout_ends_the_session_on_the_server(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "reg1")
    captured = cookie_value(client)
    assert captured
    assert is_logged_in(with_cookie(app, captured))  # a copy works while the session lives
    resp = form_post(client, "/uitloggen", {}, page="/account/")
    assert resp.status_code == 302
    assert resp.headers["Clear-Site-Data"] == '"cache", "storage"'  # the browser forgets too
    assert not is_logged_in(client)
    assert not is_logged_in(with_cookie(app, captured))  # and not after logging out
    with app.app_context():
        row = session.scalars(select(LoginSession)).one()
        assert row.ended_at is not None and row.end_reason == "uitgelogd"


def test_log_out_everywhere_ends_every_session_of_the_user(app: Flask, world: World) -> None:
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    login(laptop, "reg1")
    login(phone, "reg1")
    login(colleague, "reg2")
    page = laptop.get("/account/beveiliging").get_data(as_text=True)
    assert page.count("wachtwoord en app") == 2 and "dit apparaat" in page
    resp = form_post(
        laptop, "/account/beveiliging/overal-uitloggen", {}, page="/account/beveiliging"
    )
    assert resp.status_code == 302
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(colleague)


def test_idle_timeout(app: Flask, world: World, shifted_clock: Any) -> None:
    client = app.test_client()
    login(client, "reg1")
    shifted_clock(minutes=29)
    assert is_logged_in(client)  # activity within the limit keeps it alive
    shifted_clock(minutes=29 + 29)
    assert is_logged_in(client)
    shifted_clock(minutes=29 + 29 + 31)
    resp = client.get("/account/")
    assert resp.status_code == 302
    assert "een tijd niets heeft gedaan" in client.get("/inloggen").get_data(as_text=True)
    with app.app_context():
        assert session.scalars(select(LoginSession.end_reason)).one() == "inactief"


def test_absolute_timeout_even_when_active(app: Flask, world: World, shifted_clock: Any) -> None:
    client = app.test_client()
    login(client, "reg1")
    minutes = 0
    while minutes < 12 * 60 - 20:
        minutes += 20
        shifted_clock(minutes=minutes)
        assert is_logged_in(client), f"logged out after {minutes} minutes of activity"
    shifted_clock(minutes=12 * 60 + 1)
    assert not is_logged_in(client)
    assert "lang geleden inlogde" in client.get("/inloggen").get_data(as_text=True)


def test_a_change_of_roles_rotates_the_session(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "hulp1")
    before = cookie_value(client)
    assert before and is_logged_in(client)
    with app.app_context():
        user = session.get(User, world.users["hulp1"])
        assert user is not None
        user.role_rows.append(UserRole(role="regisseur"))
        session.commit()
    # The next request works, with the new roles, on a new session token.
    assert client.get("/plannen/nieuw").status_code == 200
    after = cookie_value(client)
    assert after and after != before
    assert is_logged_in(client)
    assert not is_logged_in(with_cookie(app, before))  # the old token is dead
    with app.app_context():
        rows = session.scalars(select(LoginSession).order_by(LoginSession.id)).all()
        assert [r.end_reason for r in rows] == ["rollen-gewijzigd", None]
        assert rows[0].created_at == rows[1].created_at  # the absolute timeout still counts


def test_a_deactivated_account_is_logged_out_at_once(app: Flask, world: World) -> None:
    client = app.test_client()
    login(client, "reg2")
    with app.app_context():
        user = session.get(User, world.users["reg2"])
        assert user is not None
        user.active = False
        session.commit()
    assert not is_logged_in(client)


def test_api_tokens_do_not_make_a_session(app: Flask, world: World) -> None:
    client = app.test_client()
    resp = client.get(
        "/api/v1/plannen", headers={"Authorization": f"Bearer {world.tokens['reg1']}"}
    )
    assert resp.status_code == 200
    assert "Set-Cookie" not in resp.headers
    assert not is_logged_in(client)


def test_a_request_checks_its_session_user_and_roles_in_one_statement(
    app: Flask, world: World
) -> None:
    """Every request runs the check: the session row, its user, their organisation and roles are
    read together (it was three statements)."""
    from flask import session as http_session
    from sqlalchemy import event

    from app.auth import sessions
    from app.domain import Rol

    with app.test_request_context("/"):
        user = session.scalars(select(User).where(User.username == "reg1")).one()
        uid = user.id
        sessions.start(user, "test")
        token = http_session[sessions.SID]
        session.commit()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            statements.append(statement)

    engine = get_database_engine(app)
    with app.test_request_context("/"):
        http_session[sessions.SID] = token
        event.listen(engine, "before_cursor_execute", count)
        try:
            found = sessions.check(uid)
            assert found is not None and found.id == uid
            assert Rol.REGISSEUR in found.roles
            assert found.organisation is not None and found.organisation.name
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
    with app.test_request_context("/"):  # another token: no user
        http_session[sessions.SID] = token + "x"
        assert sessions.check(uid) is None
