"""Mijn gegevens downloaden: everything about the citizen, as one JSON file."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, render_template
from werkzeug.wrappers import Response

from app import access
from app.access import guard
from app.clock import today
from app.domain import Verwerkingsactiviteit
from app.portaal import export
from app.portaal.forms import KnopForm
from app.portaal.views.base import (
    EIGEN_PLAN,
    EIGEN_PLAN_ID,
    INZAGE,
    bestaat,
    bp,
    request_user,
    weigering,
)


@bp.route("/gegevens")
@guard(portaal=True, verwerking=INZAGE, name="portaal.gegevens", resolve=EIGEN_PLAN_ID)
def gegevens(toegang: int | None) -> Any:
    if toegang is None:
        return weigering("geen-plan")
    return render_template("portaal/gegevens.html", knop=KnopForm())


@bp.route("/gegevens/download", methods=["POST"])
@guard(
    portaal=True,
    verwerking=Verwerkingsactiviteit.INZAGE_BETROKKENE,
    name="portaal.gegevens-downloaden",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def gegevens_download(toegang: access.PlanToegang) -> Any:
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    data = export.gegevens(request_user(), toegang)
    export.noteer_download(request_user(), toegang.plan.id)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    resp = Response(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="mijn-eenplan-{today().isoformat()}.json"'
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp
