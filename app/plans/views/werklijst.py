"""The werklijst (the plans a user sees) and a hulpverlener's activities of their organisation."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import func, or_

from app import access, params
from app.access import guard
from app.access.paths import toestemming_ingetrokken_bij
from app.db import session
from app.domain import PlanStatus, Rol
from app.people.models import Person
from app.plans import paging, werklijst_vlaggen
from app.plans.forms import ZoekForm
from app.plans.models import Activity, Plan
from app.plans.views.base import REGIE, STAFF_ON_PLANS, bp, request_user
from app.teamleider import overdracht

PAGE_SIZE = 25
ACTIVITIES_PAGE_SIZE = 50
# Pages beyond this hold nothing (an offset the database takes on every backend).
MAX_PAGE = 1_000_000
SORTERINGEN = ("bijgewerkt", *werklijst_vlaggen.VLAGGEN)

werklijst_vlaggen.install(bp)


@bp.route("/plannen", methods=["GET", "POST"])
@guard(roles=STAFF_ON_PLANS, verwerking=REGIE, name="werklijst.bekijken")
def werklijst() -> str:
    user = request_user()
    form = ZoekForm()
    if request.method == "GET":
        status_arg = params.enum("status", PlanStatus)
        form.status.data = status_arg.value if status_arg else ""
    stmt = access.plans_visible_to(user)
    searched = False
    if request.method == "POST" and form.validate():
        q = (form.q.data or "").strip()
        if q:
            searched = True
            digits = q.replace(" ", "").replace(".", "")
            if digits.isdigit():
                stmt = stmt.where(Plan.person.has(Person.bsn == digits))
            else:
                like = f"%{q.lower()}%"
                full = func.lower(
                    Person.voornamen
                    + " "
                    + func.coalesce(Person.tussenvoegsel + " ", "")
                    + Person.achternaam
                )
                stmt = stmt.where(
                    Plan.person.has(or_(full.like(like), func.lower(Person.achternaam).like(like)))
                )
    status = form.status.data or ""
    if status not in set(PlanStatus):  # a POST's status is checked by the form's choices
        status = ""
    if status:
        stmt = stmt.where(Plan.status == status)
    page = params.integer("pagina", 1, maximum=MAX_PAGE)
    assert page is not None
    sorteer = params.choice("sorteer", SORTERINGEN, "bijgewerkt")
    if not user.has_role(Rol.REGISSEUR):
        sorteer = "bijgewerkt"
    first: tuple[Any, ...] = ()
    first_reverse: tuple[Any, ...] = ()
    if sorteer != "bijgewerkt":  # plans with the flag first (issue 16 item 9)
        key = werklijst_vlaggen.sort_key(user, sorteer)
        first, first_reverse = (key.desc(),), (key.asc(),)
    total = paging.count(stmt, Plan.id)
    plans = paging.page_rows(  # the last page read from the end: as cheap as the first
        stmt.options(*access.plan_list_options(user)),
        (*first, Plan.updated_at.desc(), Plan.id.desc()),
        (*first_reverse, Plan.updated_at.asc(), Plan.id.asc()),
        page=page,
        size=PAGE_SIZE,
        total=total,
    )
    return render_template(
        "plans/werklijst.html",
        form=form,
        plans=plans,
        overdrachten=overdracht.recente(user) if user.has_role(Rol.REGISSEUR) else [],
        vlaggen=werklijst_vlaggen.vlaggen_bij(user, [p.id for p in plans]),
        sorteer=sorteer,
        ingetrokken=(
            toestemming_ingetrokken_bij([p.id for p in plans])
            if user.has_role(Rol.REGISSEUR)
            else set()
        ),
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        status=status,
        searched=searched,
    )


@bp.route("/activiteiten")
@guard(
    roles=[Rol.HULPVERLENER],
    verwerking=REGIE,
    name="activiteiten-organisatie.bekijken",
    als=Rol.HULPVERLENER,
)
def mijn_activiteiten() -> str:
    user = request_user()
    show = params.choice("toon", ("open", "alle"), "open")
    stmt = access.activities_of_organisation(user)
    if show != "alle":
        stmt = stmt.where(Activity.afgerond.is_(False))
    page = params.integer("pagina", 1, maximum=MAX_PAGE)
    assert page is not None
    total = paging.count(stmt, Activity.id)
    # Stable: open-ended last, then by end date, the id breaking ties.
    activities = paging.page_rows(
        stmt,
        (Activity.end_date.is_(None), Activity.end_date, Activity.id),
        (Activity.end_date.is_(None).desc(), Activity.end_date.desc(), Activity.id.desc()),
        page=page,
        size=ACTIVITIES_PAGE_SIZE,
        total=total,
    )
    plan_ids = {a.plan_id for a in activities}
    plans = (
        {
            p.id: p
            for p in session.scalars(
                access.plans_visible_to(user)
                .where(Plan.id.in_(plan_ids))
                .options(*access.plan_list_options(user))
            )
        }
        if plan_ids
        else {}
    )
    return render_template(
        "plans/mijn_activiteiten.html",
        activities=activities,
        plans=plans,
        show=show,
        total=total,
        page=page,
        pages=max(1, -(-total // ACTIVITIES_PAGE_SIZE)),
    )
