"""The API for source organisations: single signals and bulk delivery (JSON Lines, CSV).

Authentication: ``Authorization: Bearer <bron token>`` — an organisation-scoped token made
with ``flask signals token BRON`` (only its hash is stored; never in a URL). A token reaches
only the sources of its own organisation; any other source is 404. The blueprint checks the
token before any route runs; the routes are marked :func:`~app.access.guard.source_system`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.access.guard import source_system
from app.api import API_VERSION
from app.api.blueprint import V1
from app.contract import Answer, PathParam
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.errors import problem
from app.extensions import csrf
from app.logboek import current_ledger, discard
from app.security import tracing
from app.security.ratelimit import api_limit
from app.signalen.bronstatus import levering_status
from app.signalen.inrichting import bron, bron_actor, organisatie_voor_token
from app.signalen.intake import ontvang
from app.signalen.models import SignaalBron
from app.signalen.schemas import (
    BronCode,
    BronReferentie,
    BronSignaal,
    BronSignaalOntvangen,
    BronSignaalStatus,
    Leveringsrapport,
)
from app.signalen.validation import SignaalError, valideer_rij

bp = Blueprint("bronnen_api", __name__, url_prefix="/api/v1/bronnen")
api_limit(bp)
csrf.exempt(bp)

V1.path_params.update(
    bron_code=PathParam("bronCode", BronCode),
    bron_referentie=PathParam("bronReferentie", BronReferentie),
)
BRON_SECURITY: list[dict[str, list[str]]] = [{"bronAuth": []}]
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
CSV_TYPES = ("text/csv",)


@bp.before_request
def _authenticate() -> Any:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    org = None
    if scheme.lower() == "bearer" and value.strip():
        org = organisatie_voor_token(value.strip())
    if org is None:
        discard(session)
        resp = problem(401, "Stuur een geldig brontoken mee: Authorization: Bearer <token>.")
        resp.headers["WWW-Authenticate"] = 'Bearer realm="eenplan-bronnen"'
        return resp
    g.bron_organisatie = org
    tracing.trust_caller()  # a source system (authenticated): its traceparent is continued
    return None


@bp.after_request
def _version_header(resp: Any) -> Any:
    resp.headers["API-Version"] = API_VERSION
    return resp


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    discard(session)
    return problem(exc.code or 500)


def _bron(code: str) -> SignaalBron | None:
    b = bron(code)
    org = g.bron_organisatie
    if b is None or not b.actief:
        return None
    if b.organisation_id is None or b.organisation_id != org.id:
        return None
    current_ledger().actor = bron_actor(b, org)
    return b


def _refuse(status: int, field: str, reason: str) -> Any:
    discard(session)
    return problem(
        status,
        _("Controleer de invoer."),
        invalidParams=[{"name": field, "code": "invalid", "reason": reason}],
    )


@V1.route(
    bp,
    "/<bron_code>/signalen",
    "POST",
    operation_id="bronSignaal",
    summary="Eén signaal aanleveren (bronsystemen, met een brontoken)",
    body=BronSignaal,  # checked per source by valideer_rij (as bulk rows are)
    ok={
        201: Answer("Opgeslagen.", BronSignaalOntvangen),
        200: Answer("Al eerder ontvangen (zelfde bronReferentie).", BronSignaalOntvangen),
    },
    errors=("415", "422"),
    security=BRON_SECURITY,
)
@source_system(verwerking=Verwerkingsactiviteit.VROEGSIGNALERING_SCHULDEN, name="api.bron.signaal")
def signaal(bron_code: str) -> Any:
    """One signal (a JSON object). 201 stored, 200 already received (same bronReferentie)."""
    b = _bron(bron_code)
    if b is None:
        discard(session)
        return problem(404)
    if not request.is_json:
        discard(session)
        return problem(415, _("Stuur JSON (Content-Type: application/json)."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _refuse(400, "body", _("Stuur een JSON-object."))
    try:
        valideer_rij(b, 1, data)
    except SignaalError as exc:
        return _refuse(exc.status, exc.field or "body", exc.message)
    rapport = ontvang(b, [(1, data)], actor=current_ledger().actor)  # type: ignore[arg-type]
    if rapport.opgeslagen:
        _key, signal_id = rapport.opgeslagen[0]
        resp = jsonify(
            {"id": signal_id, "bronReferentie": data["bronReferentie"], "status": "opgeslagen"}
        )
        resp.status_code = 201
        return resp
    return jsonify({"id": None, "bronReferentie": data["bronReferentie"], "status": "dubbel"})


@V1.route(
    bp,
    "/<bron_code>/signalen/<path:bron_referentie>",
    "GET",
    operation_id="bronSignaalStatus",
    summary="De status van een eigen levering opvragen, met uw eigen kenmerk",
    description="Alleen signalen van deze bron, met een token van de organisatie van de bron; "
    "een onbekend kenmerk of dat van een andere bron geeft 404.",
    ok={200: Answer("De status.", BronSignaalStatus)},
    security=BRON_SECURITY,
)
@source_system(verwerking=Verwerkingsactiviteit.VROEGSIGNALERING_SCHULDEN, name="api.bron.status")
def status(bron_code: str, bron_referentie: str) -> Any:
    """The status of one of this source's own deliveries, by its own reference; 404 for an
    unknown reference and for another source's (the token's organisation's sources only)."""
    b = _bron(bron_code)
    found = levering_status(b, bron_referentie) if b is not None else None
    if found is None:
        discard(session)
        return problem(404, _("Geen signaal van deze bron met dit kenmerk."))
    return jsonify(found)


