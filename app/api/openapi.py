"""The OpenAPI document of API v1, made from its contract (:mod:`app.contract`): each route of
:mod:`app.api` and of the source API (:mod:`app.signalen.api`) declares its operation."""

from __future__ import annotations

from typing import Any

from app.api.blueprint import V1
from app.signalen import api as _bronnen  # noqa: F401 - declares the source API's operations


def document() -> dict[str, Any]:
    return V1.document()
