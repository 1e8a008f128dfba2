"""What the plan screens share: the blueprint, the processing activity, the roles on plans,
and the helpers for forms (errors, version numbers, a person typed into a form)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user

from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.people.models import Person
from app.people.services import (
    PersonGegevens,
    create_person,
    find_by_bsn,
    normalise_bsn,
    note_unknown,
)
from app.plans import afscherming, historie, services
from app.users.models import User

bp = Blueprint("plans", __name__)

REGIE = Verwerkingsactiviteit.REGIE
STAFF_ON_PLANS = (Rol.REGISSEUR, Rol.HULPVERLENER)


def request_user() -> User:
    return current_user._get_current_object()


def apply_errors(form: Any, exc: services.PlanError | afscherming.AfschermingError) -> None:
    """A domain error on the form: at the field it names, else at the top of the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), str(exc)]
    else:
        form.form_errors.append(str(exc))


def to_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reload_after_conflict(model: Any, object_id: int) -> Any:
    session.rollback()
    session.expire_all()
    obj = session.get(model, object_id, populate_existing=True)
    if obj is None:
        abort(404)
    return obj


def known_or_new_person(form: Any) -> tuple[Person | None, bool]:
    """The person with the form's BSN when known (that load is logged), else None.

    For an unknown person, the name fields are required: errors are added to the ones missing.
    Returns (person, ok).
    """
    if form.bsn.errors or not form.bsn.data:
        return None, False
    person = find_by_bsn(normalise_bsn(form.bsn.data))
    if person is not None:
        return person, True
    missing = [f for f in (form.voornamen, form.achternaam, form.geboortedatum) if not f.data]
    if missing:
        note_unknown(form.bsn.data)  # "nog niet bekend" tells the user something: logged
    for f in missing:
        f.errors = [*f.errors, _("Deze persoon is nog niet bekend: vul dit in.")]
    return None, not missing


def create_person_from(form: Any) -> Person:
    def value(name: str) -> Any:
        field = getattr(form, name, None)
        return field.data if field is not None else None

    return create_person(
        PersonGegevens(
            bsn=normalise_bsn(form.bsn.data),
            voornamen=form.voornamen.data or "",
            tussenvoegsel=form.tussenvoegsel.data,
            achternaam=form.achternaam.data or "",
            geboortedatum=form.geboortedatum.data,
            straat=value("straat"),
            huisnummer=value("huisnummer"),
            huisnummer_toevoeging=value("huisnummer_toevoeging"),
            postcode=value("postcode"),
            woonplaats=value("woonplaats"),
            telefoon=value("telefoon"),
            email=value("email"),
        )
    )


@bp.app_template_filter("historie")
def _historie(omschrijving: str) -> str:
    """A stored history line in the reader's language (see app.plans.historie)."""
    return historie.vertaal(omschrijving)
