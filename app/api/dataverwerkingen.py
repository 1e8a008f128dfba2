"""Read API for the logboek, in the style of the *Logboek Dataverwerkingen* read extension.

``GET /api/v1/dataverwerkingen?dataSubjectId=…|traceId=…|processingActivityId=…`` answers the
lines in the standard's shape (:meth:`audit.LogLine.to_ldv`), newest first, a page at a time
(``pageSize`` at most 100, ``cursor`` for the next page). ``dataSubjectId`` is the *pseudonym*
as stored in the log, never a BSN: a BSN goes in the body of
``POST /api/v1/dataverwerkingen/_zoek``.

Who may read what is decided in :func:`app.access.logboek_regels_voor` (the privacy officer all
lines, a citizen their own; anyone else 403); the privacy officer's reading is itself logged
(:mod:`app.logboek.reading`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import jsonify, request
from flask_babel import gettext as _

from app import access
from app.access import NotAllowed, guard
from app.api.blueprint import bp
from app.api.validation import invalid
from app.api.validation import json_body as _body
from app.api.validation import text_field as _str
from app.domain import Verwerkingsactiviteit
from app.errors import problem
from app.logboek import MAX_PAGE_SIZE, current_logboek, ldv, read_lines
from app.people.services import InvalidBSN, normalise_bsn
from app.users.models import User
from audit import LineFilter, LinePage, Subject

_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_ACTIVITY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
DEFAULT_PAGE_SIZE = 50


def _logboek_toegang(user: User, args: dict[str, Any]) -> access.LogboekToegang:
    """The logboek lines the user may read; a user who may read none gets 403."""
    toegang = access.logboek_regels_voor(user)
    if toegang is None:
        raise NotAllowed
    return toegang


def _page_size(value: Any) -> int:
    if value in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise invalid("pageSize", _("Een geheel getal."), "integer") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid("pageSize", f"Tussen 1 en {MAX_PAGE_SIZE}.", "maximum")
    return size


def _cursor(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        cursor = int(value)
    except (TypeError, ValueError):
        raise invalid("cursor", _("Gebruik de cursor uit het vorige antwoord."), "cursor") from None
    if cursor < 1:
        raise invalid("cursor", _("Gebruik de cursor uit het vorige antwoord."), "cursor")
    return cursor


def _answer(page: LinePage, size: int) -> Any:
    """A page in the API's one paging style: ``_embedded``, ``pageSize`` and HAL ``_links``
    (``next`` while there are older lines: the same request with that link's query)."""
    body: dict[str, Any] = {
        "_embedded": {"dataverwerkingen": ldv.records(page.lines)},
        "pageSize": size,
        "_links": {"self": {"href": request.full_path.rstrip("?")}},
    }
    if page.next_before:
        params = {k: v for k, v in request.args.items() if k != "cursor"}
        params["cursor"] = str(page.next_before)
        body["_links"]["next"] = {"href": f"{request.path}?{urlencode(params)}"}
    return jsonify(body)


@bp.route("/dataverwerkingen", methods=["GET"])
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.dataverwerkingen.lezen",
    resolve=_logboek_toegang,
)
def dataverwerkingen(toegang: access.LogboekToegang) -> Any:
    args = request.args
    subject = args.get("dataSubjectId") or None
    trace = args.get("traceId") or None
    activity = args.get("processingActivityId") or None
    if not (subject or trace or activity):
        return problem(
            400,
            _("Geef dataSubjectId, traceId of processingActivityId mee."),
            invalidParams=[
                {
                    "name": name,
                    "code": "required",
                    "reason": _(
                        "Eén van dataSubjectId, traceId en processingActivityId is verplicht."
                    ),
                }
                for name in ("dataSubjectId", "traceId", "processingActivityId")
            ],
        )
    if subject is not None and not current_logboek().is_pseudonym(subject):
        reason = (
            "Een BSN hoort niet in een URL: zoek met POST /dataverwerkingen/_zoek."
            if subject.strip().isdigit()
            else _("Het pseudoniem uit het logboek (64 hexadecimale tekens).")
        )
        raise invalid("dataSubjectId", reason, "pseudonym")
    if trace is not None and not _HEX32.match(trace):
        raise invalid("traceId", _("Een W3C trace-id: 32 hexadecimale tekens."), "traceId")
    if activity is not None and activity.startswith(("http://", "https://")):
        activity = ldv.activity_key(activity) or activity  # the URI, as in a record
    if activity is not None and not _ACTIVITY.match(activity):
        raise invalid(
            "processingActivityId",
            _("De sleutel of de URI uit het verwerkingsregister."),
            "pattern",
        )
    size = _page_size(args.get("pageSize"))
    cursor = _cursor(args.get("cursor"))
    page = read_lines(
        toegang,
        LineFilter(data_subject_id=subject, trace_id=trace, processing_activity_id=activity),
        limit=size,
        before_seq=cursor,
    )
    return _answer(page, size)


@bp.route("/dataverwerkingen/_zoek", methods=["POST"])
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.dataverwerkingen.zoeken",
    resolve=_logboek_toegang,
)
def dataverwerkingen_zoeken(toegang: access.LogboekToegang) -> Any:
    data = _body()
    try:
        bsn = normalise_bsn(_str(data, "bsn", required=True, max_len=20) or "")
    except InvalidBSN as exc:
        raise invalid("bsn", str(exc), "bsn") from None
    for name in sorted(set(data) - {"bsn"}):
        raise invalid(name, _("Onbekend veld; pageSize en cursor gaan in de query."), "unknown")
    size = _page_size(request.args.get("pageSize"))
    cursor = _cursor(request.args.get("cursor"))
    page = read_lines(
        toegang,
        LineFilter(data_subject_id=current_logboek().pseudonymise(Subject("BSN", bsn))),
        limit=size,
        before_seq=cursor,
    )
    return _answer(page, size)
