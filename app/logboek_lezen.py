"""Reading the logboek on someone's behalf: what they may read, and their reading logged.

Used by the read API (``/api/v1/dataverwerkingen``) and the privacy officer's screens. The
privacy officer's reading is itself processing of personal data: every person whose lines were
shown gets a line of their own (processing activity ``toezicht-logboek``, category ``logboek``).
A citizen reading their own lines writes nothing (nobody else saw anything).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.access import LogboekToegang
from app.db import session
from app.inzage import current_ledger, logboek
from audit import LineFilter, LinePage, Logboek, LogLine, Subject

MAX_PAGE_SIZE = 100


def lees(
    toegang: LogboekToegang,
    requested: LineFilter,
    *,
    limit: int = 50,
    before_seq: int | None = None,
) -> LinePage:
    """A page of lines (newest first) within what ``toegang`` allows; the reading is noted."""
    narrowed = toegang.filter(requested)
    if narrowed is None:
        return LinePage([], None)
    page = logboek().page(
        session.connection(), narrowed, limit=min(limit, MAX_PAGE_SIZE), before_seq=before_seq
    )
    noteer_lezing(toegang, page.lines)
    return page


def lees_regels(toegang: LogboekToegang, seqs: Iterable[int]) -> list[LogLine]:
    """Lines by position (only for whoever may read everything); the reading is noted."""
    if not toegang.alles:
        return []
    lines = logboek().lines_by_seq(session.connection(), seqs)
    noteer_lezing(toegang, lines)
    return lines


def noteer_lezing(toegang: LogboekToegang, lines: Iterable[LogLine]) -> None:
    ledger = current_ledger()
    for line in lines:
        # A subject id that is no pseudonym of this logboek (a tampered line: verify will name
        # it) identifies nobody whose reading could be logged.
        if line.data_subject_id and Logboek.is_pseudonym(line.data_subject_id):
            ledger.note_subject_view(
                Subject.pseudonymous(line.data_subject_id_type or "BSN", line.data_subject_id),
                categories=("logboek",),
                object_type="logboek",
                processing_activity=toegang.verwerking,
            )
