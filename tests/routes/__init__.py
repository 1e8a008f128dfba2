"""The registry of every route, used by the access matrix and the logboek route walk.

Each module here lists :class:`~tests.routes.spec.RouteSpec` objects for one part of the app.
A route that is not in the registry makes ``test_every_route_is_in_the_registry`` fail: a new
route cannot skip the matrix or the logboek check.
"""

from tests.routes import (
    admin,
    api,
    auth,
    autorisaties,
    beroepsgeheim,
    correcties,
    inkijk_berichten,
    logboek,
    logvragen,
    plans,
    portaal,
    signaalvragen,
    signalen,
    sturing,
    taal,
    teamleider,
    uitstel,
)
from tests.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = [
    *auth.ROUTES,
    *plans.ROUTES,
    *api.ROUTES,
    *autorisaties.ROUTES,
    *admin.ROUTES,
    *inkijk_berichten.ROUTES,
    *logboek.ROUTES,
    *portaal.ROUTES,
    *signalen.ROUTES,
    *uitstel.ROUTES,
    *signaalvragen.ROUTES,
    *correcties.ROUTES,
    *logvragen.ROUTES,
    *teamleider.ROUTES,
    *taal.ROUTES,
    *beroepsgeheim.ROUTES,
    *sturing.ROUTES,
]

__all__ = ["ROUTES", "RouteSpec"]
