"""Adding, changing and completing the activities of a plan."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import access
from app.access import PLAN, NotVisible, guard
from app.clock import today
from app.db import session
from app.organisations.services import organisations
from app.plans import betrokken, services
from app.plans.forms import ActiviteitForm, AfrondenForm
from app.plans.models import Activity
from app.plans.views.base import (
    REGIE,
    STAFF_ON_PLANS,
    apply_errors,
    bp,
    reload_after_conflict,
    request_user,
    to_int,
)


def _organisation_choices(toegang: access.PlanToegang) -> list[tuple[str, str]]:
    if toegang.is_regisseur:
        involved = betrokken.betrokken_organisaties(toegang.plan.id)
        return [("", _("Kies de organisatie"))] + [
            (str(o.id), o.name if o.id in involved else _("%(name)s (niet betrokken)", name=o.name))
            for o in organisations()
        ]
    org = toegang.user.organisation
    return [(str(org.id), org.name)] if org else []


def _activity_data(
    form: ActiviteitForm, toegang: access.PlanToegang
) -> services.ActiviteitGegevens:
    org_id = to_int(form.organisation_id.data)
    if not toegang.is_regisseur:
        # A hulpverlener records activities of their own organisation (or of the household).
        org_id = toegang.user.organisation_id
    return services.ActiviteitGegevens(
        aard=form.aard.data or "",
        omschrijving=form.omschrijving.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        uitvoerder_soort=form.uitvoerder_soort.data or "",
        organisation_id=org_id,
        uitvoerder_contact=form.uitvoerder_contact.data,
        toelichting=form.toelichting.data,
        afgerond=bool(form.afgerond.data),
        toelichting_beroepsgeheim=bool(form.toelichting_beroepsgeheim.data)
        if toegang.may_mark_beroepsgeheim
        else None,
    )


def _bring_in_if_asked(
    form: ActiviteitForm, toegang: access.PlanToegang, data: services.ActiviteitGegevens
) -> bool:
    """The regisseur ticked "Betrek deze organisatie bij het plan": bring the organisation in,
    in the same transaction as the activity. Returns whether it did."""
    if not toegang.is_regisseur or form.betrekken is None or not form.betrekken.data:
        return False
    org = betrokken.niet_betrokken(toegang.plan.id, data.uitvoerder_soort, data.organisation_id)
    if org is None:
        return False
    services.bring_in(
        toegang.plan,
        organisation=org,
        user=None,
        rol=betrokken.rol_voor(data.aard),
        start_date=today(),
        actor=toegang.user,
    )
    return True


def _end_before_start(form: ActiviteitForm) -> bool:
    if form.start_date.data and form.end_date.data and form.end_date.data < form.start_date.data:
        form.end_date.errors = [*form.end_date.errors, _("De einddatum ligt voor de startdatum.")]
        return True
    return False


@bp.route("/plannen/<int:plan_id>/activiteiten/nieuw", methods=["GET", "POST"])
@guard(
    roles=STAFF_ON_PLANS,
    verwerking=REGIE,
    name="activiteit.toevoegen",
    resolve=PLAN,
    need=lambda t: t.may_add_activity,
)
def activiteit_nieuw(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    form = ActiviteitForm()
    form.organisation_id.choices = _organisation_choices(toegang)
    if not toegang.may_mark_beroepsgeheim:
        del form.toelichting_beroepsgeheim
    if not toegang.is_regisseur:
        del form.betrekken
    if request.method == "GET":
        form.start_date.data = today()
        if not toegang.is_regisseur and user.organisation_id:
            form.organisation_id.data = str(user.organisation_id)
    valid = form.validate_on_submit()
    if valid and not _end_before_start(form):
        data = _activity_data(form, toegang)
        brought_in = False
        try:
            brought_in = _bring_in_if_asked(form, toegang, data)
            services.add_activity(toegang.plan, data, actor=user)
            flash(
                _("De activiteit is toegevoegd en de organisatie is bij het plan betrokken.")
                if brought_in
                else _("De activiteit is toegevoegd."),
                "ok",
            )
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="activiteiten"))
        except services.PlanError as exc:
            if brought_in:
                session.rollback()  # both or neither
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/activiteit_form.html", form=form, plan=toegang.plan, activity=None, conflict=None
    ), status


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>/bewerken", methods=["GET", "POST"])
@guard(roles=STAFF_ON_PLANS, verwerking=REGIE, name="activiteit.wijzigen", resolve=PLAN)
def activiteit_bewerken(plan_id: int, activity_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        raise NotVisible
    form = ActiviteitForm(obj=None if request.method == "POST" else activity)
    form.organisation_id.choices = _organisation_choices(toegang)
    if not toegang.may_mark_beroepsgeheim:
        del form.toelichting_beroepsgeheim
    if not toegang.is_regisseur:
        del form.betrekken
    if request.method == "GET":
        form.version.data = str(activity.version)
        form.organisation_id.data = str(activity.organisation_id or "")
    conflict = None
    valid = form.validate_on_submit()
    if valid and not _end_before_start(form):
        data = _activity_data(form, toegang)
        brought_in = False
        try:
            brought_in = _bring_in_if_asked(form, toegang, data)
            services.update_activity(
                activity, data, actor=user, expected_version=to_int(form.version.data)
            )
            flash(_("De activiteit is opgeslagen."), "ok")
            return redirect(
                url_for("plans.detail", plan_id=plan_id, _anchor=f"activiteit-{activity_id}")
            )
        except services.Conflict:
            conflict = reload_after_conflict(Activity, activity.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            if brought_in:
                session.rollback()  # both or neither
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template(
        "plans/activiteit_form.html",
        form=form,
        plan=toegang.plan,
        activity=activity,
        conflict=conflict,
    ), status


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>/afronden", methods=["POST"])
@guard(roles=STAFF_ON_PLANS, verwerking=REGIE, name="activiteit.afronden", resolve=PLAN)
def activiteit_afronden(plan_id: int, activity_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        raise NotVisible
    form = AfrondenForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.complete_activity(activity, actor=user, expected_version=to_int(form.version.data))
        flash(_("De activiteit is afgerond."), "ok")
    except services.Conflict:
        session.rollback()
        flash(
            _(
                "Iemand anders heeft deze activiteit intussen gewijzigd. Bekijk de nieuwe versie en probeer het opnieuw."
            ),
            "warning",
        )
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor=f"activiteit-{activity_id}"))
