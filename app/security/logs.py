"""Application logs: one JSON object a line, pseudonymous.

Every line carries the trace id of the request (the same one the logboek lines carry) and the
acting user's internal id — never a name, username, BSN, e-mail address, query string or
request body. Exceptions are logged by class name, not message (a message can hold personal
data, e.g. a database error quoting the row); stack traces never reach the log at ERROR level
in production, nor the client ever.

As a net under all that, :class:`Scrubber` replaces any 9-digit number that passes the
11-proef (a possible BSN) in the message and its fields by ``[bsn]``.

A request line (``event: request``) is written for every request: method, the route *pattern*
(``/plannen/<int:plan_id>``, not the filled-in URL), status, duration.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import Any

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from app.security import tracing

LOGGER = "eenplan"
_BSN_LIKE = re.compile(r"(?<!\d)\d{9}(?!\d)")
_HANDLER_FLAG = "_eenplan_handler"


def _is_bsn(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def scrub(text: str) -> str:
    return _BSN_LIKE.sub(lambda m: "[bsn]" if _is_bsn(m.group(0)) else m.group(0), text)


def _where(tb: Any) -> str | None:
    """The innermost frame in our own code ("app/plans/views/plannen.py:120 in bewerken")."""
    where = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if "/site-packages/" not in filename:
            marker = filename.rfind("/app/")
            if marker < 0:
                marker = filename.rfind("/audit/")
            short = filename[marker + 1 :] if marker >= 0 else filename.rsplit("/", 1)[-1]
            where = f"{short}:{tb.tb_lineno} in {tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    return where


class Scrubber(logging.Filter):
    """Keeps personal data and stack traces out: possible BSNs become ``[bsn]``; an exception
    becomes its class name and the line in our code where it happened (its message and the
    stack trace are dropped: they may quote SQL parameters or names)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc_type, _exc, tb = record.exc_info
            record.exception = exc_type.__name__ if exc_type else None
            record.where = _where(tb)
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        for key, value in list(record.__dict__.items()):
            if isinstance(value, str) and key not in ("msg", "name", "levelname", "pathname"):
                record.__dict__[key] = scrub(value)
        return True


class RequestContext(logging.Filter):
    """Adds trace id, span id and the acting user's id (pseudonymous) to every record; for an
    untrusted caller's ``traceparent`` (not continued, see :mod:`app.security.tracing`) also
    ``foreign_trace_id``/``foreign_span_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            trace = g.get("trace")
            if trace is not None:
                record.trace_id = getattr(trace, "trace_id", None)
                record.span_id = getattr(trace, "span_id", None)
            foreign = g.get("foreign_trace")
            if foreign is not None:
                record.foreign_trace_id = foreign.trace_id
                record.foreign_span_id = foreign.parent_span_id
            if not hasattr(record, "user_id"):
                record.user_id = _user_id()
        return True


def _user_id() -> int | None:
    # Only a user Flask-Login already loaded: loading one here could recurse into the loader.
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.id)
    return None


def make_handler(fmt: str, stream: Any = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "{asctime}{levelname}{name}{message}",
                style="{",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                datefmt="%Y-%m-%dT%H:%M:%S%z",
                json_ensure_ascii=False,
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RequestContext())
    handler.addFilter(Scrubber())
    setattr(handler, _HANDLER_FLAG, True)
    return handler


def configure(fmt: str = "json", level: str = "INFO", app: Flask | None = None) -> None:
    """Send the ``eenplan`` loggers (and Flask's own) to stderr in ``fmt``; idempotent."""
    names = [LOGGER] + ([app.logger.name] if app is not None else [])
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(level.upper())
        for h in list(logger.handlers):
            if getattr(h, _HANDLER_FLAG, False) or name != LOGGER:
                logger.removeHandler(h)  # also Flask's default handler (it prints tracebacks)
        logger.addHandler(make_handler(fmt))
        logger.propagate = False


request_log = logging.getLogger("eenplan.request")


def init_app(app: Flask) -> None:
    tracing.init_app(app)
    if not app.testing:
        configure(app.config.get("LOG_FORMAT", "json"), app.config.get("LOG_LEVEL", "INFO"), app)

    @app.before_request
    def _start_timer() -> None:
        # Registered before CSRF and the logboek: a request refused early is still traceable.
        g.request_started = time.perf_counter()
        tracing.start()

    @app.after_request
    def _log_request(response: Any) -> Any:
        started = g.get("request_started")
        request_log.info(
            "request",
            extra={
                "event": "request",
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else None,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started
                else None,
            },
        )
        return response
