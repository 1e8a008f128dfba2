"""How a user reaches a plan (:class:`Pad`) and the SQL condition of each path.

The paths, in this order of precedence:

* ``REGISSEUR`` — they are the plan's regisseur; a regisseur of an organisation that is not a
  municipality only while that organisation holds an active mandate for the plan's municipality.
* ``INWONER`` — the plan is about them (a citizen: a user with a person).
* ``VERVANGING`` — a colleague regisseur of the same organisation who gave a reason; time-limited,
  every line of the request is logged as emergency access with that reason.
* ``HULPVERLENER`` — an active betrokkenheid of their organisation (or of them personally) in a
  plan that is not closed.
* ``VERTROUWENSPERSOON`` — the citizen gave them (identified by BSN) read-only access, until an
  end date.

A plan on the basis *toestemming* whose consent was revoked is open only to the regisseur and the
citizen. The full table is in docs/architecture.md ("Who sees what").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, exists, false, not_, or_, select, true
from sqlalchemy.sql import ColumnElement

from app.access.errors import NotVisible
from app.autorisaties.models import (
    NIVEAU_GEEN,
    STANDAARD_NIVEAU,
    InzageNiveau,
    Vertrouwenspersoon,
    Vervanging,
)
from app.clock import now
from app.db import session
from app.domain import PlanBasis, PlanStatus, Rol
from app.logboek import Ledger
from app.organisations.models import Mandaat
from app.people.models import Person
from app.plans.models import Betrokkenheid, Plan, Toestemming
from app.users.models import User


class Pad(StrEnum):
    """How a user reaches a plan; the first that applies wins."""

    REGISSEUR = "regisseur"
    INWONER = "inwoner"
    VERVANGING = "vervanging"
    HULPVERLENER = "hulpverlener"
    VERTROUWENSPERSOON = "vertrouwenspersoon"


# The role a user acts in on a plan reached by each path.
ROL_VAN_PAD = {
    Pad.REGISSEUR: Rol.REGISSEUR,
    Pad.VERVANGING: Rol.REGISSEUR,
    Pad.HULPVERLENER: Rol.HULPVERLENER,
    Pad.INWONER: Rol.BURGER,
    Pad.VERTROUWENSPERSOON: Rol.BURGER,
}


# --- the conditions ---------------------------------------------------------------------------


def consent_holds() -> ColumnElement[bool]:
    """A plan without revoked consent: not on basis toestemming, or with an active consent."""
    return or_(
        Plan.basis != PlanBasis.TOESTEMMING,
        exists()
        .where(Toestemming.plan_id == Plan.id, Toestemming.ingetrokken_op.is_(None))
        .correlate(Plan),
    )


def _active_betrokkenheid(user: User, day: dt.date) -> ColumnElement[bool]:
    """An active betrokkenheid of the user's organisation (or of them personally)."""
    return (
        exists()
        .where(
            Betrokkenheid.plan_id == Plan.id,
            Betrokkenheid.organisation_id == user.organisation_id,
            or_(Betrokkenheid.user_id.is_(None), Betrokkenheid.user_id == user.id),
            Betrokkenheid.active_on(day),
        )
        .correlate(Plan)
    )


def _niveau_is(organisation_id: int | None, niveau: str) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            InzageNiveau.plan_id == Plan.id,
            InzageNiveau.organisation_id == organisation_id,
            InzageNiveau.niveau == niveau,
        )
        .correlate(Plan)
    )


def _mandate_holds(user: User, day: dt.date) -> ColumnElement[bool]:
    """A municipality's own regisseur, or one whose organisation holds the regietaak by mandate."""
    org = user.organisation
    if org is not None and org.is_gemeente:
        return true()
    if user.organisation_id is None:
        return false()
    return (
        exists()
        .where(
            Mandaat.organisation_id == user.organisation_id,
            Mandaat.gemeente_id == Plan.gemeente_id,
            Mandaat.active_on(day),
        )
        .correlate(Plan)
    )


def _own_bsn(user: User) -> Any:
    return select(Person.bsn).where(Person.id == user.person_id).scalar_subquery()


