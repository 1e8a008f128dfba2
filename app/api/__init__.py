"""JSON API v1, in the style of the NL API Design Rules.

* Resources are Dutch plural nouns; fields are camelCase; errors are ``application/problem+json``
  with ``invalidParams`` naming the fields.
* Authentication: ``Authorization: Bearer <personal token>``; a browser session works too, but
  then state-changing calls need the CSRF token (``X-CSRFToken``).
* Updates need the version the client saw (``If-Match: "<version>"`` or ``version`` in the body):
  no silent overwrites (412 when it changed meanwhile, 428 when it is missing).
* BSNs never travel in a URL: look a person up with ``POST /personen/_zoek``.

One blueprint (``api``, in :mod:`app.api.blueprint`); the contract (what a request and an
answer hold, and so the OpenAPI document) in :mod:`app.api.schemas` (:mod:`app.contract`), the
JSON shapes in :mod:`app.api.serialisers`, and one module per resource declares its routes.
"""

from app.api import (  # noqa: F401 - importing a module registers its routes
    activiteiten,
    conformance,
    dataverwerkingen,
    gezinslinks,
    personen,
    plannen,
)
from app.api.blueprint import API_VERSION, bp

# Accept, unknown query parameters, API-Version and CORS on the OpenAPI document, for every API.
bp.record_once(lambda state: conformance.init_app(state.app))

__all__ = ["API_VERSION", "bp"]
