"""The language switch in the header (app/taal): anyone, logged in or not; shows nothing."""

from __future__ import annotations

from tests.routes.spec import RouteSpec

ROUTES = [
    RouteSpec(
        "taal.kiezen",
        "POST",
        lambda w, c: "/taal",
        has_object=False,
        allowed=lambda c: True,
        ok_status=303,
        body=lambda w, c: {"taal": "en", "terug": "/inloggen"},
        mutates=True,
    ),
]
