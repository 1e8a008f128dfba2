"""Logging in as a citizen in tests.

A citizen is a user with a person. Staff log in through the login form (``tests.conftest.login``);
citizens log in to Mijn Eenplan through OpenID Connect (:func:`oidc_login_citizen`, against the
real provider process of the ``oidc_provider`` fixture) — tests about logging in use that.
Tests about something else (the access matrix, the API) may use :func:`login_citizen`, which
puts the citizen in the Flask-Login session exactly as ``login_user`` does (with a server-side
login session), with the session-protection identifier of the test client's own requests.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select


def login_citizen(app: Flask, client: FlaskClient, username: str) -> None:
    from flask import session as http_session
    from flask_login.utils import _create_identifier

    from app.auth import sessions
    from app.db import session
    from app.users.models import User

    env = dict(client.environ_base)
    with app.test_request_context(environ_base=env):
        user = session.scalars(select(User).where(User.username == username)).one()
        assert user.person_id is not None, f"{username} is not a citizen"
        user_id = user.id
        sessions.start(user, "test-inwoner")  # a server-side login session, as a real login has
        token = http_session[sessions.SID]
        session.commit()
        identifier = _create_identifier()
    with client.session_transaction(environ_base=env) as sess:
        sess["_user_id"] = str(user_id)
        sess["_fresh"] = True
        sess["_id"] = identifier
        sess[sessions.SID] = token


# --- the real login: OpenID Connect against oidc-provider-mock (tests/support/oidc_provider.py) --------


def burger_app_config(provider: Any, **settings: str) -> dict[str, Any]:
    """The ``burger`` provider's settings, as ``OIDC_BURGER_*`` in the environment would give."""
    cfg: dict[str, Any] = provider.app_config("OIDC_BURGER_", **settings)
    return cfg


def oidc_login_citizen(client: FlaskClient, provider: Any, sub: str) -> Any:
    """What a citizen's browser does: /mijn/inloggen/digid → the provider (log in as ``sub``)
    → back to /mijn/inloggen/terug. Returns the response of that last request."""
    from urllib.parse import urlsplit, urlunsplit

    start = client.get("/mijn/inloggen/digid")
    assert start.status_code == 302, start.status_code
    back = urlsplit(provider.authorize(start.headers["Location"], sub))
    assert back.path == "/mijn/inloggen/terug"
    return client.get(urlunsplit(("", "", back.path, back.query, "")))
