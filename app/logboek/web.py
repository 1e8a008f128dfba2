"""Request integration: every request is a unit of work with its own ledger.

Before the view: a ledger (with the request's trace). After the view rendered its page or JSON
and before a byte is sent: the lines are written in the request's transaction and committed
(:func:`~app.logboek.writer.finalize`); if that fails, the request fails with an error page and
the rendered data is thrown away. Who acts comes from the ``actor`` and ``own_person_id`` hooks
the application gives (:func:`app.logboek.init_app`): the logboek knows no user model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g

from app.db import session
from app.logboek.ledger import Ledger, get_ledger, install_ledger
from app.logboek.writer import finalize
from audit import Actor, TraceContext


def init_app(
    app: Flask, *, actor: Callable[[], Actor], own_person_id: Callable[[], int | None]
) -> None:
    @app.before_request
    def _open_ledger() -> None:
        if g.get("trace") is None:  # app.security.tracing starts it (trusting only some callers)
            g.trace = TraceContext.new()
        install_ledger(session, Ledger(trace=g.trace))

    @app.after_request
    def _write_ledger(response: Any) -> Any:
        if g.get("uow_failed"):
            return response
        ledger = get_ledger(session)
        if ledger is None:
            return response
        if ledger.actor is None:
            ledger.actor = actor()
            ledger.own_person_id = own_person_id()
        include_views = not (300 <= response.status_code < 400)
        finalize(session, include_views=include_views)
        response.headers["traceresponse"] = g.trace.traceparent()
        return response
