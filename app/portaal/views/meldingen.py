"""Mijn Eenplan, *E-mailmeldingen*: the citizen's opt-in notices (:mod:`app.portaal.meldingen`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import guard
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.plans.services import Conflict, PlanError
from app.portaal import meldingen
from app.portaal.forms import MeldingenForm
from app.portaal.meldingen_models import SOORTEN
from app.portaal.views.base import EIGEN_PLAN_ID, bestaat, bp, request_user


@bp.route("/meldingen", methods=["GET", "POST"])
@guard(
    portaal=True,
    verwerking=Verwerkingsactiviteit.ZEGGENSCHAP,
    name="portaal.meldingen",
    resolve=EIGEN_PLAN_ID,
    need=bestaat,
)
def meldingen_kiezen(toegang: int | None) -> Any:
    user = request_user()
    voorkeur = meldingen.voorkeur_van(user)
    form = MeldingenForm(obj=voorkeur if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(voorkeur.version) if voorkeur else ""
    conflict = False
    if form.validate_on_submit():
        version = form.version.data or ""
        try:
            meldingen.zet_voorkeur(
                user,
                email=form.email.data,
                soorten={s for s in SOORTEN if getattr(form, s).data},
                expected_version=int(version) if version.isdigit() else None,
            )
            flash(_("Uw keuze is opgeslagen."), "ok")
            return redirect(url_for("portaal.meldingen_kiezen"))
        except Conflict:
            session.rollback()
            conflict = True
            voorkeur = meldingen.voorkeur_van(user)
            form.version.data = str(voorkeur.version) if voorkeur else ""
            form.form_errors.append(
                _(
                    "Uw keuze is intussen ergens anders veranderd. Hieronder staat wat u net "
                    "koos; kijk het na en sla opnieuw op."
                )
            )
        except PlanError as exc:
            session.rollback()
            field = getattr(form, exc.field, None) if exc.field else None
            if field is not None:
                field.errors = [*field.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template("portaal/meldingen.html", form=form, voorkeur=voorkeur), status
