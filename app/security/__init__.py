"""The web surface's defences: security headers, rate limits, structured pseudonymous logs,
upload checks. Wired up by :func:`init_app`; see SECURITY.md for the threat model."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort

from app.security import headers, logs

MAX_ID = 2_147_483_647


def init_app(app: Flask) -> None:
    logs.init_app(app)
    headers.init_app(app)

    @app.url_value_preprocessor
    def _ids_fit(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        # An id in a URL beyond 2³¹−1 cannot exist: 404, instead of overflowing an integer
        # column in the query (a 500 on PostgreSQL).
        if values and any(isinstance(v, int) and v > MAX_ID for v in values.values()):
            abort(404)
