"""Rate limits per client (Flask-Limiter), next to the per-account lockout in the database.

The limits are declared at the views, with the decorators below:

* :data:`login_limit` on every step of signing in (password, code, enrolment, new password,
  changing the password, new recovery codes): one limit shared by all of them per IP address,
  ``RATELIMIT_LOGIN`` (10 a minute, 60 an hour) on POST. That slows password spraying across
  many accounts, which a per-account lockout cannot see.
* :data:`login_return_limit` on the OpenID Connect returns (staff SSO, the citizen portal):
  ``RATELIMIT_LOGIN`` on GET (the provider's redirect), per endpoint and IP address.
* :data:`api_limit` on the API blueprints (staff API, source API): ``RATELIMIT_API``
  (600 a minute) per endpoint and token (per IP address without one).

Storage: ``RATELIMIT_STORAGE_URI`` — ``memory://`` for one process (development, tests),
``redis://host:6379/0`` in production so that every worker and server counts together.

One :data:`limiter`, made at import (the decorators need it) and initialised per application by
:func:`init_app`. Flask-Limiter keeps its switch and storage on the limiter; this one keeps them
per application, so apps with different settings (tests) neither share counters nor switch each
other's limits on or off.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import flask_limiter
from flask import Flask, current_app, has_app_context, request
from flask_limiter.util import get_remote_address

EXTENSION = "eenplan_limiter"


class _PerApp:
    """An attribute of the limiter that each application has its own value of."""

    name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, limiter: Limiter | None, owner: type | None = None) -> Any:
        if limiter is None:
            return self
        return limiter._state()[self.name]

    def __set__(self, limiter: Limiter, value: Any) -> None:
        limiter._state()[self.name] = value


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter's Limiter, with its per-application state kept per application.

    What ``init_app`` reads from an app's configuration and the request path depends on —
    whether limits are on, the storage and the strategy on it, the key prefix, the fallback —
    lives in ``app.extensions[EXTENSION]``; the declared limits are shared by every app.
    """

    enabled = _PerApp()
    initialized = _PerApp()
    _storage = _PerApp()
    _limiter = _PerApp()
    _key_prefix = _PerApp()
    _storage_dead = _PerApp()
    _fallback_limiter = _PerApp()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._defaults: dict[str, Any] = {}  # set by the constructor: what every app starts from
        self._initialising = threading.local()
        self._constructed = False
        super().__init__(*args, **kwargs)
        self._constructed = True

    def _state(self) -> dict[str, Any]:
        if not self._constructed:
            return self._defaults
        app = getattr(self._initialising, "app", None)
        if app is None and has_app_context():
            app = current_app
        if app is None:
            return self._defaults
        state: dict[str, Any] | None = app.extensions.get(EXTENSION)
        # An app without this limiter (not made by create_app) is not limited by it.
        return state if state is not None else {**self._defaults, "initialized": False}

    def init_app(self, app: Flask) -> None:
        app.extensions[EXTENSION] = dict(self._defaults)
        self._initialising.app = app
        try:
            super().init_app(app)
        finally:
            self._initialising.app = None


def _api_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "ip:" + get_remote_address()


def _login_rate() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _api_rate() -> str:
    return str(current_app.config["RATELIMIT_API"])


limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window")

#: Every step of signing in: one counter per IP address for all of them (POST).
login_limit = limiter.shared_limit(_login_rate, scope="inloggen", methods=["POST"])
#: The identity provider's redirect back to Eenplan (GET), per endpoint.
login_return_limit = limiter.limit(_login_rate, methods=["GET"])
#: For API blueprints: ``api_limit(bp)``; per endpoint and token.
api_limit = limiter.limit(_api_rate, key_func=_api_key)


def init_app(app: Flask) -> None:
    """Count from here on; the storage comes from ``RATELIMIT_STORAGE_URI``."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
