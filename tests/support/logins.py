"""Log each user in once and reuse the session cookie (the access matrix makes thousands of
requests as a dozen users; logging in through the real forms is four requests each time).

:class:`Logins` keeps, per database, the session cookie of each user and a CSRF token that
belongs to it. Before a cookie is reused, the server-side login session it carries is checked
in the database (:func:`still_valid`): a case that logged the user out, changed their password
or roles, deactivated them, or a session that is getting close to its idle or absolute timeout
makes the next case log in again through the forms. A fresh client gets the cookie, so what a
request does to its own cookie (flashes, rotation) never reaches the next case.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import LoginSession
from app.auth.sessions import SID, absolute_limit, idle_limit, roles_fingerprint
from app.clock import now
from app.db import session
from app.users.models import User
from tests.conftest import login
from tests.support.citizens import login_citizen

# Log in again this long before the server would end the session by itself.
MARGIN = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Login:
    cookie: str  # the value of the session cookie
    csrf: str  # a CSRF token of that session


def csrf_from(client: FlaskClient, logged_in: bool) -> str:
    """A CSRF token of the client's session, read from a form page (the page puts it in the
    session cookie, so read the cookie after this)."""
    page = client.get("/account/tokens" if logged_in else "/inloggen")
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    if m is None:  # users without the tokens page (citizens) fall back to the account page
        page = client.get("/account/")
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert m, "no CSRF token found"
    return m.group(1)


def session_cookie(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "the client has no session cookie"
    return cookie.value


def log_in(app: Flask, user: str, citizens: set[str]) -> Login:
    """Log ``user`` in (staff through the real forms, citizens with the session shortcut of
    :func:`tests.support.citizens.login_citizen`; ``anoniem`` only gets a session with a CSRF
    token) and return the cookie with its CSRF token."""
    client = app.test_client()
    if user in citizens:
        login_citizen(app, client, user)
    elif user != "anoniem":
        login(client, user)
    token = csrf_from(client, user != "anoniem")
    return Login(session_cookie(app, client), token)


def still_valid(app: Flask, cookie: str) -> bool:
    """Whether the login session in ``cookie`` will still be accepted, with :data:`MARGIN` to
    spare: not ended, not near its timeouts, the user active and their roles unchanged (a change
    rotates the session, which would end this cookie's token)."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    token = serializer.loads(cookie).get(SID)
    if not token:
        return False
    with app.app_context():
        row = session.scalars(
            select(LoginSession).where(
                LoginSession.token_hash == hashlib.sha256(token.encode()).hexdigest()
            )
        ).first()
        if row is None or row.ended_at is not None:
            return False
        at = now()
        if at - row.last_seen_at > idle_limit() - MARGIN:
            return False
        if at - row.created_at > absolute_limit() - MARGIN:
            return False
        user = session.get(User, row.user_id)
        return bool(
            user is not None and user.active and row.roles_fingerprint == roles_fingerprint(user)
        )


class Logins:
    """The logins of users on one database (one app), made once and reused while valid."""

    def __init__(self, app: Flask, citizens: set[str], known: dict[str, Login] | None = None):
        self.app = app
        self.citizens = citizens
        self.known: dict[str, Login] = dict(known or {})
        self.made = 0  # how many logins this object made (the rest were reused)

    def get(self, user: str) -> Login:
        login = self.known.get(user)
        if login is None or (user != "anoniem" and not still_valid(self.app, login.cookie)):
            login = log_in(self.app, user, self.citizens)
            self.known[user] = login
            self.made += 1
        return login

    def client(self, user: str) -> tuple[FlaskClient, str]:
        """A new test client with ``user``'s session cookie, and the session's CSRF token."""
        login = self.get(user)
        client = self.app.test_client()
        client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], login.cookie)
        return client, login.csrf
