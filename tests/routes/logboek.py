"""The logboek: its read API, the privacy officer's screens, the register of processing activities.

What the privacy officer reads is itself logged: one line per person whose lines were shown,
under ``toezicht-logboek``, category ``logboek``. The routes here read the world's own lines
(``World.logboek_trace``, ``World.logboek_seqs``: about Anna and Dirk), which no other request
touches, so the expected lines do not depend on what other tests wrote.
"""

from __future__ import annotations

from tests.routes.spec import Case, Line, RouteSpec
from tests.world import BSN

PRIVACY = {"privacy1"}


def reading(*persons: str) -> list[Line]:
    return [Line(p, "view", frozenset({"logboek"})) for p in persons]


def privacy_only(c: Case) -> bool:
    return c.user in PRIVACY


def no_bsns(w, c):  # type: ignore[no-untyped-def]
    return list(BSN.values())


ROUTES = [
    # --- read API ----------------------------------------------------------------------------
    RouteSpec(
        "api.dataverwerkingen",
        "GET",
        lambda w, c: f"/api/v1/dataverwerkingen?traceId={w.logboek_trace}",
        kind="api",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: reading("anna", "dirk"),
        must_show=lambda w, c: ["dpl.core.data_subject_id", w.pseudonyms["dirk"], "Waarneming"],
        must_not_show=no_bsns,
    ),
    RouteSpec(
        "api.dataverwerkingen_zoeken",
        "POST",
        lambda w, c: "/api/v1/dataverwerkingen/_zoek",
        kind="api",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        body=lambda w, c: {"bsn": BSN["dirk"]},
        lines=lambda w, c: reading("dirk"),
        must_show=lambda w, c: [w.pseudonyms["dirk"]],
        must_not_show=no_bsns,
    ),
]
