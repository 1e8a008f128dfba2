"""What the contract (app.api.schemas) cannot say: paging links, the version the client saw,
and the problem+json answers for requests that do not fit the data (412, 422, 428)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import gettext as _

from app.api.schemas import AdresInvoer, PersoonNieuw
from app.contract import InvalidInput
from app.db import session
from app.errors import problem
from app.logboek import current_ledger, discard
from app.people.services import PersonGegevens
from app.plans import services
from audit import STATUS_ERROR

_IF_MATCH = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": _IF_MATCH.pattern},
    "description": 'De versie die u ophaalde, bijv. "3". Of stuur "version" in de body.',
}


def invalid(name: str, reason: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput([{"name": name, "code": code, "reason": reason}])


def page_links(page: int, size: int, pages: int) -> dict[str, dict[str, str]]:
    """HAL links of a numbered page (the API's one paging style: follow ``_links.next``)."""

    def href(n: int) -> str:
        params = {k: v for k, v in request.args.items() if k not in ("page", "pageSize")}
        return f"{request.path}?{urlencode({**params, 'page': n, 'pageSize': size})}"

    links = {
        "self": {"href": href(page)},
        "first": {"href": href(1)},
        "last": {"href": href(pages)},
    }
    if page > 1:
        links["prev"] = {"href": href(min(page - 1, pages))}
    if page < pages:
        links["next"] = {"href": href(page + 1)}
    return links


def expected_version(in_body: int | None) -> int:
    """The version the client saw: ``If-Match``, else ``version`` from the body, else 428."""
    header = request.headers.get("If-Match")
    if header is not None:
        m = _IF_MATCH.match(header.strip())
        if not m:
            raise invalid("If-Match", 'De versie als ETag, bijvoorbeeld "3".', "etag")
        return int(m.group(2))
    if in_body is not None:
        return in_body
    abort(428)


def conflict(current: Any) -> Any:
    discard(session)
    resp = problem(
        412,
        _(
            "Iemand anders heeft dit gewijzigd sinds u het ophaalde. Haal de nieuwe versie op en probeer opnieuw."
        ),
        currentVersion=current.version,
    )
    return resp


def plan_error(exc: services.PlanError) -> InvalidInput:
    """A domain rule said no: the request was well-formed (else a 400 came earlier), but does not
    fit the data or the state of the object: 422."""
    name = {
        "organisation_id": "organisatieId",
        "end_date": "einddatum",
        "uitvoerder_soort": "uitvoerderSoort",
        "toestemming_wijze": "toestemming.wijze",
        "toestemming_gegeven_door": "toestemming.gegevenDoor",
        "mandaat": "mandaatId",
    }.get(exc.field or "", exc.field or "body")
    return InvalidInput([{"name": name, "code": "invalid", "reason": exc.message}], status=422)


def unprocessable(name: str, reason: str, code: str = "invalid") -> InvalidInput:
    return InvalidInput([{"name": name, "code": code, "reason": reason}], status=422)


def mark_failed() -> None:
    """The action failed after it had told the caller something about a person: the lines
    still written carry the status ``Error`` (Logboek Dataverwerkingen)."""
    current_ledger().status = STATUS_ERROR


def logged_refusal(exc: InvalidInput) -> Any:
    """A refusal after a person was looked up by BSN: what was done is undone, but (unlike an
    error raised to the blueprint's handler, which discards the ledger) the logboek lines are
    written — the answer told the caller something about the person (that they are known, have
    a plan, or are not known at all), as the HTML form's answer does. The action failed: its
    lines carry the status ``Error``."""
    session.rollback()
    mark_failed()
    return problem(exc.status, _("Controleer de invoer."), invalidParams=exc.params)


def person_input(p: PersoonNieuw) -> PersonGegevens:
    """A new person as the client sent it (``bsn`` is filled in by the caller)."""
    adres = p.adres or AdresInvoer()
    return PersonGegevens(
        bsn="",
        voornamen=p.voornamen,
        tussenvoegsel=p.tussenvoegsel or None,
        achternaam=p.achternaam,
        geboortedatum=p.geboortedatum,
        straat=adres.straat or None,
        huisnummer=adres.huisnummer or None,
        huisnummer_toevoeging=adres.huisnummertoevoeging or None,
        postcode=adres.postcode or None,
        woonplaats=adres.woonplaats or None,
    )
