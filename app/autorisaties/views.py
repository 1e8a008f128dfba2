"""The regisseur's side of the autorisaties: standing in for a colleague, and consent.

The citizen's own screens (levels per organisation, trusted people, revoking consent) come with
the portal; they call :mod:`app.autorisaties.services`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import access
from app.access import PLAN, guard
from app.autorisaties import services
from app.autorisaties.forms import IntrekkenForm, ToestemmingForm, VervangingForm
from app.clock import today
from app.domain import Rol, Verwerkingsactiviteit
from app.plans import services as plan_services
from app.plans.services import PlanError
from app.users.models import User

bp = Blueprint("autorisaties", __name__)

REGIE = Verwerkingsactiviteit.REGIE


def _user() -> User:
    return current_user._get_current_object()


def _apply_errors(form: Any, exc: PlanError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.route("/vervanging", methods=["GET", "POST"])
@guard(roles=[Rol.REGISSEUR], verwerking=REGIE, name="vervanging.starten")
def vervanging() -> Any:
    """Open a colleague's plan as a stand-in: BSN and reason in the body, never in the URL."""
    user = _user()
    form = VervangingForm()
    if form.validate_on_submit():
        try:
            v = services.start_vervanging(
                user, bsn=form.bsn.data or "", reden=form.reden.data or ""
            )
            flash(
                _("U opent het plan als vervanger. Dit staat als noodtoegang in het logboek."),
                "warning",
            )
            return redirect(url_for("plans.detail", plan_id=v.plan_id))
        except PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "autorisaties/vervanging.html",
        form=form,
        lopend=services.lopende_vervangingen(user),
        uren=int(services.vervanging_duur().total_seconds() // 3600),
    ), status


@bp.route("/plannen/<int:plan_id>/toestemming/nieuw", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="toestemming.vastleggen",
    resolve=PLAN,
    need=lambda t: t.may_record_toestemming,
)
def toestemming_nieuw(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = _user()
    form = ToestemmingForm()
    if request.method == "GET":
        form.gegeven_op.data = today()
        form.gegeven_door.data = "de betrokkene zelf"
    if form.validate_on_submit():
        try:
            plan_services.add_toestemming(
                toegang.plan,
                plan_services.ToestemmingGegevens(
                    gegeven_door=form.gegeven_door.data or "",
                    gegeven_op=form.gegeven_op.data,
                    wijze=form.wijze.data or "",
                    toelichting=form.toelichting.data,
                ),
                actor=user,
            )
            flash(_("De toestemming is vastgelegd."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="toestemming"))
        except PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "autorisaties/toestemming_nieuw.html", form=form, plan=toegang.plan
    ), status


@bp.route("/plannen/<int:plan_id>/toestemming/intrekken", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="toestemming.intrekken",
    resolve=PLAN,
    need=lambda t: t.may_manage and t.plan.basis == "toestemming",
)
def toestemming_intrekken(plan_id: int, toegang: access.PlanToegang) -> Any:
    """The regisseur records that the citizen revoked consent (the citizen can also do it)."""
    user = _user()
    form = IntrekkenForm()
    if form.validate_on_submit():
        try:
            services.trek_toestemming_in(
                toegang.plan, actor=user, toelichting=form.toelichting.data
            )
            flash(_("De intrekking is vastgelegd. Alleen u en de inwoner zien het plan nog."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id))
        except PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "autorisaties/toestemming_intrekken.html", form=form, plan=toegang.plan
    ), status
