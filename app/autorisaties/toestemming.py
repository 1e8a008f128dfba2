"""The citizen's consent for a plan on basis *toestemming*, seen from the portal: its state, and
giving it again after it was revoked (a new consent record; the old one stays as it was).

Revoking is :func:`app.autorisaties.services.trek_toestemming_in` (the citizen, or the regisseur
on their behalf). Both are decisions of the citizen, logged as their own line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.access.paths import toestemming_ingetrokken
from app.autorisaties.services import _log_besluit, _require_citizen_of
from app.clock import now, today
from app.db import session
from app.domain import Gegevenscategorie, PlanBasis, ToestemmingWijze
from app.organisations.models import Organisation
from app.plans.models import Betrokkenheid, Plan, Toestemming
from app.plans.services import PlanError, _event
from app.users.models import User

GEGEVEN_DOOR_INWONER = "de inwoner zelf"


@dataclass(frozen=True)
class ToestemmingStand:
    """Where the consent for a plan stands: given (since when) or revoked (when, why)."""

    actief: bool
    gegeven_op: dt.date | None
    ingetrokken_op: dt.datetime | None
    reden: str | None


def stand_van(plan: Plan) -> ToestemmingStand | None:
    """The state of the consent of a plan on basis toestemming (``None`` for other plans).

    Loads the plan's consent records (logged as any other inzage: category toestemming)."""
    if plan.basis != PlanBasis.TOESTEMMING:
        return None
    records = list(
        session.scalars(
            select(Toestemming)
            .where(Toestemming.plan_id == plan.id)
            .order_by(Toestemming.vastgelegd_op, Toestemming.id)
        )
    )
    active = [t for t in records if t.ingetrokken_op is None]
    if active:
        return ToestemmingStand(True, active[-1].gegeven_op, None, None)
    last = records[-1] if records else None
    return ToestemmingStand(
        False,
        last.gegeven_op if last else None,
        last.ingetrokken_op if last else None,
        last.intrekking_toelichting if last else None,
    )


def geef_opnieuw(plan: Plan, *, actor: User) -> Toestemming:
    """The citizen gives consent again after revoking it: a new consent record, from today.

    The plan opens again to the involved organisations (at the levels the citizen chose) and to
    the people the citizen trusts. The old, revoked record stays as it was (history)."""
    _require_citizen_of(actor, plan.person_id)
    if plan.basis != PlanBasis.TOESTEMMING:
        raise PlanError(_("Dit plan bestaat niet op basis van toestemming."))
    if plan.is_closed:
        raise PlanError(_("Uw plan is afgesloten. Bel de gemeente als u opnieuw hulp wilt."))
    stand = stand_van(plan)
    if stand is not None and stand.actief:
        raise PlanError(_("U gaf al toestemming voor dit plan."))
    record = Toestemming(
        plan_id=plan.id,
        gegeven_door=GEGEVEN_DOOR_INWONER,
        gegeven_op=today(),
        wijze=ToestemmingWijze.DIGITAAL,
        toelichting="Opnieuw gegeven in Mijn Eenplan",
        vastgelegd_door_id=actor.id,
        vastgelegd_op=now(),
    )
    session.add(record)
    _event(plan.id, actor, "toestemming", "De inwoner gaf opnieuw toestemming (Mijn Eenplan)")
    session.flush()
    _log_besluit(
        person_id=plan.person_id,
        actor=actor,
        name="zeggenschap.toestemming.geven",
        action="create",
        categories=(Gegevenscategorie.TOESTEMMING,),
        obj=f"plan:{plan.id}",
    )
    return record


def organisaties_die_zien(plan: Plan) -> list[Organisation]:
    """The organisations that see the plan now (an active betrokkenheid; consent holds): those
    that lose it when consent is revoked, and those a level is offered for."""
    if toestemming_ingetrokken(plan.id) or plan.is_closed:
        return []
    day = today()
    return list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(Betrokkenheid.organisation_id)
                    .where(Betrokkenheid.plan_id == plan.id, Betrokkenheid.active_on(day))
                    .execution_options(audit_internal=True)
                )
            )
            .order_by(Organisation.name)
        )
    )
