"""Beroepsgeheim both ways (issue 16 #6): the author's organisation releases or refuses an item
under beroepsgeheim. The world's item: Schuldhulp's comment under beroepsgeheim on plan a."""

from __future__ import annotations

from tests.routes.facts import HULPVERLENERS, PLAN_PERSON
from tests.routes.plans import role_denied
from tests.routes.spec import FULL_PERSON, Case, Line, RouteSpec
from tests.support.world import World


def _url(w: World, c: Case) -> str:
    assert c.plan is not None
    return f"/plannen/{w.plans[c.plan]}/beroepsgeheim/opmerking/{w.comments['a_geheim']}"


def _author(c: Case) -> bool:
    """Only Schuldhulp (the author's organisation), on the plan the comment belongs to."""
    return c.user == "hulp1" and c.plan == "a"


def _lines(w: World, c: Case) -> list[Line]:
    return [Line("anna", "view", frozenset(FULL_PERSON | {"plan", "opmerkingen"}))]


ROUTES = [
    RouteSpec(
        "plans.beroepsgeheim_besluiten",
        "GET",
        _url,
        allowed=_author,
        denied_status=role_denied(HULPVERLENERS),
        lines=_lines,
    ),
    RouteSpec(
        "plans.beroepsgeheim_besluiten",
        "POST",
        _url,
        allowed=_author,
        denied_status=role_denied(HULPVERLENERS),
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"besluit": "vrijgeven"},
        # The release and its history line, about the plan's person (one create line).
        lines=lambda w, c: [
            Line(PLAN_PERSON["a"], "create", frozenset({"toestemming", "historie"}))
        ],
    ),
]
