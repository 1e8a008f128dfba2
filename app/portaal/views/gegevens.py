"""Mijn gegevens downloaden: everything about the citizen, as one JSON file or as a readable
(printable) HTML document with the same data, logged the same way."""

from __future__ import annotations

import datetime as dt
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


def _van_iso(value: str | None) -> dt.date | dt.datetime | None:
    """An ISO date or time of the export back as a date, for the |datum filters."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


@bp.route("/gegevens/document", methods=["POST"])
@guard(
    portaal=True,
    verwerking=Verwerkingsactiviteit.INZAGE_BETROKKENE,
    name="portaal.gegevens-document",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def gegevens_document(toegang: access.PlanToegang) -> Any:
    """The same data as the JSON download, as a page to read or print (or save as PDF)."""
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    data = export.gegevens(request_user(), toegang)
    export.noteer_download(request_user(), toegang.plan.id, name="portaal.gegevens-document")
    html = render_template("portaal/gegevens_document.html", d=data, van_iso=_van_iso)
    resp = Response(html, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp
