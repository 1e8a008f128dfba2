"""Screen: "Persoon opnemen uit de BRP", ``/signalen/signaal/<id>/brp`` (issue 13 item 5).

For a signal whose delivered BSN Eenplan does not know yet. Who: the signal team (regisseurs of
a municipality; other roles and regisseurs outside the team 403), for a signal that is open and
not matched (otherwise 404, like the koppelen page). ``GET`` asks the BRP and shows name, date of
birth and address with a confirm button; ``POST`` asks again, records the person and matches
every open signal with that BSN (:mod:`app.signalen.opnemen`), then lands on the person's
signals, where the afweging is started. The BSN travels in no address: only the signal's id.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import access
from app.access import guard
from app.db import session
from app.domain import Rol
from app.forms import Form
from app.signalen.opnemen import neem_op, zoek_in_brp
from app.signalen.validation import SignaalError
from app.signalen.views import AFWEGING, _unmatched, bp


@bp.route("/signaal/<int:signal_id>/brp", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.opnemen",
    allow=access.in_signaalteam,
)
def opnemen(signal_id: int) -> Any:
    signal = _unmatched(signal_id)
    form = Form()
    if form.validate_on_submit():
        try:
            person = neem_op(signal)
        except SignaalError as exc:
            session.rollback()  # nobody recorded, nothing matched
            return _pagina(signal, form, None, exc.message, 409)
        flash(
            _(
                "De persoon is opgenomen uit de BRP en de signalen met dit BSN zijn gekoppeld. "
                "U kunt nu de afweging starten."
            ),
            "success",
        )
        return redirect(url_for("signalen.persoon", person_id=person.id))
    try:
        gevonden = zoek_in_brp(signal)
    except SignaalError as exc:
        return _pagina(signal, form, None, exc.message, 200)
    return _pagina(signal, form, gevonden, None, 400 if form.errors else 200)


def _pagina(signal: Any, form: Form, gevonden: Any, fout: str | None, status: int) -> Any:
    return render_template(
        "signalen/opnemen.html", signal=signal, form=form, gevonden=gevonden, fout=fout
    ), status
