"""``/personen``: a person the user may know, by id or (in the body, never in a URL) by BSN."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import select

from app import access
from app.access import NotVisible, guard
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, bp, request_user
from app.api.serialisers import person_json
from app.api.validation import bsn_field, json_body
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


@bp.route("/personen/<int:person_id>", methods=["GET"])
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.persoon.bekijken",
    resolve=_person,
)
def persoon(person_id: int, toegang: Person) -> Any:
    return jsonify(person_json(toegang))


@bp.route("/personen/_zoek", methods=["POST"])
@guard(
    roles=PLAN_ROLES, forbidden=PLAN_ROLES_FORBIDDEN, verwerking=REGIE, name="api.persoon.zoeken"
)
def persoon_zoeken() -> Any:
    user = request_user()
    data = json_body()
    bsn = bsn_field(data)
    p = session.scalars(select(Person).where(Person.bsn == bsn, _visible_person_ids(user))).first()
    if p is None:
        raise NotVisible
    return jsonify(person_json(p))
