"""The privacy officer's review of deferred disclosure (gedwongen kader, SPEC rule 3):
``/privacy/uitstel`` lists every deferral (open ones first) — which signal (its outside), until
when, why, set by whom — and ``POST /privacy/uitstel/<id>`` records the review: agreed, or
ended now (the citizen sees the signal and its lines from today, with the reason).

The list shows data about the people the signals are about: one view line per person
(``toezicht-logboek``, category ``signalen``), written about their logboek pseudonym, with the
signal as the line's object — so, like the signal itself, the citizen sees it once the deferral
ends. A review is one *update* line about the person, likewise.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import load_only
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.access import NotVisible, guard
from app.auth.identity import actor_for_current_user
from app.clock import now, today
from app.db import session
from app.domain import SIGNAAL_CATEGORIEEN, Gegevenscategorie, Rol, Verwerkingsactiviteit
from app.forms import Form, RadioField, strip
from app.logboek import current_ledger
from app.privacy.views import bp
from app.signalen.models import Vroegsignaal
from app.signalen.uitstel import Uitstel, openbaarheid
from audit import Entry, Subject

TOEZICHT = Verwerkingsactiviteit.TOEZICHT
MAX_LIJST = 200  # unreviewed first, newest first; the rest after review
UITKOMSTEN = {"akkoord": "Akkoord: het uitstel blijft", "beeindigen": "Beëindigen: nu tonen"}


class UitstelBeoordelingForm(Form):
    uitkomst = RadioField(
        _l("Uw oordeel"),
        # The labels in the reader's language; what is stored (beoordeling) keeps the Dutch.
        choices=[
            ("akkoord", _l("Akkoord: het uitstel blijft")),
            ("beeindigen", _l("Beëindigen: nu tonen")),
        ],
        validators=[InputRequired(_l("Kies akkoord of beëindigen."))],
    )
    toelichting = TextAreaField(
        _l("Toelichting"),
        filters=[strip],
        validators=[Optional(), Length(max=2000)],
    )


def _note(u: Uitstel, s: Vroegsignaal | None) -> None:
    """The reading about the person: the signal loaded with its person is noted by the ORM
    hooks (its object: the signal); a signal no longer linked to a person, by pseudonym."""
    if s is not None and s.person_id is not None:
        return
    current_ledger().note_subject_view(
        Subject.pseudonymous("BSN", u.onderwerp),
        categories=(Gegevenscategorie.SIGNALEN,),
        object_type="vroegsignaal",
        object_id=u.vroegsignaal_id,
        processing_activity=TOEZICHT,
    )


def _signalen(ids: set[int]) -> dict[int, Vroegsignaal]:
    """The signals' outside (source, kind, date): a view line about each person (the ORM
    hooks; see :func:`_note` for signals no longer linked to one)."""
    return {
        s.id: s
        for s in session.scalars(
            select(Vroegsignaal)
            .where(Vroegsignaal.id.in_(ids))
            .options(
                load_only(
                    Vroegsignaal.id,
                    Vroegsignaal.bron_id,
                    Vroegsignaal.person_id,
                    Vroegsignaal.categorie,
                    Vroegsignaal.signaaldatum,
                    Vroegsignaal.verwijderd_op,
                    raiseload=True,
                )
            )
        )
    }


@bp.route("/uitstel")
@guard(roles=[Rol.PRIVACY_OFFICER], verwerking=TOEZICHT, name="logboekcontrole.uitstel")
def uitstel_lijst() -> Any:
    totaal = session.scalar(select(func.count()).select_from(Uitstel)) or 0
    rows = list(
        session.scalars(
            select(Uitstel)
            .order_by(Uitstel.beoordeeld_op.is_not(None), Uitstel.id.desc())
            .limit(MAX_LIJST)
        )
    )
    signalen = _signalen({u.vroegsignaal_id for u in rows})
    for u in rows:
        _note(u, signalen.get(u.vroegsignaal_id))
    verborgen = {p: openbaarheid(p).verborgen for p in {u.onderwerp for u in rows}}
    return render_template(
        "privacy/uitstel.html",
        rijen=[
            (u, signalen.get(u.vroegsignaal_id), u.vroegsignaal_id in verborgen[u.onderwerp])
            for u in rows
        ],
        categorieen=SIGNAAL_CATEGORIEEN,
        totaal=totaal,
    )


@bp.route("/uitstel/<int:uitstel_id>", methods=["GET", "POST"])
@guard(roles=[Rol.PRIVACY_OFFICER], verwerking=TOEZICHT, name="logboekcontrole.uitstel.beoordelen")
def uitstel_beoordelen(uitstel_id: int) -> Any:
    u = session.get(Uitstel, uitstel_id)
    if u is None:
        raise NotVisible
    form = UitstelBeoordelingForm()
    if form.validate_on_submit():
        u.beoordeeld_door_id = current_user.id
        u.beoordeeld_op = now()
        u.beoordeling = f"{UITKOMSTEN[form.uitkomst.data]}. {form.toelichting.data or ''}".strip()
        if form.uitkomst.data == "beeindigen" and u.beeindigd_op is None:
            u.beeindigd_op = today()
        ledger = current_ledger()
        ledger.record(
            Entry(
                kind="inzage",
                action="update",
                name="logboekcontrole.uitstel.beoordelen",
                actor=actor_for_current_user(),
                subjects=(Subject.pseudonymous("BSN", u.onderwerp),),
                processing_activity=TOEZICHT,
                data_categories=(Gegevenscategorie.SIGNALEN,),
                trace=ledger.trace,
                object_type="vroegsignaal",
                object_id=str(u.vroegsignaal_id),
            )
        )
        session.flush()
        flash(_("Uw beoordeling van het uitstel is vastgelegd."), "ok")
        return redirect(url_for("privacy.uitstel_lijst"))
    s = _signalen({u.vroegsignaal_id}).get(u.vroegsignaal_id)
    _note(u, s)
    return render_template(
        "privacy/uitstel_beoordelen.html",
        u=u,
        s=s,
        actief=u.vroegsignaal_id in openbaarheid(u.onderwerp).verborgen,
        form=form,
        categorieen=SIGNAAL_CATEGORIEEN,
    ), (422 if form.errors else 200)
