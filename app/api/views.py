"""JSON API v1, in the style of the NL API Design Rules.

* Resources are Dutch plural nouns; fields are camelCase; errors are ``application/problem+json``
  with ``invalidParams`` naming the fields.
* Authentication: ``Authorization: Bearer <personal token>``; a browser session works too, but
  then state-changing calls need the CSRF token (``X-CSRFToken``).
* Updates need the version the client saw (``If-Match: "<version>"`` or ``version`` in the body):
  no silent overwrites (412 when it changed meanwhile, 428 when it is missing).
* BSNs never travel in a URL: look a person up with ``POST /personen/_zoek``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from app import __version__, access
from app.clock import today
from app.db import session
from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    PlanBasis,
    PlanStatus,
    Relatie,
    Rol,
    UitvoerderSoort,
)
from app.errors import problem
from app.extensions import csrf
from app.logboek import current_ledger, verwerking
from app.organisations.models import Mandaat, Organisation
from app.people.models import Person
from app.people.services import (
    InvalidBSN,
    PersonGegevens,
    create_person,
    find_by_bsn,
    normalise_bsn,
)
from app.plans import services
from app.plans.models import Activity, Gezinslink, Plan
from app.users.models import User

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

REGIE = "regie-multiproblematiek"
API_VERSION = "1.0.0"
# The only endpoints a citizen (burger) may call: reading their own logboek lines.
BURGER_ENDPOINTS = frozenset({"api.dataverwerkingen", "api.dataverwerkingen_zoeken"})


class InvalidParams(Exception):
    def __init__(self, params: list[dict[str, str]], status: int = 400) -> None:
        super().__init__("invalid params")
        self.params = params
        self.status = status


def invalid(name: str, reason: str, code: str = "invalid") -> InvalidParams:
    return InvalidParams([{"name": name, "code": code, "reason": reason}])


@bp.before_request
def _authenticate() -> Any:
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated:
        resp = problem(401, "Stuur een geldig token mee: Authorization: Bearer <token>.")
        resp.headers["WWW-Authenticate"] = 'Bearer realm="eenplan"'
        return resp
    if current_user.is_burger and request.endpoint not in BURGER_ENDPOINTS:
        return problem(403, "Deze API is voor medewerkers.")
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if not bearer and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.method in ("POST", "PATCH", "PUT") and not request.is_json:
        return problem(415, "Stuur JSON (Content-Type: application/json).")
    return None


@bp.after_request
def _version_header(resp: Any) -> Any:
    resp.headers["API-Version"] = API_VERSION
    return resp


@bp.errorhandler(InvalidParams)
def _invalid(exc: InvalidParams) -> Any:
    from app.logboek import discard

    discard(session)
    return problem(exc.status, "Controleer de invoer.", invalidParams=exc.params)


def _user() -> User:
    return current_user._get_current_object()


F = TypeVar("F", bound=Callable[..., Any])


def plan_roles(fn: F) -> F:
    """Plans and persons are for regisseurs and hulpverleners; every other role gets 403
    (a melder, the privacy officer and the functioneel beheerder never see plans)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.has_role(Rol.REGISSEUR, Rol.HULPVERLENER):
            return problem(403, "Deze gegevens zijn alleen voor regisseurs en hulpverleners.")
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidParams(
            [{"name": "body", "code": "invalid", "reason": "Stuur een JSON-object."}]
        )
    return data


MAX_ID = 2_147_483_647  # ids and versions are 32-bit integers (as the OpenAPI document says)
MAX_PAGE = 100_000
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_BSN = re.compile(r"^[0-9]{9}$")
_IF_MATCH = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')


