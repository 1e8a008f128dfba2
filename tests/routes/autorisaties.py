"""The regisseur's side of the autorisaties: standing in for a colleague, recording consent."""

from __future__ import annotations

from tests.routes.facts import PERSON_NAME, PLAN_FACTS, REGISSEURS, is_regisseur_of, may_manage
from tests.routes.plans import (
    REGISSEUR_DENIED,
    TODAY,
    change,
    history,
    plan_header_lines,
    plan_person,
    plan_url,
)
from tests.routes.spec import Case, Line, RouteSpec
from tests.support.world import BSN

STAND_IN_REASON = "Regina is afwezig en Anna belt nu met een dringende vraag."


def _stands_in(c: Case) -> bool:
    """Plan a is reg1's: a colleague of the same organisation may stand in, reg1 and Regie Noord
    may not (their own plan; another organisation)."""
    return c.user in ("reg2", "reg3")


def _toestemming_plan(c: Case) -> bool:
    return c.plan is not None and bool(PLAN_FACTS[c.plan]["toestemming"])


ROUTES = [
    RouteSpec(
        "autorisaties.vervanging",
        "GET",
        lambda w, c: "/vervanging",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        lines=lambda w, c: [],
        # The list of one's stand-ins names the colleague, never the citizen.
        must_show=lambda w, c: ["Regina Eerste"] if c.user == "reg3" else [],
        must_not_show=lambda w, c: list(PERSON_NAME.values()),
    ),
    RouteSpec(
        "autorisaties.vervanging",
        "POST",
        lambda w, c: "/vervanging",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        ok_status=lambda c: 302 if _stands_in(c) else 422,  # type: ignore[arg-type]
        mutates=True,
        body=lambda w, c: {"bsn": BSN["anna"], "reden": STAND_IN_REASON},
        lines=lambda w, c: (
            [Line("anna", "create", frozenset({"toegang", "historie"}), emergency=True)]
            if _stands_in(c)
            else []
        ),
        must_show=lambda w, c: [] if _stands_in(c) else ["Er is geen plan van een collega"],
        must_not_show=lambda w, c: list(PERSON_NAME.values()),
    ),
    RouteSpec(
        "autorisaties.toestemming_nieuw",
        "GET",
        plan_url("/toestemming/nieuw"),
        allowed=lambda c: is_regisseur_of(c) and _toestemming_plan(c),
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "autorisaties.toestemming_nieuw",
        "POST",
        plan_url("/toestemming/nieuw"),
        allowed=lambda c: is_regisseur_of(c) and _toestemming_plan(c),
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "gegeven_door": "de betrokkene zelf",
            "gegeven_op": TODAY,
            "wijze": "mondeling",
            "toelichting": "",
        },
        lines=lambda w, c: [change(plan_person(c), "toestemming", "historie", action="create")],
    ),
    RouteSpec(
        "autorisaties.toestemming_intrekken",
        "GET",
        plan_url("/toestemming/intrekken"),
        allowed=lambda c: may_manage(c) and _toestemming_plan(c),
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "autorisaties.toestemming_intrekken",
        "POST",
        plan_url("/toestemming/intrekken"),
        allowed=lambda c: may_manage(c) and _toestemming_plan(c),
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"toelichting": "Telefonisch laten weten"},
        lines=lambda w, c: [change(plan_person(c), "toestemming"), history(plan_person(c))],
    ),
]
