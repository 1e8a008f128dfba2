"""Rate limits per client (Flask-Limiter), next to the per-account lockout in the database.

* Every step of signing in (password, code, enrolment, new password, SSO return) shares one
  limit per IP address: ``RATELIMIT_LOGIN`` (10 a minute, 60 an hour) on POST. That slows
  password spraying across many accounts, which a per-account lockout cannot see.
* The API: ``RATELIMIT_API`` (600 a minute) per token (per IP without one).

Storage: ``RATELIMIT_STORAGE_URI`` — ``memory://`` for one process (development, tests),
``redis://host:6379/0`` in production so that every worker and server counts together.
One limiter per application, so apps with different settings (tests) do not share counters.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

EXTENSION = "eenplan_limiter"

# Endpoints that share the login limit; other logins (e.g. the citizen portal) add theirs.
LOGIN_ENDPOINTS = [
    "auth.login",
    "auth.code",
    "auth.tweestapsverificatie",
    "auth.nieuw_wachtwoord",
    "auth.sso_terug",
    "account.wachtwoord",
    "account.herstelcodes",
]


def _api_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "ip:" + get_remote_address()


def init_app(app: Flask) -> Limiter:
    """Call after the blueprints are registered."""
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI", "memory://"),
        headers_enabled=True,
        strategy="moving-window",
    )
    login = limiter.shared_limit(
        lambda: str(current_app.config["RATELIMIT_LOGIN"]),
        scope="inloggen",
        methods=["POST"],
    )
    # Flask-Limiter checks decorated limits in the wrapper it returns: install the wrappers.
    views: dict[str, Any] = app.view_functions
    for endpoint in LOGIN_ENDPOINTS:
        view = views.get(endpoint)
        if view is not None:
            views[endpoint] = login(view)
    sso = views.get("auth.sso_terug")
    if sso is not None:  # a GET: the identity provider's redirect
        views["auth.sso_terug"] = limiter.limit(
            lambda: str(current_app.config["RATELIMIT_LOGIN"]), methods=["GET"]
        )(sso)
    api = app.blueprints.get("api")
    if isinstance(api, Blueprint):
        limiter.limit(lambda: str(current_app.config["RATELIMIT_API"]), key_func=_api_key)(api)
    app.extensions[EXTENSION] = limiter
    return limiter
