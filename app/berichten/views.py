"""Message screens for regisseur and hulpverlener (the citizen's come with the portal; the
services already serve them). Processing activity ``berichten``."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app import params
from app.access import PLAN_KERN, PlanKern, guard
from app.access.berichten import gesprekken_of
from app.access.loading import HOUSEHOLD_PERSON
from app.berichten import services
from app.berichten.forms import BerichtForm, NieuwGesprekForm
from app.berichten.models import SOORT_PLAN, Gesprek
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.logboek import current_ledger
from app.people.models import Person
from app.plans.models import Plan
from app.security.uploads import send_download
from app.users.models import User

bp = Blueprint("berichten", __name__)

BERICHTEN = Verwerkingsactiviteit.BERICHTEN
STAFF = (Rol.REGISSEUR, Rol.HULPVERLENER)


def _user() -> User:
    return current_user._get_current_object()


def _person_name(person_id: int) -> Person:
    return session.scalars(
        select(Person)
        .where(Person.id == person_id)
        .options(load_only(*HOUSEHOLD_PERSON, raiseload=True))
    ).one()


@bp.app_context_processor
def _unread() -> dict[str, Any]:
    def ongelezen_berichten() -> int:
        user = current_user
        if not getattr(user, "is_authenticated", False) or not user.has_role(*STAFF):
            return 0
        try:
            return services.ongelezen_totaal(user._get_current_object())
        except Exception:  # the menu never breaks a page (e.g. an error page after a failure)
            return 0

    return {"ongelezen_berichten": ongelezen_berichten}


def _met_choices(user: User, kern: PlanKern) -> list[tuple[str, str]]:
    plan_thread = [(SOORT_PLAN, _("Iedereen in het plan"))] if kern.sees_plan_thread else []
    return plan_thread + [(d.sleutel, d.label) for d in services.deelnemers(user, kern)]


def _bijlagen(form: BerichtForm) -> list[services.NieuweBijlage]:
    storage = form.bijlage.data
    if not storage or not getattr(storage, "filename", ""):
        return []
    limit = int(current_app.config["BERICHTEN_BIJLAGE_MAX_BYTES"])
    return [services.NieuweBijlage(storage.filename, storage.read(limit + 1))]


def _error(form: BerichtForm, exc: services.BerichtError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.route("/berichten")
@guard(roles=STAFF, verwerking=BERICHTEN, name="berichten.overzicht")
def overzicht() -> str:
    user = _user()
    threads = list(
        session.scalars(
            gesprekken_of(user)
            .order_by(Gesprek.laatste_bericht_op.desc(), Gesprek.id.desc())
            .limit(200)
        )
    )
    plan_rows = {
        row.id: row
        for row in session.execute(
            select(Plan.id, Plan.person_id, Plan.regisseur_id)
            .where(Plan.id.in_({t.plan_id for t in threads}))
            .execution_options(audit_internal=True)
        )
    }
    persons = {
        p.id: p
        for p in session.scalars(
            select(Person)
            .where(Person.id.in_({r.person_id for r in plan_rows.values()}))
            .options(load_only(*HOUSEHOLD_PERSON, raiseload=True))
        )
    }
    unread = services.ongelezen_per_gesprek(user, [t.id for t in threads])
    rows = []
    for t in threads:
        p = plan_rows[t.plan_id]
        is_reg = user.has_role(Rol.REGISSEUR) and p.regisseur_id == user.id
        kern = PlanKern(
            p.id, p.person_id, p.regisseur_id, "", Rol.REGISSEUR if is_reg else Rol.HULPVERLENER
        )
        rows.append((t, persons[p.person_id], services.gesprek_titel(t, kern), unread.get(t.id, 0)))
    return render_template("berichten/overzicht.html", rows=rows)


@bp.route("/plannen/<int:plan_id>/berichten", methods=["GET", "POST"])
@guard(roles=STAFF, verwerking=BERICHTEN, name="berichten.plan", resolve=PLAN_KERN)
def plan(plan_id: int, toegang: PlanKern) -> Any:
    user = _user()
    current_ledger().set_context("plan", plan_id)
    person = _person_name(toegang.person_id)
    form = NieuwGesprekForm()
    met = _met_choices(user, toegang)
    form.met.choices = met
    if request.method == "GET":
        form.met.data = params.choice(
            "met",
            ["", *(value for value, _label in met)],
            SOORT_PLAN if toegang.sees_plan_thread else "",
        )
    if not toegang.is_closed and form.validate_on_submit():
        try:
            gesprek = services.gesprek_openen(toegang, user, form.met.data or "")
            bericht = services.plaats_bericht(
                toegang,
                gesprek,
                author=user,
                body=form.body.data or "",
                beroepsgeheim=bool(form.beroepsgeheim.data),
                bijlagen=_bijlagen(form),
            )
            flash(_("Uw bericht is verstuurd."), "ok")
            return redirect(
                url_for(
                    "berichten.gesprek",
                    plan_id=plan_id,
                    gesprek_id=gesprek.id,
                    _anchor=f"bericht-{bericht.id}",
                )
            )
        except services.BerichtError as exc:
            session.rollback()
            _error(form, exc)
    threads = services.gesprekken(user, toegang)
    unread = services.ongelezen_per_gesprek(user, [t.id for t in threads])
    status = 200 if request.method == "GET" else 422
    return render_template(
        "berichten/plan.html",
        kern=toegang,
        person=person,
        threads=[(t, services.gesprek_titel(t, toegang), unread.get(t.id, 0)) for t in threads],
        form=form,
    ), status


@bp.route("/plannen/<int:plan_id>/berichten/<int:gesprek_id>", methods=["GET", "POST"])
@guard(roles=STAFF, verwerking=BERICHTEN, name="berichten.gesprek", resolve=PLAN_KERN)
def gesprek(plan_id: int, gesprek_id: int, toegang: PlanKern) -> Any:
    user = _user()
    current_ledger().set_context("plan", plan_id)
    thread = services.gesprek_for(user, toegang, gesprek_id)
    form = BerichtForm()
    if not toegang.is_closed and form.validate_on_submit():
        try:
            bericht = services.plaats_bericht(
                toegang,
                thread,
                author=user,
                body=form.body.data or "",
                beroepsgeheim=bool(form.beroepsgeheim.data),
                bijlagen=_bijlagen(form),
            )
            flash(_("Uw bericht is verstuurd."), "ok")
            return redirect(
                url_for(
                    "berichten.gesprek",
                    plan_id=plan_id,
                    gesprek_id=thread.id,
                    _anchor=f"bericht-{bericht.id}",
                )
            )
        except services.BerichtError as exc:
            session.rollback()
            _error(form, exc)
            thread = services.gesprek_for(user, toegang, gesprek_id)
    person = _person_name(toegang.person_id)
    messages = services.berichten(user, toegang, thread)
    if messages:
        services.markeer_gelezen(thread, user, messages[-1].id)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "berichten/gesprek.html",
        kern=toegang,
        person=person,
        thread=thread,
        titel=services.gesprek_titel(thread, toegang),
        messages=messages,
        form=form,
    ), status


@bp.route("/plannen/<int:plan_id>/berichten/<int:gesprek_id>/bijlagen/<int:bijlage_id>")
@guard(roles=STAFF, verwerking=BERICHTEN, name="berichten.bijlage", resolve=PLAN_KERN)
def bijlage(plan_id: int, gesprek_id: int, bijlage_id: int, toegang: PlanKern) -> Any:
    user = _user()
    current_ledger().set_context("plan", plan_id)
    thread = services.gesprek_for(user, toegang, gesprek_id)
    found = services.bijlage_for(user, toegang, thread, bijlage_id)
    return send_download(found.inhoud, found.mimetype, found.bestandsnaam)
