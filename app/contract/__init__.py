"""The API contract, one source: pydantic models make both the OpenAPI documents and the
validation of requests (:mod:`app.contract.spec`), with Dutch ``invalidParams``
(:mod:`app.contract.fields`). Why pydantic and not a framework: docs/api.md."""

from app.contract.fields import Query, Reden, Schema
from app.contract.spec import (
    API_VERSION_HEADER,
    ETAG_HEADER,
    Answer,
    Api,
    InvalidInput,
    PathParam,
    request_body,
    request_query,
)

__all__ = [
    "API_VERSION_HEADER",
    "ETAG_HEADER",
    "Answer",
    "Api",
    "InvalidInput",
    "PathParam",
    "Query",
    "Reden",
    "Schema",
    "request_body",
    "request_query",
]
