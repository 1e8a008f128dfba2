"""Doelbinding: an inkijk always serves one purpose — a plan, or an open afwegingskader case.

A purpose is resolved from the URL (``/inkijk/<soort>/<id>/…``) by a resolver registered per
kind; the route guard calls :func:`doel_for` (see ``app/inkijk/views.py``). The resolver decides
access (:class:`NotVisible`, 404, when the user may not use that purpose), says which people may
be looked into under it, and how the user reached it (``pad``/``vervanging``, which the guard
records on the ledger). Two purposes are registered here: a plan the user manages
(:func:`plan_doel`) and a case of the afwegingskader at step 2 or 3 that the user weighs
(:func:`afweging_doel`: buitenkant only, no doorprikken, nothing copied). Another purpose plugs
in with ``register_doel(soort, resolver)`` and a route-registry entry in tests/routes/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from app import access
from app.access.afweging_inkijk import inkijk_afweging_for
from app.access.errors import NotVisible
from app.access.kern import household_person_ids
from app.access.paths import Pad, VervangingInfo
from app.users.models import User


@dataclass(frozen=True)
class InkijkDoel:
    soort: str  # "plan" | "afweging"
    id: int
    hoofdpersoon_id: int
    persoon_ids: tuple[int, ...]  # who may be looked into under this purpose
    kan_overnemen: bool  # may facts be copied into it (only into a plan)
    object_type: str  # named on every log line of the inkijk
    # May the user drill down to details (with a reason)? Not within a weighing: only the
    # buitenkant before step 4 (SPEC afwegingskader step 3), details only in the plan.
    kan_doorprikken: bool = True
    stap: int | None = None  # the afweging's step being weighed
    # How the user reached the purpose, recorded by the route guard on the ledger (the role on
    # every line; for a stand-in the emergency mark with the grant's reason).
    pad: Pad | None = None
    vervanging: VervangingInfo | None = None

    @property
    def omschrijving(self) -> str:
        return {"plan": _("het plan"), "afweging": _("de afweging van een signaal")}.get(
            self.soort, self.soort
        )

    def toegestaan(self, person_id: int) -> bool:
        return person_id in self.persoon_ids


DoelResolver = Callable[[User, int], InkijkDoel]
_RESOLVERS: dict[str, DoelResolver] = {}


def register_doel(soort: str, resolver: DoelResolver) -> None:
    _RESOLVERS[soort] = resolver


def doel_for(user: User, soort: str, doel_id: int) -> InkijkDoel:
    resolver = _RESOLVERS.get(soort)
    if resolver is None:
        raise NotVisible
    return resolver(user, doel_id)


def plan_doel(user: User, plan_id: int) -> InkijkDoel:
    """A plan the user manages; who may be looked into: its person and their household."""
    kern = access.inkijk_plan_for(user, plan_id)
    return InkijkDoel(
        soort="plan",
        id=kern.id,
        hoofdpersoon_id=kern.person_id,
        persoon_ids=tuple(household_person_ids(kern.person_id)),
        kan_overnemen=True,
        object_type="plan",
        pad=kern.pad,
        vervanging=kern.vervanging,
    )


def afweging_doel(user: User, afweging_id: int) -> InkijkDoel:
    """A case being weighed at step 2 or 3 by the user (signal team): its person and their
    household, buitenkant only (:func:`app.access.afweging_inkijk.inkijk_afweging_for`)."""
    kern = inkijk_afweging_for(user, afweging_id)
    return InkijkDoel(
        soort="afweging",
        id=kern.id,
        hoofdpersoon_id=kern.person_id,
        persoon_ids=tuple(household_person_ids(kern.person_id)),
        kan_overnemen=False,
        object_type="afweging",
        kan_doorprikken=False,
        stap=kern.stap,
    )


register_doel("plan", plan_doel)
register_doel("afweging", afweging_doel)
