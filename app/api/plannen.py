"""``/plannen``: the list, creating a plan, reading, changing and closing one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import access
from app.access import PLAN, NotAllowed, guard, may_open
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, bp, request_user
from app.api.serialisers import plan_json, plan_summary_json, with_etag
from app.api.validation import (
    bsn_field,
    conflict,
    date_field,
    enum_field,
    expected_version,
    int_field,
    invalid,
    json_body,
    logged_refusal,
    mark_failed,
    object_field,
    page_args,
    page_links,
    person_input,
    plan_error,
    text_field,
    unprocessable,
)
from app.clock import today
from app.db import session
from app.domain import AFSLUITREDENEN, PlanBasis, PlanStatus, Rol
from app.errors import problem
from app.logboek import current_ledger
from app.people.services import create_person, find_by_bsn, note_unknown
from app.plans import services
from app.plans.models import Plan


@bp.route("/plannen", methods=["GET"])
@guard(roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.plannen.lijst")
def plannen() -> Any:
    user = request_user()
    page, size = page_args()
    stmt = access.plans_visible_to(user)
    status = request.args.get("status")
    if status is not None:
        if status not in set(PlanStatus):
            raise invalid("status", _("Een van: concept, actief, afgesloten."), "enum")
        stmt = stmt.where(Plan.status == status)
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


@bp.route("/plannen", methods=["POST"])
@guard(
    roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.plannen.aanmaken"
)
def plan_aanmaken() -> Any:
    user = request_user()
    if not user.has_role(Rol.REGISSEUR):
        raise NotAllowed(_("Alleen een regisseur maakt plannen aan."))
    data = json_body()
    bsn = bsn_field(data)
    basis = enum_field(data, "basis", [b.value for b in PlanBasis], required=True) or ""
    if basis == PlanBasis.MULTIPROBLEMATIEK:  # only step 4 of an afweging (rule 5)
        raise unprocessable("basis", services.MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING)
    status = (
        enum_field(data, "status", [PlanStatus.CONCEPT.value, PlanStatus.ACTIEF.value])
        or PlanStatus.CONCEPT
    )
    t = object_field(data, "toestemming")
    pdata = object_field(data, "persoon")
    toestemming = None
    if t is not None:
        gegeven = services.ToestemmingGegevens(
            gegeven_door=text_field(t, "gegevenDoor", required=True, max_len=200) or "",
            gegeven_op=date_field(t, "gegevenOp", required=True),  # type: ignore[arg-type]
            wijze=enum_field(t, "wijze", ["mondeling", "schriftelijk", "digitaal"], required=True)
            or "",
            toelichting=text_field(t, "toelichting"),
        )
        toestemming = gegeven if basis == PlanBasis.TOESTEMMING else None
    mandaat = None
    mandaat_id = int_field(data, "mandaatId")
    person_data = person_input(pdata) if pdata is not None else None
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


@bp.route("/plannen/<int:plan_id>", methods=["GET"])
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


@bp.route("/plannen/<int:plan_id>", methods=["PATCH"])
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
    data = json_body()
    status = text_field(data, "status", max_len=20)
    if status is not None and status not in (PlanStatus.CONCEPT, PlanStatus.ACTIEF):
        raise invalid("status", "concept of actief; afsluiten met POST .../afsluiten.", "enum")
    mid = int_field(data, "mandaatId")
    expected = expected_version(data)
    kwargs: dict[str, Any] = {}
    if "mandaatId" in data:
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


@bp.route("/plannen/<int:plan_id>/afsluiten", methods=["POST"])
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
    data = json_body()
    reason = enum_field(data, "reden", list(AFSLUITREDENEN), required=True) or ""
    note = text_field(data, "toelichting")
    expected = expected_version(data)
    try:
        services.close_plan(
            toegang.plan, actor=user, reason=reason, note=note, expected_version=expected
        )
    except services.Conflict as exc:
        return conflict(exc.current)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return with_etag(jsonify(plan_json(toegang)), toegang.plan.version)
