"""The plan page."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from app import access
from app.access import PLAN, guard
from app.autorisaties.models import NIVEAU_GEEN
from app.db import session
from app.domain import UitvoerderSoort
from app.logboek import current_ledger
from app.plans.forms import AfrondenForm, OpmerkingForm
from app.plans.models import Plan
from app.plans.views.base import REGIE, STAFF_ON_PLANS, bp


@bp.route("/plannen/<int:plan_id>")
@guard(roles=STAFF_ON_PLANS, verwerking=REGIE, name="plan.bekijken", resolve=PLAN)
def detail(plan_id: int, toegang: access.PlanToegang) -> str:
    return render_plan(toegang)


def _geen_inzage(
    toegang: access.PlanToegang, betrokkenheden: list[Any], niveaus: dict[int, Any]
) -> list[str]:
    """For the regisseur: involved organisations for which the citizen chose "geen inzage" (they
    see only that the plan exists, and their own activities)."""
    if not toegang.is_regisseur:
        return []
    return sorted(
        {
            b.organisation.name
            for b in betrokkenheden
            if b.active_on(toegang.day)
            and b.organisation_id in niveaus
            and niveaus[b.organisation_id].niveau == NIVEAU_GEEN
        }
    )


def render_plan(toegang: access.PlanToegang, **extra: Any) -> str:
    plan = toegang.plan
    current_ledger().set_context("plan", plan.id)
    if not toegang.sees_content:
        # "Geen inzage": only that the plan exists and who the regisseur is.
        # Their own organisation's activities stay theirs (what they do, not what others do).
        return render_template(
            "plans/detail_geen_inzage.html",
            toegang=toegang,
            plan=plan,
            eigen=toegang.activities_full(),
        )
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for act, mode in toegang.activities():
        if act.uitvoerder_soort == UitvoerderSoort.HUISHOUDEN:
            key, label = "huishouden", _("Het huishouden zelf")
        else:
            key = f"org-{act.organisation_id}"
            label = act.organisation.name if act.organisation else _("Onbekende organisatie")
        group = groups.setdefault(key, {"label": label, "items": []})
        group["items"].append((act, mode))
    household = toegang.household()
    member_ids = {link.other(plan.person_id).id for link in household if link.actief}
    member_plans: dict[int, int] = {}
    if member_ids:
        for p in session.scalars(
            access.plans_visible_to(toegang.user).where(Plan.person_id.in_(member_ids))
        ):
            member_plans[p.person_id] = p.id
    comment_form = extra.pop("comment_form", None) or OpmerkingForm()
    if not toegang.may_mark_beroepsgeheim:
        del comment_form.beroepsgeheim
    betrokkenheden = toegang.betrokkenheden()
    niveaus = toegang.niveaus()
    return render_template(
        "plans/detail.html",
        toegang=toegang,
        plan=plan,
        groups=groups,
        household=household,
        member_plans=member_plans,
        betrokkenheden=betrokkenheden,
        niveaus=niveaus,
        geen_inzage=_geen_inzage(toegang, betrokkenheden, niveaus),
        comments=toegang.comments(),
        history=toegang.history(),
        toestemmingen=toegang.toestemmingen(),
        overgenomen_feiten=access.overgenomen_feiten(toegang),
        comment_form=comment_form,
        afronden_form=AfrondenForm(),
        **extra,
    )
