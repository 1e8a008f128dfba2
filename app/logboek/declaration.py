"""Declaring why a view processes personal data: the ``@verwerking`` decorator.

A view names its processing activity (a key of the verwerkingsregister); the ledger refuses to
write lines for a unit of work that loaded personal data without one
(:class:`~app.logboek.ledger.UndeclaredVerwerking`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from app.logboek.ledger import Verwerking, current_ledger

F = TypeVar("F", bound=Callable[..., Any])


def verwerking(processing_activity: str, *, name: str | None = None) -> Callable[[F], F]:
    """Declare the processing activity of a view (and, optionally, the name on its lines)."""
    declaration = Verwerking(processing_activity, name)

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ledger = current_ledger()
            if ledger.declaration is None:
                ledger.declare(declaration)
            return fn(*args, **kwargs)

        wrapper.__verwerking__ = declaration  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