def paths(
    user: User, day: dt.date, *, vervanging: bool = True, content: bool = False
) -> dict[Pad, ColumnElement[bool]]:
    """The SQL condition of each way this user can reach a plan (absent: cannot)."""
    out: dict[Pad, ColumnElement[bool]] = {}
    if not user.active:
        return out
    if user.has_role(Rol.REGISSEUR):
        out[Pad.REGISSEUR] = and_(Plan.regisseur_id == user.id, _mandate_holds(user, day))
    if user.person_id is not None:
        out[Pad.INWONER] = Plan.person_id == user.person_id
    if vervanging and user.has_role(Rol.REGISSEUR) and user.organisation_id is not None:
        out[Pad.VERVANGING] = and_(
            Plan.regisseur_id != user.id,
            exists()
            .where(
                Vervanging.plan_id == Plan.id,
                Vervanging.user_id == user.id,
                Vervanging.active_on(now()),
            )
            .correlate(Plan),
            exists()
            .where(User.id == Plan.regisseur_id, User.organisation_id == user.organisation_id)
            .correlate(Plan),
            consent_holds(),
        )
    if user.has_role(Rol.HULPVERLENER) and user.organisation_id is not None:
        conds = [
            Plan.status != PlanStatus.AFGESLOTEN,
            _active_betrokkenheid(user, day),
            consent_holds(),
        ]
        if content:
            conds.append(not_(_niveau_is(user.organisation_id, NIVEAU_GEEN)))
        out[Pad.HULPVERLENER] = and_(*conds)
    if user.person_id is not None:
        out[Pad.VERTROUWENSPERSOON] = and_(
            Plan.person_id != user.person_id,
            exists()
            .where(
                Vertrouwenspersoon.person_id == Plan.person_id,
                Vertrouwenspersoon.bsn == _own_bsn(user),
                Vertrouwenspersoon.active_on(day),
            )
            .correlate(Plan),
            consent_holds(),
        )
    return out


def path_for(user: User, plan_id: int, day: dt.date) -> Pad | None:
    """The first path by which this user reaches the plan, or ``None`` (an access decision:
    ids only, not logged)."""
    conditions = paths(user, day)
    if not conditions:
        return None
    row = session.execute(
        select(*[case((cond, 1), else_=0).label(pad.value) for pad, cond in conditions.items()])
        .select_from(Plan)
        .where(Plan.id == plan_id)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        return None
    for pad in conditions:
        if getattr(row, pad.value):
            return pad
    return None


def niveau_van(plan_id: int, organisation_id: int | None) -> str:
    """The level the citizen chose for this organisation (an access decision: not logged)."""
    if organisation_id is None:
        return NIVEAU_GEEN
    found = session.execute(
        select(InzageNiveau.niveau)
        .where(InzageNiveau.plan_id == plan_id, InzageNiveau.organisation_id == organisation_id)
        .execution_options(audit_internal=True)
    ).scalar()
    return found or STANDAARD_NIVEAU


def toestemming_ingetrokken(plan_id: int) -> bool:
    """A plan on basis toestemming without an active consent."""
    row = session.execute(
        select(Plan.id)
        .where(Plan.id == plan_id, Plan.basis == PlanBasis.TOESTEMMING, not_(consent_holds()))
        .execution_options(audit_internal=True)
    ).first()
    return row is not None


def toestemming_ingetrokken_bij(plan_ids: list[int]) -> set[int]:
    """Of these plans, those on basis toestemming without an active consent (a flag on rows a
    list already shows: ids only, not logged)."""
    if not plan_ids:
        return set()
    rows = session.execute(
        select(Plan.id)
        .where(Plan.id.in_(plan_ids), Plan.basis == PlanBasis.TOESTEMMING, not_(consent_holds()))
        .execution_options(audit_internal=True)
    )
    return {r[0] for r in rows}


# --- vervanging -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VervangingInfo:
    """The stand-in grant a user opened a plan with (shown on the page, not a citizen's data)."""

    id: int
    reden: str
    tot: dt.datetime
    voor: str


def _vervanging_info(user: User, plan_id: int) -> VervangingInfo | None:
    row = session.execute(
        select(Vervanging.id, Vervanging.reden, Vervanging.tot, User.name)
        .join(User, User.id == Vervanging.voor_user_id)
        .where(
            Vervanging.plan_id == plan_id,
            Vervanging.user_id == user.id,
            Vervanging.active_on(now()),
        )
        .order_by(Vervanging.tot.desc())
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        return None
    return VervangingInfo(id=row[0], reden=row[1], tot=row[2], voor=row[3])


# --- the path on the request ------------------------------------------------------------------


# The label on the logboek lines where the path says more than the role.
ACTING_LABELS = {
    Pad.VERTROUWENSPERSOON: "Vertrouwenspersoon van de inwoner",
    Pad.VERVANGING: "Regisseur (vervanging)",
}


def stand_in_grant(user: User, plan_id: int, pad: Pad) -> VervangingInfo | None:
    """For a stand-in (``Pad.VERVANGING``): the grant they opened the plan with, whose reason
    goes on every line of the request as emergency access; ``None`` on any other path."""
    if pad is not Pad.VERVANGING:
        return None
    vervanging = _vervanging_info(user, plan_id)
    if vervanging is None:  # pragma: no cover - ended between the two queries
        raise NotVisible
    return vervanging


def record_acting(ledger: Ledger, pad: Pad, vervanging: VervangingInfo | None) -> None:
    """Put on the ledger, explicitly, how the user reached the plan: the role (and label) for
    the logboek lines and, for a stand-in, the emergency mark with the grant's reason. Called by
    the route guard (:mod:`app.access.guard`) once the object is resolved."""
    ledger.record_access(
        role=ROL_VAN_PAD[pad],
        label=ACTING_LABELS.get(pad),
        path=str(pad),
        emergency_reason=vervanging.reden if vervanging is not None else None,
    )
