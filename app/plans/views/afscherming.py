"""Afscherming of a gezinslink by the regisseur (:mod:`app.plans.afscherming`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from app import access
from app.access import PLAN, guard
from app.db import session
from app.domain import Rol
from app.forms import Form, strip
from app.plans import afscherming
from app.plans.views.base import REGIE, apply_errors, bp, request_user


class AfschermenForm(Form):
    reden = TextAreaField(
        _l("Reden van de afscherming"),
        description=_l(
            "Bijvoorbeeld: huiselijk geweld. Alleen zichtbaar voor medewerkers en de "
            "privacy officer."
        ),
        filters=[strip],
        validators=[Length(max=2000)],
    )


@bp.app_template_global("persoon_afgeschermd")
def persoon_afgeschermd(person_id: int) -> bool:
    """Whether a person carries an active safety mark (the regisseur's plan page)."""
    return afscherming.persoon_afgeschermd(person_id)


@bp.app_template_global("link_afgeschermd")
def link_afgeschermd(link_id: int) -> bool:
    """Whether a gezinslink carries an active safety mark (the regisseur's plan page)."""
    return afscherming.link_afgeschermd(link_id)


@bp.route("/plannen/<int:plan_id>/gezinslinks/<int:link_id>/afschermen", methods=["GET", "POST"])
@guard(roles=[Rol.REGISSEUR], verwerking=REGIE, name="gezinslink.afschermen", resolve=PLAN)
def gezinslink_afschermen(plan_id: int, link_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    link = toegang.gezinslink(link_id)
    form = AfschermenForm()
    if form.validate_on_submit():
        try:
            afscherming.scherm_link_af(link, plan=toegang.plan, actor=user, reden=form.reden.data)
            flash(
                _(
                    "De gezinslink is afgeschermd: in Mijn Eenplan zien deze gezinsleden elkaar niet "
                    "meer."
                ),
                "ok",
            )
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
        except afscherming.AfschermingError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/gezinslink_afschermen.html", form=form, plan=toegang.plan, link=link
    ), status


@bp.route("/plannen/<int:plan_id>/afschermen", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="persoon.afschermen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def persoon_afschermen(plan_id: int, toegang: access.PlanToegang) -> Any:
    """Shield the plan's person from every member of their household."""
    user = request_user()
    form = AfschermenForm()
    if form.validate_on_submit():
        try:
            afscherming.scherm_persoon_af(
                toegang.plan.person_id, plan=toegang.plan, actor=user, reden=form.reden.data
            )
            flash(
                _(
                    "De persoon is afgeschermd: in Mijn Eenplan zien de gezinsleden elkaar niet meer."
                ),
                "ok",
            )
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
        except afscherming.AfschermingError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/gezinslink_afschermen.html", form=form, plan=toegang.plan, link=None
    ), status


class OpheffenForm(Form):
    reden = TextAreaField(
        _l("Reden om de afscherming op te heffen"),
        description=_l(
            "Bijvoorbeeld: de situatie is veilig, besproken met het veiligheidsteam. Alleen "
            "zichtbaar voor medewerkers en de privacy officer."
        ),
        filters=[strip],
        validators=[Length(max=2000)],
    )


def _opheffen(toegang: access.PlanToegang, mark: afscherming.Afscherming | None, link: Any) -> Any:
    """Lift ``mark`` (one transaction: the mark ended, the history line), or the form again
    with the error named and the reason kept."""
    form = OpheffenForm()
    if mark is None:  # nothing to lift: said once, no field to fill in
        form.form_errors.append(_("Er is geen afscherming om op te heffen."))
        return render_template(
            "plans/afscherming_opheffen.html", form=form, plan=toegang.plan, link=link, mark=mark
        ), (200 if request.method == "GET" else 422)
    if form.validate_on_submit():
        try:
            afscherming.hef_op(mark, plan=toegang.plan, actor=request_user(), reden=form.reden.data)
            flash(
                _(
                    "De afscherming is opgeheven: in Mijn Eenplan zien de gezinsleden elkaar weer. "
                    "Wat in de afgeschermde tijd is gebeurd, blijft afgeschermd."
                ),
                "ok",
            )
            return redirect(url_for("plans.detail", plan_id=toegang.plan.id, _anchor="huishouden"))
        except afscherming.AfschermingError as exc:
            session.rollback()
            apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/afscherming_opheffen.html", form=form, plan=toegang.plan, link=link, mark=mark
    ), status


@bp.route(
    "/plannen/<int:plan_id>/gezinslinks/<int:link_id>/afscherming-opheffen",
    methods=["GET", "POST"],
)
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="gezinslink.afscherming_opheffen",
    resolve=PLAN,
)
def gezinslink_afscherming_opheffen(plan_id: int, link_id: int, toegang: access.PlanToegang) -> Any:
    """Lift the safety mark on a gezinslink (the same rule as setting it)."""
    link = toegang.gezinslink(link_id)
    return _opheffen(toegang, afscherming.actieve_link_afscherming(link.id), link)


@bp.route("/plannen/<int:plan_id>/afscherming-opheffen", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=REGIE,
    name="persoon.afscherming_opheffen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def persoon_afscherming_opheffen(plan_id: int, toegang: access.PlanToegang) -> Any:
    """Lift the safety mark on the plan's person."""
    return _opheffen(toegang, afscherming.actieve_persoon_afscherming(toegang.plan.person_id), None)
