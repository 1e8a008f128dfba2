"""The teamleider's screens: the queue of requests for another regisseur and the decision on
one plan. Every look at a plan is logged (buitenkant: name, regisseur, status; and the
request's reason, which the decision needs)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import guard
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.plans import services as plan_services
from app.teamleider import services
from app.teamleider.forms import BesluitForm
from app.users.models import User

bp = Blueprint("teamleider", __name__, url_prefix="/teamleider")

REGIE = Verwerkingsactiviteit.REGIE


def _user() -> User:
    return current_user._get_current_object()


def _resolve(user: User, kwargs: dict[str, Any]) -> services.TeamleiderPlan:
    return services.plan_for(user, int(kwargs["plan_id"]))


def _bestaat(toegang: services.TeamleiderPlan) -> bool:
    return toegang.plan is not None


@bp.route("/")
@guard(
    roles=[Rol.TEAMLEIDER],
    verwerking=REGIE,
    name="regisseurverzoeken.bekijken",
    als=Rol.TEAMLEIDER,
)
def wachtrij() -> str:
    plans = services.buitenkant(services.open_plan_ids(_user()))
    return render_template("teamleider/wachtrij.html", plans=plans)


@bp.route("/plannen/<int:plan_id>", methods=["GET", "POST"])
@guard(
    roles=[Rol.TEAMLEIDER],
    verwerking=REGIE,
    name="regisseurverzoek.besluiten",
    resolve=_resolve,
    need=_bestaat,
    als=Rol.TEAMLEIDER,
)
def besluit(plan_id: int, toegang: services.TeamleiderPlan) -> Any:
    user = _user()
    plan = toegang.plan
    assert plan is not None
    form = BesluitForm()
    kandidaten = services.regisseurs_of(user, except_id=plan.regisseur_id)
    form.regisseur_id.choices = [("", _("Kies de nieuwe regisseur"))] + [
        (str(u.id), u.name) for u in kandidaten
    ]
    verzoeken = services.open_requests(plan)
    if form.validate_on_submit():
        nieuwe = next((u for u in kandidaten if str(u.id) == form.regisseur_id.data), None)
        try:
            services.besluit(
                plan,
                actor=user,
                keuze=form.keuze.data or "",
                reden=form.reden.data or "",
                nieuwe=nieuwe,
            )
            session.commit()
            flash(
                _("Het plan is overgedragen aan %(name)s.", name=nieuwe.name)
                if form.keuze.data == services.OVERDRAGEN and nieuwe is not None
                else _("Het verzoek is afgewezen. De inwoner leest de reden in Mijn Eenplan."),
                "ok",
            )
            return redirect(url_for("teamleider.wachtrij"))
        except plan_services.PlanError as exc:
            session.rollback()
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = [*list(target.errors), exc.message]
            else:
                form.form_errors.append(exc.message)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "teamleider/besluit.html", form=form, plan=plan, verzoeken=verzoeken
    ), status
