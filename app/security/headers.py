"""Security headers on every response (pages, API, errors, static files).

The Content-Security-Policy allows scripts, styles, images and fonts from this origin only:
no inline script or style (``style=""``, ``<style>``, ``onclick``), no ``eval``, no framing, no
plugins, forms post only to ourselves. Tests check every route and every template for it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

STATIC_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def form_action_origins(app: Flask) -> list[str]:
    """Besides ourselves, forms may lead to the citizen login's provider: logging out of the
    portal posts to Eenplan, which redirects to the provider's end-session endpoint, and
    browsers hold that redirect to the form's ``form-action``."""
    cfg = app.config.get("OIDC_PROVIDERS", {}).get("burger")
    if not cfg or not cfg.get("end_session"):
        return []
    parts = urlsplit(cfg["issuer"])
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def init_app(app: Flask) -> None:
    headers = dict(STATIC_HEADERS)
    extra = form_action_origins(app)
    if extra:
        headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", "form-action 'self' " + " ".join(extra)
        )
    if app.config.get("PROXY_FIX"):
        n = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    hsts = f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains"

    @app.after_request
    def _security_headers(response: Any) -> Any:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = hsts
        if request.path.startswith("/api/") and response.mimetype.endswith("json"):
            # A browser that opens an API URL downloads the answer instead of rendering it.
            response.headers.setdefault("Content-Disposition", 'attachment; filename="api.json"')
        if request.endpoint == "static":
            # Our own CSS/JS/images: no personal data; cache, but revalidate.
            response.headers.setdefault("Cache-Control", "no-cache")
        else:
            # Pages and API answers may hold personal data: never stored by a browser or proxy.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            response.vary.add("Cookie")
        return response
