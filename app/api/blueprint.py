"""The ``api`` blueprint: who may call it, the version header, and errors as problem+json.

The routes live in the modules next to this one (:mod:`app.api.plannen`, ...); importing
:mod:`app.api` registers them all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app import __version__
from app.access import public
from app.contract import Api, InvalidInput, PathParam
from app.contract.fields import PathId
from app.contract.problems import Problem
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.errors import problem
from app.extensions import csrf
from app.logboek import discard
from app.security.ratelimit import api_limit
from app.users.models import User

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api_limit(bp)
csrf.exempt(bp)

REGIE = Verwerkingsactiviteit.REGIE
API_VERSION = "1.0.0"
V1 = Api(
    prefix="/api/v1",
    info={
        "title": "Eenplan API",
        "version": API_VERSION,
        "description": "Plannen, activiteiten en gezinslinks van één gezin, één plan, één "
        "regisseur. Elke inzage via de API komt in het logboek van de betrokkene.",
        "x-eenplan-version": __version__,
    },
    problem=Problem,
    error_texts={
        "400": "Ongeldige invoer; invalidParams noemt de velden.",
        "401": "Niet geauthenticeerd.",
        "403": "Geen recht op deze handeling.",
        "404": "Bestaat niet, of u mag het niet zien.",
        "406": "Niet aanvaardbaar formaat.",
        "412": "Iemand anders wijzigde het object; haal de nieuwe versie op.",
        "415": "Stuur JSON.",
        "422": "De handeling past niet bij de toestand van het object.",
        "428": "Stuur de versie mee (If-Match of version).",
        "429": "Te veel verzoeken.",
        "500": "Interne fout; er is niets getoond of opgeslagen.",
    },
    default_errors=("400", "401", "403", "404", "406", "429", "500"),
    path_params={
        "plan_id": PathParam("planId", PathId),
        "activity_id": PathParam("activiteitId", PathId),
        "link_id": PathParam("gezinslinkId", PathId),
        "person_id": PathParam("persoonId", PathId),
    },
    security=[{"bearerAuth": []}],
    security_schemes={
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "bronAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "Brontoken van de organisatie (flask signals token BRON).",
        },
    },
)
# The only endpoints a citizen (burger) may call: reading their own logboek lines.
BURGER_ENDPOINTS = frozenset({"api.dataverwerkingen", "api.dataverwerkingen_zoeken"})


@bp.before_request
def _authenticate() -> Any:
    if request.endpoint == "api.openapi":
        return None
    if not current_user.is_authenticated:
        resp = problem(401, _("Stuur een geldig token mee: Authorization: Bearer <token>."))
        resp.headers["WWW-Authenticate"] = 'Bearer realm="eenplan"'
        return resp
    if current_user.is_burger and request.endpoint not in BURGER_ENDPOINTS:
        return problem(403, _("Deze API is voor medewerkers."))
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if not bearer and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.method in ("POST", "PATCH", "PUT") and not request.is_json:
        return problem(415, _("Stuur JSON (Content-Type: application/json)."))
    return None


@bp.errorhandler(InvalidInput)
def _invalid(exc: InvalidInput) -> Any:
    discard(session)
    return problem(exc.status, _("Controleer de invoer."), invalidParams=exc.params)


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    discard(session)
    return problem(exc.code or 500)


def request_user() -> User:
    return current_user._get_current_object()


# Plans and persons are for regisseurs and hulpverleners; every other role gets 403 with this
# detail (a melder, the privacy officer and the functioneel beheerder never see plans).
PLAN_ROLES = (Rol.REGISSEUR, Rol.HULPVERLENER)
PLAN_ROLES_FORBIDDEN = "Deze gegevens zijn alleen voor regisseurs en hulpverleners."


@bp.route("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(V1.document())
