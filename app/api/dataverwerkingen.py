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
from app.api.blueprint import V1, bp
from app.api.ldv_schemas import DataverwerkingenPagina
from app.api.schemas import DataverwerkingenQuery, DataverwerkingenZoekvraag, PaginaQuery
from app.api.validation import invalid
from app.contract import Answer, request_body, request_query
from app.domain import Verwerkingsactiviteit
from app.errors import problem
from app.logboek import current_logboek, ldv, read_lines
from app.users.models import User
from audit import LineFilter, LinePage, Subject

_ACTIVITY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_PAGE = Answer("Een pagina regels.", DataverwerkingenPagina)


def _logboek_toegang(user: User, args: dict[str, Any]) -> access.LogboekToegang:
    """The logboek lines the user may read; a user who may read none gets 403."""
    toegang = access.logboek_regels_voor(user)
    if toegang is None:
        raise NotAllowed
    return toegang


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


@V1.route(
    bp,
    "/dataverwerkingen",
    "GET",
    operation_id="listDataverwerkingen",
    summary="Logboekregels lezen (Logboek Dataverwerkingen, leesextensie)",
    description="Nieuwste eerst. Geef minstens één van dataSubjectId, traceId en "
    "processingActivityId (anders 400). De privacy officer leest alle regels; dat lezen komt "
    "zelf in het logboek (verwerkingsactiviteit toezicht-logboek), één regel per persoon van wie "
    "regels werden getoond. Een inwoner leest alleen regels over zichzelf, en uitgestelde regels "
    "pas na hun datum. Anderen: 403.",
    query=DataverwerkingenQuery,
    ok={200: _PAGE},
)
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.dataverwerkingen.lezen",
    resolve=_logboek_toegang,
)
def dataverwerkingen(toegang: access.LogboekToegang) -> Any:
    query = request_query(DataverwerkingenQuery)
    subject = query.data_subject_id or None
    trace = query.trace_id or None
    activity = query.processing_activity_id or None
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
        raise invalid(
            "dataSubjectId",
            _("Het pseudoniem uit het logboek (64 hexadecimale tekens)."),
            "pseudonym",
        )
    if activity is not None and activity.startswith(("http://", "https://")):
        activity = ldv.activity_key(activity) or activity  # the URI, as in a record
    if activity is not None and not _ACTIVITY.match(activity):
        raise invalid(
            "processingActivityId",
            _("De sleutel of de URI uit het verwerkingsregister."),
            "pattern",
        )
    size, cursor = query.page_size, query.cursor
    page = read_lines(
        toegang,
        LineFilter(data_subject_id=subject, trace_id=trace, processing_activity_id=activity),
        limit=size,
        before_seq=cursor,
    )
    return _answer(page, size)


@V1.route(
    bp,
    "/dataverwerkingen/_zoek",
    "POST",
    operation_id="zoekDataverwerkingen",
    summary="Logboekregels over een persoon, gezocht op BSN (in de body)",
    body=DataverwerkingenZoekvraag,
    query=PaginaQuery,
    ok={200: _PAGE},
    errors=("415",),
)
@guard(
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="api.dataverwerkingen.zoeken",
    resolve=_logboek_toegang,
)
def dataverwerkingen_zoeken(toegang: access.LogboekToegang) -> Any:
    bsn = request_body(DataverwerkingenZoekvraag).bsn
    query = request_query(PaginaQuery)
    size, cursor = query.page_size, query.cursor
    page = read_lines(
        toegang,
        LineFilter(data_subject_id=current_logboek().pseudonymise(Subject("BSN", bsn))),
        limit=size,
        before_seq=cursor,
    )
    return _answer(page, size)
