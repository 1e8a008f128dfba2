"""The logboek through the *Logboek Dataverwerkingen* read extension ("lezen"), version 1.1.0.

``POST /api/ldv/v1/processing-activities`` with the standard's request body — any of
``dpl.core.data_subject_id`` (+ ``dpl.core.data_subject_id_type``, default ``BSN``),
``dpl.core.processing_activity_id`` (the URI of the activity in the register Eenplan serves),
``dpl.core.foreign_operation.processor``, ``traceId`` (uuid or 32 hex), ``startTime`` and
``endTime`` (milliseconds since the epoch) — answers ``{metadata, processingActivities,
_links}``: the records newest first (:mod:`app.logboek.ldv`). A BSN goes only in the body,
never in a URL; it is turned into the log's pseudonym and never echoed.

Paging (not in the standard; as the NL API Design Rules do it with HAL ``_links``): the query
parameters ``pageSize`` (1–100, default 50) and ``cursor``; ``_links.next.href`` is the URL to
POST the same body to for the next, older page. Any other query parameter or body field is a 400.
Errors are ``application/problem+json`` in the shape of the standard's ``ProblemJson`` schema
(``status``, ``title``, ``errors[]`` with ``in``, ``location``, ``code``, ``detail``).

Who may read: as ``/api/v1/dataverwerkingen`` (:func:`app.access.logboek_regels_voor`): the
privacy officer every line, and that reading is itself logged; a citizen only their own lines;
anyone else 403.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app import access
from app.access import NotAllowed, guard, public
from app.api.ldv_schemas import LdvQuery, ListProcessingActivities, ProcessingActivityRequest
from app.contract import Answer, Api, InvalidInput, request_body, request_query
from app.contract.problems import Probleem
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.errors import problem
from app.extensions import csrf
from app.logboek import current_logboek, discard, ldv, read_lines
from app.people.services import InvalidBSN, normalise_bsn
from app.security.ratelimit import api_limit
from app.users.models import User
from audit import LineFilter, Subject

bp = Blueprint("ldv", __name__, url_prefix="/api/ldv/v1")
api_limit(bp)
csrf.exempt(bp)

API_VERSION = "1.1.0"  # the version of the standard's API this endpoint implements
LDV = Api(
    prefix="/api/ldv/v1",
    info={
        "title": "Eenplan — Logboek Dataverwerkingen, lezen",
        "version": API_VERSION,
        "description": "De standaard Logboek Dataverwerkingen, extensie lezen 1.1.0, zoals "
        "Eenplan die biedt (docs/api.md).",
    },
    problem=Probleem,
    error_texts={
        "400": "Ongeldige vraag; errors noemt wat.",
        "401": "Niet geauthenticeerd.",
        "403": "Geen recht om het logboek te lezen.",
        "406": "Alleen JSON.",
        "415": "Stuur JSON.",
        "429": "Te veel verzoeken.",
        "500": "Interne fout.",
    },
    default_errors=("400", "401", "403", "406", "415", "429", "500"),
    security=[{"bearerAuth": []}],
    security_schemes={"bearerAuth": {"type": "http", "scheme": "bearer"}},
)
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def invalid(name: str, code: str, detail: str, where: str = "body") -> InvalidInput:
    return InvalidInput([{"name": name, "code": code, "reason": detail}], where)


def ldv_problem(status: int, detail: str | None = None, errors: list[Any] | None = None) -> Any:
    extra: dict[str, Any] = {"errors": errors} if errors else {}
    return problem(status, detail, **extra)


@bp.route("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(LDV.document())


@bp.before_request
def _authenticate() -> Any:
    if request.endpoint == "ldv.openapi":
        return None
    if not current_user.is_authenticated:
        resp = ldv_problem(401, _("Stuur een geldig token mee: Authorization: Bearer <token>."))
        resp.headers["WWW-Authenticate"] = 'Bearer realm="eenplan"'
        return resp
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if not bearer and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.method == "POST" and not request.is_json:
        return ldv_problem(415, _("Stuur JSON (Content-Type: application/json)."))
    return None


@bp.errorhandler(InvalidInput)
def _invalid(exc: InvalidInput) -> Any:
    """In the standard's ProblemJson shape: ``errors`` with ``in``, ``location``, ``code``."""
    discard(session)
    errors = [
        {
            "in": exc.where,
            "location": "#/" + ("" if p["name"] == "body" else p["name"]),
            "code": p["code"],
            "detail": p["reason"],
        }
        for p in exc.params
    ]
    return ldv_problem(400, _("Controleer de invoer."), errors)


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    discard(session)
    return ldv_problem(exc.code or 500)


