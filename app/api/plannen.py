"""``/plannen``: the list, creating a plan, reading, changing and closing one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, jsonify, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import access
from app.access import PLAN, NotAllowed, guard, may_open
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, V1, bp, request_user
from app.api.schemas import (
    Plan as PlanSchema,
)
from app.api.schemas import (
    PlanAfsluiten,
    PlanBestaat,
    PlanGeenInzage,
    PlannenPagina,
    PlannenQuery,
    PlanNieuw,
    PlanWijziging,
)
from app.api.serialisers import plan_json, plan_summary_json, with_etag
from app.api.validation import (
    IF_MATCH,
    conflict,
    expected_version,
    logged_refusal,
    mark_failed,
    page_links,
    person_input,
    plan_error,
    unprocessable,
)
from app.clock import today
from app.contract import ETAG_HEADER, Answer, request_body, request_query
from app.db import session
from app.domain import PlanBasis, Rol
from app.errors import problem
from app.logboek import current_ledger
from app.people.services import create_person, find_by_bsn, note_unknown
from app.plans import services
from app.plans.models import Plan

_PLAN_AND_ETAG = Answer("Het plan.", PlanSchema, ETAG_HEADER)
_CHANGE = ("415", "422", "412", "428")


@V1.route(
    bp,
    "/plannen",
    "GET",
    operation_id="listPlannen",
    summary="Plannen die u mag zien",
    query=PlannenQuery,
    ok={200: Answer("Een pagina plannen.", PlannenPagina)},
)
@guard(roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.plannen.lijst")
def plannen() -> Any:
    user = request_user()
    query = request_query(PlannenQuery)
    page, size = query.page, query.page_size
    stmt = access.plans_visible_to(user)
    if query.status is not None:
        stmt = stmt.where(Plan.status == query.status)
    total = session.execute(
        select(func.count())
        .select_from(stmt.with_only_columns(Plan.id).subquery())
        .execution_options(audit_internal=True)
    ).scalar_one()
    plans = session.scalars(
        stmt.options(*access.plan_list_options(user))
        .order_by(Plan.updated_at.desc(), Plan.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return jsonify(
        {
            "_embedded": {
                "plannen": [
                    plan_summary_json(p, with_basis=user.has_role(Rol.REGISSEUR)) for p in plans
                ]
            },
            "page": page,
            "pageSize": size,
            "totalItems": total,
            "totalPages": max(1, -(-total // size)),
            "_links": page_links(page, size, max(1, -(-total // size))),
        }
    )


@V1.route(
    bp,
    "/plannen",
    "POST",
    operation_id="createPlan",
    summary="Plan aanmaken (regisseur)",
    body=PlanNieuw,
    ok={
        201: Answer("Aangemaakt.", PlanSchema, ETAG_HEADER),
        409: Answer(
            "Er is al een plan voor deze persoon.",
            PlanBestaat,
            media_type="application/problem+json",
        ),
    },
    errors=("415", "422"),
)
@guard(
    roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.plannen.aanmaken"
)
def plan_aanmaken() -> Any:
    user = request_user()
    if not user.has_role(Rol.REGISSEUR):
        raise NotAllowed("Alleen een regisseur maakt plannen aan.")
    data = request_body(PlanNieuw)
    bsn, basis, status = data.bsn, data.basis, data.status
    if basis == PlanBasis.MULTIPROBLEMATIEK:  # only step 4 of an afweging (rule 5)
        raise unprocessable("basis", services.MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING)
    t = data.toestemming
    toestemming = None
    if t is not None and basis == PlanBasis.TOESTEMMING:
        toestemming = services.ToestemmingGegevens(
            gegeven_door=t.gegeven_door,
            gegeven_op=t.gegeven_op,
            wijze=t.wijze,
            toelichting=t.toelichting or None,
        )
    mandaat = None
    mandaat_id = data.mandaat_id
    person_data = person_input(data.persoon) if data.persoon is not None else None
    if basis == PlanBasis.TOESTEMMING and toestemming is None:
        raise unprocessable(
            "toestemming",
            _("Een plan op basis van toestemming vraagt om vastgelegde toestemming."),
            "required",
        )
    if mandaat_id is not None:
        mandaat = services.mandaat_for(user, mandaat_id)
        if mandaat is None:
            raise unprocessable("mandaatId", _("Onbekend mandaat voor uw organisatie."))
    person = find_by_bsn(bsn)  # a known person's load is an inzage, logged on every answer
    known = person is not None
    if person is None:
        if person_data is None:
            note_unknown(bsn)
            return logged_refusal(
                unprocessable(
                    "persoon",
                    _(
                        "Deze persoon is nog niet bekend: stuur voornamen, achternaam en "
                        "geboortedatum mee."
                    ),
                    "required",
                )
            )
        person = create_person(replace(person_data, bsn=bsn))
    gemeente = services.gemeente_for(user, mandaat)
    if gemeente is None:
        abort(500)
    try:
        plan = services.create_plan(
            person=person,
            basis=basis,
            status=status,
            regisseur=user,
            actor=user,
            gemeente=gemeente,
            mandaat=mandaat,
            toestemming=toestemming,
        )
    except services.PlanExists as exc:
        # As the HTML form does: that the person has a plan is logged (the person's and the
        # plan's load), and the answer names the plan's regisseur; the plan's address only to
        # whoever may open it.
        existing = exc.plan
        regisseur = existing.regisseur
        link = (
            {"existingPlan": url_for("api.plan", plan_id=existing.id)}
            if may_open(user, existing.id)
            else {}
        )
        session.rollback()  # nothing was changed; what was shown stays on the ledger
        mark_failed()
        return problem(
            409,
            exc.message,
            regisseur={"naam": regisseur.name, "telefoon": regisseur.phone},
            **link,
        )
    except services.PlanError as exc:
        if not known:
            raise plan_error(exc) from None
        return logged_refusal(plan_error(exc))  # a known person was looked up: logged
    current_ledger().record_access(role=Rol.REGISSEUR)
    resp = jsonify(
        plan_json(access.PlanToegang(plan=plan, user=user, als=Rol.REGISSEUR, day=today()))
    )
    resp.status_code = 201
    resp.headers["Location"] = url_for("api.plan", plan_id=plan.id)
    return with_etag(resp, plan.version)


@V1.route(
    bp,
    "/plannen/<int:plan_id>",
    "GET",
    operation_id="getPlan",
    ok={
        200: Answer(
            "Het plan; bij geen inzage alleen dat het bestaat en wie de regisseur is.",
            (PlanSchema, PlanGeenInzage),
            ETAG_HEADER,
        )
    },
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.plan.bekijken",
    resolve=PLAN,
)
def plan(plan_id: int, toegang: access.PlanToegang) -> Any:
    current_ledger().set_context("plan", plan_id)
    return with_etag(jsonify(plan_json(toegang)), toegang.plan.version)


@V1.route(
    bp,
    "/plannen/<int:plan_id>",
    "PATCH",
    operation_id="updatePlan",
    body=PlanWijziging,
    headers=(IF_MATCH,),
    ok={200: _PLAN_AND_ETAG},
    errors=_CHANGE,
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.plan.wijzigen",
    resolve=PLAN,
    need=lambda t: t.may_manage,
)
def plan_wijzigen(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    data = request_body(PlanWijziging)
    status, mid = data.status, data.mandaat_id
    expected = expected_version(data.version)
    kwargs: dict[str, Any] = {}
    if "mandaat_id" in data.model_fields_set:
        if mid is None:
            kwargs["mandaat"] = None
        else:
            m = services.mandaat_for(user, mid)
            if m is None:
                raise unprocessable("mandaatId", _("Onbekend mandaat voor uw organisatie."))
            kwargs["mandaat"] = m
    try:
        services.update_plan(
            toegang.plan, actor=user, expected_version=expected, status=status, **kwargs
        )
    except services.Conflict as exc:
        return conflict(exc.current)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return with_etag(jsonify(plan_json(toegang)), toegang.plan.version)


@V1.route(
    bp,
    "/plannen/<int:plan_id>/afsluiten",
    "POST",
    operation_id="closePlan",
    body=PlanAfsluiten,
    headers=(IF_MATCH,),
    ok={200: _PLAN_AND_ETAG},
    errors=_CHANGE,
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.plan.afsluiten",
    resolve=PLAN,
    need=lambda t: t.may_close,
)
def plan_afsluiten(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    data = request_body(PlanAfsluiten)
    reason, note = data.reden, data.toelichting or None
    expected = expected_version(data.version)
    try:
        services.close_plan(
            toegang.plan, actor=user, reason=reason, note=note, expected_version=expected
        )
    except services.Conflict as exc:
        return conflict(exc.current)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return with_etag(jsonify(plan_json(toegang)), toegang.plan.version)
