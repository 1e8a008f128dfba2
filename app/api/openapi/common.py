"""Building blocks of the OpenAPI document: references, field types, headers, responses."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
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


def problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


def json_content(
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
    "400": problem_response("Ongeldige invoer; invalidParams noemt de velden."),
    "401": problem_response("Niet geauthenticeerd."),
    "403": problem_response("Geen recht op deze handeling."),
    "404": problem_response("Bestaat niet, of u mag het niet zien."),
    "406": problem_response("Niet aanvaardbaar formaat."),
    "415": problem_response("Stuur JSON."),
    "422": problem_response("De handeling past niet bij de toestand van het object."),
    "429": problem_response("Te veel verzoeken."),
    "500": problem_response("Interne fout; er is niets getoond of opgeslagen."),
}


def responses(ok: dict[str, Any], *extra_codes: str, **extra: Any) -> dict[str, Any]:
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
    "412": problem_response("Iemand anders wijzigde het object; haal de nieuwe versie op."),
    "428": problem_response("Stuur de versie mee (If-Match of version)."),
}


def body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}