def _toegang(user: User, args: dict[str, Any]) -> access.LogboekToegang:
    toegang = access.logboek_regels_voor(user)
    if toegang is None:
        raise NotAllowed
    return toegang


def _ms(value: int | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)


def _subject(data: ProcessingActivityRequest) -> str | None:
    value = data.data_subject_id.strip() if data.data_subject_id else None
    id_type = data.data_subject_id_type.strip() if data.data_subject_id_type else None
    if value is None:
        if id_type is not None:
            raise invalid(
                "dpl.core.data_subject_id",
                "required",
                "Geef bij dpl.core.data_subject_id_type ook dpl.core.data_subject_id mee.",
            )
        return None
    logboek = current_logboek()
    if logboek.is_pseudonym(value):  # as served in a record
        return value
    id_type = id_type or "BSN"
    if id_type == "BSN":
        try:
            bsn = normalise_bsn(value)
        except InvalidBSN as exc:
            raise invalid("dpl.core.data_subject_id", "bsn", str(exc)) from None
        return logboek.pseudonymise(Subject("BSN", bsn))
    return logboek.pseudonymise(Subject(id_type, value))


def _activity(value: str | None) -> str | None:
    if value is None:
        return None
    key = ldv.activity_key(value.strip())
    if key is None:
        raise invalid(
            "dpl.core.processing_activity_id",
            "format",
            _(
                "De URI van de verwerkingsactiviteit uit het verwerkingsregister, zoals in een record."
            ),
        )
    return key


def _processor(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    value = value.strip()
    if not urlsplit(value).scheme:
        raise invalid(
            "dpl.core.foreign_operation.processor", "format", _("Een URI van een applicatie.")
        )
    return tuple(name for name, uri in ldv.applications().items() if uri == value)


def _trace(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.lower()
    if _UUID.match(text):
        text = text.replace("-", "")
    if not _HEX32.match(text) or set(text) == {"0"}:
        raise invalid("traceId", "format", _("Een trace-id: een uuid of 32 hexadecimale tekens."))
    return text


def line_filter(data: ProcessingActivityRequest) -> LineFilter:
    """The standard's request body as a filter of the logboek (400 when it does not fit)."""
    since, until = _ms(data.start_time), _ms(data.end_time)
    if since and until and until < since:
        raise invalid("endTime", "range", _("endTime ligt voor startTime."))
    return LineFilter(
        data_subject_id=_subject(data),
        trace_id=_trace(data.trace_id),
        processing_activity_id=_activity(data.processing_activity_id),
        parties=_processor(data.processor),
        since=since,
        until=until + dt.timedelta(milliseconds=1) if until else None,
    )


@LDV.route(
    bp,
    "/processing-activities",
    "POST",
    operation_id="listProcessingActivitiesPost",
    summary="Logboekregels (Logboek Dataverwerkingen, extensie lezen 1.1.0)",
    description="Nieuwste eerst. Een BSN alleen in de body. Wie mag lezen: de privacy officer "
    "alles (dat lezen komt zelf in het logboek), een inwoner alleen regels over zichzelf.",
    body=ProcessingActivityRequest,
    query=LdvQuery,
    ok={200: Answer("Een pagina regels.", ListProcessingActivities)},
)
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.ldv.processing_activities",
    resolve=_toegang,
)
def processing_activities(toegang: access.LogboekToegang) -> Any:
    known = LDV.query_names(request.endpoint, request.method)
    for name in sorted(request.args):
        if name not in known:
            raise invalid(name, "unknown", _("Onbekende queryparameter."), "query")
    paging = request_query(LdvQuery)
    wanted = line_filter(request_body(ProcessingActivityRequest))
    size = paging.page_size
    page = read_lines(toegang, wanted, limit=size, before_seq=paging.cursor)
    here = url_for(".processing_activities", _external=True)
    links: dict[str, Any] = {"self": {"href": request.url}}
    if page.next_before:
        query = urlencode({"pageSize": size, "cursor": page.next_before})
        links["next"] = {"href": f"{here}?{query}"}
    return jsonify(
        {
            "metadata": {
                "logbookId": here.rsplit("/", 1)[0],
                "organizationName": str(current_app.config["EENPLAN_MUNICIPALITY"]),
            },
            "processingActivities": ldv.records(page.lines),
            "_links": links,
        }
    )


__all__ = ["API_VERSION", "bp", "line_filter"]
