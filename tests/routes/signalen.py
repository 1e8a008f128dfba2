"""Signalen: the source API (source tokens only; no user reaches it) and the screens of the
melder, the signal team's regisseurs and the afwegingskader."""

from __future__ import annotations

from tests.routes.spec import RouteSpec
from tests.world import BSN

SIGNAAL = {"bsn": BSN["anna"], "bronReferentie": "M-1", "signaaldatum": "2026-01-10"}

ROUTES: list[RouteSpec] = [
    # Source systems authenticate with an organisation-scoped token; a user's personal token or
    # session is no such token: 401 for everyone (tests/test_signalen_api.py covers the sources).
    RouteSpec(
        "bronnen_api.signaal",
        "POST",
        lambda w, c: "/api/v1/bronnen/cjib/signalen",
        kind="api",
        has_object=False,
        denied_status=401,
        body=lambda w, c: dict(SIGNAAL),
    ),
    RouteSpec(
        "bronnen_api.levering",
        "POST",
        lambda w, c: "/api/v1/bronnen/cjib/signalen/_bulk",
        kind="api",
        has_object=False,
        denied_status=401,
        body=lambda w, c: dict(SIGNAAL),
    ),
]
