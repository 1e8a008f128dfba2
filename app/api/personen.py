"""``/personen``: a person the user may know, by id or (in the body, never in a URL) by BSN."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import select

from app import access
from app.access import NotVisible, guard
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, V1, bp, request_user
from app.api.schemas import BsnZoekvraag, Persoon
from app.api.serialisers import person_json
from app.contract import Answer, request_body
from app.db import session
from app.people.models import Person
from app.users.models import User


def _visible_person_ids(user: User) -> Any:
    return access.persons_visible_to(user)


def _person(user: User, args: dict[str, Any]) -> Person:
    """The ``person_id`` person, if the user may know them (else 404)."""
    p = session.scalars(
        select(Person).where(Person.id == args["person_id"], _visible_person_ids(user))
    ).first()
    if p is None:
        raise NotVisible
    return p


@V1.route(
    bp,
    "/personen/<int:person_id>",
    "GET",
    operation_id="getPersoon",
    ok={200: Answer("De persoon.", Persoon)},
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.persoon.bekijken",
    resolve=_person,
)
def persoon(person_id: int, toegang: Person) -> Any:
    return jsonify(person_json(toegang))


@V1.route(
    bp,
    "/personen/_zoek",
    "POST",
    operation_id="zoekPersoon",
    summary="Persoon zoeken op BSN (in de body: een BSN hoort niet in een URL)",
    body=BsnZoekvraag,
    ok={200: Answer("De persoon.", Persoon)},
    errors=("415",),
)
@guard(
    roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.persoon.zoeken"
)
def persoon_zoeken() -> Any:
    user = request_user()
    bsn = request_body(BsnZoekvraag).bsn
    p = session.scalars(select(Person).where(Person.bsn == bsn, _visible_person_ids(user))).first()
    if p is None:
        raise NotVisible
    return jsonify(person_json(p))
