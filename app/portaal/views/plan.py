"""Mijn plan: the citizen's plan (or, read-only, the plan of someone who gave them access)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import access
from app.access import PLAN, NotVisible, guard
from app.db import session
from app.logboek import current_ledger
from app.plans import services as plan_services
from app.plans.models import Plan, UitvoerderSoort
from app.portaal import services
from app.portaal.forms import KnopForm, ReactieForm
from app.portaal.views.base import (
    EIGEN_PLAN,
    REGIE,
    bestaat,
    bp,
    request_user,
    weigering,
)


@bp.route("/")
@guard(portaal=True, verwerking=REGIE, name="portaal.plan", resolve=EIGEN_PLAN)
def plan(toegang: access.PlanToegang | None) -> Any:
    if toegang is None:
        meekijken = _meekijken()
        if not meekijken:
            person_id = request_user().person_id
            if person_id is not None and services.heeft_signalen(person_id):
                return redirect(url_for("portaal.signalen"))
            return weigering("geen-plan")
        return render_template("portaal/meekijken.html", meekijken=meekijken)
    return _render_plan(toegang, ReactieForm())


def _meekijken() -> list[Plan]:
    """Plans of others who gave this citizen read-only access (a trusted person, rule 12).

    Only the person's name and that a plan exists are loaded here, and that load is an inzage
    like any other (the ledger writes its line); the plan itself opens on the plan page, which
    shows a trusted person what the access rules allow.
    """
    user = request_user()
    if user.person_id is None:
        return []
    stmt = (
        access.plans_visible_to(user)
        .where(Plan.person_id != user.person_id)
        .options(*access.plan_list_options(user))
        .order_by(Plan.id)
    )
    return list(session.scalars(stmt))


@bp.route("/meekijken/<int:plan_id>")
@guard(
    portaal=True,
    verwerking=REGIE,
    name="portaal.meekijken",
    resolve=PLAN,
    need=lambda t: t.is_vertrouwenspersoon,
)
def meekijken(plan_id: int, toegang: access.PlanToegang) -> Any:
    """A trusted person reads the plan of someone who gave them access: read-only, logged."""
    current_ledger().set_context("plan", plan_id)
    return _render_plan(toegang, ReactieForm())


def _render_plan(toegang: access.PlanToegang, form: ReactieForm) -> str:
    plan = toegang.plan
    activities = toegang.activities()
    comments = toegang.comments()
    replies: dict[int, list[Any]] = {}
    for c in comments:
        if c.reply_to_id is not None:
            replies.setdefault(c.reply_to_id, []).append(c)
    return render_template(
        "portaal/plan.html",
        meekijken=_meekijken(),
        toegang=toegang,
        plan=plan,
        activities=activities,
        household=toegang.household(),
        comments=[c for c in comments if c.reply_to_id is None],
        replies=replies,
        form=form,
        knop=KnopForm(),
        huishouden=UitvoerderSoort.HUISHOUDEN,
    )


@bp.route("/reacties", methods=["POST"])
@guard(
    portaal=True,
    verwerking=REGIE,
    name="portaal.reactie",
    resolve=EIGEN_PLAN,
    need=lambda t: t is not None and t.may_comment,
)
def reactie(toegang: access.PlanToegang) -> Any:
    form = ReactieForm()
    if form.validate_on_submit():
        try:
            plan_services.add_comment(
                toegang.plan,
                actor=request_user(),
                body=form.body.data or "",
                soort=form.soort.data or "opmerking",
            )
        except plan_services.PlanError as exc:
            form.body.errors = [*form.body.errors, exc.message]
        else:
            flash(_("Uw bericht staat in het plan. De regisseur krijgt het te zien."), "ok")
            return redirect(url_for("portaal.plan", _anchor="reacties"))
    return _render_plan(toegang, form), 422


@bp.route("/activiteiten/<int:activity_id>/klaar", methods=["POST"])
@guard(
    portaal=True,
    verwerking=REGIE,
    name="portaal.activiteit.klaar",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def activiteit_klaar(activity_id: int, toegang: access.PlanToegang) -> Any:
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        raise NotVisible
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        plan_services.complete_activity(activity, actor=request_user(), expected_version=version)
        flash(_("Goed gedaan! De activiteit staat op klaar."), "ok")
    except plan_services.Conflict:
        session.rollback()
        flash(
            _("Iemand anders heeft deze activiteit net gewijzigd. Kijk of het nog klopt."),
            "warning",
        )
    return redirect(url_for("portaal.plan", _anchor=f"activiteit-{activity_id}"))
