"""The source organisations' part of the OpenAPI document (app/signalen/api.py)."""

from __future__ import annotations

from app.api.openapi.common import (
    BSN_INPUT,
    DATE_INPUT,
    body,
    enum,
    json_content,
    ref,
    responses,
    text,
)
from app.api.openapi.paths import PATHS
from app.api.openapi.schemas import SCHEMAS
from app.domain import (
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
)
from app.signalen.bronstatus import STATUS_CODES

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
        "maandenAchterstand": {"type": "integer", "minimum": 0, "maximum": 1000},
        "verzuimUren": {"type": "integer", "minimum": 0, "maximum": 1000},
        "dreigendeOntruiming": {"type": "boolean"},
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
SCHEMAS["BronSignaalStatus"] = {
    "type": "object",
    "description": "Wat er met een signaal van deze bron gebeurde. Alleen de status: nooit de "
    "afweging, het plan of de persoon.",
    "additionalProperties": False,
    "required": [
        "bronReferentie",
        "signaaldatum",
        "ontvangenOp",
        "status",
        "statusOmschrijving",
        "verwijderdOp",
    ],
    "properties": {
        "bronReferentie": {"type": "string"},
        "signaaldatum": {"type": "string", "format": "date"},
        "ontvangenOp": {"type": "string", "format": "date-time"},
        "status": {
            **enum(list(STATUS_CODES)),
            "description": "ontvangen (nog niet gewogen), inBehandeling (wordt gewogen), "
            "afgerond, of verwijderd (geen vervolg: de inhoud is gewist).",
        },
        "statusOmschrijving": {"type": "string"},
        "verwijderdOp": {"type": ["string", "null"], "format": "date-time"},
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
        "requestBody": body("BronSignaal"),
        "responses": responses(
            {
                "201": json_content(ref("BronSignaalOntvangen"), "Opgeslagen."),
                "200": json_content(
                    ref("BronSignaalOntvangen"), "Al eerder ontvangen (zelfde bronReferentie)."
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
        "responses": responses(
            {"200": json_content(ref("Leveringsrapport"), "Het rapport per regel.")}, "415"
        ),
    },
}
PATHS["/bronnen/{bronCode}/signalen/{bronReferentie}"] = {
    "parameters": [
        BRON_CODE,
        {
            "name": "bronReferentie",
            "in": "path",
            "required": True,
            "description": "Uw eigen kenmerk van het signaal (de bronReferentie die u aanleverde).",
            "schema": {"type": "string", "minLength": 1, "maxLength": 100},
        },
    ],
    "get": {
        "operationId": "bronSignaalStatus",
        "summary": "De status van een eigen levering opvragen, met uw eigen kenmerk",
        "description": "Alleen signalen van deze bron, met een token van de organisatie van de "
        "bron; een onbekend kenmerk of dat van een andere bron geeft 404.",
        "security": BRON_SECURITY,
        "responses": responses({"200": json_content(ref("BronSignaalStatus"), "De status.")}),
    },
}
