"""The ``api`` blueprint: who may call it, the version header, and errors as problem+json.

The routes live in the modules next to this one (:mod:`app.api.plannen`, ...); importing
:mod:`app.api` registers them all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.access import public
from app.api.openapi import document
from app.api.validation import InvalidParams
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.errors import problem
from app.extensions import csrf
from app.i18n import N_
from app.logboek import discard
from app.security.ratelimit import api_limit
from app.users.models import User

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api_limit(bp)
csrf.exempt(bp)

REGIE = Verwerkingsactiviteit.REGIE
API_VERSION = "1.0.0"
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


@bp.errorhandler(InvalidParams)
def _invalid(exc: InvalidParams) -> Any:
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
PLAN_ROLES_FORBIDDEN = N_("Deze gegevens zijn alleen voor regisseurs en hulpverleners.")


@bp.route("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(document(api_contact()))


def api_contact() -> dict[str, str]:
    """``info.contact`` of every API's document, from the configuration where set."""
    config = current_app.config
    return {
        field: config[f"EENPLAN_API_CONTACT_{field.upper()}"]
        for field in ("name", "email", "url")
        if config.get(f"EENPLAN_API_CONTACT_{field.upper()}")
    }
