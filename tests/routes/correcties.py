"""Corrections that apply (issue 16 #1): the person data form and rejecting a proposal."""

from __future__ import annotations

from tests.routes.facts import may_manage, plan_header_lines
from tests.routes.plans import REGISSEUR_DENIED, change, history, plan_person, plan_url
from tests.routes.spec import Line, RouteSpec

ROUTES = [
    RouteSpec(
        "correcties.persoon",
        "GET",
        plan_url("/persoon"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
        query={"voorstel": ("1",)},
    ),
    RouteSpec(
        "correcties.persoon",
        "POST",
        plan_url("/persoon"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"telefoon": "0611112222", "reden": "Nieuw nummer"},
        lines=lambda w, c: [
            history(plan_person(c)),
            change(plan_person(c), "contact", "plan"),
        ],
    ),
    RouteSpec(
        "correcties.afwijzen",
        "GET",
        plan_url("/correcties/afwijzen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
        query={"voorstel": ("1",)},
    ),
    RouteSpec(
        # No proposal of this plan: refused with the form again (nothing changes).
        "correcties.afwijzen",
        "POST",
        plan_url("/correcties/afwijzen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=422,
        body=lambda w, c: {"voorstel_id": "", "reden": "Klopt al"},
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        # Sending a failed terugmelding again: the world has none, so even the plan's regisseur
        # gets 404 (tests/test_correcties.py runs the real retry).
        "correcties.terugmelding_opnieuw",
        "POST",
        plan_url("/terugmeldingen/999999/opnieuw"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=404,
        mutates=True,
        body=lambda w, c: {},
    ),
]

__all__ = ["ROUTES", "Line"]