def _jsonl_rows(text: str) -> list[tuple[int, Any]]:
    rows: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except (ValueError, RecursionError):
            rows.append((number, SignaalError(_("Geen geldige JSON op deze regel."), "regel")))
    return rows


def _csv_rows(text: str) -> list[tuple[int, Any]]:
    """Rows of a CSV file with a header line; numbered by the file's line (the header is 1)."""
    rows: list[tuple[int, Any]] = []
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    try:
        for fields in reader:
            number = reader.line_num
            if header is None:
                header = [h.strip().lstrip("\ufeff") for h in fields]
                continue
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                rows.append(
                    (
                        number,
                        SignaalError(
                            _(
                                "%(fields)s kolommen, de kopregel heeft er %(header)s.",
                                fields=len(fields),
                                header=len(header),
                            ),
                            "regel",
                        ),
                    )
                )
                continue
            rows.append(
                (number, {h: (v if v != "" else None) for h, v in zip(header, fields, strict=True)})
            )
    except csv.Error as exc:
        rows.append(
            (reader.line_num, SignaalError(_("Onleesbare CSV: %(exc)s.", exc=exc), "regel"))
        )
    return rows


@V1.route(
    bp,
    "/<bron_code>/signalen/_bulk",
    "POST",
    operation_id="bronLevering",
    summary="Veel signalen tegelijk: JSON Lines of CSV met kopregel",
    description="Elke geldige regel wordt opgeslagen, elke ongeldige regel genoemd met "
    "regelnummer en reden, en een regel met een al ontvangen bronReferentie niet opnieuw "
    "opgeslagen. In CSV is regel 1 de kopregel (kolommen als de velden van BronSignaal; domeinen "
    "gescheiden door komma of puntkomma).",
    raw_body={
        "application/x-ndjson": {"schema": {"type": "string", "minLength": 1}},
        "text/csv": {"schema": {"type": "string", "minLength": 1}},
    },
    ok={200: Answer("Het rapport per regel.", Leveringsrapport)},
    errors=("415",),
    security=BRON_SECURITY,
)
@source_system(verwerking=Verwerkingsactiviteit.VROEGSIGNALERING_SCHULDEN, name="api.bron.levering")
def levering(bron_code: str) -> Any:
    """A delivery of many signals: JSON Lines or CSV. Answers with a report per row."""
    b = _bron(bron_code)
    if b is None:
        discard(session)
        return problem(404)
    mimetype = request.mimetype
    if mimetype not in JSONL_TYPES + CSV_TYPES:
        discard(session)
        return problem(415, _("Stuur JSON Lines (application/x-ndjson) of CSV (text/csv)."))
    try:
        text = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        return _refuse(400, "body", _("De levering is geen UTF-8."))
    if not text:
        return _refuse(400, "body", _("De levering is leeg."))
    uit_csv = mimetype in CSV_TYPES
    rows = _csv_rows(text) if uit_csv else _jsonl_rows(text)
    rapport = ontvang(
        b,
        rows,
        actor=current_ledger().actor,  # type: ignore[arg-type]
        uit_csv=uit_csv,
    )
    return jsonify(rapport.json())


__all__ = ["bp"]
