"""The OpenAPI 3 document of API v1. A test checks it against the routes and the responses."""

from __future__ import annotations

from typing import Any

from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
    ActiviteitStatus,
    PlanBasis,
    PlanStatus,
    Relatie,
    UitvoerderSoort,
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


NULLABLE_STR = {"type": ["string", "null"]}
# The regisseur card and the mandate, as every plan representation shows them.
REGISSEUR = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "naam": {"type": "string"},
        "organisatie": NULLABLE_STR,
        "telefoon": NULLABLE_STR,
        "email": NULLABLE_STR,
    },
    "required": ["id", "naam"],
}
MANDAAT = {
    "type": ["object", "null"],
    "properties": {"id": {"type": "integer"}, "omschrijving": {"type": "string"}},
}

# Input rules the server enforces, written down so that clients (and the fuzzer) know them:
# no NUL characters, lengths as stored, required text has at least one non-space character,
# ids are positive 32-bit integers. Breaking one of these is a 400; a well-formed request
# that does not fit the data (an unknown person, an end before the start) is a 422.
MAX_ID = 2_147_483_647
ID_INPUT = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
VERSION_INPUT = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
BSN_INPUT = {
    "type": "string",
    "format": "bsn",
    "pattern": "^[0-9]{9}$",
    "description": "Burgerservicenummer: 9 cijfers die voldoen aan de 11-proef.",
}
DATE_INPUT = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def text(max_length: int, *, required: bool = False, nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["string", "null"] if nullable else "string"}
    out["maxLength"] = max_length
    if required:
        out["minLength"] = 1
        out["pattern"] = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
    else:
        out["pattern"] = "^[^\\x00]*$"
    return out


def enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
LINK = {"type": "object", "properties": {"href": {"type": "string"}}, "required": ["href"]}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(
    schema: dict[str, Any], description: str, headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        out["headers"] = headers
    return out


API_VERSION_HEADER = {
    "API-Version": {"schema": {"type": "string"}, "description": "Volledige versie van de API."}
}
ETAG_HEADER = {
    "ETag": {"schema": {"type": "string"}, "description": "Versie van het object, voor If-Match."}
}

COMMON_ERRORS = {
    "400": _problem_response("Ongeldige invoer; invalidParams noemt de velden."),
    "401": _problem_response("Niet geauthenticeerd."),
    "403": _problem_response("Geen recht op deze handeling."),
    "404": _problem_response("Bestaat niet, of u mag het niet zien."),
    "406": _problem_response("Niet aanvaardbaar formaat."),
    "415": _problem_response("Stuur JSON."),
    "422": _problem_response("De handeling past niet bij de toestand van het object."),
    "429": _problem_response("Te veel verzoeken."),
    "500": _problem_response("Interne fout; er is niets getoond of opgeslagen."),
}


def _responses(ok: dict[str, Any], *extra_codes: str, **extra: Any) -> dict[str, Any]:
    out = dict(ok)
    for code in ("400", "401", "403", "404", "429", "500", *extra_codes):
        out[code] = COMMON_ERRORS[code]
    out.update(extra)
    return out


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
    "description": 'De versie die u ophaalde, bijv. "3". Of stuur "version" in de body.',
}
PATH_ID = {"type": "integer", "minimum": 0, "maximum": 2_147_483_647}
PLAN_ID = {"name": "planId", "in": "path", "required": True, "schema": PATH_ID}
ACTIVITY_ID = {"name": "activiteitId", "in": "path", "required": True, "schema": PATH_ID}
LINK_ID = {"name": "gezinslinkId", "in": "path", "required": True, "schema": PATH_ID}
PERSON_ID = {"name": "persoonId", "in": "path", "required": True, "schema": PATH_ID}
PRECONDITION = {
    "412": _problem_response("Iemand anders wijzigde het object; haal de nieuwe versie op."),
    "428": _problem_response("Stuur de versie mee (If-Match of version)."),
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "invalidParams": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "code": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                    "required": ["name", "code", "reason"],
                },
            },
        },
        "required": ["title", "status"],
    },
    "Adres": {
        "type": "object",
        "properties": {
            "straat": NULLABLE_STR,
            "huisnummer": NULLABLE_STR,
            "huisnummertoevoeging": NULLABLE_STR,
            "postcode": NULLABLE_STR,
            "woonplaats": NULLABLE_STR,
        },
    },
    "Persoon": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "bsn": {"type": "string", "pattern": "^[0-9]{9}$"},
            "voornamen": {"type": "string"},
            "tussenvoegsel": NULLABLE_STR,
            "achternaam": {"type": "string"},
            "geboortedatum": {"type": "string", "format": "date"},
            "adres": _ref("Adres"),
            "_links": {"type": "object", "properties": {"self": LINK}},
        },
        "required": ["id", "bsn", "voornamen", "achternaam", "geboortedatum"],
    },
    "AdresInvoer": {
        "type": "object",
        "properties": {
            "straat": text(200, nullable=True),
            "huisnummer": text(10, nullable=True),
            "huisnummertoevoeging": text(10, nullable=True),
            "postcode": text(7, nullable=True),
            "woonplaats": text(100, nullable=True),
        },
    },
    "PersoonNieuw": {
        "type": "object",
        "properties": {
            "voornamen": text(200, required=True),
            "tussenvoegsel": text(20, nullable=True),
            "achternaam": text(200, required=True),
            "geboortedatum": DATE_INPUT,
            "adres": _ref("AdresInvoer"),
        },
        "required": ["voornamen", "achternaam", "geboortedatum"],
    },
    "PlanSamenvatting": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": [s.value for s in PlanStatus]},
            "basis": {"type": "string", "enum": [b.value for b in PlanBasis]},
            "persoon": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "naam": {"type": "string"}},
                "required": ["id", "naam"],
            },
            "regisseur": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "naam": {"type": "string"}},
            },
            "gewijzigdOp": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
            "_links": {"type": "object", "properties": {"self": LINK}},
        },
        "required": ["id", "status", "persoon", "version"],
    },
    "PlanGeenInzage": {
        "type": "object",
        "description": "Wat een organisatie ziet als de inwoner koos voor geen inzage: dat er een "
        "plan is, de status en wie de regisseur is.",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": [s.value for s in PlanStatus]},
            "inzage": {"type": "string", "const": "geen"},
            "persoon": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "naam": {"type": "string"},
                    "geboortedatum": {"type": "string", "format": "date"},
                },
                "required": ["id", "naam", "geboortedatum"],
                "additionalProperties": False,
            },
            "regisseur": REGISSEUR,
            "mandaat": MANDAAT,
            "version": {"type": "integer"},
            "_links": {"type": "object"},
        },
        "required": ["id", "status", "inzage", "persoon", "regisseur", "version"],
        "additionalProperties": False,
    },
    "Plan": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": [s.value for s in PlanStatus]},
            "basis": {"type": "string", "enum": [b.value for b in PlanBasis]},
            "persoon": _ref("Persoon"),
            "regisseur": REGISSEUR,
            "mandaat": MANDAAT,
            "afsluitreden": NULLABLE_STR,
            "afgeslotenOp": {"type": ["string", "null"], "format": "date-time"},
            "aangemaaktOp": {"type": "string", "format": "date-time"},
            "gewijzigdOp": {"type": "string", "format": "date-time"},
            "version": {"type": "integer"},
            "_links": {"type": "object"},
        },
        "required": ["id", "status", "basis", "persoon", "regisseur", "version"],
    },
    "PlanNieuw": {
        "type": "object",
        "description": "Voor een persoon die Eenplan nog niet kent: stuur `persoon` mee (anders "
        "422). Bij basis `toestemming`: stuur `toestemming` mee (anders 422).",
        "properties": {
            "bsn": BSN_INPUT,
            "basis": enum([b.value for b in PlanBasis]),
            "status": enum([PlanStatus.CONCEPT.value, PlanStatus.ACTIEF.value]),
            "mandaatId": ID_INPUT,
            "persoon": _ref("PersoonNieuw"),
            "toestemming": {
                "type": "object",
                "properties": {
                    "gegevenDoor": text(200, required=True),
                    "gegevenOp": DATE_INPUT,
                    "wijze": enum(["mondeling", "schriftelijk", "digitaal"]),
                    "toelichting": text(5000, nullable=True),
                },
                "required": ["gegevenDoor", "gegevenOp", "wijze"],
            },
        },
        "required": ["bsn", "basis"],
    },
    "PlanWijziging": {
        "type": "object",
        "properties": {
            "status": enum([PlanStatus.CONCEPT.value, PlanStatus.ACTIEF.value]),
            "mandaatId": {**ID_INPUT, "type": ["integer", "null"]},
            "version": VERSION_INPUT,
        },
    },
    "PlanAfsluiten": {
        "type": "object",
        "description": "Bij reden `anders` is een toelichting nodig (anders 422).",
        "properties": {
            "reden": enum(list(AFSLUITREDENEN)),
            "toelichting": text(5000, nullable=True),
            "version": VERSION_INPUT,
        },
        "required": ["reden"],
    },
    "Activiteit": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "planId": {"type": "integer"},
            "aard": {"type": "string", "enum": list(ACTIVITEIT_AARDEN)},
            "uitvoerderSoort": {"type": "string", "enum": [u.value for u in UitvoerderSoort]},
            "organisatie": {
                "type": ["object", "null"],
                "properties": {"id": {"type": "integer"}, "naam": {"type": "string"}},
            },
            "startdatum": {"type": "string", "format": "date"},
            "einddatum": NULLABLE_DATE,
            "afgerond": {"type": "boolean"},
            "afgerondOp": NULLABLE_DATE,
            "status": {"type": "string", "enum": [s.value for s in ActiviteitStatus]},
            "omschrijving": {
                "type": "string",
                "description": "Alleen als u de activiteit volledig mag zien.",
            },
            "uitvoerderContact": NULLABLE_STR,
            "toelichting": {
                "type": ["string", "null"],
                "description": "Ontbreekt als de toelichting onder beroepsgeheim van een andere "
                "organisatie valt.",
            },
            "toelichtingBeroepsgeheim": {
                "type": "boolean",
                "description": "De toelichting valt onder beroepsgeheim: alleen de uitvoerende "
                "organisatie en de regisseur zien haar.",
            },
            "version": {"type": "integer"},
            "_links": {"type": "object"},
        },
        "required": [
            "id",
            "planId",
            "aard",
            "uitvoerderSoort",
            "startdatum",
            "afgerond",
            "status",
            "version",
        ],
    },
    "ActiviteitNieuw": {
        "type": "object",
        "description": "Een regisseur kiest de uitvoerende organisatie (`organisatieId`, nodig "
        "bij uitvoerderSoort `organisatie`); een hulpverlener legt activiteiten van de eigen "
        "organisatie vast. Een einddatum voor de startdatum, of een onbekende organisatie: 422.",
        "properties": {
            "aard": enum(list(ACTIVITEIT_AARDEN)),
            "omschrijving": text(2000, required=True),
            "uitvoerderSoort": enum([u.value for u in UitvoerderSoort]),
            "organisatieId": {**ID_INPUT, "type": ["integer", "null"]},
            "uitvoerderContact": text(300, nullable=True),
            "startdatum": DATE_INPUT,
            "einddatum": {**DATE_INPUT, "type": ["string", "null"]},
            "afgerond": {"type": "boolean"},
            "toelichting": text(5000, nullable=True),
            "toelichtingBeroepsgeheim": {
                "type": "boolean",
                "description": "Alleen een hulpverlener van de uitvoerende organisatie.",
            },
        },
        "required": ["aard", "omschrijving", "startdatum"],
    },
    "ActiviteitWijziging": {
        "type": "object",
        "description": "Alleen wat verandert; de rest blijft. Zie ActiviteitNieuw voor de regels.",
        "properties": {
            "aard": enum(list(ACTIVITEIT_AARDEN)),
            "omschrijving": text(2000, required=True),
            "uitvoerderSoort": enum([u.value for u in UitvoerderSoort]),
            "organisatieId": {**ID_INPUT, "type": ["integer", "null"]},
            "uitvoerderContact": text(300, nullable=True),
            "startdatum": DATE_INPUT,
            "einddatum": {**DATE_INPUT, "type": ["string", "null"]},
            "afgerond": {"type": "boolean"},
            "toelichting": text(5000, nullable=True),
            "toelichtingBeroepsgeheim": {
                "type": "boolean",
                "description": "Alleen een hulpverlener van de uitvoerende organisatie.",
            },
            "version": VERSION_INPUT,
        },
    },
    "Gezinslink": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "persoon": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "naam": {"type": "string"},
                    "geboortedatum": {"type": "string", "format": "date"},
                },
            },
            "relatie": {"type": "string", "enum": [r.value for r in Relatie]},
            "relatieOmschrijving": {"type": "string"},
            "actief": {"type": "boolean"},
            "gelegdOp": {"type": "string", "format": "date-time"},
            "gelegdDoor": {"type": "string"},
            "verbrokenOp": {"type": ["string", "null"], "format": "date-time"},
            "verbrokenDoor": NULLABLE_STR,
        },
        "required": ["id", "persoon", "relatie", "actief", "gelegdOp"],
    },
    "GezinslinkNieuw": {
        "type": "object",
        "description": "Voor een persoon die Eenplan nog niet kent: stuur `persoon` mee "
        "(anders 422).",
        "properties": {
            "bsn": BSN_INPUT,
            "relatie": enum([r.value for r in Relatie]),
            "richting": enum(["planpersoonIsA", "planpersoonIsB"]),
            "persoon": _ref("PersoonNieuw"),
        },
        "required": ["bsn", "relatie"],
    },
    "GezinslinkVerbreken": {
        "type": "object",
        "properties": {
            "actief": {"type": "boolean", "enum": [False]},
            "reden": text(5000, nullable=True),
        },
        "required": ["actief"],
    },
    "BsnZoekvraag": {
        "type": "object",
        "properties": {"bsn": BSN_INPUT},
        "required": ["bsn"],
    },
    "Dataverwerking": {
        "type": "object",
        "description": "Eén logboekregel in de vorm van de standaard Logboek Dataverwerkingen. "
        "dpl.core.data_subject_id is het pseudoniem van de betrokkene, nooit een BSN.",
        "properties": {
            "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "span_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "parent_span_id": {"type": ["string", "null"]},
            "name": {"type": "string"},
            "start_time": {"type": "string", "format": "date-time"},
            "end_time": {"type": "string", "format": "date-time"},
            "status_code": {"type": "string"},
            "resource": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
                "required": ["name", "version"],
            },
            "attributes": {
                "type": "object",
                "properties": {
                    "dpl.core.processing_activity_id": {"type": "string"},
                    "dpl.core.data_subject_id": NULLABLE_STR,
                    "dpl.core.data_subject_id_type": NULLABLE_STR,
                    "eenplan.kind": {"type": "string", "enum": ["inzage", "uitwisseling"]},
                    "eenplan.action": {
                        "type": "string",
                        "enum": ["view", "create", "update", "delete", "export", "send", "receive"],
                    },
                    "eenplan.processing_activity_version": {"type": "integer"},
                    "eenplan.purpose": {"type": "string"},
                    "eenplan.legal_basis": {"type": "string"},
                    "eenplan.legal_reference": NULLABLE_STR,
                    "eenplan.actor.type": {"type": "string"},
                    "eenplan.actor.id": NULLABLE_STR,
                    "eenplan.actor.name": NULLABLE_STR,
                    "eenplan.actor.role": NULLABLE_STR,
                    "eenplan.actor.organisation": NULLABLE_STR,
                    "eenplan.actor.mandate": NULLABLE_STR,
                    "eenplan.object.type": NULLABLE_STR,
                    "eenplan.object.id": NULLABLE_STR,
                    "eenplan.data_categories": {"type": "array", "items": {"type": "string"}},
                    "eenplan.reason": NULLABLE_STR,
                    "eenplan.emergency": {"type": "boolean"},
                    "eenplan.disclose_after": NULLABLE_DATE,
                    "eenplan.deferral_reason": NULLABLE_STR,
                    "eenplan.sender": NULLABLE_STR,
                    "eenplan.recipient": NULLABLE_STR,
                    "eenplan.seq": {"type": "integer"},
                },
                "required": [
                    "dpl.core.processing_activity_id",
                    "dpl.core.data_subject_id",
                    "eenplan.kind",
                    "eenplan.action",
                    "eenplan.data_categories",
                    "eenplan.seq",
                ],
            },
        },
        "required": [
            "trace_id",
            "span_id",
            "name",
            "start_time",
            "end_time",
            "status_code",
            "resource",
            "attributes",
        ],
    },
    "DataverwerkingenPagina": {
        "type": "object",
        "properties": {
            "_embedded": {
                "type": "object",
                "properties": {
                    "dataverwerkingen": {"type": "array", "items": _ref("Dataverwerking")}
                },
                "required": ["dataverwerkingen"],
            },
            "pageSize": {"type": "integer"},
            "nextCursor": {
                "type": ["string", "null"],
                "description": "Geef mee als cursor voor de volgende (oudere) regels; null als er geen zijn.",
            },
            "_links": {
                "type": "object",
                "properties": {"self": LINK, "next": LINK},
                "required": ["self"],
            },
        },
        "required": ["_embedded", "pageSize", "nextCursor", "_links"],
    },
    "DataverwerkingenZoekvraag": {
        "type": "object",
        "properties": {
            "bsn": {"type": "string"},
            "pageSize": {"type": "integer", "minimum": 1, "maximum": 100},
            "cursor": {"type": "string"},
        },
        "required": ["bsn"],
    },
}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


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
            "responses": _responses(
                {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "plannen": {
                                            "type": "array",
                                            "items": _ref("PlanSamenvatting"),
                                        }
                                    },
                                },
                                "page": {"type": "integer"},
                                "pageSize": {"type": "integer"},
                                "totalItems": {"type": "integer"},
                                "totalPages": {"type": "integer"},
                            },
                            "required": ["_embedded", "page", "pageSize", "totalItems"],
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
            "requestBody": _body("PlanNieuw"),
            "responses": _responses(
                {"201": _json(_ref("Plan"), "Aangemaakt.", {**API_VERSION_HEADER, **ETAG_HEADER})},
                "415",
                "422",
                **{"409": _problem_response("Er is al een plan voor deze persoon.")},
            ),
        },
    },
    "/plannen/{planId}": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "getPlan",
            "responses": _responses(
                {
                    "200": _json(
                        {"oneOf": [_ref("Plan"), _ref("PlanGeenInzage")]},
                        "Het plan; bij geen inzage alleen dat het bestaat en wie de regisseur is.",
                        {**API_VERSION_HEADER, **ETAG_HEADER},
                    )
                }
            ),
        },
        "patch": {
            "operationId": "updatePlan",
            "parameters": [IF_MATCH],
            "requestBody": _body("PlanWijziging"),
            "responses": _responses(
                {"200": _json(_ref("Plan"), "Gewijzigd.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/afsluiten": {
        "parameters": [PLAN_ID],
        "post": {
            "operationId": "closePlan",
            "parameters": [IF_MATCH],
            "requestBody": _body("PlanAfsluiten"),
            "responses": _responses(
                {"200": _json(_ref("Plan"), "Afgesloten.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/activiteiten": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "listActiviteiten",
            "responses": _responses(
                {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "activiteiten": {
                                            "type": "array",
                                            "items": _ref("Activiteit"),
                                        }
                                    },
                                }
                            },
                        },
                        "Activiteiten die u mag zien.",
                    )
                }
            ),
        },
        "post": {
            "operationId": "createActiviteit",
            "requestBody": _body("ActiviteitNieuw"),
            "responses": _responses(
                {"201": _json(_ref("Activiteit"), "Toegevoegd.")}, "415", "422"
            ),
        },
    },
    "/plannen/{planId}/activiteiten/{activiteitId}": {
        "parameters": [PLAN_ID, ACTIVITY_ID],
        "get": {
            "operationId": "getActiviteit",
            "responses": _responses({"200": _json(_ref("Activiteit"), "De activiteit.")}),
        },
        "patch": {
            "operationId": "updateActiviteit",
            "parameters": [IF_MATCH],
            "requestBody": _body("ActiviteitWijziging"),
            "responses": _responses(
                {"200": _json(_ref("Activiteit"), "Gewijzigd.")}, "415", "422", **PRECONDITION
            ),
        },
    },
    "/plannen/{planId}/gezinslinks": {
        "parameters": [PLAN_ID],
        "get": {
            "operationId": "listGezinslinks",
            "responses": _responses(
                {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "gezinslinks": {
                                            "type": "array",
                                            "items": _ref("Gezinslink"),
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
            "requestBody": _body("GezinslinkNieuw"),
            "responses": _responses({"201": _json(_ref("Gezinslink"), "Gelegd.")}, "415", "422"),
        },
    },
    "/plannen/{planId}/gezinslinks/{gezinslinkId}": {
        "parameters": [PLAN_ID, LINK_ID],
        "patch": {
            "operationId": "breakGezinslink",
            "requestBody": _body("GezinslinkVerbreken"),
            "responses": _responses({"200": _json(_ref("Gezinslink"), "Verbroken.")}, "415", "422"),
        },
    },
    "/personen/{persoonId}": {
        "parameters": [PERSON_ID],
        "get": {
            "operationId": "getPersoon",
            "responses": _responses({"200": _json(_ref("Persoon"), "De persoon.")}),
        },
    },
    "/personen/_zoek": {
        "post": {
            "operationId": "zoekPersoon",
            "summary": "Persoon zoeken op BSN (in de body: een BSN hoort niet in een URL)",
            "requestBody": _body("BsnZoekvraag"),
            "responses": _responses({"200": _json(_ref("Persoon"), "De persoon.")}, "415"),
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
                {
                    "name": "pageSize",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
                },
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": _responses(
                {
                    "200": _json(
                        _ref("DataverwerkingenPagina"), "Een pagina regels.", API_VERSION_HEADER
                    )
                }
            ),
        },
    },
    "/dataverwerkingen/_zoek": {
        "post": {
            "operationId": "zoekDataverwerkingen",
            "summary": "Logboekregels over een persoon, gezocht op BSN (in de body)",
            "requestBody": _body("DataverwerkingenZoekvraag"),
            "responses": _responses(
                {"200": _json(_ref("DataverwerkingenPagina"), "Een pagina regels.")}, "415"
            ),
        },
    },
}


# --- the API for source organisations (app/signalen/api.py) -----------------------------------

BRON_CODE = {
    "name": "bronCode",
    "in": "path",
    "required": True,
    "description": "De code van de bron, bijvoorbeeld belastingdienst of cjib.",
    "schema": {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
}
BRON_SECURITY: list[dict[str, list[str]]] = [{"bronAuth": []}]
RAW_TEXT = {"type": "string", "minLength": 1}

SCHEMAS["BronSignaal"] = {
    "type": "object",
    "description": "Eén signaal van een bron. Welke van de bronvelden een bron mag aanleveren, "
    "is ingericht per bron (een ander bronveld geeft 422).",
    "additionalProperties": False,
    "required": ["bsn", "bronReferentie", "signaaldatum"],
    "properties": {
        "bsn": BSN_INPUT,
        "bronReferentie": {
            **text(100, required=True),
            "description": "Uw kenmerk van dit signaal; een tweede levering met hetzelfde "
            "kenmerk wordt niet opnieuw opgeslagen.",
        },
        "signaaldatum": {**DATE_INPUT, "description": "Niet in de toekomst, niet voor 2000."},
        "categorie": enum(list(SIGNAAL_CATEGORIEEN)),
        "domeinen": {"type": "array", "maxItems": 20, "items": enum(list(LEEFGEBIEDEN))},
        "inhoud": text(5000),
        "schuldsoort": text(200),
        "schuldeiser": text(200),
        "bedrag": {"type": "string", "pattern": "^[0-9]{1,8}(\\.[0-9]{1,2})?$"},
        "maanden_achterstand": {"type": "integer", "minimum": 0, "maximum": 1000},
        "verzuim_uren": {"type": "integer", "minimum": 0, "maximum": 1000},
        "dreigende_ontruiming": {"type": "boolean"},
    },
}
SCHEMAS["BronSignaalOntvangen"] = {
    "type": "object",
    "required": ["id", "bronReferentie", "status"],
    "properties": {
        "id": {"type": ["integer", "null"]},
        "bronReferentie": {"type": "string"},
        "status": enum(["opgeslagen", "dubbel"]),
    },
}
SCHEMAS["Leveringsrapport"] = {
    "type": "object",
    "required": ["ontvangen", "opgeslagen", "dubbel", "afgekeurd", "fouten"],
    "properties": {
        "ontvangen": {"type": "integer"},
        "opgeslagen": {"type": "integer"},
        "dubbel": {"type": "integer"},
        "afgekeurd": {"type": "integer"},
        "heropendeAfwegingen": {"type": "integer"},
        "opgeslagenRegels": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"regel": {"type": "integer"}, "id": {"type": "integer"}},
            },
        },
        "dubbeleRegels": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "regel": {"type": "integer"},
                    "bronReferentie": {"type": "string"},
                },
            },
        },
        "fouten": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["regel", "veld", "reden"],
                "properties": {
                    "regel": {"type": "integer"},
                    "veld": {"type": "string"},
                    "reden": {"type": "string"},
                },
            },
        },
    },
}

