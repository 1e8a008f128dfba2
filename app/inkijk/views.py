"""Inkijk screens for the regisseur: who may be looked into, the buitenkant, doorprikken, copy.

Every route goes through the route guard: regisseur role (else 403), processing activity
``inkijk-basisgegevens``, a purpose the user may use (:func:`_doel`, else 404; the guard records
how the user reached it), and in the view a person of that purpose (else 404).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.access import NotAllowed, NotVisible, guard
from app.access.loading import HOUSEHOLD_PERSON
from app.db import session
from app.domain import CATEGORIEEN, Rol, Verwerkingsactiviteit
from app.inkijk import services
from app.inkijk.bronnen import BRON_BY_KEY, bronnen
from app.inkijk.doelen import InkijkDoel, doel_for
from app.inkijk.forms import DoorprikForm, OvernemenForm
from app.logboek import current_ledger
from app.people.models import Person
from app.users.models import User

bp = Blueprint("inkijk", __name__, url_prefix="/inkijk")

INKIJK = Verwerkingsactiviteit.INKIJK
NIET_DOORPRIKKEN = _l(
    "Doorprikken naar details kan niet tijdens de afweging van een signaal. U ziet nu alleen "
    "de buitenkant. Details kunt u pas bekijken als er een plan is (stap 4)."
)


def _user() -> User:
    return current_user._get_current_object()


def _doel(user: User, args: dict[str, Any]) -> InkijkDoel:
    """The guard's resolver: the purpose of the ``soort``/``doel_id`` arguments (doelbinding,
    :func:`doel_for`), named as the object of every line of the request."""
    doel = doel_for(user, args["soort"], args["doel_id"])
    current_ledger().set_context(doel.object_type, doel.id)
    return doel


def _persoon(doel: InkijkDoel, person_id: int) -> Person:
    """The person's name for the page (NAW); 404 when they are not part of the purpose."""
    if not doel.toegestaan(person_id):
        raise NotVisible
    person = session.scalars(
        select(Person).where(Person.id == person_id).options(_names_only())
    ).first()
    if person is None:
        raise NotVisible
    return person


def _names_only() -> Any:
    return load_only(*HOUSEHOLD_PERSON, raiseload=True)


def _terug(doel: InkijkDoel) -> str:
    if doel.soort == "plan":
        return url_for("plans.detail", plan_id=doel.id)
    if doel.soort == "afweging":
        return url_for("signalen.afweging", afweging_id=doel.id)
    return url_for("inkijk.overzicht", soort=doel.soort, doel_id=doel.id)


@bp.route("/<soort>/<int:doel_id>")
@guard(roles=[Rol.REGISSEUR], verwerking=INKIJK, name="inkijk.overzicht", resolve=_doel)
def overzicht(soort: str, doel_id: int, toegang: InkijkDoel) -> str:
    personen = list(
        session.scalars(
            select(Person).where(Person.id.in_(toegang.persoon_ids)).options(_names_only())
        )
    )
    personen.sort(key=lambda p: (p.id != toegang.hoofdpersoon_id, p.geboortedatum, p.id))
    if len(personen) > 1:
        # The list shows who belongs to the household: that is household data of each of them.
        current_ledger().note_view(
            refs=[("person", p.id) for p in personen],
            categories={"gezin"},
            object_type=toegang.object_type,
            object_id=toegang.id,
        )
    return render_template(
        "inkijk/overzicht.html",
        doel=toegang,
        personen=personen,
        bronnen=bronnen().bronnen(),
        terug=_terug(toegang),
    )


@bp.route("/<soort>/<int:doel_id>/personen/<int:person_id>")
@guard(roles=[Rol.REGISSEUR], verwerking=INKIJK, name="inkijk.buitenkant", resolve=_doel)
def persoon(soort: str, doel_id: int, person_id: int, toegang: InkijkDoel) -> str:
    person = _persoon(toegang, person_id)
    results = services.buitenkant(current_ledger(), toegang, person_id)
    copied = {(f.bron, f.sleutel, f.waarde) for f in services.overgenomen(toegang, person_id)}
    return render_template(
        "inkijk/persoon.html",
        doel=toegang,
        person=person,
        results=results,
        copied=copied,
        overnemen_form=OvernemenForm(),
        categorieen=CATEGORIEEN,
        terug=_terug(toegang),
    )


@bp.route(
    "/<soort>/<int:doel_id>/personen/<int:person_id>/doorprikken/<bron>", methods=["GET", "POST"]
)
@guard(roles=[Rol.REGISSEUR], verwerking=INKIJK, name="inkijk.doorprikken", resolve=_doel)
def doorprikken(soort: str, doel_id: int, person_id: int, bron: str, toegang: InkijkDoel) -> Any:
    if bron not in bronnen().adapters:
        abort(404)
    if not toegang.kan_doorprikken:
        # Within a weighing only the buitenkant: details need the plan of step 4.
        raise NotAllowed(NIET_DOORPRIKKEN)
    person = _persoon(toegang, person_id)
    form = DoorprikForm()
    result = None
    if form.validate_on_submit():
        try:
            result = services.doorprikken(
                current_ledger(), toegang, person_id, bron, form.reden.data
            )
        except services.InkijkError as exc:
            form.reden.errors = [*form.reden.errors, exc.message]
    status = 200 if (result is not None or not form.is_submitted()) else 422
    return render_template(
        "inkijk/doorprikken.html",
        doel=toegang,
        person=person,
        soort_bron=BRON_BY_KEY[bron],
        form=form,
        result=result,
        terug=_terug(toegang),
    ), status


@bp.route("/<soort>/<int:doel_id>/personen/<int:person_id>/overnemen", methods=["POST"])
@guard(roles=[Rol.REGISSEUR], verwerking=INKIJK, name="inkijk.overnemen", resolve=_doel)
def overnemen(soort: str, doel_id: int, person_id: int, toegang: InkijkDoel) -> Any:
    if not toegang.toegestaan(person_id):
        raise NotVisible
    if not toegang.kan_overnemen:
        raise NotAllowed(_("Feiten uit de bronnen kunnen alleen in een plan worden overgenomen."))
    form = OvernemenForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.neem_over(
            current_ledger(),
            toegang,
            person_id,
            form.bron.data or "",
            form.sleutel.data or "",
            actor=_user(),
        )
        flash(_("Het feit staat nu in het plan, met de bron en de datum."), "ok")
    except services.InkijkError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("inkijk.persoon", soort=soort, doel_id=doel_id, person_id=person_id))
