"""Screens of the questions to organisations (``app/signalen/vragen.py``).

* the signal team asks, on the afweging's page (``POST /signalen/afweging/<id>/organisatievraag``;
  ``resolve=AFWEGING``: 404 unless the case is visible, 403 unless in the signal team);
* the organisation's hulpverleners: *Vragen aan mijn organisatie* (``/vragen/``), one question
  (``/vragen/<id>``: answer) and declining it (``/vragen/<id>/weigeren``). Other roles 403; a
  question for another organisation 404 (``app/access/signaalvragen.py``).

A refusal of the state (afweging closed, already answered) is 409 with the page and the input
kept; a form error 400.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from app import access
from app.access import NotAllowed, guard
from app.access.signaalvragen import VRAAG, open_vragen_visible_to
from app.db import session
from app.domain import AFWEGING_LOPEND, Rol, Verwerkingsactiviteit
from app.people.models import Person
from app.signalen import vragen as svc
from app.signalen.models import Afweging, DatInformatieVraag
from app.signalen.validation import SignaalError
from app.signalen.views import _case_page
from app.signalen.vragen_forms import AntwoordForm, VraagForm, WeigerForm
from app.signalen.vragen_pagina import vraag_keuzes
from app.users.models import User

bp = Blueprint("signaalvragen", __name__)

AFWEGING = Verwerkingsactiviteit.SIGNALEN_AFWEGING
PERSON_COLUMNS = (
    Person.id,
    Person.bsn,
    Person.voornamen,
    Person.tussenvoegsel,
    Person.achternaam,
    Person.geboortedatum,
)
CONFLICT = 409


def _user() -> User:
    return current_user._get_current_object()


@bp.app_template_global()
def open_organisatievragen() -> int:
    """The navigation's count of questions waiting for the hulpverlener's organisation."""
    user = _user()
    if not (user.is_authenticated and user.has_role(Rol.HULPVERLENER)):
        return 0
    stmt = open_vragen_visible_to(user).with_only_columns(func.count(DatInformatieVraag.id))
    return int(session.scalar(stmt.execution_options(audit_internal=True)) or 0)


# --- the signal team asks --------------------------------------------------------------------


@bp.route("/signalen/afweging/<int:afweging_id>/organisatievraag", methods=["POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.organisatievraag",
    resolve=access.AFWEGING,
)
def stellen(afweging_id: int, toegang: Afweging) -> Any:
    user, case = _user(), toegang
    if not access.in_signaalteam(user):
        raise NotAllowed
    form = VraagForm()
    form.organisatie.choices = vraag_keuzes()
    conflict = False
    # An organisation that may not be asked is refused by the service with a clear message
    # (not by the list's "not a valid choice").
    form.organisatie.validate_choice = False
    if form.validate_on_submit():
        try:
            vraag = svc.stel_vraag(case, form.organisatie.data, actor=user)
        except SignaalError as exc:
            conflict = exc.field == "stap"  # the case's state, not the input
            if conflict:
                form.form_errors.append(exc.message)
            else:
                form.organisatie.errors = [exc.message]
        else:
            flash(
                _(
                    "De vraag is gesteld aan %(organisatie)s; antwoord uiterlijk %(uiterlijk)s.",
                    organisatie=vraag.organisation.name,
                    uiterlijk=vraag.uiterlijk_op.strftime("%d-%m-%Y") if vraag.uiterlijk_op else "",
                ),
                "success",
            )
            return redirect(url_for("signalen.afweging", afweging_id=case.id))
    body, status = _case_page(case, vraag_form=form)
    return body, (CONFLICT if conflict else status)


# --- the organisation answers ----------------------------------------------------------------


@bp.route("/vragen/")
@guard(
    roles=[Rol.HULPVERLENER],
    verwerking=AFWEGING,
    name="signalen.vragen_aan_organisatie",
    als=Rol.HULPVERLENER,
)
def inbox() -> Any:
    user = _user()
    vragen = list(
        session.scalars(
            open_vragen_visible_to(user).order_by(
                DatInformatieVraag.uiterlijk_op, DatInformatieVraag.id
            )
        )
    )
    personen = _personen({v.person_id for v in vragen})
    return render_template(
        "signalen/vragen_inbox.html",
        vragen=[(v, svc.status(v)) for v in vragen],
        personen=personen,
        organisatie=user.organisation,
        status_labels=svc.STATUS_LABELS,
        vraag_tekst=svc.VRAAG_TEKST,
    )


def _personen(ids: set[int]) -> dict[int, Person]:
    """Whom the questions are about: only what the question gave (BSN, name, date of birth)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        p.id: p
        for p in session.scalars(
            select(Person)
            .where(Person.id.in_(wanted))
            .options(load_only(*PERSON_COLUMNS, raiseload=True))
        )
    }


