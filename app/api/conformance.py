"""What every API of Eenplan does the same way, before any route runs (NL API Design Rules):

* **406** when the client's ``Accept`` rules out JSON (``application/json`` and, for errors,
  ``application/problem+json``); no ``Accept`` or ``*/*`` is fine;
* **400** for a query parameter the route does not document — a typo (``pagesize``) or a
  filter the API does not have would otherwise silently widen the answer (after the 401 for a
  caller without a valid token);
* ``API-Version`` on every response under an API's path, routing errors (404, 405) included;
* the OpenAPI document readable from any origin (``Access-Control-Allow-Origin: *``, read-only,
  no credentials: ADR ``/core/publish-openapi``).

Which query parameters a route takes is read from its contract (:mod:`app.contract`: the
model its OpenAPI document shows); the LDV read API answers unknown ones in its own error shape.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from app.api.blueprint import API_VERSION, V1
from app.api.ldv_lezen import API_VERSION as LDV_API_VERSION
from app.contract import Api
from app.contract.spec import check_answer
from app.errors import problem
from app.verwerkingsregister.api import API_VERSION as REGISTER_API_VERSION
from app.verwerkingsregister.api import REGISTER

# The APIs Eenplan serves: path prefix, version, and the contract that names every route's
# query parameters (None: the API checks its own, in its own error shape).
APIS: tuple[tuple[str, str, Api | None], ...] = (
    ("/api/v1", API_VERSION, V1),
    ("/api/ldv/v1", LDV_API_VERSION, None),
    ("/api/verwerkingsregister/v1", REGISTER_API_VERSION, REGISTER),
)
ACCEPTABLE = ("application/json", "application/problem+json")
OPENAPI_ENDPOINTS = frozenset({"api.openapi", "ldv.openapi", "verwerkingsregister_api.openapi"})


def _api() -> tuple[str, str, Api | None] | None:
    path = request.path
    for api in APIS:
        if path == api[0] or path.startswith(api[0] + "/"):
            return api
    return None


def _check() -> Any:
    api = _api()
    if api is None:
        return None
    _prefix, _version, contract = api
    accept = request.accept_mimetypes
    if accept and not any(accept.quality(m) > 0 for m in ACCEPTABLE):
        return problem(406, _("Deze API antwoordt alleen in JSON (Accept: application/json)."))
    if request.url_rule is None or contract is None:  # a routing error: answered as such
        return None
    query = contract.query_names(request.endpoint, request.method)
    if request.blueprint == "api" and not current_user.is_authenticated:
        return None  # 401 first: a token in the query string is no token (app.api.blueprint)
    unknown = sorted(name for name in request.args if name not in query)
    if unknown and request.endpoint not in OPENAPI_ENDPOINTS:
        return problem(
            400,
            _("Onbekende queryparameter."),
            invalidParams=[
                {
                    "name": name[:100],
                    "code": "unknown",
                    "reason": _("Deze parameter kent de API niet."),
                }
                for name in unknown
            ],
        )
    return None


def _headers(resp: Any) -> Any:
    api = _api()
    if api is not None:
        resp.headers["API-Version"] = api[1]
        if current_app.testing:
            check_answer(resp)
        if request.endpoint in OPENAPI_ENDPOINTS:
            resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def init_app(app: Any) -> None:
    app.before_request(_check)
    app.after_request(_headers)
