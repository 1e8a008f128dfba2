"""Inkijk screens for the regisseur: who may be looked into, the buitenkant, doorprikken, copy.

Every route: regisseur role (else 403), a purpose the user may use (else 404), a person of that
purpose (else 404), processing activity ``inkijk-basisgegevens``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.access.loading import HOUSEHOLD_PERSON
from app.auth.decorators import roles_required
from app.db import session
from app.domain import CATEGORIEEN, Rol
from app.inkijk import services
from app.inkijk.bronnen import BRON_BY_KEY, bronnen
from app.inkijk.doelen import InkijkDoel, doel_for
from app.inkijk.forms import DoorprikForm, OvernemenForm
from app.logboek import current_ledger, verwerking
from app.people.models import Person
from app.users.models import User

bp = Blueprint("inkijk", __name__, url_prefix="/inkijk")

INKIJK = services.PROCESSING_ACTIVITY


def _user() -> User:
    return current_user._get_current_object()


def _doel(soort: str, doel_id: int) -> InkijkDoel:
    doel = doel_for(_user(), soort, doel_id)
    current_ledger().set_context(doel.object_type, doel.id)
    return doel


def _persoon(doel: InkijkDoel, person_id: int) -> Person:
    """The person's name for the page (NAW); 404 when they are not part of the purpose."""
    if not doel.toegestaan(person_id):
        abort(404)
    person = session.scalars(
        select(Person).where(Person.id == person_id).options(_names_only())
    ).first()
    if person is None:
        abort(404)
    return person


def _names_only() -> Any:
    from sqlalchemy.orm import load_only

    return load_only(*HOUSEHOLD_PERSON, raiseload=True)


def _terug(doel: InkijkDoel) -> str:
    if doel.soort == "plan":
        return url_for("plans.detail", plan_id=doel.id)
    return url_for("inkijk.overzicht", soort=doel.soort, doel_id=doel.id)


@bp.route("/<soort>/<int:doel_id>")
@roles_required(Rol.REGISSEUR)
@verwerking(INKIJK, name="inkijk.overzicht")
def overzicht(soort: str, doel_id: int) -> str:
    doel = _doel(soort, doel_id)
    personen = list(
        session.scalars(
            select(Person).where(Person.id.in_(doel.persoon_ids)).options(_names_only())
        )
    )
    personen.sort(key=lambda p: (p.id != doel.hoofdpersoon_id, p.geboortedatum, p.id))
    if len(personen) > 1:
        # The list shows who belongs to the household: that is household data of each of them.
        current_ledger().note_view(
            refs=[("person", p.id) for p in personen],
            categories={"gezin"},
            object_type=doel.object_type,
            object_id=doel.id,
        )
    return render_template(
        "inkijk/overzicht.html",
        doel=doel,
        personen=personen,
        bronnen=bronnen().bronnen(),
        terug=_terug(doel),
    )


@bp.route("/<soort>/<int:doel_id>/personen/<int:person_id>")
@roles_required(Rol.REGISSEUR)
@verwerking(INKIJK, name="inkijk.buitenkant")
def persoon(soort: str, doel_id: int, person_id: int) -> str:
    doel = _doel(soort, doel_id)
    person = _persoon(doel, person_id)
    results = services.buitenkant(current_ledger(), doel, person_id)
    copied = {(f.bron, f.sleutel, f.waarde) for f in services.overgenomen(doel, person_id)}
    return render_template(
        "inkijk/persoon.html",
        doel=doel,
        person=person,
        results=results,
        copied=copied,
        overnemen_form=OvernemenForm(),
        categorieen=CATEGORIEEN,
        terug=_terug(doel),
    )


@bp.route(
    "/<soort>/<int:doel_id>/personen/<int:person_id>/doorprikken/<bron>", methods=["GET", "POST"]
)
@roles_required(Rol.REGISSEUR)
@verwerking(INKIJK, name="inkijk.doorprikken")
def doorprikken(soort: str, doel_id: int, person_id: int, bron: str) -> Any:
    doel = _doel(soort, doel_id)
    if bron not in bronnen().adapters:
        abort(404)
    person = _persoon(doel, person_id)
    form = DoorprikForm()
    result = None
    if form.validate_on_submit():
        try:
            result = services.doorprikken(current_ledger(), doel, person_id, bron, form.reden.data)
        except services.InkijkError as exc:
            form.reden.errors = [*form.reden.errors, exc.message]
    status = 200 if (result is not None or not form.is_submitted()) else 422
    return render_template(
        "inkijk/doorprikken.html",
        doel=doel,
        person=person,
        soort_bron=BRON_BY_KEY[bron],
        form=form,
        result=result,
        terug=_terug(doel),
    ), status


@bp.route("/<soort>/<int:doel_id>/personen/<int:person_id>/overnemen", methods=["POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(INKIJK, name="inkijk.overnemen")
def overnemen(soort: str, doel_id: int, person_id: int) -> Any:
    doel = _doel(soort, doel_id)
    if not doel.toegestaan(person_id):
        abort(404)
    form = OvernemenForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.neem_over(
            current_ledger(),
            doel,
            person_id,
            form.bron.data or "",
            form.sleutel.data or "",
            actor=_user(),
        )
        flash("Het feit staat nu in het plan, met de bron en de datum.", "ok")
    except services.InkijkError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("inkijk.persoon", soort=soort, doel_id=doel_id, person_id=person_id))
