"""The household (gezinslinks) and the organisations involved in a plan (betrokkenheden)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import access, params
from app.access import PLAN, guard
from app.clock import today
from app.correcties import services as correcties
from app.db import session
from app.domain import Rol
from app.logboek.exchanges import plan_shared_with
from app.organisations.models import Organisation
from app.organisations.services import organisations
from app.plans import gezinslinks, services
from app.plans.forms import BeeindigenForm, BetrokkenheidForm, GezinslinkForm, VerbrekenForm
from app.plans.models import PlanComment
from app.plans.views.base import (
    REGIE,
    apply_errors,
    bp,
    create_person_from,
    known_or_new_person,
    request_user,
    to_int,
)
from app.users.models import User, UserRole


def _linkvoorstel(toegang: access.PlanToegang, form: Any) -> PlanComment | None:
    """The open gezinslink proposal of a household member this form confirms, if any (from the
    query on GET, the hidden field on POST). Only the regisseur confirms (rule 2)."""
    if request.method == "GET":
        form.voorstel_id.data = str(params.integer("voorstel") or "")
    raw = to_int(form.voorstel_id.data) if form.voorstel_id.data else None
    if raw is None:
        return None
    if not toegang.may_manage:
        raise services.PlanError(
            "Alleen de regisseur bevestigt een voorstel van het huishouden.", "voorstel_id"
        )
    return correcties.open_voorstel(toegang.plan, raw, soorten=(services.SOORT_GEZINSLINKVOORSTEL,))


@bp.route("/plannen/<int:plan_id>/gezinslinks/nieuw", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR, Rol.HULPVERLENER],
    verwerking=REGIE,
    name="gezinslink.leggen",
    resolve=PLAN,
    need=lambda t: t.may_link,
)
def gezinslink_nieuw(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    form = GezinslinkForm()
    voorstel, voorstel_ok = _voorstel_of(toegang, form)
    if form.is_submitted():
        valid = form.validate() and voorstel_ok
        other, person_ok = known_or_new_person(form)
        if valid and person_ok:
            try:
                other = other or create_person_from(form)
                relatie, _sep, side = (form.relatie.data or "").partition(":")
                gezinslinks.lay_link(
                    plan=toegang.plan,
                    other=other,
                    relatie=relatie,
                    plan_person_is_a=(side != "b"),
                    actor=user,
                    voorgesteld_door=voorstel.author_name if voorstel else None,
                )
                if voorstel is not None:
                    correcties.bevestig_linkvoorstel(toegang.plan, voorstel, actor=user)
                flash(_("Het gezinslid is gekoppeld."), "ok")
                return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
            except services.PlanError as exc:
                apply_errors(form, exc)
                session.rollback()
    status = 200 if request.method == "GET" and voorstel_ok else 422
    return render_template(
        "plans/gezinslink_form.html", form=form, plan=toegang.plan, voorstel=voorstel
    ), status


def _voorstel_of(toegang: access.PlanToegang, form: Any) -> tuple[PlanComment | None, bool]:
    try:
        return _linkvoorstel(toegang, form), True
    except services.PlanError as exc:
        apply_errors(form, exc)
        return None, False


@bp.route("/plannen/<int:plan_id>/gezinslinks/<int:link_id>/verbreken", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR, Rol.HULPVERLENER],
    verwerking=REGIE,
    name="gezinslink.verbreken",
    resolve=PLAN,
)
def gezinslink_verbreken(plan_id: int, link_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    link = toegang.gezinslink(link_id)
    form = VerbrekenForm()
    voorstel, voorstel_ok = _voorstel_of(toegang, form)
    if form.validate_on_submit() and voorstel_ok:
        try:
            gezinslinks.break_link(
                link,
                plan=toegang.plan,
                actor=user,
                reason=form.reden.data,
                voorgesteld_door=voorstel.author_name if voorstel else None,
            )
            if voorstel is not None:
                correcties.bevestig_linkvoorstel(toegang.plan, voorstel, actor=user)
            flash(_("De gezinslink is verbroken. De geschiedenis blijft bewaard."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
        except services.PlanError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" and voorstel_ok else 422
    return render_template(
        "plans/gezinslink_verbreken.html",
        form=form,
        plan=toegang.plan,
        link=link,
        voorstel=voorstel,
    ), status


# --- betrokkenheid --------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/betrokkenheden/nieuw", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="betrokkenheid.aangaan",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def betrokkenheid_nieuw(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    form = BetrokkenheidForm()
    orgs = [o for o in organisations() if not o.is_gemeente]
    form.organisation_id.choices = [("", _("Kies de organisatie"))] + [
        (str(o.id), o.name) for o in orgs
    ]
    helpers = list(
        session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Rol.HULPVERLENER, User.active.is_(True))
            .order_by(User.name)
        )
    )
    form.user_id.choices = [("", _("Alle hulpverleners van de organisatie"))] + [
        (str(u.id), f"{u.name} ({u.organisation.name if u.organisation else '-'})") for u in helpers
    ]
    if request.method == "GET":
        form.start_date.data = today()
    if form.validate_on_submit():
        org = session.get(Organisation, to_int(form.organisation_id.data) or 0)
        helper = session.get(User, to_int(form.user_id.data) or 0) if form.user_id.data else None
        try:
            if org is None:
                raise services.PlanError(_("Kies de organisatie."), "organisation_id")
            b = services.bring_in(
                toegang.plan,
                organisation=org,
                user=helper,
                rol=form.rol.data or "",
                start_date=form.start_date.data,
                actor=user,
            )
            plan_shared_with(toegang.plan, b)
            flash(_("%(name)s is betrokken bij het plan.", name=org.name), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="betrokkenen"))
        except services.PlanError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/betrokkenheid_form.html", form=form, plan=toegang.plan), status


@bp.route(
    "/plannen/<int:plan_id>/betrokkenheden/<int:betrokkenheid_id>/beeindigen",
    methods=["GET", "POST"],
)
@guard(roles=[Rol.REGISSEUR], verwerking=REGIE, name="betrokkenheid.beeindigen", resolve=PLAN)
def betrokkenheid_beeindigen(
    plan_id: int, betrokkenheid_id: int, toegang: access.PlanToegang
) -> Any:
    user = request_user()
    b = toegang.betrokkenheid(betrokkenheid_id)
    form = BeeindigenForm()
    if request.method == "GET":
        form.end_date.data = today()
    if form.validate_on_submit():
        try:
            services.end_betrokkenheid(
                b,
                plan=toegang.plan,
                actor=user,
                end_date=form.end_date.data,
                reason=form.reden.data,
            )
            flash(_("De betrokkenheid is beëindigd."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="betrokkenen"))
        except services.PlanError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/betrokkenheid_beeindigen.html", form=form, plan=toegang.plan, b=b
    ), status
