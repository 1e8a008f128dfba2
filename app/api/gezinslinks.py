"""``/plannen/{planId}/gezinslinks``: the household of the plan's person."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import jsonify
from flask_babel import gettext as _

from app import access
from app.access import PLAN, guard
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, V1, bp, request_user
from app.api.schemas import Gezinslink, GezinslinkNieuw, Gezinslinks, GezinslinkVerbreken
from app.api.serialisers import link_json
from app.api.validation import logged_refusal, person_input, plan_error, unprocessable
from app.contract import Answer, request_body
from app.logboek import current_ledger
from app.people.services import create_person, find_by_bsn, note_unknown
from app.plans import gezinslinks as links
from app.plans import services


@V1.route(
    bp,
    "/plannen/<int:plan_id>/gezinslinks",
    "GET",
    operation_id="listGezinslinks",
    ok={200: Answer("Gezinslinks, ook verbroken.", Gezinslinks)},
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.gezinslinks.lijst",
    resolve=PLAN,
    need=lambda t: t.sees_household,
)
def gezinslinks(plan_id: int, toegang: access.PlanToegang) -> Any:
    current_ledger().set_context("plan", plan_id)
    return jsonify(
        {
            "_embedded": {
                "gezinslinks": [link_json(link, toegang.plan) for link in toegang.household()]
            }
        }
    )


@V1.route(
    bp,
    "/plannen/<int:plan_id>/gezinslinks",
    "POST",
    operation_id="createGezinslink",
    body=GezinslinkNieuw,
    ok={201: Answer("Gelegd.", Gezinslink)},
    errors=("415", "422"),
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.gezinslink.leggen",
    resolve=PLAN,
    need=lambda t: t.may_link,
)
def gezinslink_leggen(plan_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    data = request_body(GezinslinkNieuw)
    bsn, relatie, richting = data.bsn, data.relatie, data.richting
    person_data = person_input(data.persoon) if data.persoon is not None else None
    other = find_by_bsn(bsn)  # a known person's load is an inzage, logged on every answer
    known = other is not None
    if other is None:
        if person_data is None:
            note_unknown(bsn)  # "nog niet bekend" tells the caller something: logged
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
        other = create_person(replace(person_data, bsn=bsn))
    try:
        link = links.lay_link(
            plan=toegang.plan,
            other=other,
            relatie=relatie,
            plan_person_is_a=richting == "planpersoonIsA",
            actor=user,
        )
    except services.PlanError as exc:
        if not known:
            raise plan_error(exc) from None
        return logged_refusal(plan_error(exc))  # a known person was looked up: logged
    resp = jsonify(link_json(link, toegang.plan))
    resp.status_code = 201
    return resp


@V1.route(
    bp,
    "/plannen/<int:plan_id>/gezinslinks/<int:link_id>",
    "PATCH",
    operation_id="breakGezinslink",
    body=GezinslinkVerbreken,
    ok={200: Answer("Verbroken.", Gezinslink)},
    errors=("415", "422"),
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.gezinslink.verbreken",
    resolve=PLAN,
)
def gezinslink_wijzigen(plan_id: int, link_id: int, toegang: access.PlanToegang) -> Any:
    user = request_user()
    link = toegang.gezinslink(link_id)
    reason = request_body(GezinslinkVerbreken).reden or None
    try:
        links.break_link(link, plan=toegang.plan, actor=user, reason=reason)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return jsonify(link_json(link, toegang.plan))
