"""What the access layer raises when a user may not have something; ``app/errors.py`` maps them.

* :class:`NotVisible` → 404: the user may not even know the object exists.
* :class:`NotAllowed` → 403: the user knows the page, but their role does not allow it.

The access layer never calls Flask's ``abort``: it raises these, and the application's error handlers
turn them into exactly the responses a 404 or 403 gives (the error page, or problem+json under
``/api/``).
"""

from __future__ import annotations

from collections.abc import Callable

# Called with each NotVisible the error handler turns into a 404 (app/errors.py), after the unit
# of work was discarded: e.g. the privacy officer's probing indicator (app.privacy.weigeringen)
# records the refusal, content-free, in a transaction of its own.
REFUSAL_LISTENERS: list[Callable[[NotVisible], None]] = []


class AccessDenied(Exception):
    """Base of the access layer's refusals; ``code`` is the HTTP status it maps to (as on
    werkzeug's exceptions); ``detail`` an optional sentence for the page or problem+json body
    (never about the object: it says what the role may not do)."""

    code = 403

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail


class NotVisible(AccessDenied):
    """The object does not exist for this user (404: its existence is not revealed)."""

    code = 404


class NotAllowed(AccessDenied):
    """The user's role does not allow this (403)."""

    code = 403
