"""The paths of the OpenAPI document (the staff API v1)."""

from __future__ import annotations

from typing import Any

from app.api.openapi.common import (
    ACTIVITY_ID,
    API_VERSION_HEADER,
    ETAG_HEADER,
    IF_MATCH,
    LINK,
    LINK_ID,
    PERSON_ID,
    PLAN_ID,
    PRECONDITION,
    body,
    json_content,
    ref,
    responses,
)
from app.domain import PlanStatus

PAGE_SIZE_LINES = {
    "name": "pageSize",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "description": "Uit _links.next van het vorige antwoord.",
    "schema": {"type": "string"},
}

PATHS: dict[str, Any] = {
    "/plannen": {
        "get": {
            "operationId": "listPlannen",
            "summary": "Plannen die u mag zien",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"type": "string", "enum": [s.value for s in PlanStatus]},
                },
                {
                    "name": "page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100_000},
                },
                {
                    "name": "pageSize",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            ],
            "responses": responses(
                {
                    "200": json_content(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "plannen": {
                                            "type": "array",
                                            "items": ref("PlanSamenvatting"),
                                        }
                                    },
                                },
                                "page": {"type": "integer"},
                                "pageSize": {"type": "integer"},
                                "totalItems": {"type": "integer"},
                                "totalPages": {"type": "integer"},
                                "_links": {
                                    "type": "object",
                                    "description": "HAL-links: first, prev, self, next, last "
                                    "(prev en next alleen als die pagina bestaat).",
                                    "properties": {
                                        name: LINK
                                        for name in ("first", "prev", "self", "next", "last")
                                    },
                                    "required": ["self", "first", "last"],
                                },
                            },
                            "required": ["_embedded", "page", "pageSize", "totalItems", "_links"],
                        },
                        "Een pagina plannen.",
                        API_VERSION_HEADER,
                    )
                }
            ),
        },
        "post": {
            "operationId": "createPlan",
            "summary": "Plan aanmaken (regisseur)",
            "requestBody": body("PlanNieuw"),
            "responses": responses(
                {
                    "201": json_content(
                        ref("Plan"), "Aangemaakt.", {**API_VERSION_HEADER, **ETAG_HEADER}
                    )
                },
                "415",
                "422",
                **{
                    "409": {
                        "description": "Er is al een plan voor deze persoon.",
                        "content": {"application/problem+json": {"schema": ref("PlanBestaat")}},
                    }
                },
            ),
        },
    },
    "/plannen/{planId}": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "getPlan",
            "responses": responses(
                {
                    "200": json_content(
                        {"oneOf": [ref("Plan"), ref("PlanGeenInzage")]},
                        "Het plan; bij geen inzage alleen dat het bestaat en wie de regisseur is.",
                        {**API_VERSION_HEADER, **ETAG_HEADER},
                    )
                }
            ),
        },
        "patch": {
            "operationId": "updatePlan",
            "parameters": [IF_MATCH],
            "requestBody": body("PlanWijziging"),
            "responses": responses(
                {"200": json_content(ref("Plan"), "Gewijzigd.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/afsluiten": {
        "parameters": [PLAN_ID],
        "post": {
            "operationId": "closePlan",
            "parameters": [IF_MATCH],
            "requestBody": body("PlanAfsluiten"),
            "responses": responses(
                {"200": json_content(ref("Plan"), "Afgesloten.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/activiteiten": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "listActiviteiten",
            "responses": responses(
                {
                    "200": json_content(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "activiteiten": {
                                            "type": "array",
                                            "items": ref("Activiteit"),
                                        }
                                    },
                                }
                            },
                        },
                        "Activiteiten die u mag zien; bij geen inzage alleen die van uw "
                        "eigen organisatie.",
                    )
                }
            ),
        },
        "post": {
            "operationId": "createActiviteit",
            "requestBody": body("ActiviteitNieuw"),
            "responses": responses(
                {"201": json_content(ref("Activiteit"), "Toegevoegd.")}, "415", "422"
            ),
        },
    },
    "/plannen/{planId}/activiteiten/{activiteitId}": {
        "parameters": [PLAN_ID, ACTIVITY_ID],
        "get": {
            "operationId": "getActiviteit",
            "responses": responses({"200": json_content(ref("Activiteit"), "De activiteit.")}),
        },
        "patch": {
            "operationId": "updateActiviteit",
            "parameters": [IF_MATCH],
            "requestBody": body("ActiviteitWijziging"),
            "responses": responses(
                {"200": json_content(ref("Activiteit"), "Gewijzigd.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/gezinslinks": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "listGezinslinks",
            "responses": responses(
                {
                    "200": json_content(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "gezinslinks": {
                                            "type": "array",
                                            "items": ref("Gezinslink"),
                                        }
                                    },
                                }
                            },
                        },
                        "Gezinslinks, ook verbroken.",
                    )
                }
            ),
        },
        "post": {
            "operationId": "createGezinslink",
            "requestBody": body("GezinslinkNieuw"),
            "responses": responses(
                {"201": json_content(ref("Gezinslink"), "Gelegd.")}, "415", "422"
            ),
        },
    },
    "/plannen/{planId}/gezinslinks/{gezinslinkId}": {
        "parameters": [PLAN_ID, LINK_ID],
        "patch": {
            "operationId": "breakGezinslink",
            "requestBody": body("GezinslinkVerbreken"),
            "responses": responses(
                {"200": json_content(ref("Gezinslink"), "Verbroken.")}, "415", "422"
            ),
        },
    },
    "/personen/{persoonId}": {
        "parameters": [PERSON_ID],
        "get": {
            "operationId": "getPersoon",
            "responses": responses({"200": json_content(ref("Persoon"), "De persoon.")}),
        },
    },
    "/personen/_zoek": {
        "post": {
            "operationId": "zoekPersoon",
            "summary": "Persoon zoeken op BSN (in de body: een BSN hoort niet in een URL)",
            "requestBody": body("BsnZoekvraag"),
            "responses": responses({"200": json_content(ref("Persoon"), "De persoon.")}, "415"),
        },
    },
    "/dataverwerkingen": {
        "get": {
            "operationId": "listDataverwerkingen",
            "summary": "Logboekregels lezen (Logboek Dataverwerkingen, leesextensie)",
            "description": "Nieuwste eerst. Geef minstens één van dataSubjectId, traceId en "
            "processingActivityId (anders 400). De privacy officer leest alle regels; dat lezen "
            "komt zelf in het logboek (verwerkingsactiviteit toezicht-logboek), één regel per "
            "persoon van wie regels werden getoond. Een inwoner leest alleen regels over zichzelf, "
            "en uitgestelde regels pas na hun datum. Anderen: 403.",
            "parameters": [
                {
                    "name": "dataSubjectId",
                    "in": "query",
                    "description": "Het pseudoniem van de betrokkene zoals in het logboek (nooit "
                    "een BSN; zoek op BSN met POST /dataverwerkingen/_zoek).",
                    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
                {
                    "name": "traceId",
                    "in": "query",
                    "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                },
                {"name": "processingActivityId", "in": "query", "schema": {"type": "string"}},
                PAGE_SIZE_LINES,
                CURSOR,
            ],
            "responses": responses(
                {
                    "200": json_content(
                        ref("DataverwerkingenPagina"), "Een pagina regels.", API_VERSION_HEADER
                    )
                }
            ),
        },
    },
    "/dataverwerkingen/_zoek": {
        "post": {
            "operationId": "zoekDataverwerkingen",
            "parameters": [PAGE_SIZE_LINES, CURSOR],
            "summary": "Logboekregels over een persoon, gezocht op BSN (in de body)",
            "requestBody": body("DataverwerkingenZoekvraag"),
            "responses": responses(
                {"200": json_content(ref("DataverwerkingenPagina"), "Een pagina regels.")}, "415"
            ),
        },
    },
}
