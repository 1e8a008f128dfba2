"""Creating, changing, closing and handing over a plan."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import access
from app.access import PLAN, guard
from app.clock import today
from app.db import session
from app.domain import PlanStatus, Rol
from app.organisations.models import Mandaat
from app.plans import services
from app.plans.forms import AfsluitenForm, OverdragenForm, PlanBewerkForm, PlanNieuwForm
from app.plans.models import Plan
from app.plans.views.base import (
    REGIE,
    apply_errors,
    bp,
    create_person_from,
    known_or_new_person,
    reload_after_conflict,
    request_user,
    to_int,
)
from app.users.models import User, UserRole


def _mandaat_choices(user: User) -> list[tuple[str, str]]:
    choices = [("", _("Geen mandaat: regie door de gemeente zelf"))]
    if user.organisation_id is None:
        return choices
    day = today()
    for m in session.scalars(
        select(Mandaat).where(Mandaat.organisation_id == user.organisation_id)
    ):
        if m.active_on(day):
            choices.append((str(m.id), m.label))
    return choices


def _mandaat_from(form_value: str | None, user: User) -> Mandaat | None:
    if not form_value:
        return None
    return services.mandaat_for(user, int(form_value))


@bp.route("/plannen/nieuw", methods=["GET", "POST"])
@guard(roles=[Rol.REGISSEUR], verwerking=REGIE, name="plan.aanmaken")
def nieuw() -> Any:
    user = request_user()
    form = PlanNieuwForm()
    form.mandaat.choices = _mandaat_choices(user)
    existing_plan = None
    existing_plan_open = False
    if form.is_submitted():
        valid = form.validate()
        person, person_ok = known_or_new_person(form)
        if valid and person_ok:
            try:
                person = person or create_person_from(form)
                mandaat = _mandaat_from(form.mandaat.data, user)
                toestemming = None
                if form.basis.data == "toestemming":
                    toestemming = services.ToestemmingGegevens(
                        gegeven_door=form.toestemming_gegeven_door.data or "",
                        gegeven_op=form.toestemming_gegeven_op.data,
                        wijze=form.toestemming_wijze.data or "",
                        toelichting=form.toestemming_toelichting.data,
                    )
                gemeente = services.gemeente_for(user, mandaat)
                if gemeente is None:
                    abort(500)
                plan = services.create_plan(
                    person=person,
                    basis=form.basis.data or "",
                    status=form.status.data or PlanStatus.CONCEPT,
                    regisseur=user,
                    actor=user,
                    gemeente=gemeente,
                    mandaat=mandaat,
                    toestemming=toestemming,
                )
                flash(_("Het plan is aangemaakt."), "ok")
                return redirect(url_for("plans.detail", plan_id=plan.id))
            except services.PlanExists as exc:
                # Its regisseur (to contact); a link only for whoever may open the plan.
                existing_plan = exc.plan
                existing_plan_open = access.may_open(user, exc.plan.id)
                form.bsn.errors = [*form.bsn.errors, exc.message]
            except services.PlanError as exc:
                apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/nieuw.html",
        form=form,
        existing_plan=existing_plan,
        existing_plan_open=existing_plan_open,
    ), status


@bp.route("/plannen/<int:plan_id>/bewerken", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="plan.wijzigen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def bewerken(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    plan = toegang.plan
    form = PlanBewerkForm(obj=None if request.method == "POST" else plan)
    form.mandaat.choices = _mandaat_choices(user)
    if request.method == "GET":
        form.version.data = str(plan.version)
        form.mandaat.data = str(plan.mandaat_id or "")
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_plan(
                plan,
                actor=user,
                expected_version=to_int(form.version.data),
                status=form.status.data,
                mandaat=_mandaat_from(form.mandaat.data, user),
            )
            flash(_("Het plan is opgeslagen."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id))
        except services.Conflict:
            conflict = reload_after_conflict(Plan, plan.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template("plans/bewerken.html", form=form, plan=plan, conflict=conflict), status


@bp.route("/plannen/<int:plan_id>/afsluiten", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="plan.afsluiten",
    resolve=PLAN,
    need=lambda t: t.may_close,
)
def afsluiten(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    plan = toegang.plan
    form = AfsluitenForm()
    if request.method == "GET":
        form.version.data = str(plan.version)
        if toegang.toestemming_is_ingetrokken:
            form.reden.data = "toestemming_ingetrokken"
    conflict = None
    if form.validate_on_submit():
        try:
            services.close_plan(
                plan,
                actor=user,
                reason=form.reden.data or "",
                note=form.toelichting.data,
                expected_version=to_int(form.version.data),
            )
            flash(_("Het plan is afgesloten."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id))
        except services.Conflict:
            conflict = reload_after_conflict(Plan, plan.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template("plans/afsluiten.html", form=form, plan=plan, conflict=conflict), status


@bp.route("/plannen/<int:plan_id>/overdragen", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="plan.overdragen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def overdragen(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    form = OverdragenForm()
    candidates = [
        u
        for u in session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Rol.REGISSEUR, User.active.is_(True), User.id != user.id)
            .order_by(User.name)
        )
    ]
    form.regisseur_id.choices = [("", _("Kies de nieuwe regisseur"))] + [
        (str(u.id), f"{u.name} ({u.organisation.name if u.organisation else '-'})")
        for u in candidates
    ]
    if form.validate_on_submit():
        new = next((u for u in candidates if str(u.id) == form.regisseur_id.data), None)
        try:
            if new is None:
                raise services.PlanError(_("Kies de nieuwe regisseur."), "regisseur_id")
            services.transfer_plan(
                toegang.plan, new_regisseur=new, actor=user, reason=form.reden.data
            )
            flash(_("Het plan is overgedragen aan %(name)s.", name=new.name), "ok")
            return redirect(url_for("plans.werklijst"))
        except services.PlanError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/overdragen.html", form=form, plan=toegang.plan), status
