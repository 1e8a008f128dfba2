"""``/personen``: a person the user may know, by id or (in the body, never in a URL) by BSN."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from sqlalchemy import select

from app import access
from app.api.blueprint import REGIE, bp, plan_roles, request_user
from app.api.serialisers import person_json
from app.api.validation import bsn_field, json_body
from app.db import session
from app.logboek import verwerking
from app.people.models import Person
from app.users.models import User


def _visible_person_ids(user: User) -> Any:
    return access.persons_visible_to(user)


@bp.route("/personen/<int:person_id>", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.persoon.bekijken")
def persoon(person_id: int) -> Any:
    user = request_user()
    p = session.scalars(
        select(Person).where(Person.id == person_id, _visible_person_ids(user))
    ).first()
    if p is None:
        abort(404)
    return jsonify(person_json(p))


@bp.route("/personen/_zoek", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.persoon.zoeken")
def persoon_zoeken() -> Any:
    user = request_user()
    data = json_body()
    bsn = bsn_field(data)
    p = session.scalars(select(Person).where(Person.bsn == bsn, _visible_person_ids(user))).first()
    if p is None:
        abort(404)
    return jsonify(person_json(p))