def _vraag_page(vraag: DatInformatieVraag, *, status: int = 200, **forms: Any) -> Any:
    personen = _personen({vraag.person_id})
    return render_template(
        "signalen/vraag.html",
        vraag=vraag,
        person=personen.get(vraag.person_id),
        status=svc.status(vraag),
        status_labels=svc.STATUS_LABELS,
        vraag_tekst=svc.VRAAG_TEKST,
        antwoord_tekst=svc.antwoord_tekst(vraag),
        afweging_open=svc.afweging_status(vraag) in AFWEGING_LOPEND,
        antwoord_form=forms.get("antwoord_form") or AntwoordForm(),
        weiger_form=forms.get("weiger_form") or WeigerForm(),
    ), status


@bp.route("/vragen/<int:vraag_id>", methods=["GET", "POST"])
@guard(
    roles=[Rol.HULPVERLENER],
    verwerking=AFWEGING,
    name="signalen.vraag_beantwoorden",
    resolve=VRAAG,
    als=Rol.HULPVERLENER,
)
def vraag(vraag_id: int, toegang: DatInformatieVraag) -> Any:
    form = AntwoordForm()
    if not form.is_submitted():
        return _vraag_page(toegang)
    if form.validate():
        bekend = {"ja": True, "nee": False}.get(form.bekend.data or "")
        try:
            svc.beantwoord(
                toegang,
                svc.Antwoord(
                    bekend=bekend,
                    hulp=form.hulp.data,
                    sinds=form.sinds.data,
                    indicatie=form.indicatie.data,
                ),
                actor=_user(),
            )
        except SignaalError as exc:
            field = exc.field if exc.field in ("bekend", "hulp", "sinds", "indicatie") else None
            if field is None:
                form.form_errors.append(exc.message)
                return _vraag_page(toegang, status=CONFLICT, antwoord_form=form)
            getattr(form, field).errors = [exc.message]
        else:
            flash(_("Uw antwoord is verstuurd naar de gemeente."), "success")
            return redirect(url_for("signaalvragen.inbox"))
    return _vraag_page(toegang, status=400, antwoord_form=form)


@bp.route("/vragen/<int:vraag_id>/weigeren", methods=["POST"])
@guard(
    roles=[Rol.HULPVERLENER],
    verwerking=AFWEGING,
    name="signalen.vraag_weigeren",
    resolve=VRAAG,
    als=Rol.HULPVERLENER,
)
def weigeren(vraag_id: int, toegang: DatInformatieVraag) -> Any:
    form = WeigerForm()
    if form.validate_on_submit():
        try:
            svc.weiger(toegang, form.reden.data or "", actor=_user())
        except SignaalError as exc:
            if exc.field != "reden":
                form.form_errors.append(exc.message)
                return _vraag_page(toegang, status=CONFLICT, weiger_form=form)
            form.reden.errors = [exc.message]
        else:
            flash(_("U heeft de vraag geweigerd; de gemeente ziet uw reden."), "success")
            return redirect(url_for("signaalvragen.inbox"))
    return _vraag_page(toegang, status=400, weiger_form=form)
