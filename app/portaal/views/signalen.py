"""Signalen over mij (rule 13)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from app import access
from app.access import guard
from app.portaal.views.base import EIGEN_PLAN_ID, INZAGE, bp, request_user
from app.signalen.status import afwegingen_voor_inwoner, signalen_over_inwoner
from app.signalen.verwijderd import verwijderde_signalen


@bp.route("/signalen")
@guard(portaal=True, verwerking=INZAGE, name="portaal.signalen", resolve=EIGEN_PLAN_ID)
def signalen(toegang: int | None) -> Any:
    """Signalen over mij (rule 13): every kept signal about the citizen, with its source and
    status, and the weighing (afwegingskader) with every step. Their own data: no log line."""
    user = request_user()
    person_id = user.person_id
    assert person_id is not None
    return render_template(
        "portaal/signalen.html",
        signalen=signalen_over_inwoner(person_id),
        verwijderd=verwijderde_signalen(access.logboek_regels_voor(user)),
        afwegingen=afwegingen_voor_inwoner(person_id),
        heeft_plan=toegang is not None,
    )
