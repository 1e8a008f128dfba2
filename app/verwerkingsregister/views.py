"""Screens of the register of processing activities: list, history, change (a new version),
add. For the functioneel beheerder; the privacy officer may read along.

No personal data here: the register describes processing, it holds none."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.access.guard import guard
from app.db import session
from app.domain import CATEGORIEEN, Rol
from app.logboek import current_logboek
from app.vernietiging.termijn import Bewaartermijn
from app.verwerkingsregister.forms import ActiviteitForm, NieuweActiviteitForm
from audit import ProcessingActivityVersion

bp = Blueprint("verwerkingsregister", __name__, url_prefix="/beheer/verwerkingsregister")

READERS = (Rol.FUNCTIONEEL_BEHEERDER, Rol.PRIVACY_OFFICER)


def _register() -> Any:
    return current_logboek().register


def _current(key: str) -> ProcessingActivityVersion:
    version = _register().current_version(session.connection(), key)
    if version is None:
        abort(404)
    return version


def _fields(form: ActiviteitForm) -> dict[str, Any]:
    return {
        "name": form.naam.data,
        "purpose": form.doel.data,
        "legal_basis": form.grondslag.data,
        "legal_reference": form.wettelijke_verwijzing.data,
        "data_categories": tuple(form.categorieen.data or ()),
        "recipient_categories": tuple(form.ontvangers.data or ()),
        "retention": form.bewaartermijn.data,
        "retention_term": form.termijn(),
    }


def _fill(form: ActiviteitForm, v: ProcessingActivityVersion) -> None:
    form.naam.data = v.name
    form.doel.data = v.purpose
    form.grondslag.data = v.legal_basis
    form.wettelijke_verwijzing.data = v.legal_reference
    form.categorieen.data = list(v.data_categories)
    form.ontvangers.data = list(v.recipient_categories)
    form.bewaartermijn.data = v.retention
    term = Bewaartermijn.parse(v.retention_term)
    if term is not None:
        form.termijn_jaren.data, form.termijn_maanden.data = term.jaren, term.maanden
        form.termijn_na.data = str(term.na)
        form.termijn_jeugdhulp_jaren.data = term.jeugdhulp_jaren
    form.versie.data = str(v.version)


def _door() -> str:
    return f"{current_user.name} ({current_user.username})"


@bp.route("/")
@guard(roles=READERS)
def lijst() -> Any:
    return render_template(
        "verwerkingsregister/lijst.html",
        activiteiten=_register().current(session.connection()),
        mag_wijzigen=current_user.has_role(Rol.FUNCTIONEEL_BEHEERDER),
    )


@bp.route("/<key>")
@guard(roles=READERS)
def activiteit(key: str) -> Any:
    current = _current(key)
    history = _register().history(session.connection(), key)
    return render_template(
        "verwerkingsregister/activiteit.html",
        v=current,
        history=list(reversed(history)),
        categorieen=CATEGORIEEN,
        termijn=Bewaartermijn.parse(current.retention_term),
        mag_wijzigen=current_user.has_role(Rol.FUNCTIONEEL_BEHEERDER),
    )


@bp.route("/<key>/wijzigen", methods=["GET", "POST"])
@guard(roles=[Rol.FUNCTIONEEL_BEHEERDER])
def wijzigen(key: str) -> Any:
    current = _current(key)
    form = ActiviteitForm()
    form.set_category_choices(current.data_categories)
    if request.method == "GET":
        _fill(form, current)
        return render_template(
            "verwerkingsregister/form.html", form=form, v=current, conflict=None, nieuw=False
        )
    conflict = None
    if form.validate():
        if form.versie.data != str(current.version):
            conflict = current
        else:
            try:
                saved = _register().save(
                    session.connection(), key, changed_by=_door(), **_fields(form)
                )
            except IntegrityError:  # someone saved a version at the same moment
                session.rollback()
                conflict = _current(key)
            else:
                if saved.version == current.version:
                    flash(_("Er was niets gewijzigd; er is geen nieuwe versie gemaakt."), "info")
                else:
                    flash(_("Versie %(version)s is vastgelegd.", version=saved.version), "ok")
                return redirect(url_for("verwerkingsregister.activiteit", key=key))
        if conflict is not None:
            form.versie.data = str(conflict.version)
    return render_template(
        "verwerkingsregister/form.html", form=form, v=current, conflict=conflict, nieuw=False
    ), (409 if conflict else 422)


@bp.route("/nieuw", methods=["GET", "POST"])
@guard(roles=[Rol.FUNCTIONEEL_BEHEERDER])
def nieuw() -> Any:
    form = NieuweActiviteitForm()
    form.set_category_choices()
    if request.method == "GET":
        return render_template("verwerkingsregister/form.html", form=form, v=None, nieuw=True)
    if form.validate():
        key = form.sleutel.data or ""
        if _register().current_version(session.connection(), key) is not None:
            form.sleutel.errors = [*form.sleutel.errors, _("Deze sleutel bestaat al.")]
        else:
            try:
                _register().save(session.connection(), key, changed_by=_door(), **_fields(form))
            except IntegrityError:
                session.rollback()
                form.sleutel.errors = [*form.sleutel.errors, _("Deze sleutel bestaat al.")]
            else:
                flash(_("De verwerkingsactiviteit is toegevoegd."), "ok")
                return redirect(url_for("verwerkingsregister.activiteit", key=key))
    return render_template(
        "verwerkingsregister/form.html", form=form, v=None, nieuw=True, conflict=None
    ), 422