PATHS["/bronnen/{bronCode}/signalen"] = {
    "parameters": [BRON_CODE],
    "post": {
        "operationId": "bronSignaal",
        "summary": "Eén signaal aanleveren (bronsystemen, met een brontoken)",
        "security": BRON_SECURITY,
        "requestBody": _body("BronSignaal"),
        "responses": _responses(
            {
                "201": _json(_ref("BronSignaalOntvangen"), "Opgeslagen."),
                "200": _json(
                    _ref("BronSignaalOntvangen"), "Al eerder ontvangen (zelfde bronReferentie)."
                ),
            },
            "415",
            "422",
        ),
    },
}
PATHS["/bronnen/{bronCode}/signalen/_bulk"] = {
    "parameters": [BRON_CODE],
    "post": {
        "operationId": "bronLevering",
        "summary": "Veel signalen tegelijk: JSON Lines of CSV met kopregel",
        "description": "Elke geldige regel wordt opgeslagen, elke ongeldige regel genoemd met "
        "regelnummer en reden, en een regel met een al ontvangen bronReferentie niet opnieuw "
        "opgeslagen. In CSV is regel 1 de kopregel (kolommen als de velden van BronSignaal; "
        "domeinen gescheiden door komma of puntkomma).",
        "security": BRON_SECURITY,
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": RAW_TEXT},
                "text/csv": {"schema": RAW_TEXT},
            },
        },
        "responses": _responses(
            {"200": _json(_ref("Leveringsrapport"), "Het rapport per regel.")}, "415"
        ),
    },
}


def document() -> dict[str, Any]:
    from app import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Eenplan API",
            "version": "1.0.0",
            "description": "Plannen, activiteiten en gezinslinks van één gezin, één plan, één regisseur. "
            "Elke inzage via de API komt in het logboek van de betrokkene.",
            "contact": {"name": "Eenplan"},
            "x-eenplan-version": __version__,
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "bronAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Brontoken van de organisatie (flask signals token BRON).",
                },
            },
        },
    }
