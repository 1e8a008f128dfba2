"""The management information (issue 18): the teamleider (their team) and beleid (the
municipality) see the team pages; beleid and the privacy officer the privacy section; nobody
else (403). Only counts from the aggregates: no logboek lines, no names, no BSNs."""

from __future__ import annotations

from tests.routes.spec import Case, RouteSpec
from tests.support.world import BSN

TEAM = {"teamleider1", "beleid1"}
PRIVACY = {"beleid1", "privacy1"}
QUERY = {
    "periode": ("maand", "kwartaal"),
    "van": ("2026-01",),
    "tot": ("2026-03",),
    "team": ("0",),
    "organisatie": ("1",),
    "domein": ("financien",),
    "bron": ("cjib",),
}
NO_PERSON = ["Anna", BSN["anna"], "Regina Eerste"]


def team(c: Case) -> bool:
    return c.user in TEAM


def privacy(c: Case) -> bool:
    return c.user in PRIVACY


ROUTES = [
    RouteSpec(
        "sturing.overzicht",
        "GET",
        lambda w, c: "/sturing/",
        has_object=False,
        allowed=lambda c: c.user in TEAM | PRIVACY,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Sturingsinformatie"],
    ),
    *[
        RouteSpec(
            "sturing.pagina",
            "GET",
            lambda w, c, p=pagina: f"/sturing/{p}",
            has_object=False,
            allowed=team,
            denied_status=403,
            lines=lambda w, c: [],
            must_show=lambda w, c, t=titel: [t, 'role="img"'],
            must_not_show=lambda w, c: NO_PERSON,
            query=QUERY,
        )
        for pagina, titel in (
            ("caseload", "Nieuwe plannen"),
            ("signalen", "Van signaal tot plan"),
            ("tijd", "Tijd tot hulp"),
            ("samenwerking", "Betrokken organisaties per open plan"),
        )
    ],
    RouteSpec(
        "sturing.csv_download",
        "GET",
        lambda w, c: "/sturing/caseload/nieuwe-plannen.csv",
        has_object=False,
        allowed=team,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Periode;"],
        query=QUERY,
    ),
    RouteSpec(
        "sturing.privacy",
        "GET",
        lambda w, c: "/sturing/privacy",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Logregels per verwerkingsactiviteit"],
        must_not_show=lambda w, c: NO_PERSON,
        query=QUERY,
    ),
    RouteSpec(
        "sturing.privacy_csv",
        "GET",
        lambda w, c: "/sturing/privacy/logregels.csv",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Verwerkingsactiviteit;"],
        query=QUERY,
    ),
]
