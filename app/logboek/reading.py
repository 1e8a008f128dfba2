"""Reading the logboek on someone's behalf: what they may read, and their reading logged.

Used by the read API (``/api/v1/dataverwerkingen``) and the privacy officer's screens. What a
viewer may read is decided by the access layer (``access.LogboekToegang``, which this module
knows only as a :class:`ReadAccess`). The privacy officer's reading is itself processing of
personal data: every person whose lines were shown gets a line of their own (processing
activity ``toezicht-logboek``, category ``logboek``). A citizen reading their own lines writes
nothing (nobody else saw anything).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.db import session
from app.logboek.ledger import current_ledger, current_logboek
from audit import LineFilter, LinePage, Logboek, LogLine, Subject

MAX_PAGE_SIZE = 100


class ReadAccess(Protocol):
    """Which lines a viewer may read (``access.LogboekToegang``)."""

    @property
    def alles(self) -> bool:
        """May read every line (the privacy officer)."""

    @property
    def verwerking(self) -> str:
        """The processing activity under which the reading is logged."""

    def filter(self, requested: LineFilter) -> LineFilter | None:
        """Narrow ``requested`` to what may be read; ``None``: nothing."""

    def toon(self, lines: Iterable[LogLine]) -> list[LogLine]:
        """The lines as this reader may see them (e.g. a melder not by name for a citizen)."""


def read_lines(
    toegang: ReadAccess,
    requested: LineFilter,
    *,
    limit: int = 50,
    before_seq: int | None = None,
) -> LinePage:
    """A page of lines (newest first) within what ``toegang`` allows; the reading is noted."""
    narrowed = toegang.filter(requested)
    if narrowed is None:
        return LinePage([], None)
    page = current_logboek().page(
        session.connection(), narrowed, limit=min(limit, MAX_PAGE_SIZE), before_seq=before_seq
    )
    note_reading(toegang, page.lines)
    return LinePage(toegang.toon(page.lines), page.next_before)


def read_lines_by_seq(toegang: ReadAccess, seqs: Iterable[int]) -> list[LogLine]:
    """Lines by position (only for whoever may read everything); the reading is noted."""
    if not toegang.alles:
        return []
    lines = current_logboek().lines_by_seq(session.connection(), seqs)
    note_reading(toegang, lines)
    return lines


def note_reading(toegang: ReadAccess, lines: Iterable[LogLine]) -> None:
    """Note on the unit of work's ledger that these lines were shown (raises ``NoLedger``
    outside one)."""
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
