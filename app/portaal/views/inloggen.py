"""Logging in through the DigiD broker (OpenID Connect) and out again."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from flask import redirect, render_template, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from app import i18n, params
from app.access import public
from app.auth import oidc, sessions
from app.auth.external import external_url
from app.auth.views import CLEAR_SITE_DATA, complete_login
from app.db import session
from app.portaal import services
from app.portaal.views.base import bp, weigering
from app.security.ratelimit import login_return_limit

log = logging.getLogger("eenplan.security")

LOGIN_METHOD = "oidc-burger"


@bp.route("/inloggen")
@public
def inloggen() -> Any:
    if current_user.is_authenticated and current_user.is_burger:
        return redirect(url_for("portaal.plan"))
    return render_template("portaal/inloggen.html", provider=oidc.provider("burger"))


@bp.route("/inloggen/digid")
@public
def inloggen_start() -> Any:
    """Off to the DigiD broker (the configured OpenID Connect provider)."""
    client = oidc.client("burger")
    if current_user.is_authenticated and current_user.is_burger:
        return redirect(url_for("portaal.plan"))
    try:
        return client.authorize_redirect(external_url("portaal.inloggen_terug"))
    except Exception as exc:  # noqa: BLE001 - the provider is unreachable or misconfigured
        log.error(
            "citizen login unavailable",
            extra={"event": "burger.login.unavailable", "error": type(exc).__name__},
        )
        return weigering("niet-beschikbaar")


@bp.route("/inloggen/terug")
@login_return_limit
@public
def inloggen_terug() -> Any:
    """The provider sends the browser back with a code; the ID token is checked by Authlib
    (signature against the JWKS, issuer, audience, nonce, expiry)."""
    client = oidc.client("burger")
    cfg = oidc.provider("burger")
    assert cfg is not None
    if params.args().get("error"):  # the provider says no (OpenID Connect)
        log.info("citizen login denied", extra={"event": "burger.login.denied"})
        return weigering("geweigerd")
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
    except Exception as exc:  # noqa: BLE001 - fail closed; the log says which check failed
        log.warning(
            "citizen login failed",
            extra={"event": "burger.login.failed", "error": type(exc).__name__},
        )
        return weigering("token")
    try:
        user = services.burger_voor_login(cfg, claims)
    except services.LoginGeweigerd as exc:
        session.rollback()
        log.info(
            "citizen login refused", extra={"event": "burger.login.refused", "reason": exc.reden}
        )
        i18n.clear_session()
        return weigering(exc.reden)
    complete_login(user, LOGIN_METHOD)
    session.commit()
    return redirect(url_for("portaal.plan"))


@bp.route("/uitloggen", methods=["POST"])
@public
def uitloggen() -> Response:
    """End the session here, then (where the provider supports it) at the provider."""
    was_burger = current_user.is_authenticated and current_user.is_burger
    if current_user.is_authenticated:
        sessions.end_current("uitgelogd")
        log.info("logout", extra={"event": "logout", "user_id": current_user.id})
        logout_user()
    i18n.clear_session()
    target = url_for("portaal.uitgelogd")
    cfg = oidc.provider("burger")
    if was_burger and cfg is not None and cfg.get("end_session"):
        try:
            meta = oidc.client("burger").load_server_metadata()
            endpoint = meta.get("end_session_endpoint")
        except Exception:  # noqa: BLE001 - the provider is away: the session here has ended
            endpoint = None
        if endpoint:
            target = (
                endpoint
                + ("&" if "?" in endpoint else "?")
                + urlencode(
                    {
                        "client_id": cfg["client_id"],
                        "post_logout_redirect_uri": external_url("portaal.uitgelogd"),
                    }
                )
            )
    resp = redirect(target)
    resp.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return resp


@bp.route("/uitgelogd")
@public
def uitgelogd() -> str:
    return render_template("portaal/uitgelogd.html")
