"""Comments on a plan."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from app import access
from app.access import PLAN, guard
from app.plans import services
from app.plans.forms import OpmerkingForm
from app.plans.views.base import REGIE, STAFF_ON_PLANS, apply_errors, bp, request_user
from app.plans.views.detail import render_plan


@bp.route("/plannen/<int:plan_id>/opmerkingen", methods=["POST"])
@guard(
    roles=STAFF_ON_PLANS,
    verwerking=REGIE,
    name="opmerking.plaatsen",
    resolve=PLAN,
    need=lambda t: t.may_comment,
)
def opmerking(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    form = OpmerkingForm()
    if form.validate_on_submit():
        try:
            reply_id = form.reply_to.data or ""
            reply_to = None
            if reply_id.isdigit():  # only a comment this user sees on this plan
                reply_to = next((c for c in toegang.comments() if c.id == int(reply_id)), None)
            services.add_comment(
                toegang.plan,
                actor=user,
                body=form.body.data or "",
                beroepsgeheim=toegang.may_mark_beroepsgeheim and bool(form.beroepsgeheim.data),
                reply_to=reply_to,
                zichtbaarheid=form.zichtbaarheid.data or "",
            )
            flash(_("Uw opmerking is geplaatst."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="opmerkingen"))
        except services.PlanError as exc:
            apply_errors(form, exc)
    return render_plan(toegang, comment_form=form), 422
