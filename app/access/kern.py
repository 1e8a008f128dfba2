"""The ids of a plan a user may open and their role on it (:class:`PlanKern`), for the pages
that show no plan content themselves: berichten and the inkijk (issue 7).

These reach a plan by the same paths as :func:`app.access.plans.plan_for`. The checks load ids
only (audit_internal): they show nothing; what a page shows is loaded and logged by the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.access.errors import NotVisible
from app.access.paths import (
    ROL_VAN_PAD,
    Pad,
    VervangingInfo,
    niveau_van,
    path_for,
    stand_in_grant,
    toestemming_ingetrokken,
)
from app.autorisaties.models import NIVEAU_GEEN, NIVEAU_VOLLEDIG
from app.clock import today
from app.db import session
from app.domain import PlanStatus, Rol
from app.plans.models import Gezinslink, Plan
from app.users.models import User


@dataclass(frozen=True)
class PlanKern:
    """The ids of a plan the user may open, the role they have on it, and how they got there."""

    id: int
    person_id: int
    regisseur_id: int
    status: str
    als: Rol
    pad: Pad = Pad.REGISSEUR
    niveau: str = NIVEAU_VOLLEDIG
    vervanging: VervangingInfo | None = None

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.AFGESLOTEN

    @property
    def is_regisseur(self) -> bool:
        return self.als is Rol.REGISSEUR

    @property
    def sees_plan_thread(self) -> bool:
        """The plan's message thread carries content: not for "geen inzage" or trusted people."""
        return self.niveau != NIVEAU_GEEN and self.pad is not Pad.VERTROUWENSPERSOON


def plan_kern_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanKern:
    """The plan's ids and the user's role on it, or 404 when they may not open the plan.

    The same paths as :func:`plan_for` (a stand-in's access is marked as emergency access).
    """
    day = day or today()
    pad = path_for(user, plan_id, day)
    if pad is None:
        raise NotVisible
    row = session.execute(
        select(Plan.id, Plan.person_id, Plan.regisseur_id, Plan.status)
        .where(Plan.id == plan_id)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:  # pragma: no cover - deleted between the two queries
        raise NotVisible
    vervanging = stand_in_grant(user, plan_id, pad)
    niveau = NIVEAU_VOLLEDIG
    if pad is Pad.HULPVERLENER:
        niveau = niveau_van(plan_id, user.organisation_id)
    return PlanKern(
        row.id,
        row.person_id,
        row.regisseur_id,
        row.status,
        ROL_VAN_PAD[pad],
        pad,
        niveau,
        vervanging,
    )


# --- inkijk: only the plan's regisseur, only while the plan is open ------------------------


def inkijk_plan_for(user: User, plan_id: int) -> PlanKern:
    """A plan as the purpose (doel) of an inkijk: the user manages it (regisseur or stand-in),
    the plan is open and its legal basis holds (no revoked consent); else 404."""
    kern = plan_kern_for(user, plan_id)
    if not kern.is_regisseur or kern.is_closed or toestemming_ingetrokken(plan_id):
        raise NotVisible
    return kern


def household_person_ids(person_id: int) -> list[int]:
    """The person and the members of their household (active gezinslinks), ids only."""
    rows = session.execute(
        select(Gezinslink.person_a_id, Gezinslink.person_b_id)
        .where(
            or_(Gezinslink.person_a_id == person_id, Gezinslink.person_b_id == person_id),
            Gezinslink.verbroken_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).all()
    others = sorted({b if a == person_id else a for a, b in rows} - {person_id})
    return [person_id, *others]
