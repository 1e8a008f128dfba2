"""The logboek of Eenplan: every inzage and exchange of personal data, tamper-evident.

An independent package: it never imports ``app``. The application gives it plain values
(actor, subjects, purpose, categories) and a database connection.
"""

from .chain import HASHED_COLUMNS, ChainKey
from .logboek import Logboek
from .records import (
    ACTIONS,
    KINDS,
    STATUS_ERROR,
    STATUS_OK,
    Actor,
    Checkpoint,
    Entry,
    LineFilter,
    LinePage,
    LogboekError,
    LogLine,
    Subject,
    TraceContext,
    VerifyReport,
    epoch_ms,
    trace_uuid,
)
from .register import ProcessingActivityVersion, Register
from .schema import metadata

__all__ = [
    "ACTIONS",
    "HASHED_COLUMNS",
    "KINDS",
    "STATUS_ERROR",
    "STATUS_OK",
    "Actor",
    "ChainKey",
    "Checkpoint",
    "Entry",
    "LineFilter",
    "LinePage",
    "LogLine",
    "Logboek",
    "LogboekError",
    "ProcessingActivityVersion",
    "Register",
    "Subject",
    "TraceContext",
    "VerifyReport",
    "epoch_ms",
    "metadata",
    "trace_uuid",
]
