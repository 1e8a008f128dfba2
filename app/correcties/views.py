"""The regisseur edits the plan's person data, and accepts or rejects a correction proposal."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import access, params
from app.access import PLAN, guard
from app.correcties import services
from app.correcties.forms import AfwijzenForm, PersoonForm
from app.correcties.models import Correctiebesluit
from app.db import session
from app.domain import Rol
from app.plans.models import Plan, PlanComment
from app.plans.services import (
    SOORT_CORRECTIEVOORSTEL,
    SOORT_GEZINSLINKVOORSTEL,
    Conflict,
    PlanError,
)
from app.plans.views.base import REGIE, apply_errors, reload_after_conflict, request_user, to_int
from app.portaal.forms import KnopForm
from app.terugmelding.models import Terugmelding

bp = Blueprint("correcties", __name__)
# The citizen's proposals the regisseur may reject with a reason here.
AFWIJSBAAR = (SOORT_CORRECTIEVOORSTEL, SOORT_GEZINSLINKVOORSTEL)


def _voorstel(plan: Plan, form: Any) -> PlanComment | None:
    raw = form.voorstel_id.data
    if not raw:
        return None
    return services.open_voorstel(plan, to_int(raw))


@bp.route("/plannen/<int:plan_id>/persoon", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="persoon.wijzigen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def persoon(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    plan = toegang.plan
    form = PersoonForm(obj=None if request.method == "POST" else plan.person)
    voorstel: PlanComment | None = None
    if request.method == "GET":
        form.version.data = str(plan.version)
        form.voorstel_id.data = str(params.integer("voorstel") or "")
    conflict = None
    valid = request.method == "POST" and form.validate_on_submit()
    try:
        voorstel = _voorstel(plan, form)
    except PlanError as exc:
        apply_errors(form, exc)
        form.voorstel_id.data = ""
        valid = False
    # Accepting a proposal: the facts copied from sources may be the disputed one.
    feiten = access.overgenomen_feiten(toegang) if voorstel is not None else []
    form.feit_id.choices = [("", _("Geen: het gaat niet om een overgenomen gegeven"))] + [
        (
            str(f.id),
            _(
                "%(label)s: %(waarde)s (bron: %(bron_naam)s)",
                label=f.label,
                waarde=f.waarde,
                bron_naam=f.bron_naam,
            ),
        )
        for f in feiten
    ]
    feit = next((f for f in feiten if str(f.id) == form.feit_id.data), None)
    if valid:
        # Only the fields the form sent (a partial form changes only those).
        waarden = {v: getattr(form, v).data for v in services.VELDEN if v in request.form}
        try:
            if voorstel is not None:
                besluit = services.aanvaard(
                    plan,
                    voorstel,
                    waarden,
                    actor=user,
                    reden=form.reden.data,
                    expected_version=to_int(form.version.data),
                    feit=feit,
                    feit_waarde=form.feit_waarde.data,
                )
                flash(_aanvaard_melding(besluit), "ok")
            else:
                services.wijzig_persoon(
                    plan,
                    waarden,
                    actor=user,
                    reden=form.reden.data,
                    expected_version=to_int(form.version.data),
                )
                flash(_("De persoonsgegevens zijn opgeslagen."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id))
        except Conflict:
            conflict = reload_after_conflict(Plan, plan.id)
            form.version.data = str(conflict.version)
        except PlanError as exc:
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template(
        "correcties/persoon.html",
        form=form,
        plan=plan,
        voorstel=voorstel,
        conflict=conflict,
        geschiedenis=services.geschiedenis(plan),
        labels=services.VELDEN,
    ), status


def _aanvaard_melding(besluit: Correctiebesluit) -> str:
    meldingen = services.terugmeldingen(besluit.plan_id).get(besluit.id, [])
    if not meldingen:
        return _("Het voorstel is aanvaard en de correctie is doorgevoerd.")
    parts = [
        _("De terugmelding aan de %(registratie)s is verstuurd.", registratie=t.registratie)
        if t.status == "ontvangen"
        else _("De terugmelding aan de %(registratie)s is niet gelukt.", registratie=t.registratie)
        for t in meldingen
    ]
    return " ".join([_("Het voorstel is aanvaard."), *parts])


@bp.route("/plannen/<int:plan_id>/correcties/afwijzen", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="correctie.afwijzen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def afwijzen(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    plan = toegang.plan
    form = AfwijzenForm()
    if request.method == "GET":
        form.voorstel_id.data = str(params.integer("voorstel") or "")
    voorstel: PlanComment | None = None
    valid = request.method == "POST" and form.validate_on_submit()
    try:
        if request.method == "POST" or form.voorstel_id.data:
            voorstel = services.open_voorstel(
                plan, to_int(form.voorstel_id.data), soorten=AFWIJSBAAR
            )
    except PlanError as exc:
        apply_errors(form, exc)
    if valid and voorstel is not None:
        try:
            services.wijs_af(plan, voorstel, actor=user, reden=form.reden.data)
            flash(_("Het voorstel is afgewezen. De inwoner ziet de reden in het portaal."), "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id, _anchor="opmerkingen"))
        except PlanError as exc:
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "correcties/afwijzen.html", form=form, plan=plan, voorstel=voorstel
    ), status


@bp.route("/plannen/<int:plan_id>/terugmeldingen/<int:terugmelding_id>/opnieuw", methods=["POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="terugmelding.opnieuw",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def terugmelding_opnieuw(plan_id: int, terugmelding_id: int, toegang: access.PlanToegang) -> Any:
    """Send a failed terugmelding again (the receiver was down); the outcome is shown."""
    if not KnopForm().validate_on_submit():
        abort(400)
    try:
        t = services.opnieuw(toegang.plan, terugmelding_id, actor=request_user())
        if t.mislukt:
            flash(
                _("De terugmelding aan de %(r)s is weer niet gelukt.", r=t.registratie), "warning"
            )
        else:
            flash(_("De terugmelding aan de %(r)s is verstuurd.", r=t.registratie), "ok")
    except PlanError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="opmerkingen"))


@bp.app_template_global()
def correctie_uitkomst(
    comment: PlanComment,
) -> tuple[Correctiebesluit, list[Terugmelding]] | None:
    """The decision on a correction proposal (and its terugmelding), for the plan and portal."""
    besluit = services.besluit_over(comment.id)
    if besluit is None:
        return None
    return besluit, services.terugmeldingen(besluit.plan_id).get(besluit.id, [])


@bp.app_template_test("correctie_besloten")
def correctie_besloten(comment: PlanComment) -> bool:
    """Whether the regisseur decided on this proposal (correction or gezinslink)."""
    return services.besluit_over(comment.id) is not None
