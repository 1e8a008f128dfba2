"""The professional's decision on an item under beroepsgeheim (:mod:`app.autorisaties.beroepsgeheim`):
a hulpverlener of the author's organisation releases it, refuses with a reason, or withdraws."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from app import access
from app.access import PLAN, NotVisible, guard
from app.autorisaties import beroepsgeheim
from app.autorisaties.models import OBJECT_ACTIVITEIT, OBJECT_OPMERKING
from app.db import session
from app.domain import Rol
from app.forms import Form, RadioField, empty_to_none
from app.plans.services import PlanError
from app.plans.views.base import REGIE, apply_errors, bp, request_user


class BeroepsgeheimForm(Form):
    besluit = RadioField(
        _l("Wat besluit uw organisatie?"),
        choices=[
            (beroepsgeheim.VRIJGEVEN, _l("Vrijgeven: de inwoner mag beslissen of het verder mag")),
            (beroepsgeheim.WEIGEREN, _l("Niet vrijgeven (met reden)")),
        ],
        validate_choice=False,
    )
    reden = TextAreaField(
        _l("Reden"),
        description=_l("Verplicht als u niet vrijgeeft. De regisseur leest de reden."),
        filters=[empty_to_none],
        validators=[Length(max=2000, message=_l("Hooguit 2000 tekens."))],
    )


@bp.app_template_global("beroepsgeheim_stand")
def beroepsgeheim_stand(plan_id: int, object_type: str, object_id: int) -> beroepsgeheim.Stand:
    """Where an item under beroepsgeheim stands (plan page: the regisseur and the author)."""
    return beroepsgeheim.stand(plan_id, object_type, object_id)


def _item(toegang: access.PlanToegang, soort: str, object_id: int) -> tuple[str, str]:
    """(what it is, its text) of the user's organisation's item under beroepsgeheim, or 404."""
    org = toegang.user.organisation_id
    if soort == OBJECT_OPMERKING:
        c = next((c for c in toegang.comments() if c.id == object_id), None)
        if c is None or not c.beroepsgeheim or org is None or c.author_organisation_id != org:
            raise NotVisible
        return str(_l("Opmerking van %(naam)s", naam=c.author_name)), c.body
    if soort == OBJECT_ACTIVITEIT:
        a = toegang.activity(object_id)
        if not a.toelichting_beroepsgeheim or org is None or a.organisation_id != org:
            raise NotVisible
        return str(_l("Toelichting bij %(aard)s", aard=a.aard_label)), a.toelichting or ""
    raise NotVisible


@bp.route("/plannen/<int:plan_id>/beroepsgeheim/<soort>/<int:object_id>", methods=["GET", "POST"])
@guard(roles=[Rol.HULPVERLENER], verwerking=REGIE, name="beroepsgeheim.besluiten", resolve=PLAN)
def beroepsgeheim_besluiten(
    plan_id: int, soort: str, object_id: int, toegang: access.PlanToegang
) -> Any:
    wat, tekst = _item(toegang, soort, object_id)
    stand = beroepsgeheim.stand(plan_id, soort, object_id)
    form = BeroepsgeheimForm()
    if stand.auteur == "vrijgegeven":
        form.besluit.choices = [
            *form.besluit.choices,
            (beroepsgeheim.INTREKKEN, str(_l("De vrijgave intrekken"))),
        ]
    if form.validate_on_submit():
        try:
            beroepsgeheim.besluit_auteur(
                soort,
                object_id,
                actor=request_user(),
                besluit=form.besluit.data or "",
                reden=form.reden.data,
            )
            flash(str(_l("Uw besluit is vastgelegd.")), "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id))
        except PlanError as exc:
            apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/beroepsgeheim.html",
        form=form,
        plan=toegang.plan,
        wat=wat,
        tekst=tekst,
        stand=stand,
    ), status
