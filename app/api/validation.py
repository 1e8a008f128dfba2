"""Reading an API request: the JSON body and its fields, paging, the version the client saw;
and the problem+json answers for input that does not fit (400, 412, 422)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import gettext as _

from app.db import session
from app.errors import problem
from app.logboek import current_ledger, discard
from app.people.services import InvalidBSN, PersonGegevens, normalise_bsn
from app.plans import services
from audit import STATUS_ERROR


class InvalidParams(Exception):
    def __init__(self, params: list[dict[str, str]], status: int = 400) -> None:
        super().__init__("invalid params")
        self.params = params
        self.status = status


def invalid(name: str, reason: str, code: str = "invalid") -> InvalidParams:
    return InvalidParams([{"name": name, "code": code, "reason": reason}])


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidParams(
            [{"name": "body", "code": "invalid", "reason": _("Stuur een JSON-object.")}]
        )
    return data


MAX_ID = 2_147_483_647  # ids and versions are 32-bit integers (as the OpenAPI document says)
MAX_PAGE = 100_000
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_BSN = re.compile(r"^[0-9]{9}$")
_IF_MATCH = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')


def date_field(data: dict[str, Any], name: str, required: bool = False) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise invalid(name, _("Verplicht veld."), "required")
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise invalid(name, _("Een datum als JJJJ-MM-DD."), "date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(name, _("Een datum als JJJJ-MM-DD."), "date") from None


def _clean_text(name: str, value: str) -> str:
    """No NUL characters and no lone surrogates: they cannot be stored (and are never text)."""
    if "\x00" in value:
        raise invalid(name, _("Tekst zonder NUL-tekens."), "pattern")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(name, _("Geen geldige Unicode-tekst."), "pattern") from None
    return value


def text_field(
    data: dict[str, Any], name: str, required: bool = False, max_len: int = 5000
) -> str | None:
    value = data.get(name)
    if value is None or value == "" or (required and isinstance(value, str) and not value.strip()):
        if required:
            raise invalid(name, _("Verplicht veld."), "required")
        return None
    if not isinstance(value, str):
        raise invalid(name, _("Tekst verwacht."), "string")
    if len(value) > max_len:
        raise invalid(name, f"Hooguit {max_len} tekens.", "maxLength")
    return _clean_text(name, value)


def enum_field(
    data: dict[str, Any], name: str, allowed: Any, *, required: bool = False
) -> str | None:
    value = text_field(data, name, required=required, max_len=100)
    if value is not None and value not in set(allowed):
        raise invalid(
            name, _("Een van: %(keuzes)s", keuzes=", ".join(str(a) for a in allowed)), "enum"
        )
    return value


def bsn_field(data: dict[str, Any], name: str = "bsn") -> str:
    value = text_field(data, name, required=True, max_len=20) or ""
    if not _BSN.match(value):
        raise invalid(name, _("Een BSN heeft precies 9 cijfers."), "bsn")
    try:
        return normalise_bsn(value)
    except InvalidBSN as exc:
        raise invalid(name, str(exc), "bsn") from None


def int_field(data: dict[str, Any], name: str, minimum: int = 1) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 3.0 is the integer 3
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(name, _("Een geheel getal verwacht."), "integer")
    if not minimum <= value <= MAX_ID:
        raise invalid(name, f"Een geheel getal van {minimum} tot en met {MAX_ID}.", "range")
    return value


def object_field(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(name, _("Een JSON-object verwacht."), "object")
    return value


def page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise invalid("page", _("Een geheel getal."), "integer") from None
    try:
        size = int(request.args.get("pageSize", "20"))
    except ValueError:
        raise invalid("pageSize", _("Een geheel getal."), "integer") from None
    if not 1 <= page <= MAX_PAGE:
        raise invalid("page", f"Van 1 tot en met {MAX_PAGE}.", "minimum")
    if not 1 <= size <= 100:
        raise invalid("pageSize", _("Tussen 1 en 100."), "maximum")
    return page, size


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


def expected_version(data: dict[str, Any] | None) -> int:
    in_body = int_field(data, "version", minimum=0) if data is not None else None
    header = request.headers.get("If-Match")
    if header is not None:
        m = _IF_MATCH.match(header.strip())
        if not m:
            raise invalid("If-Match", _('De versie als ETag, bijvoorbeeld "3".'), "etag")
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


def plan_error(exc: services.PlanError) -> InvalidParams:
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
    return InvalidParams([{"name": name, "code": "invalid", "reason": exc.message}], status=422)


def unprocessable(name: str, reason: str, code: str = "invalid") -> InvalidParams:
    return InvalidParams([{"name": name, "code": code, "reason": reason}], status=422)


def mark_failed() -> None:
    """The action failed after it had told the caller something about a person: the lines
    still written carry the status ``Error`` (Logboek Dataverwerkingen)."""
    current_ledger().status = STATUS_ERROR


def logged_refusal(exc: InvalidParams) -> Any:
    """A refusal after a person was looked up by BSN: what was done is undone, but (unlike an
    error raised to the blueprint's handler, which discards the ledger) the logboek lines are
    written — the answer told the caller something about the person (that they are known, have
    a plan, or are not known at all), as the HTML form's answer does. The action failed: its
    lines carry the status ``Error``."""
    session.rollback()
    mark_failed()
    return problem(exc.status, _("Controleer de invoer."), invalidParams=exc.params)


def person_input(pdata: dict[str, Any]) -> PersonGegevens:
    """A new person as the client sent it (``bsn`` is filled in by the caller)."""
    adres = object_field(pdata, "adres") or {}
    return PersonGegevens(
        bsn="",
        voornamen=text_field(pdata, "voornamen", required=True, max_len=200) or "",
        tussenvoegsel=text_field(pdata, "tussenvoegsel", max_len=20),
        achternaam=text_field(pdata, "achternaam", required=True, max_len=200) or "",
        geboortedatum=date_field(pdata, "geboortedatum", required=True),  # type: ignore[arg-type]
        straat=text_field(adres, "straat", max_len=200),
        huisnummer=text_field(adres, "huisnummer", max_len=10),
        huisnummer_toevoeging=text_field(adres, "huisnummertoevoeging", max_len=10),
        postcode=text_field(adres, "postcode", max_len=7),
        woonplaats=text_field(adres, "woonplaats", max_len=100),
    )
