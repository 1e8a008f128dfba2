"""Berichten and basisgegevens: the citizen's side of app/berichten and app/inkijk."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import access
from app.access import NotVisible, guard
from app.berichten import services as berichten_services
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.inkijk.services import inkijk_voor_burger
from app.logboek import current_ledger
from app.portaal.forms import BerichtForm
from app.portaal.views.base import (
    EIGEN_PLAN_ID,
    EIGEN_PLAN_KERN,
    INZAGE,
    bp,
    request_user,
    weigering,
)


def _berichten_page(kern: access.PlanKern, form: BerichtForm | None = None) -> Any:
    current_ledger().set_context("plan", kern.id)
    threads = []
    for gesprek in berichten_services.gesprekken(request_user(), kern):
        items = berichten_services.berichten(request_user(), kern, gesprek)
        if items:
            berichten_services.markeer_gelezen(gesprek, request_user(), items[-1].id)
        threads.append((gesprek, berichten_services.gesprek_titel(gesprek, kern), items))
    form = form or BerichtForm()
    return render_template(
        "portaal/berichten.html",
        threads=threads,
        form=form,
        kan_schrijven=not kern.is_closed,
        met_iedereen=kern.sees_plan_thread,
    )


@bp.route("/berichten", methods=["GET", "POST"])
@guard(
    portaal=True,
    verwerking=Verwerkingsactiviteit.BERICHTEN,
    name="portaal.berichten",
    resolve=EIGEN_PLAN_KERN,
)
def berichten(toegang: access.PlanKern | None) -> Any:
    """The citizen's secured messages: with the regisseur, and the plan's shared thread."""
    kern = toegang
    if kern is None:
        if request.method == "GET":
            return weigering("geen-plan")
        raise NotVisible
    if request.method == "GET":
        return _berichten_page(kern)
    form = BerichtForm()
    if form.validate_on_submit():
        try:
            gesprek = berichten_services.gesprek_openen(
                kern, request_user(), form.met.data or "inwoner"
            )
            session.flush()
            berichten_services.plaats_bericht(
                kern, gesprek, author=request_user(), body=form.body.data or ""
            )
        except berichten_services.BerichtError as exc:
            session.rollback()
            form.body.errors = [*form.body.errors, exc.message]
        else:
            flash(_("Uw bericht is verstuurd."), "ok")
            return redirect(url_for("portaal.berichten"))
    return _berichten_page(kern, form), 422


@bp.route("/basisgegevens")
@guard(portaal=True, verwerking=INZAGE, name="portaal.basisgegevens", resolve=EIGEN_PLAN_ID)
def basisgegevens(toegang: int | None) -> Any:
    """What the inkijk shows about the citizen: who looked into their basic data, the facts
    copied into their plan, and what the sources say now (their own data: nothing logged)."""
    if toegang is None:
        return weigering("geen-plan")
    person_id = request_user().person_id
    assert person_id is not None
    return render_template("portaal/basisgegevens.html", inkijk=inkijk_voor_burger(person_id))
