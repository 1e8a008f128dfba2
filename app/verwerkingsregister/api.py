"""The register of processing activities as JSON, read-only: where a logboek record's
``dpl.core.processing_activity_id`` points (Logboek Dataverwerkingen: "a reference to a register
with more information about the processing activity").

``GET /api/verwerkingsregister/v1/verwerkingsactiviteiten`` lists the current versions;
``…/verwerkingsactiviteiten/{key}`` is one activity (its current version and links to every
version; the URI in the logboek); ``…/{key}/versies/{n}`` one version, as a line that points at
it was written under. No personal data: the register describes processing and holds none (who
changed an entry is left out). Public within the municipality: no login, like the OpenAPI
document; the application's Host check and network place it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, url_for

from app.access.guard import public
from app.contract import Answer, Api, PathParam
from app.contract.problems import Probleem
from app.db import session
from app.logboek import current_logboek
from app.logboek.ldv import activity_uri
from app.verwerkingsregister.schemas import Verwerkingsactiviteit, Verwerkingsactiviteiten
from audit import ProcessingActivityVersion

bp = Blueprint("verwerkingsregister_api", __name__, url_prefix="/api/verwerkingsregister/v1")
API_VERSION = "1.0.0"
REGISTER = Api(
    prefix="/api/verwerkingsregister/v1",
    info={
        "title": "Eenplan — verwerkingsregister",
        "version": API_VERSION,
        "description": "Het register van verwerkingsactiviteiten (AVG art. 30), alleen-lezen en "
        "zonder persoonsgegevens: waar dpl.core.processing_activity_id in het logboek naar wijst.",
    },
    problem=Probleem,
    error_texts={
        "400": "Ongeldige vraag; errors noemt wat.",
        "404": "Bestaat niet.",
        "406": "Alleen JSON.",
        "429": "Te veel verzoeken.",
        "500": "Interne fout.",
    },
    default_errors=("400", "404", "406", "429", "500"),
    path_params={"key": PathParam("sleutel", str), "versie": PathParam("versie", int)},
)


@bp.after_request
def _headers(resp: Any) -> Any:
    # Public, read-only, no credentials: any page may read it (API-Version: app.api.blueprint).
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def version_uri(key: str, version: int) -> str:
    return url_for("verwerkingsregister_api.versie", key=key, versie=version, _external=True)


def _version(v: ProcessingActivityVersion) -> dict[str, Any]:
    return {
        "sleutel": v.key,
        "versie": v.version,
        "naam": v.name,
        "doel": v.purpose,
        "grondslag": v.legal_basis,
        "wettelijkeBasis": v.legal_reference,
        "gegevenscategorieen": list(v.data_categories),
        "ontvangers": list(v.recipient_categories),
        "bewaartermijn": v.retention,
        "geldigVanaf": v.valid_from.isoformat(),
        "_links": {
            "self": {"href": version_uri(v.key, v.version)},
            "verwerkingsactiviteit": {"href": activity_uri(v.key)},
        },
    }


@bp.route("/openapi.json")
@public
def openapi() -> Any:
    return jsonify(REGISTER.document())


_PUBLIC: list[dict[str, list[str]]] = []


@REGISTER.route(
    bp,
    "/verwerkingsactiviteiten",
    "GET",
    operation_id="listVerwerkingsactiviteiten",
    summary="De huidige versie van elke verwerkingsactiviteit",
    ok={200: Answer("De huidige versie van elke verwerkingsactiviteit", Verwerkingsactiviteiten)},
    security=_PUBLIC,
)
@public
def lijst() -> Any:
    current = current_logboek().register.current(session.connection())
    return jsonify(
        {
            "_embedded": {"verwerkingsactiviteiten": [_version(v) for v in current]},
            "_links": {"self": {"href": url_for(".lijst", _external=True)}},
        }
    )


@REGISTER.route(
    bp,
    "/verwerkingsactiviteiten/<key>",
    "GET",
    operation_id="getVerwerkingsactiviteit",
    summary="Eén verwerkingsactiviteit",
    ok={200: Answer("Eén verwerkingsactiviteit", Verwerkingsactiviteit)},
    security=_PUBLIC,
)
@public
def activiteit(key: str) -> Any:
    history = current_logboek().register.history(session.connection(), key)
    if not history:
        abort(404)
    newest = max(history, key=lambda v: v.version)
    body = _version(newest)
    body["_links"]["self"] = {"href": activity_uri(key)}
    body["_links"]["versies"] = [
        {"href": version_uri(key, v.version)} for v in sorted(history, key=lambda v: v.version)
    ]
    return jsonify(body)


@REGISTER.route(
    bp,
    "/verwerkingsactiviteiten/<key>/versies/<int:versie>",
    "GET",
    operation_id="getVerwerkingsactiviteitVersie",
    summary="Eén versie van een verwerkingsactiviteit",
    ok={200: Answer("Eén versie van een verwerkingsactiviteit", Verwerkingsactiviteit)},
    security=_PUBLIC,
)
@public
def versie(key: str, versie: int) -> Any:
    found = [v for v in current_logboek().register.history(session.connection(), key)]
    match = next((v for v in found if v.version == versie), None)
    if match is None:
        abort(404)
    return jsonify(_version(match))
