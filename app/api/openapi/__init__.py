"""The OpenAPI 3 document of API v1. A test checks it against the routes and the responses.

``common`` has the building blocks, ``schemas`` the resources, ``paths`` the staff API and
``bronnen`` the source organisations' API (which adds its schemas and paths to the two tables).
"""

from __future__ import annotations

from typing import Any

from app import __version__
from app.api.openapi import bronnen  # noqa: F401 - adds the source API to SCHEMAS and PATHS
from app.api.openapi.paths import PATHS
from app.api.openapi.schemas import SCHEMAS


def document() -> dict[str, Any]:
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