def _date(data: dict[str, Any], name: str, required: bool = False) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise invalid(name, "Verplicht veld.", "required")
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise invalid(name, "Een datum als JJJJ-MM-DD.", "date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(name, "Een datum als JJJJ-MM-DD.", "date") from None


def _clean_text(name: str, value: str) -> str:
    """No NUL characters and no lone surrogates: they cannot be stored (and are never text)."""
    if "\x00" in value:
        raise invalid(name, "Tekst zonder NUL-tekens.", "pattern")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(name, "Geen geldige Unicode-tekst.", "pattern") from None
    return value


def _str(
    data: dict[str, Any], name: str, required: bool = False, max_len: int = 5000
) -> str | None:
    value = data.get(name)
    if value is None or value == "" or (required and isinstance(value, str) and not value.strip()):
        if required:
            raise invalid(name, "Verplicht veld.", "required")
        return None
    if not isinstance(value, str):
        raise invalid(name, "Tekst verwacht.", "string")
    if len(value) > max_len:
        raise invalid(name, f"Hooguit {max_len} tekens.", "maxLength")
    return _clean_text(name, value)


def _enum(data: dict[str, Any], name: str, allowed: Any, *, required: bool = False) -> str | None:
    value = _str(data, name, required=required, max_len=100)
    if value is not None and value not in set(allowed):
        raise invalid(name, "Een van: " + ", ".join(str(a) for a in allowed), "enum")
    return value


def _bsn(data: dict[str, Any], name: str = "bsn") -> str:
    value = _str(data, name, required=True, max_len=20) or ""
    if not _BSN.match(value):
        raise invalid(name, "Een BSN heeft precies 9 cijfers.", "bsn")
    try:
        return normalise_bsn(value)
    except InvalidBSN as exc:
        raise invalid(name, str(exc), "bsn") from None


def _int_field(data: dict[str, Any], name: str, minimum: int = 1) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 3.0 is the integer 3
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(name, "Een geheel getal verwacht.", "integer")
    if not minimum <= value <= MAX_ID:
        raise invalid(name, f"Een geheel getal van {minimum} tot en met {MAX_ID}.", "range")
    return value


def _object(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(name, "Een JSON-object verwacht.", "object")
    return value


def _page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise invalid("page", "Een geheel getal.", "integer") from None
    try:
        size = int(request.args.get("pageSize", "20"))
    except ValueError:
        raise invalid("pageSize", "Een geheel getal.", "integer") from None
    if not 1 <= page <= MAX_PAGE:
        raise invalid("page", f"Van 1 tot en met {MAX_PAGE}.", "minimum")
    if not 1 <= size <= 100:
        raise invalid("pageSize", "Tussen 1 en 100.", "maximum")
    return page, size


def _expected_version(data: dict[str, Any] | None) -> int:
    in_body = _int_field(data, "version", minimum=0) if data is not None else None
    header = request.headers.get("If-Match")
    if header is not None:
        m = _IF_MATCH.match(header.strip())
        if not m:
            raise invalid("If-Match", 'De versie als ETag, bijvoorbeeld "3".', "etag")
        return int(m.group(2))
    if in_body is not None:
        return in_body
    abort(428)


def _conflict(current: Any) -> Any:
    from app.logboek import discard

    discard(session)
    resp = problem(
        412,
        "Iemand anders heeft dit gewijzigd sinds u het ophaalde. Haal de nieuwe versie op en probeer opnieuw.",
        currentVersion=current.version,
    )
    return resp


def _plan_error(exc: services.PlanError) -> InvalidParams:
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


def _unprocessable(name: str, reason: str, code: str = "invalid") -> InvalidParams:
    return InvalidParams([{"name": name, "code": code, "reason": reason}], status=422)


# --- serialisation --------------------------------------------------------------------------


def person_json(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "bsn": p.bsn,
        "voornamen": p.voornamen,
        "tussenvoegsel": p.tussenvoegsel,
        "achternaam": p.achternaam,
        "geboortedatum": p.geboortedatum.isoformat(),
        "adres": {
            "straat": p.straat,
            "huisnummer": p.huisnummer,
            "huisnummertoevoeging": p.huisnummer_toevoeging,
            "postcode": p.postcode,
            "woonplaats": p.woonplaats,
        },
        "_links": {"self": {"href": url_for("api.persoon", person_id=p.id)}},
    }


def plan_summary_json(p: Plan, *, with_basis: bool) -> dict[str, Any]:
    out = {
        "id": p.id,
        "status": p.status,
        "persoon": {"id": p.person.id, "naam": p.person.naam},
        "regisseur": {"id": p.regisseur.id, "naam": p.regisseur.name},
        "gewijzigdOp": p.updated_at.isoformat(),
        "version": p.version,
        "_links": {"self": {"href": url_for("api.plan", plan_id=p.id)}},
    }
    if with_basis:  # only a regisseur's list carries the basis (see access.plan_list_options)
        out["basis"] = p.basis
    return out


def _regisseur_json(reg: User) -> dict[str, Any]:
    return {
        "id": reg.id,
        "naam": reg.name,
        "organisatie": reg.organisation.name if reg.organisation else None,
        "telefoon": reg.phone,
        "email": reg.email,
    }


def plan_geen_inzage_json(t: access.PlanToegang) -> dict[str, Any]:
    """ "Geen inzage": that the plan exists, its status, and who the regisseur is."""
    p = t.plan
    return {
        "id": p.id,
        "status": p.status,
        "inzage": access.NIVEAU_GEEN,
        "persoon": {
            "id": p.person.id,
            "naam": p.person.naam,
            "geboortedatum": p.person.geboortedatum.isoformat(),
        },
        "regisseur": _regisseur_json(p.regisseur),
        "mandaat": {"id": p.mandaat.id, "omschrijving": p.mandaat.label} if p.mandaat else None,
        "version": p.version,
        "_links": {"self": {"href": url_for("api.plan", plan_id=p.id)}},
    }


def plan_json(t: access.PlanToegang) -> dict[str, Any]:
    if not t.sees_content:
        return plan_geen_inzage_json(t)
    p = t.plan
    return {
        "id": p.id,
        "status": p.status,
        "basis": p.basis,
        "persoon": person_json(p.person),
        "regisseur": _regisseur_json(p.regisseur),
        "mandaat": {"id": p.mandaat.id, "omschrijving": p.mandaat.label} if p.mandaat else None,
        "afsluitreden": p.closed_reason,
        "afgeslotenOp": p.closed_at.isoformat() if p.closed_at else None,
        "aangemaaktOp": p.created_at.isoformat(),
        "gewijzigdOp": p.updated_at.isoformat(),
        "version": p.version,
        "_links": {
            "self": {"href": url_for("api.plan", plan_id=p.id)},
            "activiteiten": {"href": url_for("api.activiteiten", plan_id=p.id)},
            "gezinslinks": {"href": url_for("api.gezinslinks", plan_id=p.id)},
        },
    }


def activity_json(a: Activity, mode: str, day: dt.date) -> dict[str, Any]:
    """An activity as the user may see it: ``vol``, ``zonder-toelichting`` (the remark is under
    beroepsgeheim) or ``buitenkant`` (organisation, kind, period, status)."""
    out: dict[str, Any] = {
        "id": a.id,
        "planId": a.plan_id,
        "aard": a.aard,
        "uitvoerderSoort": a.uitvoerder_soort,
        "organisatie": {"id": a.organisation.id, "naam": a.organisation.name}
        if a.organisation
        else None,
        "startdatum": a.start_date.isoformat(),
        "einddatum": a.end_date.isoformat() if a.end_date else None,
        "afgerond": a.afgerond,
        "afgerondOp": a.afgerond_op.isoformat() if a.afgerond_op else None,
        "status": a.status(day).value,
        "version": a.version,
        "_links": {
            "self": {"href": url_for("api.activiteit", plan_id=a.plan_id, activity_id=a.id)}
        },
    }
    if mode in (access.VOL, access.ZONDER_TOELICHTING):
        out.update(omschrijving=a.omschrijving, uitvoerderContact=a.uitvoerder_contact)
    if mode == access.VOL:
        out.update(toelichting=a.toelichting, toelichtingBeroepsgeheim=a.toelichting_beroepsgeheim)
    return out


def link_json(link: Gezinslink, plan: Plan) -> dict[str, Any]:
    other = link.other(plan.person_id)
    return {
        "id": link.id,
        "persoon": {
            "id": other.id,
            "naam": other.naam,
            "geboortedatum": other.geboortedatum.isoformat(),
        },
        "relatie": link.relatie,
        "relatieOmschrijving": link.relatie_label_from(plan.person_id),
        "actief": link.actief,
        "gelegdOp": link.gelegd_op.isoformat(),
        "gelegdDoor": link.gelegd_door_naam,
        "verbrokenOp": link.verbroken_op.isoformat() if link.verbroken_op else None,
        "verbrokenDoor": link.verbroken_door_naam,
    }


def _etag(resp: Any, version: int) -> Any:
    resp.headers["ETag"] = f'"{version}"'
    return resp


# --- plannen --------------------------------------------------------------------------------


@bp.route("/plannen", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.plannen.lijst")
def plannen() -> Any:
    user = _user()
    page, size = _page_args()
    stmt = access.plans_visible_to(user)
    status = request.args.get("status")
    if status is not None:
        if status not in set(PlanStatus):
            raise invalid("status", "Een van: concept, actief, afgesloten.", "enum")
        stmt = stmt.where(Plan.status == status)
    total = session.execute(
        select(func.count())
        .select_from(stmt.with_only_columns(Plan.id).subquery())
        .execution_options(audit_internal=True)
    ).scalar_one()
    plans = session.scalars(
        stmt.options(*access.plan_list_options(user))
        .order_by(Plan.updated_at.desc(), Plan.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return jsonify(
        {
            "_embedded": {
                "plannen": [
                    plan_summary_json(p, with_basis=user.has_role(Rol.REGISSEUR)) for p in plans
                ]
            },
            "page": page,
            "pageSize": size,
            "totalItems": total,
            "totalPages": max(1, -(-total // size)),
        }
    )


def _person_input(pdata: dict[str, Any]) -> PersonGegevens:
    """A new person as the client sent it (``bsn`` is filled in by the caller)."""
    adres = _object(pdata, "adres") or {}
    return PersonGegevens(
        bsn="",
        voornamen=_str(pdata, "voornamen", required=True, max_len=200) or "",
        tussenvoegsel=_str(pdata, "tussenvoegsel", max_len=20),
        achternaam=_str(pdata, "achternaam", required=True, max_len=200) or "",
        geboortedatum=_date(pdata, "geboortedatum", required=True),  # type: ignore[arg-type]
        straat=_str(adres, "straat", max_len=200),
        huisnummer=_str(adres, "huisnummer", max_len=10),
        huisnummer_toevoeging=_str(adres, "huisnummertoevoeging", max_len=10),
        postcode=_str(adres, "postcode", max_len=7),
        woonplaats=_str(adres, "woonplaats", max_len=100),
    )


@bp.route("/plannen", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.plannen.aanmaken")
def plan_aanmaken() -> Any:
    user = _user()
    if not user.has_role(Rol.REGISSEUR):
        return problem(403, "Alleen een regisseur maakt plannen aan.")
    data = _body()
    bsn = _bsn(data)
    basis = _enum(data, "basis", [b.value for b in PlanBasis], required=True) or ""
    status = (
        _enum(data, "status", [PlanStatus.CONCEPT.value, PlanStatus.ACTIEF.value])
        or PlanStatus.CONCEPT
    )
    t = _object(data, "toestemming")
    pdata = _object(data, "persoon")
    toestemming = None
    if t is not None:
        gegeven = services.ToestemmingGegevens(
            gegeven_door=_str(t, "gegevenDoor", required=True, max_len=200) or "",
            gegeven_op=_date(t, "gegevenOp", required=True),  # type: ignore[arg-type]
            wijze=_enum(t, "wijze", ["mondeling", "schriftelijk", "digitaal"], required=True) or "",
            toelichting=_str(t, "toelichting"),
        )
        toestemming = gegeven if basis == PlanBasis.TOESTEMMING else None
    mandaat = None
    mandaat_id = _int_field(data, "mandaatId")
    person_data = _person_input(pdata) if pdata is not None else None
    if basis == PlanBasis.TOESTEMMING and toestemming is None:
        raise _unprocessable(
            "toestemming",
            "Een plan op basis van toestemming vraagt om vastgelegde toestemming.",
            "required",
        )
    if mandaat_id is not None:
        mandaat = session.get(Mandaat, mandaat_id)
        if mandaat is None or mandaat.organisation_id != user.organisation_id:
            raise _unprocessable("mandaatId", "Onbekend mandaat voor uw organisatie.")
    person = find_by_bsn(bsn)
    if person is None:
        if person_data is None:
            raise _unprocessable(
                "persoon",
                "Deze persoon is nog niet bekend: stuur voornamen, achternaam en geboortedatum mee.",
                "required",
            )
        person = create_person(replace(person_data, bsn=bsn))
    from app.plans.views import _gemeente_for

    try:
        plan = services.create_plan(
            person=person,
            basis=basis,
            status=status,
            regisseur=user,
            actor=user,
            gemeente=_gemeente_for(user, mandaat),
            mandaat=mandaat,
            toestemming=toestemming,
        )
    except services.PlanExists as exc:
        from app.logboek import discard

        existing = exc.plan.id
        discard(session)
        return problem(
            409,
            "Er is al een plan voor deze persoon.",
            existingPlan=url_for("api.plan", plan_id=existing),
        )
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    g.acting_role = Rol.REGISSEUR
    resp = jsonify(
        plan_json(access.PlanToegang(plan=plan, user=user, als=Rol.REGISSEUR, day=today()))
    )
    resp.status_code = 201
    resp.headers["Location"] = url_for("api.plan", plan_id=plan.id)
    return _etag(resp, plan.version)


@bp.route("/plannen/<int:plan_id>", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.plan.bekijken")
def plan(plan_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
    return _etag(jsonify(plan_json(t)), t.plan.version)


@bp.route("/plannen/<int:plan_id>", methods=["PATCH"])
@plan_roles
@verwerking(REGIE, name="api.plan.wijzigen")
def plan_wijzigen(plan_id: int) -> Any:
    user = _user()
    t = access.plan_for(user, plan_id)
    if not t.may_manage:
        abort(404)
    data = _body()
    status = _str(data, "status", max_len=20)
    if status is not None and status not in (PlanStatus.CONCEPT, PlanStatus.ACTIEF):
        raise invalid("status", "concept of actief; afsluiten met POST .../afsluiten.", "enum")
    mid = _int_field(data, "mandaatId")
    expected = _expected_version(data)
    kwargs: dict[str, Any] = {}
    if "mandaatId" in data:
        if mid is None:
            kwargs["mandaat"] = None
        else:
            m = session.get(Mandaat, mid)
            if m is None or m.organisation_id != user.organisation_id:
                raise _unprocessable("mandaatId", "Onbekend mandaat voor uw organisatie.")
            kwargs["mandaat"] = m
    try:
        services.update_plan(t.plan, actor=user, expected_version=expected, status=status, **kwargs)
    except services.Conflict as exc:
        return _conflict(exc.current)
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    return _etag(jsonify(plan_json(t)), t.plan.version)


@bp.route("/plannen/<int:plan_id>/afsluiten", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.plan.afsluiten")
def plan_afsluiten(plan_id: int) -> Any:
    user = _user()
    t = access.plan_for(user, plan_id)
    if not t.may_close:
        abort(404)
    data = _body()
    reason = _enum(data, "reden", list(AFSLUITREDENEN), required=True) or ""
    note = _str(data, "toelichting")
    expected = _expected_version(data)
    try:
        services.close_plan(t.plan, actor=user, reason=reason, note=note, expected_version=expected)
    except services.Conflict as exc:
        return _conflict(exc.current)
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    return _etag(jsonify(plan_json(t)), t.plan.version)


# --- activiteiten ---------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/activiteiten", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.activiteiten.lijst")
def activiteiten(plan_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
    if not t.sees_content:
        abort(404)
    items = [activity_json(a, mode, t.day) for a, mode in t.activities()]
    return jsonify({"_embedded": {"activiteiten": items}})


def _activity_input(
    data: dict[str, Any], t: access.PlanToegang, base: Activity | None = None
) -> services.ActiviteitGegevens:
    def pick(name: str, attr: str) -> Any:
        return data[name] if name in data else (getattr(base, attr) if base is not None else None)

    aard = _enum(data, "aard", list(ACTIVITEIT_AARDEN)) if "aard" in data else None
    aard = aard or (base.aard if base else None)
    if aard is None:
        raise invalid("aard", "Verplicht veld.", "required")
    omschrijving = (
        _str(data, "omschrijving", required=True, max_len=2000)
        if "omschrijving" in data or base is None
        else base.omschrijving
    )
    if "startdatum" in data or base is None:
        start = _date(data, "startdatum", required=True)
    else:
        start = base.start_date
    end = _date(data, "einddatum") if "einddatum" in data else (base.end_date if base else None)
    soort = (
        _enum(data, "uitvoerderSoort", [u.value for u in UitvoerderSoort])
        if "uitvoerderSoort" in data
        else None
    ) or (base.uitvoerder_soort if base else UitvoerderSoort.ORGANISATIE)
    org_id = (
        _int_field(data, "organisatieId")
        if "organisatieId" in data
        else (base.organisation_id if base else None)
    )
    afgerond = pick("afgerond", "afgerond")
    if afgerond is not None and not isinstance(afgerond, bool):
        raise invalid("afgerond", "true of false.", "boolean")
    contact = (
        _str(data, "uitvoerderContact", max_len=300)
        if "uitvoerderContact" in data
        else (base.uitvoerder_contact if base else None)
    )
    toelichting = (
        _str(data, "toelichting") if "toelichting" in data else (base.toelichting if base else None)
    )
    # Well-formed; now the rules that depend on the data and on who asks (422).
    assert start is not None
    if end is not None and end < start:
        raise _unprocessable("einddatum", "De einddatum ligt voor de startdatum.", "dateRange")
    if not t.is_regisseur:
        if org_id is not None and org_id != t.user.organisation_id:
            raise _unprocessable(
                "organisatieId", "U legt alleen activiteiten van uw eigen organisatie vast."
            )
        org_id = t.user.organisation_id
    if soort == UitvoerderSoort.ORGANISATIE and (
        org_id is None or session.get(Organisation, org_id) is None
    ):
        raise _unprocessable("organisatieId", "Kies een bestaande organisatie.", "required")
    geheim = data.get("toelichtingBeroepsgeheim")
    if geheim is not None and not isinstance(geheim, bool):
        raise invalid("toelichtingBeroepsgeheim", "true of false.", "boolean")
    if geheim is not None and not t.may_mark_beroepsgeheim:
        raise _unprocessable(
            "toelichtingBeroepsgeheim",
            "Alleen een hulpverlener van de uitvoerende organisatie bepaalt dit.",
        )
    return services.ActiviteitGegevens(
        aard=aard,
        omschrijving=omschrijving or "",
        start_date=start,
        end_date=end,
        uitvoerder_soort=soort,
        organisation_id=org_id,
        uitvoerder_contact=contact,
        toelichting=toelichting,
        afgerond=bool(afgerond),
        toelichting_beroepsgeheim=geheim,
    )


@bp.route("/plannen/<int:plan_id>/activiteiten", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.activiteit.toevoegen")
def activiteit_toevoegen(plan_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    if not t.sees_content:
        abort(404)
    if not t.may_add_activity:
        abort(404)
    data = _body()
    try:
        a = services.add_activity(t.plan, _activity_input(data, t), actor=t.user)
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    resp = jsonify(activity_json(a, access.VOL, t.day))
    resp.status_code = 201
    resp.headers["Location"] = url_for("api.activiteit", plan_id=plan_id, activity_id=a.id)
    return _etag(resp, a.version)


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.activiteit.bekijken")
def activiteit(plan_id: int, activity_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    a = t.activity(activity_id)
    return _etag(jsonify(activity_json(a, access.VOL, t.day)), a.version)


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>", methods=["PATCH"])
@plan_roles
@verwerking(REGIE, name="api.activiteit.wijzigen")
def activiteit_wijzigen(plan_id: int, activity_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    a = t.activity(activity_id)
    if not t.may_edit_activity(a):
        abort(404)
    data = _body()
    gegevens = _activity_input(data, t, base=a)
    expected = _expected_version(data)
    try:
        services.update_activity(a, gegevens, actor=t.user, expected_version=expected)
    except services.Conflict as exc:
        return _conflict(exc.current)
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    return _etag(jsonify(activity_json(a, access.VOL, t.day)), a.version)


# --- gezinslinks ----------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/gezinslinks", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.gezinslinks.lijst")
def gezinslinks(plan_id: int) -> Any:
    t = access.plan_for(_user(), plan_id)
    if not t.sees_household:
        abort(404)
    current_ledger().set_context("plan", plan_id)
    return jsonify(
        {"_embedded": {"gezinslinks": [link_json(link, t.plan) for link in t.household()]}}
    )


@bp.route("/plannen/<int:plan_id>/gezinslinks", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.gezinslink.leggen")
def gezinslink_leggen(plan_id: int) -> Any:
    user = _user()
    t = access.plan_for(user, plan_id)
    if not t.may_manage:
        abort(404)
    data = _body()
    bsn = _bsn(data)
    relatie = _enum(data, "relatie", [r.value for r in Relatie], required=True) or ""
    richting = _enum(data, "richting", ["planpersoonIsA", "planpersoonIsB"]) or "planpersoonIsA"
    pdata = _object(data, "persoon")
    person_data = _person_input(pdata) if pdata is not None else None
    other = find_by_bsn(bsn)
    if other is None:
        if person_data is None:
            raise _unprocessable(
                "persoon",
                "Deze persoon is nog niet bekend: stuur voornamen, achternaam en geboortedatum mee.",
                "required",
            )
        other = create_person(replace(person_data, bsn=bsn))
    try:
        link = services.lay_link(
            plan=t.plan,
            other=other,
            relatie=relatie,
            plan_person_is_a=richting == "planpersoonIsA",
            actor=user,
        )
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    resp = jsonify(link_json(link, t.plan))
    resp.status_code = 201
    return resp


@bp.route("/plannen/<int:plan_id>/gezinslinks/<int:link_id>", methods=["PATCH"])
@plan_roles
@verwerking(REGIE, name="api.gezinslink.verbreken")
def gezinslink_wijzigen(plan_id: int, link_id: int) -> Any:
    user = _user()
    t = access.plan_for(user, plan_id)
    link = t.gezinslink(link_id)
    data = _body()
    if data.get("actief") is not False:
        raise invalid(
            "actief", 'Een gezinslink kan alleen worden verbroken: stuur {"actief": false}.', "enum"
        )
    reason = _str(data, "reden")
    try:
        services.break_link(link, plan=t.plan, actor=user, reason=reason)
    except services.PlanError as exc:
        raise _plan_error(exc) from None
    return jsonify(link_json(link, t.plan))


# --- personen -------------------------------------------------------------------------------


def _visible_person_ids(user: User) -> Any:
    return access.persons_visible_to(user)


@bp.route("/personen/<int:person_id>", methods=["GET"])
@plan_roles
@verwerking(REGIE, name="api.persoon.bekijken")
def persoon(person_id: int) -> Any:
    user = _user()
    p = session.scalars(
        select(Person).where(Person.id == person_id, _visible_person_ids(user))
    ).first()
    if p is None:
        abort(404)
    return jsonify(person_json(p))


@bp.route("/personen/_zoek", methods=["POST"])
@plan_roles
@verwerking(REGIE, name="api.persoon.zoeken")
def persoon_zoeken() -> Any:
    user = _user()
    data = _body()
    bsn = _bsn(data)
    p = session.scalars(select(Person).where(Person.bsn == bsn, _visible_person_ids(user))).first()
    if p is None:
        abort(404)
    return jsonify(person_json(p))


@bp.route("/openapi.json")
def openapi() -> Any:
    from app.api.openapi import document

    return jsonify(document())


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    from app.logboek import discard

    discard(session)
    return problem(exc.code or 500)


# Routes that live in their own modules, on this blueprint.
from app.api import dataverwerkingen  # noqa: E402, F401

__all__ = ["bp", "API_VERSION", "__version__"]
