"""Berichten and basisgegevens: the citizen's side of app/berichten and app/inkijk."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from app import access
from app.berichten import services as berichten_services
from app.db import session
from app.inkijk.services import inkijk_voor_burger
from app.logboek import current_ledger, verwerking
from app.portaal import services
from app.portaal.forms import BerichtForm
from app.portaal.views.base import INZAGE, bp, burger_required, request_user, weigering


def _berichten_page(form: BerichtForm | None = None) -> Any:
    plan_id = services.eigen_plan_id(request_user())
    if plan_id is None:
        return weigering("geen-plan")
    kern = access.plan_kern_for(request_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
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
@burger_required
@verwerking("berichten", name="portaal.berichten")
def berichten() -> Any:
    """The citizen's secured messages: with the regisseur, and the plan's shared thread."""
    if request.method == "GET":
        return _berichten_page()
    plan_id = services.eigen_plan_id(request_user())
    if plan_id is None:
        abort(404)
    kern = access.plan_kern_for(request_user(), plan_id)
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
            flash("Uw bericht is verstuurd.", "ok")
            return redirect(url_for("portaal.berichten"))
    return _berichten_page(form), 422


@bp.route("/basisgegevens")
@burger_required
@verwerking(INZAGE, name="portaal.basisgegevens")
def basisgegevens() -> Any:
    """What the inkijk shows about the citizen: who looked into their basic data, the facts
    copied into their plan, and what the sources say now (their own data: nothing logged)."""
    if services.eigen_plan_id(request_user()) is None:
        return weigering("geen-plan")
    person_id = request_user().person_id
    assert person_id is not None
    return render_template("portaal/basisgegevens.html", inkijk=inkijk_voor_burger(person_id))
