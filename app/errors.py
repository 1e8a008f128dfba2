"""Error pages and problem+json. No stack traces, SQL, BSNs or names ever reach the client."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.access.errors import REFUSAL_LISTENERS, AccessDenied, NotVisible
from app.db import session
from app.i18n import N_
from app.logboek import discard

log = logging.getLogger("eenplan.errors")

TITLES = {
    400: N_("Het verzoek klopt niet"),
    401: N_("Niet ingelogd"),
    403: N_("Geen toegang"),
    404: N_("Niet gevonden"),
    405: N_("Niet toegestaan"),
    409: N_("Iemand anders was u voor"),
    412: N_("Iemand anders was u voor"),
    413: N_("Te groot"),
    415: N_("Verkeerd formaat"),
    422: N_("Controleer de invoer"),
    428: N_("Versie ontbreekt"),
    429: N_("Te veel verzoeken"),
    500: N_("Er ging iets mis"),
    503: N_("Tijdelijk niet beschikbaar"),
}

EXPLANATIONS = {
    400: N_("Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
    401: N_("Log in om verder te gaan."),
    403: N_("U heeft geen toegang tot deze pagina."),
    404: N_("Deze pagina bestaat niet, of u heeft er geen toegang toe."),
    405: N_("Deze handeling kan hier niet."),
    409: N_("Iemand anders heeft dit intussen gewijzigd."),
    412: N_("Iemand anders heeft dit gewijzigd sinds u het ophaalde."),
    413: N_("Het bestand of formulier is te groot."),
    428: N_("Stuur de versie mee die u ophaalde: If-Match of version."),
    429: N_("U heeft te veel verzoeken gedaan. Wacht even en probeer het opnieuw."),
    500: N_(
        "Er ging iets mis aan onze kant. Er zijn geen gegevens getoond of opgeslagen. "
        "Probeer het later opnieuw."
    ),
}


def _title(status: int) -> str:
    return _(TITLES.get(status) or N_("Fout"))


def _detail(detail: str | None) -> str | None:
    """A detail given by the code: translated when it is a marked constant (``N_``) or
    already translated (``_``); any other text stays as it is."""
    return _(str(detail)) if detail else None


def _explanation(status: int) -> str:
    text = EXPLANATIONS.get(status)
    return _(text) if text else ""


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str | None = None, **extra: Any) -> Any:
    body = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": _detail(detail) or _explanation(status),
        **extra,
    }
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def error_page(status: int, detail: str | None = None) -> Any:
    if wants_problem_json():
        return problem(status, detail)
    return (
        render_template(
            "errors/error.html",
            foutpagina=True,  # the language switch does not repeat the address (app/taal)
            status=status,
            title=_title(status),
            detail=_detail(detail) or _explanation(status),
        ),
        status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        discard(session)
        return error_page(
            400,
            _(
                "Het formulier is verlopen of niet vanuit Eenplan verstuurd. "
                "Ga terug, vernieuw de pagina en probeer het opnieuw."
            ),
        )

    @app.errorhandler(AccessDenied)
    def _access_denied(exc: AccessDenied) -> Any:
        """The access layer's refusals: the same responses as aborting with 404 or 403."""
        discard(session)
        if isinstance(exc, NotVisible):
            for listener in REFUSAL_LISTENERS:
                try:
                    listener(exc)
                except Exception as failure:  # noqa: BLE001 - a record must not break the 404
                    log.error("refusal listener failed: %s", type(failure).__name__)
        return error_page(exc.code, exc.detail)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        discard(session)
        status = exc.code or 500
        if status >= 500:
            return _server_error(exc)
        detail = exc.description if getattr(exc, "eenplan_detail", False) else None
        resp = error_page(status, detail)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            resp = app.make_response(resp)
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _server_error(exc: BaseException) -> Any:
        discard(session)
        if not isinstance(exc, HTTPException) or isinstance(exc, InternalServerError):
            # Class name and trace id only: the message may hold personal data.
            trace = g.get("trace")
            log.error(
                "unhandled %s in %s (trace %s)",
                type(getattr(exc, "original_exception", None) or exc).__name__,
                request.endpoint,
                trace.trace_id if trace else "-",
            )
        return error_page(500)
