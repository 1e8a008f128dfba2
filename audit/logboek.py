"""The logboek: record inzage and exchanges, read them back, verify the chain.

Everything here takes plain values and a SQLAlchemy ``Connection``; the caller decides the
transaction. The lines are written inside the caller's transaction, so a request's data change
and its log lines commit (or fail) together, and a read's line is committed before its data is
sent.

The interface the application uses is the façade :class:`Logboek`:

* writing: :meth:`Logboek.record` (or :meth:`~Logboek.record_inzage`,
  :meth:`~Logboek.record_exchange`) with :class:`Entry` values; subjects are :class:`Subject`
  values, known by their identifier (pseudonymised here) or only by their pseudonym;
* reading: :meth:`~Logboek.page` with a :class:`LineFilter` (by subject, trace, processing
  activity, actor, organisation, period, …), newest first with a cursor;
  :meth:`~Logboek.lines_for_subject`, :meth:`~Logboek.lines_for_trace`,
  :meth:`~Logboek.lines_for_processing_activity` as shorthands; :meth:`~Logboek.line`;
* verifying: :meth:`~Logboek.verify` (the whole chain, its head, its checkpoints and optional
  external anchors) and :meth:`~Logboek.checkpoint`.

The work is done in :mod:`audit.writer` (appending, checkpoints), :mod:`audit.reader`
(queries) and :mod:`audit.verify`; the values are in :mod:`audit.records`.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from . import partitions, reader, retention
from .chain import ChainKey
from .records import (
    PSEUDONYM,
    Checkpoint,
    Entry,
    LineFilter,
    LinePage,
    LogboekError,
    LogLine,
    Subject,
    VerifyReport,
)
from .register import Register
from .verify import verify_chain
from .verify_partition import verify_partition
from .writer import ChainWriter


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Logboek:
    """The application's handle on the logboek."""

    def __init__(
        self,
        *,
        subject_key: bytes | str,
        chain_key: bytes | str,
        resource_name: str = "eenplan",
        resource_version: str = "0",
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self._subject_key = subject_key.encode() if isinstance(subject_key, str) else subject_key
        self._chain_key = chain_key.encode() if isinstance(chain_key, str) else chain_key
        self.register = Register()
        self._clock = clock
        self._writer = ChainWriter(
            ChainKey(self._chain_key),
            self.register,
            self.pseudonymise,
            resource_name=resource_name,
            resource_version=resource_version,
        )

    @property
    def resource_name(self) -> str:
        return self._writer.resource_name

    @property
    def resource_version(self) -> str:
        return self._writer.resource_version

    def now(self) -> dt.datetime:
        value = self._clock()
        if value.tzinfo is None:
            raise ValueError("the logboek's clock must give aware datetimes")
        return value.astimezone(dt.UTC)

    # -- pseudonyms -----------------------------------------------------------------------
    def pseudonymise(self, subject: Subject) -> str:
        """Keyed hash of the identifier: findable with the key, useless in a dump without it."""
        if subject.pseudonym is not None:
            return subject.pseudonym
        msg = f"{subject.id_type}:{subject.value}".encode()
        return hmac.digest(self._subject_key, msg, "sha256").hex()

    @staticmethod
    def is_pseudonym(value: str) -> bool:
        return bool(PSEUDONYM.match(value))

    # -- writing --------------------------------------------------------------------------
    def record_inzage(self, conn: Connection, **kwargs: Any) -> list[LogLine]:
        return self.record(conn, [Entry(kind="inzage", **kwargs)])

    def record_exchange(self, conn: Connection, **kwargs: Any) -> list[LogLine]:
        return self.record(conn, [Entry(kind="uitwisseling", **kwargs)])

    def record(
        self,
        conn: Connection,
        entries: Sequence[Entry],
        *,
        announce: Callable[[Sequence[LogLine]], tuple[str, list[str]] | None] | None = None,
    ) -> list[LogLine]:
        """Append the entries (one line per subject) to the chain, in the caller's transaction.

        The chain's lock is held from here until that transaction ends (every other append waits
        for it): commit soon after. ``announce`` gives, for the new lines, a notification that
        PostgreSQL queues with them (delivered on commit)."""
        if not entries:
            return []
        try:
            return self._writer.append(conn, entries, self.now(), announce=announce)
        except LogboekError:
            raise
        except Exception as exc:  # any database failure means: no line, so no data
            raise LogboekError("het logboek kon niet worden bijgewerkt") from exc

    def checkpoint(self, conn: Connection) -> Checkpoint:
        """Write a signed checkpoint of the current head (in the caller's transaction)."""
        return self._writer.checkpoint(conn, self.now())

    def latest_checkpoint(self, conn: Connection) -> Checkpoint | None:
        """The newest checkpoint in the database (None before the first)."""
        return reader.latest_checkpoint(conn)

    def checkpoint_covering(self, conn: Connection, seq: int) -> Checkpoint:
        """The newest checkpoint if it covers line ``seq``, else a new one of the head (written
        in the caller's transaction): a signed statement that includes line ``seq``."""
        latest = reader.latest_checkpoint(conn)
        if latest is not None and latest.seq >= seq:
            return latest
        return self.checkpoint(conn)

    def checkpoint_before(self, conn: Connection, moment: dt.datetime) -> Checkpoint | None:
        """The newest checkpoint written before ``moment``: every line it covers is older."""
        return reader.checkpoint_before(conn, moment)

    # -- destroying at the end of the term (audit/retention.py) ----------------------------
    def retention_floor(self, conn: Connection) -> retention.RetentionFloor | None:
        """Up to which line the log was destroyed (None: never)."""
        return retention.current_floor(conn)

    def destroy_through(self, conn: Connection, checkpoint: Checkpoint) -> retention.RetentionFloor:
        """Sign a retention floor at ``checkpoint`` (in the caller's transaction); the lines up to
        it may then be deleted with :meth:`delete_destroyed`. Verification starts after it."""
        return retention.write_floor(conn, ChainKey(self._chain_key), checkpoint, self.now())

    def delete_destroyed(self, conn: Connection, *, batch_size: int = 50_000) -> int:
        """Delete one batch of the lines at or below the floor; 0 when none are left."""
        floor = retention.current_floor(conn)
        if floor is None:
            return 0
        return retention.delete_below(conn, floor.floor_seq, batch_size=batch_size)

    # -- verifying ------------------------------------------------------------------------
    def verify(
        self,
        conn: Connection,
        *,
        anchors: Iterable[Checkpoint] = (),
        workers: int | None = None,
        batch_size: int = 50_000,
    ) -> VerifyReport:
        """Walk the whole chain and report the first line that does not fit (see
        :func:`audit.verify.verify_chain`)."""
        return verify_chain(
            conn, self._chain_key, anchors=anchors, workers=workers, batch_size=batch_size
        )

    def verify_month(
        self,
        conn: Connection,
        year: int,
        month: int | None,
        *,
        anchors: Iterable[Checkpoint] = (),
        workers: int | None = None,
    ) -> VerifyReport:
        """Check one month's partition on its own (PostgreSQL; see
        :func:`audit.verify_partition.verify_partition`); ``month`` None: a merged year's
        partition; a month whose year is merged: its lines within the year's partition. Raises
        :class:`LogboekError` when the log is not partitioned or there is no such partition."""
        began = not conn.in_transaction()
        if not partitions.is_partitioned(conn):
            raise LogboekError("het logboek is niet in partities verdeeld (alleen PostgreSQL)")
        names = partitions.partition_names(conn)
        between = None
        if month is None:
            name = partitions.year_partition_name(year)
            if name not in names:
                raise LogboekError(
                    f"er is geen partitie {name} (de maanden van {year} zijn niet samengevoegd: "
                    "controleer ze per maand)"
                )
        else:
            name = partitions.partition_name(year, month)
            if name not in names:
                # A month of a merged year: the lines of the part of it that the year holds
                # (the rest, if any, is in DEFAULT: the full verify checks those).
                between = partitions.month_in_year(conn, year, month)
                if between is None:
                    raise LogboekError(f"er is geen partitie {name}")
                name = partitions.year_partition_name(year)
        if began:
            conn.rollback()  # so that verify_partition takes its own snapshot
        return verify_partition(
            conn, self._chain_key, name, anchors=anchors, workers=workers, between=between
        )

    # -- reading --------------------------------------------------------------------------
    def page(
        self,
        conn: Connection,
        filters: LineFilter | None = None,
        *,
        limit: int = 50,
        before_seq: int | None = None,
    ) -> LinePage:
        """Newest first: at most ``limit`` lines older than ``before_seq``, and the next cursor.

        Keyset pagination on ``seq``: with the indexes on (subject, seq), (trace),
        (processing activity, seq) and (actor, seq) a page costs the same at line 10 and at
        line 10 million.
        """
        return reader.page(conn, filters, limit=limit, before_seq=before_seq)

    def search(
        self,
        conn: Connection,
        filters: LineFilter | None = None,
        *,
        limit: int = 50,
        before_seq: int | None = None,
    ) -> list[LogLine]:
        return self.page(conn, filters, limit=limit, before_seq=before_seq).lines

    def lines_for_subject(
        self,
        conn: Connection,
        subject: Subject,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
        disclosed_on: dt.date | None = None,
    ) -> list[LogLine]:
        """Newest first. ``disclosed_on`` hides lines whose disclose-after date lies later."""
        f = _replace(filters, data_subject_id=self.pseudonymise(subject), disclosed_on=disclosed_on)
        return self.search(conn, f, limit=limit, before_seq=before_seq)

    def lines_for_trace(
        self, conn: Connection, trace_id: str, *, limit: int = 50, before_seq: int | None = None
    ) -> list[LogLine]:
        return self.search(conn, LineFilter(trace_id=trace_id), limit=limit, before_seq=before_seq)

    def lines_for_processing_activity(
        self,
        conn: Connection,
        processing_activity_id: str,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        f = _replace(filters, processing_activity_id=processing_activity_id)
        return self.search(conn, f, limit=limit, before_seq=before_seq)

    def lines(
        self,
        conn: Connection,
        *,
        limit: int = 50,
        before_seq: int | None = None,
        filters: LineFilter | None = None,
    ) -> list[LogLine]:
        """All lines, newest first (for the privacy officer)."""
        return self.search(conn, filters, limit=limit, before_seq=before_seq)

    def line(self, conn: Connection, seq: int) -> LogLine | None:
        return reader.line(conn, seq)

    def lines_by_seq(self, conn: Connection, seqs: Iterable[int]) -> list[LogLine]:
        """The lines with these positions that exist, newest first."""
        return reader.lines_by_seq(conn, seqs)

    def lines_after(
        self, conn: Connection, after_seq: int, *, pseudonym: str | None = None, limit: int = 100
    ) -> list[LogLine]:
        """Oldest first, for following the log live."""
        return reader.lines_after(conn, after_seq, pseudonym=pseudonym, limit=limit)

    def scan(
        self,
        conn: Connection,
        filters: LineFilter | None,
        columns: Sequence[str],
        *,
        limit: int,
    ) -> list[Any]:
        """Only some columns of the newest ``limit`` matching lines (for aggregate views).

        Rows are named tuples of the columns; ``occurred_at`` is timezone-aware (UTC).
        """
        return reader.scan(conn, filters, columns, limit=limit)

    def subjects(self, conn: Connection, filters: LineFilter) -> set[str]:
        """The pseudonyms the matching lines are about, each once (for aggregate views)."""
        return reader.subjects(conn, filters)

    def head_seq(self, conn: Connection) -> int:
        return reader.head_seq(conn)

    def iter_all(self, conn: Connection, *, batch_size: int = 10_000) -> Iterator[LogLine]:
        return reader.iter_all(conn, batch_size=batch_size)


def _replace(filters: LineFilter | None, **changes: Any) -> LineFilter:
    return replace(filters or LineFilter(), **changes)


__all__ = ["Logboek"]
