"""Signalen over mij (rule 13)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from app.logboek import verwerking
from app.portaal import services
from app.portaal.views.base import INZAGE, bp, burger_required, request_user
from app.signalen.status import afwegingen_voor_inwoner, signalen_over_inwoner


@bp.route("/signalen")
@burger_required
@verwerking(INZAGE, name="portaal.signalen")
def signalen() -> Any:
    """Signalen over mij (rule 13): every kept signal about the citizen, with its source and
    status, and the weighing (afwegingskader) with every step. Their own data: no log line."""
    person_id = request_user().person_id
    assert person_id is not None
    return render_template(
        "portaal/signalen.html",
        signalen=signalen_over_inwoner(person_id),
        afwegingen=afwegingen_voor_inwoner(person_id),
        heeft_plan=services.eigen_plan_id(request_user()) is not None,
    )
