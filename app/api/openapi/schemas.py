"""The components/schemas of the OpenAPI document (the resources of API v1)."""

from __future__ import annotations

from typing import Any

from app.api.openapi.common import (
    BSN_INPUT,
    DATE_INPUT,
    ID_INPUT,
    LINK,
    MANDAAT,
    NULLABLE_DATE,
    NULLABLE_STR,
    REGISSEUR,
    VERSION_INPUT,
    enum,
    ref,
    text,
)
from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    ActiviteitStatus,
    PlanBasis,
    PlanStatus,
    Relatie,
    UitvoerderSoort,
)

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
    "PlanBestaat": {
        "description": "Er is al een plan voor deze persoon: wie de regisseur is (om contact op "
        "te nemen); het adres van het plan alleen als u het mag openen. Dat u dit te weten "
        "kwam, staat in het logboek (een inzage over de persoon).",
        "allOf": [
            ref("Problem"),
            {
                "type": "object",
                "properties": {
                    "regisseur": {
                        "type": "object",
                        "properties": {"naam": {"type": "string"}, "telefoon": NULLABLE_STR},
                        "required": ["naam"],
                        "additionalProperties": False,
                    },
                    "existingPlan": {
                        "type": "string",
                        "description": "Alleen als u het plan mag openen.",
                    },
                },
                "required": ["regisseur"],
            },
        ],
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
            "adres": ref("Adres"),
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
            "adres": ref("AdresInvoer"),
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
            "wegingOntbreekt": {
                "type": "boolean",
                "description": "Basis multiproblematiek zonder vastgelegde afweging (plan van "
                "voor die regel): waar tot stap 4 van een afweging voor deze persoon is "
                "vastgelegd.",
            },
            "persoon": ref("Persoon"),
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
        "422). Bij basis `toestemming`: stuur `toestemming` mee (anders 422). Een plan op basis "
        "`multiproblematiek` ontstaat alleen in stap 4 van een afweging (afwegingskader), niet "
        "via de API (422).",
        "properties": {
            "bsn": BSN_INPUT,
            "basis": enum([PlanBasis.TOESTEMMING.value]),
            "status": enum([PlanStatus.CONCEPT.value, PlanStatus.ACTIEF.value]),
            "mandaatId": ID_INPUT,
            "persoon": ref("PersoonNieuw"),
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
                "organisatie valt, tenzij die organisatie en de inwoner haar vrijgaven.",
            },
            "toelichtingBeroepsgeheim": {
                "type": "boolean",
                "description": "De toelichting valt onder beroepsgeheim: alleen de uitvoerende "
                "organisatie en de regisseur zien haar, tot die organisatie en de inwoner haar "
                "allebei vrijgeven.",
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
        "organisatie vast. Een einddatum voor de startdatum, of een onbekende organisatie: 422. "
        "Een organisatie die niet bij het plan betrokken is, zou de activiteit niet zien: 422, "
        "tenzij de regisseur `betrekOrganisatie: true` meestuurt (dan wordt zij in dezelfde "
        "stap vanaf vandaag betrokken).",
        "properties": {
            "betrekOrganisatie": {
                "type": "boolean",
                "description": "Alleen de regisseur: betrek de uitvoerende organisatie bij het "
                "plan als zij nog niet betrokken is.",
            },
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
            "persoon": ref("PersoonNieuw"),
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
        "description": "Eén logboekregel als record van de standaard Logboek Dataverwerkingen "
        "(ProcessingActivity van de extensie lezen 1.1.0). dpl.core.data_subject_id is het "
        "pseudoniem van de betrokkene, nooit een BSN; eenplan.* is de lokale extensie "
        "(docs/logboek.md).",
        "properties": {
            "traceId": {"type": "string", "format": "uuid"},
            "spanId": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "parentSpanId": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "name": {"type": "string"},
            "startTime": {"type": "integer", "format": "int64"},
            "endTime": {"type": "integer", "format": "int64"},
            "status": {"type": "string", "enum": ["Unset", "Ok", "Error"]},
            "resource": {
                "type": "object",
                "properties": {
                    "attributes": {
                        "type": "object",
                        "properties": {
                            "service.name": {"type": "string"},
                            "service.version": {"type": "string"},
                        },
                        "required": ["service.name", "service.version"],
                    }
                },
                "required": ["attributes"],
            },
            "attributes": {
                "type": "object",
                "properties": {
                    "dpl.core.processing_activity_id": {"type": "string", "format": "uri"},
                    "dpl.core.data_subject_id": {"type": "string"},
                    "dpl.core.data_subject_id_type": {"type": "string"},
                    "dpl.core.foreign_operation.processor": {"type": "string", "format": "uri"},
                    "eenplan.seq": {"type": "integer"},
                    "eenplan.kind": {"type": "string", "enum": ["inzage", "uitwisseling"]},
                    "eenplan.action": {
                        "type": "string",
                        "enum": ["view", "create", "update", "delete", "export", "send", "receive"],
                    },
                    "eenplan.processing_activity": {"type": "string"},
                    "eenplan.processing_activity_version": {"type": "integer"},
                    "eenplan.purpose": {"type": "string"},
                    "eenplan.legal_basis": {"type": "string"},
                    "eenplan.legal_reference": {"type": "string"},
                    "eenplan.actor.type": {"type": "string"},
                    "eenplan.actor.id": {"type": "string"},
                    "eenplan.actor.name": {"type": "string"},
                    "eenplan.actor.role": {"type": "string"},
                    "eenplan.actor.organisation": {"type": "string"},
                    "eenplan.actor.mandate": {"type": "string"},
                    "eenplan.object.type": {"type": "string"},
                    "eenplan.object.id": {"type": "string"},
                    "eenplan.data_categories": {"type": "array", "items": {"type": "string"}},
                    "eenplan.reason": {"type": "string"},
                    "eenplan.emergency": {"type": "boolean"},
                    "eenplan.disclose_after": {"type": "string", "format": "date"},
                    "eenplan.deferral_reason": {"type": "string"},
                    "eenplan.sender": {"type": "string"},
                    "eenplan.recipient": {"type": "string"},
                    "eenplan.request.parent_span_id": {"type": "string"},
                },
                "required": [
                    "dpl.core.processing_activity_id",
                    "eenplan.seq",
                    "eenplan.kind",
                    "eenplan.action",
                    "eenplan.data_categories",
                ],
            },
        },
        "required": [
            "traceId",
            "spanId",
            "parentSpanId",
            "name",
            "startTime",
            "endTime",
            "status",
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
                    "dataverwerkingen": {"type": "array", "items": ref("Dataverwerking")}
                },
                "required": ["dataverwerkingen"],
            },
            "pageSize": {"type": "integer"},
            "_links": {
                "type": "object",
                "description": "next: dezelfde vraag voor de volgende (oudere) regels; ontbreekt "
                "als er geen zijn.",
                "properties": {"self": LINK, "next": LINK},
                "required": ["self"],
            },
        },
        "required": ["_embedded", "pageSize", "_links"],
    },
    "DataverwerkingenZoekvraag": {
        "type": "object",
        "properties": {
            "bsn": {"type": "string"},
        },
        "additionalProperties": False,
        "required": ["bsn"],
    },
}
