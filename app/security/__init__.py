"""The web surface's defences: security headers, rate limits, structured pseudonymous logs,
upload checks. Wired up by :func:`init_app`; see SECURITY.md for the threat model."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.security import headers, logs

    logs.init_app(app)
    headers.init_app(app)
