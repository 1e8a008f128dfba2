"""Logging in as a citizen in tests, until the portal's DigiD-style login exists (issue 5).

A citizen is a user with a person. Staff log in through the login form (``tests.conftest.login``);
citizens will log in through OpenID Connect. Until then the tests put the citizen in the
Flask-Login session exactly as ``login_user`` does, with the session-protection identifier of the
test client's own requests.
"""

from __future__ import annotations

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
