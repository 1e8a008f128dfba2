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
from app.api.blueprint import api_contact
from app.api.openapi.others import ldv_document
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.errors import problem
from app.extensions import csrf
from app.logboek import MAX_PAGE_SIZE, current_logboek, discard, ldv, read_lines
from app.people.services import InvalidBSN, normalise_bsn
from app.security.ratelimit import api_limit
from app.users.models import User
from audit import LineFilter, Subject

bp = Blueprint("ldv", __name__, url_prefix="/api/ldv/v1")
api_limit(bp)
csrf.exempt(bp)

API_VERSION = "1.1.0"  # the version of the standard's API this endpoint implements
DEFAULT_PAGE_SIZE = 50
FIELDS = frozenset(
    {
        "dpl.core.processing_activity_id",
        "dpl.core.data_subject_id",
        "dpl.core.data_subject_id_type",
        "dpl.core.foreign_operation.processor",
        "traceId",
        "startTime",
        "endTime",
    }
)
QUERY = frozenset({"pageSize", "cursor"})
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


class Invalid(Exception):
    """A request that does not fit; answered 400 with the standard's ``errors``."""

    def __init__(self, where: str, name: str, code: str, detail: str) -> None:
        super().__init__(detail)
        self.error = {"in": where, "location": f"#/{name}", "code": code, "detail": detail}


def ldv_problem(status: int, detail: str | None = None, errors: list[Any] | None = None) -> Any:
    extra: dict[str, Any] = {"errors": errors} if errors else {}
    return problem(status, detail, **extra)


@bp.route("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(ldv_document(api_contact()))


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


@bp.errorhandler(Invalid)
def _invalid(exc: Invalid) -> Any:
    discard(session)
    return ldv_problem(400, _("Controleer de invoer."), [exc.error])


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    discard(session)
    return ldv_problem(exc.code or 500)


def _toegang(user: User, args: dict[str, Any]) -> access.LogboekToegang:
    toegang = access.logboek_regels_voor(user)
    if toegang is None:
        raise NotAllowed
    return toegang


def _int_query(name: str, value: str | None, low: int, high: int, default: int | None) -> Any:
    if value in (None, ""):
        return default
    assert value is not None
    if not value.isdigit() or not low <= int(value) <= high:
        raise Invalid("query", name, "range", f"Een geheel getal van {low} tot en met {high}.")
    return int(value)


def _ms(data: dict[str, Any], name: str) -> dt.datetime | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MS:
        raise Invalid("body", name, "type", _("Milliseconden sinds 1970-01-01T00:00:00Z (int64)."))
    return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)


def _text(data: dict[str, Any], name: str, max_len: int = 300) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len or "\x00" in value:
        raise Invalid("body", name, "type", f"Een tekst van hoogstens {max_len} tekens.")
    return value.strip()


def _subject(data: dict[str, Any]) -> str | None:
    value = _text(data, "dpl.core.data_subject_id", 64)
    id_type = _text(data, "dpl.core.data_subject_id_type", 40)
    if value is None:
        if id_type is not None:
            raise Invalid(
                "body",
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
            raise Invalid("body", "dpl.core.data_subject_id", "bsn", str(exc)) from None
        return logboek.pseudonymise(Subject("BSN", bsn))
    return logboek.pseudonymise(Subject(id_type, value))


def _activity(data: dict[str, Any]) -> str | None:
    value = _text(data, "dpl.core.processing_activity_id", 500)
    if value is None:
        return None
    key = ldv.activity_key(value)
    if key is None:
        raise Invalid(
            "body",
            "dpl.core.processing_activity_id",
            "format",
            _(
                "De URI van de verwerkingsactiviteit uit het verwerkingsregister, zoals in een record."
            ),
        )
    return key


def _processor(data: dict[str, Any]) -> tuple[str, ...] | None:
    value = _text(data, "dpl.core.foreign_operation.processor", 500)
    if value is None:
        return None
    if not urlsplit(value).scheme:
        raise Invalid(
            "body",
            "dpl.core.foreign_operation.processor",
            "format",
            _("Een URI van een applicatie."),
        )
    return tuple(name for name, uri in ldv.applications().items() if uri == value)


def _trace(data: dict[str, Any]) -> str | None:
    value = data.get("traceId")
    if value is None:
        return None
    text = value.lower() if isinstance(value, str) else ""
    if _UUID.match(text):
        text = text.replace("-", "")
    if not _HEX32.match(text) or set(text) == {"0"}:
        raise Invalid(
            "body", "traceId", "format", _("Een trace-id: een uuid of 32 hexadecimale tekens.")
        )
    return text


def line_filter(data: Any) -> LineFilter:
    """The standard's request body as a filter of the logboek (400 when it does not fit)."""
    if not isinstance(data, dict):
        raise Invalid("body", "", "type", _("Stuur een JSON-object."))
    for name in sorted(data):
        if name not in FIELDS:
            raise Invalid("body", name, "unknown", _("Dit veld kent de standaard niet."))
    if not data:
        raise Invalid(
            "body", "", "minProperties", _("Geef minstens één filter mee, zo precies mogelijk.")
        )
    since, until = _ms(data, "startTime"), _ms(data, "endTime")
    if since and until and until < since:
        raise Invalid("body", "endTime", "range", _("endTime ligt voor startTime."))
    return LineFilter(
        data_subject_id=_subject(data),
        trace_id=_trace(data),
        processing_activity_id=_activity(data),
        parties=_processor(data),
        since=since,
        until=until + dt.timedelta(milliseconds=1) if until else None,
    )


@bp.route("/processing-activities", methods=["POST"])
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.ldv.processing_activities",
    resolve=_toegang,
)
def processing_activities(toegang: access.LogboekToegang) -> Any:
    for name in sorted(request.args):
        if name not in QUERY:
            raise Invalid("query", name, "unknown", _("Onbekende queryparameter."))
    size = _int_query("pageSize", request.args.get("pageSize"), 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
    cursor = _int_query("cursor", request.args.get("cursor"), 1, 2**62, None)
    wanted = line_filter(request.get_json(silent=True))
    page = read_lines(toegang, wanted, limit=size, before_seq=cursor)
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
