"""What the teamleider does: find the open requests for another regisseur of their
organisation, and decide on one (hand the plan over, or decline with a reason).

A request (a :class:`PlanComment` of soort ``regisseurverzoek``) is open while it has no
reply; the decision is written as a reply to every open request of the plan, so the citizen
reads the outcome in the portal and the werklijst badge clears.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased, load_only

from app.access.loading import PLAN_BESTAAT, person_names_only
from app.db import session
from app.domain import PlanStatus, Rol
from app.plans import services as plan_services
from app.plans.models import Plan, PlanComment
from app.teamleider import overdracht
from app.users.models import User, UserRole

OVERDRAGEN = "overdragen"
AFWIJZEN = "afwijzen"


def _open_request_filter(plan_id_col: object) -> object:
    answer = aliased(PlanComment)
    return exists().where(
        PlanComment.plan_id == plan_id_col,
        PlanComment.soort == plan_services.SOORT_REGISSEURVERZOEK,
        ~exists().where(answer.reply_to_id == PlanComment.id),
    )


def _plans_of_organisation(teamleider: User) -> object:
    """Plans whose regisseur works for the teamleider's organisation."""
    regisseur = aliased(User)
    return (
        select(Plan.id)
        .join(regisseur, regisseur.id == Plan.regisseur_id)
        .where(regisseur.organisation_id == teamleider.organisation_id)
    )


def open_plan_ids(teamleider: User) -> list[int]:
    """Plans of the teamleider's organisation with an open request for another regisseur."""
    if teamleider.organisation_id is None or not teamleider.has_role(Rol.TEAMLEIDER):
        return []
    stmt = _plans_of_organisation(teamleider).where(  # type: ignore[attr-defined]
        _open_request_filter(Plan.id), Plan.status != PlanStatus.AFGESLOTEN
    )
    return list(session.scalars(stmt.execution_options(audit_internal=True)))


def count_open(teamleider: User) -> int:
    return len(open_plan_ids(teamleider))


def buitenkant(plan_ids: list[int]) -> list[Plan]:
    """The plans as the teamleider sees them: person's name, regisseur, status (logged)."""
    if not plan_ids:
        return []
    return list(
        session.scalars(
            select(Plan)
            .where(Plan.id.in_(plan_ids))
            .options(person_names_only(), load_only(*PLAN_BESTAAT, raiseload=True))
            .order_by(Plan.updated_at.asc(), Plan.id.asc())
        )
    )


@dataclass
class TeamleiderPlan:
    """What the guard resolves for the teamleider: a plan of their organisation (buitenkant)."""

    plan: Plan | None


def plan_for(teamleider: User, plan_id: int) -> TeamleiderPlan:
    """The plan if it belongs to the teamleider's organisation and is not closed; else None
    (the guard answers 404, as if it did not exist)."""
    if teamleider.organisation_id is None:
        return TeamleiderPlan(None)
    stmt = _plans_of_organisation(teamleider).where(  # type: ignore[attr-defined]
        Plan.id == plan_id, Plan.status != PlanStatus.AFGESLOTEN
    )
    if session.scalar(stmt.execution_options(audit_internal=True)) is None:
        return TeamleiderPlan(None)
    plans = buitenkant([plan_id])
    return TeamleiderPlan(plans[0] if plans else None)


def open_requests(plan: Plan) -> list[PlanComment]:
    """The plan's unanswered requests for another regisseur (their reason is what the
    teamleider needs to decide; loading them is logged)."""
    answer = aliased(PlanComment)
    return list(
        session.scalars(
            select(PlanComment)
            .where(
                PlanComment.plan_id == plan.id,
                PlanComment.soort == plan_services.SOORT_REGISSEURVERZOEK,
                ~exists().where(answer.reply_to_id == PlanComment.id),
            )
            .order_by(PlanComment.created_at, PlanComment.id)
        )
    )


def regisseurs_of(teamleider: User, *, except_id: int | None) -> list[User]:
    """Active regisseurs of the teamleider's organisation (the candidates to take over)."""
    if teamleider.organisation_id is None:
        return []
    stmt = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Rol.REGISSEUR,
            User.active.is_(True),
            User.organisation_id == teamleider.organisation_id,
        )
        .order_by(User.name)
    )
    return [u for u in session.scalars(stmt) if u.id != except_id]


def besluit(
    plan: Plan,
    *,
    actor: User,
    keuze: str,
    reden: str,
    nieuwe: User | None,
) -> None:
    """Decide on the plan's requests (one transaction, committed by the caller): hand the plan
    over to ``nieuwe`` or decline; both with a reason. The outcome is a reply to each open
    request (the citizen reads it in the portal, the badge clears) and a history line."""
    reden = reden.strip()
    if not reden:
        raise plan_services.PlanError(_("Schrijf de reden."), "reden")
    requests = open_requests(plan)
    if keuze == OVERDRAGEN:
        if nieuwe is None or nieuwe.organisation_id != actor.organisation_id:
            raise plan_services.PlanError(_("Kies de nieuwe regisseur."), "regisseur_id")
        oud = plan.regisseur
        plan_services.transfer_plan(plan, new_regisseur=nieuwe, actor=actor, reason=reden)
        overdracht.meld(plan, oud=oud, nieuwe=nieuwe, actor=actor)
        uitkomst = (
            f"Uw verzoek om een andere regisseur is toegekend. Uw nieuwe regisseur is "
            f"{nieuwe.name}. Reden: {reden}"
        )
    elif keuze == AFWIJZEN:
        if not requests:
            raise plan_services.PlanError(
                _("Er is geen open verzoek om een andere regisseur om af te wijzen."), "keuze"
            )
        uitkomst = f"Uw verzoek om een andere regisseur is niet toegekend. Reden: {reden}"
        plan_services.record_event(
            plan.id, actor, "regie", f"Verzoek om een andere regisseur afgewezen: {reden}"
        )
    else:
        raise plan_services.PlanError(_("Kies wat u besluit."), "keuze")
    for req in requests:
        plan_services.add_comment(plan, actor=actor, body=uitkomst, reply_to=req)
