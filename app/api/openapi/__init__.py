"""The OpenAPI 3 document of API v1. A test checks it against the routes and the responses.

``common`` has the building blocks, ``schemas`` the resources, ``paths`` the staff API and
``bronnen`` the source organisations' API (which adds its schemas and paths to the two tables).
"""

from __future__ import annotations

import copy
from typing import Any

from app import __version__
from app.api.openapi import bronnen  # noqa: F401 - adds the source API to SCHEMAS and PATHS
from app.api.openapi.common import API_VERSION_HEADER
from app.api.openapi.paths import PATHS
from app.api.openapi.schemas import SCHEMAS

# ADR /core/doc-openapi-contact: name, e-mail and URL (overridden from the configuration
# where the document is served: EENPLAN_API_CONTACT_NAME, _EMAIL, _URL).
CONTACT = {
    "name": "Functioneel beheer Eenplan",
    "email": "eenplan@gemeente.example",
    "url": "https://eenplan.gemeente.example/api",
}


def with_version_headers(paths: dict[str, Any]) -> dict[str, Any]:
    """Every response documents the API-Version header the server sends on every response
    (ADR /core/version-header), whatever else it documents."""
    for item in paths.values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for response in operation["responses"].values():
                response["headers"] = {**API_VERSION_HEADER, **response.get("headers", {})}
    return paths


def document(contact: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Eenplan API",
            "version": "1.0.0",
            "description": "Plannen, activiteiten en gezinslinks van één gezin, één plan, één regisseur. "
            "Elke inzage via de API komt in het logboek van de betrokkene.",
            "contact": {**CONTACT, **(contact or {})},
            "x-eenplan-version": __version__,
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": with_version_headers(copy.deepcopy(PATHS)),
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
