"""The privacy officer's queue (issue 16 #11/#12): citizens' questions about a logboek line and
reviews that need follow-up ("nader onderzoek"), each with a state, an owner and a due date;
overdue items marked. Reading a question is logged about the citizen (``toezicht-logboek``,
category ``logboek``), answering it too (``update``)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app import access, params
from app.access import NotVisible, guard
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.forms import DateField, Form, RadioField, SelectField, strip
from app.logboek import read_lines_by_seq
from app.privacy import services, vragen, weigeringen  # noqa: F401 (weigeringen: its listener)
from app.privacy.models import STATUSSEN, Beoordeling, LogboekVraag
from app.privacy.views import _logboek, bp
from app.users.models import User

TOEZICHT = Verwerkingsactiviteit.TOEZICHT


def _officers() -> list[User]:
    return [
        u
        for u in session.scalars(select(User).where(User.person_id.is_(None)).order_by(User.name))
        if u.has_role(Rol.PRIVACY_OFFICER)
    ]


def _officer_choices() -> list[tuple[str, str]]:
    return [("", "Niemand")] + [(str(u.id), u.name) for u in _officers()]


def _officer(value: str | None) -> User | None:
    if not value:
        return None
    return next((u for u in _officers() if str(u.id) == value), None)


class VraagBehandelenForm(Form):
    status = RadioField(
        _l("Status"),
        choices=list(STATUSSEN.items()),
        validators=[InputRequired(_l("Kies een status."))],
    )
    toegewezen = SelectField(_l("Behandelaar"), validators=[Optional()])
    antwoord = TextAreaField(
        _l("Antwoord aan de inwoner"),
        filters=[strip],
        validators=[Optional(), Length(max=vragen.MAX_ANTWOORD)],
        description=_l(
            "De inwoner leest dit onder de regel in Mijn Eenplan. Schrijf in gewone "
            "woorden (taalniveau B1)."
        ),
    )
    onderzoek = BooleanField(_l("Start een beoordeling van deze regel (nader onderzoek)"))


class OpvolgenForm(Form):
    status = RadioField(
        _l("Status"),
        choices=list(STATUSSEN.items()),
        validators=[InputRequired(_l("Kies een status."))],
    )
    toegewezen = SelectField(_l("Behandelaar"), validators=[Optional()])
    termijn = DateField(_l("Uiterlijk"), validators=[Optional()])


@bp.route("/werkvoorraad")
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=TOEZICHT,
    name="logboekcontrole.werkvoorraad",
    resolve=_logboek,
)
def werkvoorraad(toegang: access.LogboekToegang) -> Any:
    status = params.choice("status", ["", *STATUSSEN], "")
    toegewezen = params.integer("toegewezen", minimum=1, maximum=params.MAX_ID)
    lijst, beoordelingen = vragen.werkvoorraad(status=status or None, toegewezen_aan=toegewezen)
    vragen.note_gelezen(lijst)
    namen = {u.id: u.name for u in _officers()}
    return render_template(
        "privacy/werkvoorraad.html",
        vragen=lijst,
        beoordelingen=beoordelingen,
        status=status,
        toegewezen=toegewezen,
        statussen=STATUSSEN,
        officers=_officers(),
        namen=namen,
        te_laat=vragen.te_laat,
    )


def _vraag_page(
    toegang: access.LogboekToegang, v: LogboekVraag, form: VraagBehandelenForm, status: int
) -> Any:
    lines = read_lines_by_seq(toegang, [v.seq])
    vragen.note_gelezen([v])
    return render_template(
        "privacy/vraag.html",
        v=v,
        line=lines[0] if lines else None,
        form=form,
        namen={u.id: u.name for u in _officers()},
        te_laat=vragen.te_laat(v.termijn, v.status),
    ), status


@bp.route("/vragen/<int:vraag_id>", methods=["GET", "POST"])
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=TOEZICHT,
    name="logboekcontrole.vraag",
    resolve=_logboek,
)
def vraag(vraag_id: int, toegang: access.LogboekToegang) -> Any:
    v = session.get(LogboekVraag, vraag_id)
    if v is None:
        raise NotVisible
    if request.method == "GET":
        form = VraagBehandelenForm(
            formdata=None,
            status=v.status,
            toegewezen=str(v.toegewezen_aan_id or ""),
            antwoord=v.antwoord or "",
        )
        form.toegewezen.choices = _officer_choices()
        return _vraag_page(toegang, v, form, 200)
    form = VraagBehandelenForm()
    form.toegewezen.choices = _officer_choices()
    if form.validate():
        try:
            vragen.behandel(
                v,
                status=form.status.data or "",
                antwoord=form.antwoord.data or "",
                toegewezen_aan=_officer(form.toegewezen.data),
                door=current_user._get_current_object(),
                onderzoek_starten=bool(form.onderzoek.data),
            )
        except vragen.VraagError as exc:
            target = getattr(form, exc.field or "", None)
            if target is not None:
                target.errors = [*target.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            flash(_("De vraag is bijgewerkt. De inwoner ziet de status en het antwoord."), "ok")
            return redirect(url_for("privacy.werkvoorraad"))
    return _vraag_page(toegang, v, form, 422)


@bp.route("/beoordelingen/<int:beoordeling_id>/opvolgen", methods=["POST"])
@guard(roles=[Rol.PRIVACY_OFFICER], name="logboekcontrole.beoordeling.opvolgen", resolve=_logboek)
def beoordeling_opvolgen(beoordeling_id: int, toegang: access.LogboekToegang) -> Any:
    b = session.get(Beoordeling, beoordeling_id)
    if b is None:
        raise NotVisible
    form = OpvolgenForm()
    form.toegewezen.choices = _officer_choices()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            for e in errors:
                flash(f"{getattr(form, name).label.text}: {e}", "error")
        return redirect(url_for("privacy.werkvoorraad")), 303
    services.volg_op(
        b,
        status=form.status.data or "",
        toegewezen_aan=_officer(form.toegewezen.data),
        termijn=form.termijn.data,
    )
    flash(_("De opvolging is vastgelegd."), "ok")
    return redirect(url_for("privacy.werkvoorraad"))
