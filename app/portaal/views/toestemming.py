"""Mijn Eenplan, the citizen's consent for their plan (basis *toestemming*): revoking it after a
page that says plainly what happens (with an optional reason), and giving it again."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import access
from app.access import guard
from app.autorisaties import services as autorisaties
from app.autorisaties import toestemming
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.plans import services as plan_services
from app.portaal.forms import KnopForm, ToestemmingIntrekkenForm
from app.portaal.views.base import EIGEN_PLAN, bestaat, bp, request_user

ZEGGENSCHAP = Verwerkingsactiviteit.ZEGGENSCHAP


def _intrekken_page(toegang: access.PlanToegang, form: ToestemmingIntrekkenForm) -> str:
    plan = toegang.plan
    kan = (
        plan.basis == "toestemming"
        and not plan.is_closed
        and not toegang.toestemming_is_ingetrokken
    )
    if not kan and not form.form_errors:
        form.form_errors.append(
            _(
                "U kunt hier nu geen toestemming intrekken: uw plan bestaat niet op basis van "
                "toestemming, is afgesloten, of u trok uw toestemming al in."
            )
        )
    return render_template(
        "portaal/toestemming_intrekken.html",
        plan=plan,
        form=form,
        kan=kan,
        organisaties=toestemming.organisaties_die_zien(plan) if kan else [],
    )


@bp.route("/toegang/toestemming/intrekken", methods=["GET", "POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.toestemming.intrekken",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def toestemming_intrekken(toegang: access.PlanToegang) -> Any:
    """GET: what happens when you revoke, and the optional reason. POST: revoke (one step)."""
    form = ToestemmingIntrekkenForm()
    if request.method == "GET":
        return _intrekken_page(toegang, form)
    if form.validate_on_submit():
        try:
            autorisaties.trek_toestemming_in(
                toegang.plan, actor=request_user(), toelichting=form.toelichting.data
            )
        except plan_services.PlanError as exc:
            session.rollback()
            form.form_errors.append(exc.message)
        else:
            flash(
                _(
                    "Uw toestemming is ingetrokken. Alleen u en uw regisseur zien het plan nog. "
                    "De regisseur neemt contact met u op."
                ),
                "ok",
            )
            return redirect(url_for("portaal.toegang_overzicht", _anchor="toestemming"))
    return _intrekken_page(toegang, form), 422


@bp.route("/toegang/toestemming/geven", methods=["GET", "POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.toestemming.geven",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def toestemming_geven(toegang: access.PlanToegang) -> Any:
    """After revoking: give consent again (a new consent record)."""
    form = KnopForm()
    plan = toegang.plan
    fout = None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                toestemming.geef_opnieuw(plan, actor=request_user())
            except plan_services.PlanError as exc:
                session.rollback()
                fout = exc.message
            else:
                flash(
                    _(
                        "U gaf opnieuw toestemming. De organisaties die u helpen, zien uw plan "
                        "weer zoals u hebt gekozen."
                    ),
                    "ok",
                )
                return redirect(url_for("portaal.toegang_overzicht", _anchor="toestemming"))
        else:
            fout = _("Het formulier is verlopen. Probeer het opnieuw.")
    kan = plan.basis == "toestemming" and not plan.is_closed and toegang.toestemming_is_ingetrokken
    if not kan and fout is None:
        fout = _("U kunt nu geen toestemming geven: uw plan heeft uw toestemming niet nodig.")
    page = render_template(
        "portaal/toestemming_geven.html", plan=plan, form=form, kan=kan, fout=fout
    )
    return (page, 422) if request.method == "POST" else page
