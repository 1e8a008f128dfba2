"""What every API of Eenplan does the same way, before any route runs (NL API Design Rules):

* **406** when the client's ``Accept`` rules out JSON (``application/json`` and, for errors,
  ``application/problem+json``); no ``Accept`` or ``*/*`` is fine;
* **400** for a query parameter the route does not document — a typo (``pagesize``) or a
  filter the API does not have would otherwise silently widen the answer (after the 401 for a
  caller without a valid token);
* ``API-Version`` on every response under an API's path, routing errors (404, 405) included;
* the OpenAPI document readable from any origin (``Access-Control-Allow-Origin: *``, read-only,
  no credentials: ADR ``/core/publish-openapi``).

Which query parameters a route of ``/api/v1`` takes is read from the OpenAPI document (one
source); the other APIs name theirs here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.api.blueprint import API_VERSION
from app.api.ldv_lezen import API_VERSION as LDV_API_VERSION
from app.api.openapi import document
from app.errors import problem
from app.verwerkingsregister.api import API_VERSION as REGISTER_API_VERSION

OWN_CHECK: frozenset[str] = frozenset({"(checked by the API itself)"})
# The APIs Eenplan serves: path prefix, version, and the query parameters every route takes
# (None: as the OpenAPI document says; the LDV read API checks its own, in its error shape).
APIS: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("/api/v1", API_VERSION, None),
    ("/api/ldv/v1", LDV_API_VERSION, OWN_CHECK),
    ("/api/verwerkingsregister/v1", REGISTER_API_VERSION, frozenset()),
)
ACCEPTABLE = ("application/json", "application/problem+json")
OPENAPI_ENDPOINTS = frozenset({"api.openapi", "ldv.openapi", "verwerkingsregister_api.openapi"})

# Flask's path arguments and the OpenAPI document's names for them.
_PATH_ARGS = {
    "activity_id": "activiteitId",
    "link_id": "gezinslinkId",
    "person_id": "persoonId",
}
_RULE_ARG = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def _api() -> tuple[str, str, frozenset[str] | None] | None:
    path = request.path
    for api in APIS:
        if path == api[0] or path.startswith(api[0] + "/"):
            return api
    return None


@cache
def documented_query() -> dict[tuple[str, str], frozenset[str]]:
    """(path template, METHOD) → the query parameters the OpenAPI document names."""
    out: dict[tuple[str, str], frozenset[str]] = {}
    for path, item in document()["paths"].items():
        shared = [p for p in item.get("parameters", []) if p.get("in") == "query"]
        for method, operation in item.items():
            if method == "parameters":
                continue
            own = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
            out[(path, method.upper())] = frozenset(p["name"] for p in [*shared, *own])
    return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _template(rule: str, prefix: str) -> str:
    """A Flask rule as the OpenAPI path (``<int:plan_id>`` → ``{planId}``; names the document
    spells otherwise in ``_PATH_ARGS``, the rest camelCased)."""
    return _RULE_ARG.sub(
        lambda m: "{" + _PATH_ARGS.get(m.group(1), _camel(m.group(1))) + "}", rule
    )[len(prefix) :]


def _check() -> Any:
    api = _api()
    if api is None:
        return None
    prefix, _version, query = api
    accept = request.accept_mimetypes
    if accept and not any(accept.quality(m) > 0 for m in ACCEPTABLE):
        return problem(406, _("Deze API antwoordt alleen in JSON (Accept: application/json)."))
    rule = request.url_rule
    if rule is None or query is OWN_CHECK:  # a routing error: answered as such
        return None
    if query is None:
        method = "GET" if request.method == "HEAD" else request.method
        query = documented_query().get((_template(rule.rule, prefix), method), frozenset())
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
        if request.endpoint in OPENAPI_ENDPOINTS:
            resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def init_app(app: Any) -> None:
    app.before_request(_check)
    app.after_request(_headers)
