"""Mijn gegevens downloaden: everything about the citizen, as one JSON file."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, render_template
from werkzeug.wrappers import Response

from app.clock import today
from app.logboek import verwerking
from app.portaal import export, services
from app.portaal.forms import KnopForm
from app.portaal.views.base import (
    INZAGE,
    bp,
    burger_required,
    eigen_toegang_of_404,
    request_user,
    weigering,
)


@bp.route("/gegevens")
@burger_required
@verwerking(INZAGE, name="portaal.gegevens")
def gegevens() -> Any:
    if services.eigen_plan_id(request_user()) is None:
        return weigering("geen-plan")
    return render_template("portaal/gegevens.html", knop=KnopForm())


@bp.route("/gegevens/download", methods=["POST"])
@burger_required
@verwerking(export.VERWERKING, name="portaal.gegevens-downloaden")
def gegevens_download() -> Any:
    toegang = eigen_toegang_of_404()
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
