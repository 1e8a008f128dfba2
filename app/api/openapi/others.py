"""The OpenAPI documents of Eenplan's two other APIs: the logboek through the *Logboek
Dataverwerkingen* read extension (``/api/ldv/v1``) and the register of processing activities
(``/api/verwerkingsregister/v1``). Served next to each API as ``openapi.json`` and linted with
the NL API Design Rules like ``/api/v1``'s (``scripts/lint_api.sh``)."""

from __future__ import annotations

import copy
from typing import Any

from app.api.openapi import CONTACT, with_version_headers
from app.api.openapi.common import LINK
from app.api.openapi.schemas import SCHEMAS

_PROBLEM = {
    "type": "object",
    "description": "application/problem+json, in de vorm van ProblemJson van de standaard.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "in": {"type": "string", "enum": ["body", "query"]},
                    "location": {"type": "string"},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
                "required": ["in", "location", "code", "detail"],
            },
        },
    },
    "required": ["status", "title"],
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Probleem"}}
        },
    }


def _errors(*codes: str) -> dict[str, Any]:
    texts = {
        "400": "Ongeldige vraag; errors noemt wat.",
        "401": "Niet geauthenticeerd.",
        "403": "Geen recht om het logboek te lezen.",
        "404": "Bestaat niet.",
        "406": "Alleen JSON.",
        "415": "Stuur JSON.",
        "429": "Te veel verzoeken.",
        "500": "Interne fout.",
    }
    return {code: _problem(texts[code]) for code in codes}


def _info(title: str, version: str, description: str, contact: dict[str, str] | None) -> Any:
    return {
        "title": title,
        "version": version,
        "description": description,
        "contact": {**CONTACT, **(contact or {})},
    }


def ldv_document(contact: dict[str, str] | None = None) -> dict[str, Any]:
    record = copy.deepcopy(SCHEMAS["Dataverwerking"])
    page_size = {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
    paths = {
        "/processing-activities": {
            "post": {
                "operationId": "listProcessingActivitiesPost",
                "summary": "Logboekregels (Logboek Dataverwerkingen, extensie lezen 1.1.0)",
                "description": "Nieuwste eerst. Een BSN alleen in de body. Wie mag lezen: de "
                "privacy officer alles (dat lezen komt zelf in het logboek), een inwoner alleen "
                "regels over zichzelf.",
                "parameters": [
                    {"name": "pageSize", "in": "query", "schema": page_size},
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "Uit _links.next van het vorige antwoord.",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ProcessingActivityRequest"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Een pagina regels.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ListProcessingActivities"}
                            }
                        },
                    },
                    **_errors("400", "401", "403", "406", "415", "429", "500"),
                },
            }
        }
    }
    return {
        "openapi": "3.1.0",
        "info": _info(
            "Eenplan — Logboek Dataverwerkingen, lezen",
            "1.1.0",
            "De standaard Logboek Dataverwerkingen, extensie lezen 1.1.0, zoals Eenplan die "
            "biedt (docs/api.md).",
            contact,
        ),
        "servers": [{"url": "/api/ldv/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": with_version_headers(paths),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Probleem": _PROBLEM,
                "ProcessingActivity": record,
                "ProcessingActivityRequest": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": False,
                    "properties": {
                        "dpl.core.processing_activity_id": {"type": "string", "format": "uri"},
                        "dpl.core.data_subject_id": {"type": "string", "maxLength": 64},
                        "dpl.core.data_subject_id_type": {"type": "string", "maxLength": 40},
                        "dpl.core.foreign_operation.processor": {
                            "type": "string",
                            "format": "uri",
                        },
                        "traceId": {"type": "string"},
                        "startTime": {"type": "integer", "format": "int64", "minimum": 0},
                        "endTime": {"type": "integer", "format": "int64", "minimum": 0},
                    },
                },
                "ListProcessingActivities": {
                    "type": "object",
                    "required": ["metadata", "processingActivities", "_links"],
                    "properties": {
                        "metadata": {
                            "type": "object",
                            "properties": {
                                "logbookId": {"type": "string"},
                                "organizationName": {"type": "string"},
                            },
                            "required": ["logbookId", "organizationName"],
                        },
                        "processingActivities": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ProcessingActivity"},
                        },
                        "_links": {
                            "type": "object",
                            "properties": {"self": LINK, "next": LINK},
                            "required": ["self"],
                        },
                    },
                },
            },
        },
    }


def register_document(contact: dict[str, str] | None = None) -> dict[str, Any]:
    version = {
        "type": "object",
        "properties": {
            "sleutel": {"type": "string"},
            "versie": {"type": "integer"},
            "naam": {"type": "string"},
            "doel": {"type": "string"},
            "grondslag": {"type": "string"},
            "wettelijkeBasis": {"type": ["string", "null"]},
            "gegevenscategorieen": {"type": "array", "items": {"type": "string"}},
            "ontvangers": {"type": "array", "items": {"type": "string"}},
            "bewaartermijn": {"type": "string"},
            "geldigVanaf": {"type": "string", "format": "date-time"},
            "_links": {"type": "object"},
        },
        "required": ["sleutel", "versie", "naam", "doel", "grondslag", "_links"],
    }
    key = {"name": "sleutel", "in": "path", "required": True, "schema": {"type": "string"}}
    ok = {"$ref": "#/components/schemas/Verwerkingsactiviteit"}

    def get(operation_id: str, summary: str, schema: Any, *params: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "operationId": operation_id,
            "summary": summary,
            "security": [],
            "responses": {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": schema}},
                },
                **_errors("400", "404", "406", "429", "500"),
            },
        }
        if params:
            out["parameters"] = list(params)
        return out

    paths = {
        "/verwerkingsactiviteiten": {
            "get": get(
                "listVerwerkingsactiviteiten",
                "De huidige versie van elke verwerkingsactiviteit",
                {
                    "type": "object",
                    "properties": {
                        "_embedded": {
                            "type": "object",
                            "properties": {
                                "verwerkingsactiviteiten": {"type": "array", "items": ok}
                            },
                        },
                        "_links": {"type": "object"},
                    },
                },
            )
        },
        "/verwerkingsactiviteiten/{sleutel}": {
            "get": get("getVerwerkingsactiviteit", "Eén verwerkingsactiviteit", ok, key)
        },
        "/verwerkingsactiviteiten/{sleutel}/versies/{versie}": {
            "get": get(
                "getVerwerkingsactiviteitVersie",
                "Eén versie van een verwerkingsactiviteit",
                ok,
                key,
                {"name": "versie", "in": "path", "required": True, "schema": {"type": "integer"}},
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": _info(
            "Eenplan — verwerkingsregister",
            "1.0.0",
            "Het register van verwerkingsactiviteiten (AVG art. 30), alleen-lezen en zonder "
            "persoonsgegevens: waar dpl.core.processing_activity_id in het logboek naar wijst.",
            contact,
        ),
        "servers": [{"url": "/api/verwerkingsregister/v1"}],
        "paths": with_version_headers(paths),
        "components": {"schemas": {"Probleem": _PROBLEM, "Verwerkingsactiviteit": version}},
    }
