"""The teamleider's queue of requests for another regisseur and the decision on a plan (issue
16 item 3). The world has no open request, so the queue is empty; the decision page shows the
plan's buitenkant (name, regisseur, status) of plans of the teamleider's organisation only."""

from __future__ import annotations

from tests.routes.spec import Case, Line, RouteSpec
from tests.support.world import World

TEAMLEIDERS = {"teamleider1"}
# Plans of the Gemeente's regisseurs (reg1, reg2); plan d is Regie Noord's (noord1).
GEMEENTE_PLANS = {"a", "b", "c", "e"}


def is_teamleider_of(c: Case) -> bool:
    return c.user in TEAMLEIDERS and c.plan in GEMEENTE_PLANS


def denied(c: Case) -> int:
    return 404 if c.user in TEAMLEIDERS else 403


def buitenkant(c: Case) -> list[Line]:
    from tests.routes.facts import PLAN_PERSON

    assert c.plan is not None
    return [Line(PLAN_PERSON[c.plan], "view", frozenset({"naw", "plan"}))]


def plan_url(w: World, c: Case) -> str:
    return f"/teamleider/plannen/{w.plans[c.plan]}"


ROUTES = [
    RouteSpec(
        "teamleider.wachtrij",
        "GET",
        lambda w, c: "/teamleider/",
        has_object=False,
        allowed=lambda c: c.user in TEAMLEIDERS,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Er zijn geen open verzoeken."],
    ),
    RouteSpec(
        "teamleider.besluit",
        "GET",
        plan_url,
        allowed=is_teamleider_of,
        denied_status=denied,
        lines=lambda w, c: buitenkant(c),
        must_show=lambda w, c: ["Regina Eerste", "Actief"],
    ),
    RouteSpec(
        "teamleider.besluit",
        "POST",
        plan_url,
        allowed=is_teamleider_of,
        denied_status=denied,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "keuze": "overdragen",
            "regisseur_id": str(w.users["reg3"]),
            "reden": "Op verzoek van de inwoner",
        },
        # The history line and the old regisseur's hand-over notice (category plan): one
        # create line about the person; the plan's new regisseur: an update.
        lines=lambda w, c: [
            Line(buitenkant(c)[0].person, "create", frozenset({"historie", "plan"})),
            Line(buitenkant(c)[0].person, "update", frozenset({"plan"})),
        ],
    ),
]
