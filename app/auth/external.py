"""Eenplan's own address, for links that leave the site (OpenID Connect ``redirect_uri``,
``post_logout_redirect_uri``), and which ``Host`` headers it answers at all.

An address built from the request's ``Host`` header follows whoever sends the request: with
``Host: evil.example`` the identity provider would send the authorization code to
evil.example. So external addresses come from ``EENPLAN_BASE_URL`` (the address users reach
Eenplan at, e.g. ``https://eenplan.gemeente.nl``). Without it (development) they are built from
the request — which is safe because only trusted hosts are served at all: Flask's
``TRUSTED_HOSTS`` is set from ``EENPLAN_TRUSTED_HOSTS``, by default the host of
``EENPLAN_BASE_URL``, or the loopback names when that is not set. Any other ``Host`` gets 400.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response

log = logging.getLogger("eenplan.security")

MSG_UNTRUSTED_HOST = _l("Dit adres hoort niet bij Eenplan.")

# Without EENPLAN_BASE_URL (development, scripts/run.sh, the tests) only these are served.
LOOPBACK = ["localhost", "127.0.0.1", "[::1]"]


def base_url(value: str | None) -> str:
    """``EENPLAN_BASE_URL`` checked: scheme and host (and port), no path; "" when unset."""
    value = (value or "").strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ValueError(
            f"EENPLAN_BASE_URL {value!r}: geef alleen schema en host, "
            "bijvoorbeeld https://eenplan.gemeente.nl"
        )
    return value


def trusted_hosts(config: Any) -> list[str]:
    explicit = config.get("EENPLAN_TRUSTED_HOSTS") or []
    if isinstance(explicit, str):
        explicit = [h.strip() for h in explicit.split(",") if h.strip()]
    if explicit:
        return [str(h).lower() for h in explicit]
    base = config.get("EENPLAN_BASE_URL")
    if base:
        return [str(urlsplit(base).hostname)]
    return list(LOOPBACK)


def init_app(app: Flask) -> None:
    app.config["EENPLAN_BASE_URL"] = base_url(app.config.get("EENPLAN_BASE_URL"))
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    # An untrusted host leaves the request without URL routing (Flask cannot build a URL for
    # it), so the usual error page cannot be rendered: a short answer of its own.
    app.register_error_handler(SecurityError, _untrusted_host)


def _untrusted_host(exc: SecurityError) -> Response:
    log.warning("untrusted host refused", extra={"event": "http.untrusted_host"})
    return Response(str(MSG_UNTRUSTED_HOST), status=400, mimetype="text/plain")


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint``: on ``EENPLAN_BASE_URL`` when configured, else on
    the request's host (which ``TRUSTED_HOSTS`` has checked: a loopback name by default)."""
    base = current_app.config.get("EENPLAN_BASE_URL")
    if base:
        return str(base) + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
