"""Whose trace a request belongs to: Eenplan's own, unless the caller is trusted.

Every request gets a trace context (``g.trace``): its trace id is on every logboek line and
application log line of the request, and the response's ``traceresponse`` header carries it.
A trace id groups lines ("the lines of this request"), so a caller must not choose it at will:

* a **trusted caller** continues its own W3C trace: an incoming ``traceparent`` is honoured for
  a request from a configured network (``EENPLAN_TRACE_TRUSTED_NETWORKS``, CIDR list, default
  none — e.g. the municipality's API gateway) and for a request authenticated with a source
  system's token (the bronnen API calls :func:`trust_caller` after it checked the token);
* **anyone else** gets a trace of Eenplan's own. Their ``traceparent`` is kept only as a
  foreign reference: its span id becomes the lines' ``parent_span_id``, and the application
  log lines carry ``foreign_trace_id``/``foreign_span_id``.

The span id is always Eenplan's own (a new one per request), whoever the caller is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import replace

from flask import Flask, current_app, g, has_app_context, request

from app.db import session
from app.logboek.ledger import get_ledger
from audit import TraceContext

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_EXTENSION = "eenplan_trace_networks"


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``EENPLAN_TRACE_TRUSTED_NETWORKS`` as networks; an invalid entry fails at start-up."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = parse_networks(
        app.config.get("EENPLAN_TRACE_TRUSTED_NETWORKS") or ()
    )


def _from_trusted_network() -> bool:
    networks: tuple[Network, ...] = current_app.extensions.get(_EXTENSION, ())
    if not networks or not request.remote_addr:
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr)
    except ValueError:
        return False
    return any(address in network for network in networks)


def start() -> TraceContext:
    """The request's trace (``g.trace``); ``g.foreign_trace`` keeps an untrusted caller's."""
    incoming = TraceContext.continued(request.headers.get("traceparent"))
    if incoming is not None and _from_trusted_network():
        g.foreign_trace = None
        g.trace = incoming
    else:
        g.foreign_trace = incoming
        own = TraceContext.new()
        g.trace = replace(own, parent_span_id=incoming.parent_span_id) if incoming else own
    trace: TraceContext = g.trace
    return trace


def trust_caller() -> None:
    """The caller has been authenticated as a trusted system (a source system's token): continue
    the trace it sent after all, on the request's ledger too."""
    incoming: TraceContext | None = g.pop("foreign_trace", None)
    if incoming is None:
        return
    g.trace = incoming
    ledger = get_ledger(session)
    if ledger is not None:
        ledger.trace = incoming


def foreign() -> TraceContext | None:
    """The trace an untrusted caller sent along (not continued), if any."""
    trace: TraceContext | None = g.get("foreign_trace")
    return trace


def outgoing_traceparent() -> str:
    """The W3C ``traceparent`` for a call Eenplan makes to another system: the current trace
    with the current span as the caller (a request's, or a unit of work's outside one), so the
    other system's log can be followed back to Eenplan's by trace id."""
    trace: TraceContext | None = None
    if has_app_context():
        trace = g.get("trace")
        if trace is None:
            ledger = get_ledger(session)
            trace = ledger.trace if ledger is not None else None
    return (trace or TraceContext.new()).traceparent()
