"""The logboek of Eenplan: every inzage and exchange of personal data, tamper-evident.

An independent package: it never imports ``app``. The application gives it plain values
(actor, subjects, purpose, categories) and a database connection.
"""

from .logboek import (
    ACTIONS,
    KINDS,
    Actor,
    Entry,
    LineFilter,
    Logboek,
    LogboekError,
    LogLine,
    Subject,
    TraceContext,
    VerifyReport,
)
from .register import ProcessingActivityVersion, Register
from .schema import metadata

__all__ = [
    "ACTIONS",
    "KINDS",
    "Actor",
    "Entry",
    "LineFilter",
    "LogLine",
    "Logboek",
    "LogboekError",
    "ProcessingActivityVersion",
    "Register",
    "Subject",
    "TraceContext",
    "VerifyReport",
    "metadata",
]
