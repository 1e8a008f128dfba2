"""What needs the regisseur (issue 16 item 9): flags on the werklijst, a sort by each, and the
counts in the navigation.

Every flag is an SQL condition correlated to ``Plan``; they are evaluated with
``audit_internal=True`` (a flag on a row the list already shows, or a count: no person's data).
Only a regisseur's own plans carry flags.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, case, exists, func, not_, select
from sqlalchemy.orm import aliased

from app.access import statements
from app.access.berichten import gesprekken_of, unread_condition
from app.access.paths import consent_holds
from app.berichten.models import Bericht, Gesprek
from app.clock import today
from app.correcties.models import Correctiebesluit
from app.db import session
from app.domain import PlanBasis, PlanStatus, Rol
from app.plans import services
from app.plans.models import Activity, Plan, PlanComment
from app.signalen.models import DatInformatieVraag
from app.users.models import User

# Key → label (the werklijst's badges and sort choices), in the order shown.
VLAGGEN: dict[str, str] = {
    "ingetrokken": _l("Toestemming ingetrokken"),
    "verzoek": _l("Vraagt om andere regisseur"),
    "correctie": _l("Correctie voorgesteld"),
    "verlopen": _l("Activiteit over de einddatum"),
    "ongelezen": _l("Ongelezen berichten"),
    "vragen": _l("Dát-informatie niet beantwoord"),
}


# The answer to a comment, as a second PlanComment. Made once: building an alias adapts its
# columns anew each time (half of the ~3 ms these conditions took to build on every staff page,
# for the navigation's counts). Each EXISTS below is a scope of its own, so one alias serves all.
_ANSWER = aliased(PlanComment, name="antwoord")


def _open_comment(soort: str, *, besluit: bool = False) -> Any:
    answer = _ANSWER
    conds = [
        PlanComment.plan_id == Plan.id,
        PlanComment.soort == soort,
        ~exists().where(answer.reply_to_id == PlanComment.id),
    ]
    if besluit:
        conds.append(~exists().where(Correctiebesluit.voorstel_id == PlanComment.id))
    return exists().where(*conds)


def conditions(user: User, day: dt.date | None = None) -> dict[str, Any]:
    """Each flag as a condition on ``Plan`` for this regisseur (on ``day``, default today)."""
    day = day or today()
    threads = gesprekken_of(user, day=day).with_only_columns(Gesprek.id).correlate(None)
    return {
        "ingetrokken": and_(Plan.basis == PlanBasis.TOESTEMMING, not_(consent_holds())),
        "verzoek": _open_comment(services.SOORT_REGISSEURVERZOEK),
        # not answered and not decided (accepted or rejected)
        "correctie": _open_comment(services.SOORT_CORRECTIEVOORSTEL, besluit=True),
        "verlopen": exists().where(
            Activity.plan_id == Plan.id,
            Activity.afgerond.is_(False),
            Activity.end_date.is_not(None),
            Activity.end_date < day,
        ),
        "ongelezen": exists().where(
            Bericht.plan_id == Plan.id,
            Bericht.gesprek_id.in_(threads),
            unread_condition(user),
        ),
        # The afweging the plan came from asked organisations a question still unanswered.
        "vragen": exists().where(
            DatInformatieVraag.afweging_id == Plan.afweging_id,
            DatInformatieVraag.beantwoord_op.is_(None),
            DatInformatieVraag.weigerreden.is_(None),
        ),
    }


def vlaggen_bij(user: User, plan_ids: list[int]) -> dict[int, list[str]]:
    """The flags of these plans (of the page shown), per plan id: one statement, a column per
    flag."""
    out: dict[int, list[str]] = {}
    if not plan_ids or not user.has_role(Rol.REGISSEUR):
        return out
    conds = conditions(user)
    rows = session.execute(
        select(Plan.id, *(case((cond, 1), else_=0).label(key) for key, cond in conds.items()))
        .where(Plan.id.in_(plan_ids), Plan.regisseur_id == user.id)
        .execution_options(audit_internal=True)
    )
    for row in rows:
        found = [key for key in conds if row._mapping[key]]
        if found:
            out[row[0]] = found
    return out


def sort_key(user: User, key: str) -> Any:
    """An order expression: plans with the flag first."""
    return case((conditions(user)[key], 1), else_=0)


def tellingen(user: User) -> dict[str, int]:
    """Per flag, how many of the regisseur's open plans carry it (for the navigation, on every
    page: one statement, a filtered count per flag, kept per user and day, see
    app.access.statements)."""
    if not user.has_role(Rol.REGISSEUR):
        return {}
    day = today()

    def build() -> Any:
        conds = conditions(user, day)
        return (
            select(*(func.count(Plan.id).filter(cond).label(key) for key, cond in conds.items()))
            .where(Plan.regisseur_id == user.id, Plan.status != PlanStatus.AFGESLOTEN)
            .execution_options(audit_internal=True)
        )

    row = session.execute(statements.built("werklijst_tellingen", user, day, build)).one()
    return {key: int(n) for key, n in row._mapping.items() if n}


def install(bp: Blueprint) -> None:
    @bp.app_context_processor
    def _vlaggen() -> dict[str, Any]:
        def werklijst_tellingen() -> dict[str, int]:
            user = current_user
            if not getattr(user, "is_authenticated", False) or user.is_burger:
                return {}
            try:
                return tellingen(user._get_current_object())
            except Exception:  # the menu never breaks a page
                return {}

        return {"werklijst_tellingen": werklijst_tellingen, "werklijst_vlaggen": VLAGGEN}
