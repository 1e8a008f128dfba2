"""Deferring a signal's disclosure to the citizen (gedwongen kader, SPEC rule 3): the form for
the regisseur of the signal and the privacy officer, ``/signalen/signaal/<id>/uitstel``.

Who: the signal team (regisseurs of a municipality) for a signal not yet in a case, the case's
own regisseur once it is in one (another team member: 403), and the privacy officer for any
signal; everyone else 403, a signal that does not exist (or was forgotten) 404. The page shows
only the signal's outside (source, kind, life domains, dates): one view line about the person
(``signalen``). Saving writes one *create* line about the person whose object is the signal, so
it stays hidden from the citizen together with the signal. The services are in
:mod:`app.signalen.uitstel`; the privacy officer's review in :mod:`app.privacy.uitstel`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import load_only
from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app import access
from app.access import NotAllowed, NotVisible, guard
from app.auth.identity import actor_for_current_user
from app.db import session
from app.domain import LEEFGEBIEDEN, SIGNAAL_CATEGORIEEN, Rol
from app.forms import DateField, Form, RadioField, strip
from app.signalen.models import Afweging, Vroegsignaal
from app.signalen.uitstel import REDENEN_KEUZE, Uitstel, max_dagen, stel_uit, uiterste_datum
from app.signalen.validation import SignaalError
from app.signalen.views import AFWEGING, bp
from app.users.models import User

BUITENKANT = (
    "id",
    "bron_id",
    "person_id",
    "categorie",
    "domeinen",
    "signaaldatum",
    "ontvangen_op",
    "afweging_id",
    "verwijderd_op",
)


class UitstelForm(Form):
    tot = DateField(
        _l("Zichtbaar voor de inwoner vanaf"),
        validators=[InputRequired(_l("Kies vanaf welke datum de inwoner het mag zien."))],
    )
    reden = RadioField(
        _l("Reden"),
        choices=list(REDENEN_KEUZE.items()),
        validators=[InputRequired(_l("Kies een reden."))],
    )
    toelichting = TextAreaField(
        _l("Toelichting"),
        filters=[strip],
        validators=[
            DataRequired(_l("Dit veld is verplicht.")),
            Length(min=10, max=2000, message=_l("Minstens 10 tekens.")),
        ],
        description=_l("Waarom kan de inwoner dit nu nog niet zien? De inwoner leest dit later."),
    )


def _mag_uitstellen(user: User) -> bool:
    return access.in_signaalteam(user) or user.has_role(Rol.PRIVACY_OFFICER)


def _signaal(user: User, args: dict[str, Any]) -> Vroegsignaal:
    """The signal, its outside only; 404 when there is none, 403 when it is in another
    regisseur's case (the team sees it, but only that case's regisseur defers it)."""
    signal = session.scalars(
        select(Vroegsignaal)
        .where(Vroegsignaal.id == args["signal_id"], Vroegsignaal.verwijderd_op.is_(None))
        .options(load_only(*[getattr(Vroegsignaal, c) for c in BUITENKANT], raiseload=True))
    ).first()
    if signal is None:
        raise NotVisible
    if not user.has_role(Rol.PRIVACY_OFFICER) and signal.afweging_id is not None:
        regisseur = session.execute(
            select(Afweging.regisseur_id)
            .where(Afweging.id == signal.afweging_id)
            .execution_options(audit_internal=True)  # an access check: shows nothing
        ).scalar()
        if regisseur != user.id:
            raise NotAllowed
    return signal


@bp.route("/signaal/<int:signal_id>/uitstel", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR, Rol.PRIVACY_OFFICER],
    verwerking=AFWEGING,
    name="signalen.uitstel",
    allow=_mag_uitstellen,
    resolve=_signaal,
)
def uitstel(signal_id: int, toegang: Vroegsignaal) -> Any:
    signal = toegang
    form = UitstelForm()
    if form.validate_on_submit():
        try:
            stel_uit(
                signal,
                tot=form.tot.data,
                reden=form.reden.data,
                toelichting=form.toelichting.data or "",
                actor=actor_for_current_user(),
            )
        except SignaalError as exc:
            getattr(form, exc.field or "tot").errors = [exc.message]
        else:
            flash(_("Het signaal is uitgesteld: de inwoner ziet het pas na die datum."), "success")
            return redirect(url_for("signalen.uitstel", signal_id=signal.id))
    bestaand = list(
        session.scalars(
            select(Uitstel).where(Uitstel.vroegsignaal_id == signal.id).order_by(Uitstel.id)
        )
    )
    return render_template(
        "signalen/uitstel.html",
        signal=signal,
        form=form,
        bestaand=bestaand,
        uiterlijk=uiterste_datum(),
        max_dagen=max_dagen(),
        leefgebieden=LEEFGEBIEDEN,
        categorieen=SIGNAAL_CATEGORIEEN,
        is_privacy=current_user.has_role(Rol.PRIVACY_OFFICER),
    ), (400 if form.errors else 200)
