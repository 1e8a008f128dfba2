"""Live notifications of new logboek lines (for the citizen's open "Wie heeft mijn gegevens
gezien" and "Met wie is wat uitgewisseld" pages, whose event streams are served by
:mod:`app.portaal.stream`).

When a unit of work commits logboek lines, every process that holds an open event stream of a
person those lines are about must hear of it. A notification carries only the logboek's keyed
pseudonym of the person (``data_subject_id``, never a BSN or a name) and the highest new
sequence number; the stream then reads the lines itself, through the same access filter as the
page (so a line with a "disclose after" date in the future never travels).

Each stream process has one :class:`Broker` (asyncio), fed three ways:

* **the database, by sequence** (every database, the safety net): one task per process reads
  ``SELECT data_subject_id, max(seq) … WHERE seq > <watermark>`` every
  ``PORTAAL_LIVE_POLL_SECONDS`` (0.25 s on SQLite, 1 s on PostgreSQL) and notifies the pseudonyms with new lines. Appends to the chain
  are serialised by its head row, so sequence numbers commit in order and the watermark never
  skips a line. This is what makes several processes on SQLite correct, and what catches a
  notification PostgreSQL lost (a listener that was reconnecting).
* **PostgreSQL ``LISTEN/NOTIFY``** (fast path between processes): :func:`announcement` is the
  ``pg_notify`` the writer runs in the same statement (and so transaction) as the lines, so PostgreSQL delivers it only when
  that transaction commits. Each process has one listening connection, not one per stream.
* **the ``lines_committed`` signal** (same process, SQLite): sent after the commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable
from typing import Any

import psycopg
from flask import Flask
from sqlalchemy import func, select

from app.db import get_database
from app.logboek.events import lines_committed
from audit import LogLine, schema

CHANNEL = "eenplan_logboek"
EXTENSION = "eenplan_live"

log = logging.getLogger("eenplan.live")


def _visible_now(line: LogLine, day: Any) -> bool:
    return line.disclose_after is None or line.disclose_after <= day


def payloads(lines: Iterable[LogLine]) -> list[str]:
    """``"<pseudonym>:<seq>"`` per person with new lines that they may see today."""
    newest: dict[str, int] = {}
    for line in lines:
        if not line.data_subject_id or not _visible_now(line, line.occurred_at.date()):
            continue
        newest[line.data_subject_id] = max(newest.get(line.data_subject_id, 0), line.seq)
    return [f"{p}:{s}" for p, s in newest.items()]


def announcement(lines: Iterable[LogLine]) -> tuple[str, list[str]] | None:
    """The notification of new lines, (channel, payloads), or None when no one is to hear of them:
    the writer queues it on PostgreSQL in the statement that appends the lines (see
    :meth:`audit.writer.ChainWriter.append`), so it is delivered only when they commit."""
    items = payloads(lines)
    return (CHANNEL, items) if items else None


class Waiter:
    """One open stream's doorbell: set from any thread, awaited on the stream's loop."""

    __slots__ = ("_event", "_loop", "seq")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()
        self.seq = 0

    def ring(self, seq: int) -> None:
        self.seq = max(self.seq, seq)
        self._event.set()

    def ring_threadsafe(self, seq: int) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
            self._loop.call_soon_threadsafe(self.ring, seq)

    async def wait(self, timeout: float) -> bool:
        """True when rung (and reset), False after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True


class Broker:
    """Per process: which open streams wait for which pseudonym."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Waiter]] = {}
        self.watermark: int | None = None  # the newest seq the database poller has seen
        self.listening = threading.Event()  # PostgreSQL: the LISTEN connection is up

    def subscribe(self, pseudonym: str, waiter: Waiter) -> None:
        with self._lock:
            self._subscribers.setdefault(pseudonym, set()).add(waiter)

    def unsubscribe(self, pseudonym: str, waiter: Waiter) -> None:
        with self._lock:
            subs = self._subscribers.get(pseudonym)
            if subs is not None:
                subs.discard(waiter)
                if not subs:
                    del self._subscribers[pseudonym]

    def count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subscribers.values())

    def watched(self) -> bool:
        with self._lock:
            return bool(self._subscribers)

    def publish(self, pseudonym: str, seq: int) -> None:
        with self._lock:
            subs = list(self._subscribers.get(pseudonym, ()))
        for waiter in subs:
            waiter.ring_threadsafe(seq)

    def publish_payload(self, payload: str) -> None:
        pseudonym, _, seq = payload.partition(":")
        if pseudonym and seq.isdigit():
            self.publish(pseudonym, int(seq))


def newest_by_subject(app: Flask, after: int | None) -> tuple[int, list[tuple[str, int]]]:
    """The database poller's query: (the newest seq, [(pseudonym, newest seq)] after ``after``).

    ``after=None``: only the newest seq (the start of the watermark)."""
    ll = schema.log_line
    with app.app_context(), get_database().engine.connect() as conn:
        if after is None:
            head = conn.execute(select(func.max(ll.c.seq))).scalar()
            return int(head or 0), []
        rows = conn.execute(
            select(ll.c.data_subject_id, func.max(ll.c.seq))
            .where(ll.c.seq > after, ll.c.data_subject_id.is_not(None))
            .group_by(ll.c.data_subject_id)
        ).all()
    newest = max([after, *(int(r[1]) for r in rows)])
    return newest, [(str(r[0]), int(r[1])) for r in rows]


async def poll_database(app: Flask, b: Broker, interval: float) -> None:
    """The safety net (and SQLite's broker between processes): new lines by sequence."""
    while True:
        try:
            newest, items = await asyncio.to_thread(newest_by_subject, app, b.watermark)
            if b.watermark is not None:
                for pseudonym, seq in items:
                    b.publish(pseudonym, seq)
            b.watermark = newest
        except Exception as exc:  # noqa: BLE001 - the database is away: try again
            log.warning(
                "live poll failed", extra={"event": "live.poll", "error": type(exc).__name__}
            )
        await asyncio.sleep(interval)


async def listen_postgres(dsn: str, b: Broker) -> None:
    """One ``LISTEN`` connection for the whole process; reconnects when the database goes."""
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                b.listening.set()
                async for note in conn.notifies():
                    b.publish_payload(note.payload)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the database went away: retry
            log.warning(
                "live listener reconnecting",
                extra={"event": "live.reconnect", "error": type(exc).__name__},
            )
        b.listening.clear()
        await asyncio.sleep(1.0)


def dsn(url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def is_postgres(app: Flask) -> bool:
    return str(app.config["DATABASE_URL"]).startswith("postgresql")


async def run(app: Flask) -> None:
    """Everything that feeds this process's broker; runs as long as the stream service."""
    b = broker(app)
    configured = app.config.get("PORTAAL_LIVE_POLL_SECONDS")
    interval = float(configured) if configured else (1.0 if is_postgres(app) else 0.25)
    tasks = [asyncio.create_task(poll_database(app, b, interval))]
    if is_postgres(app):
        tasks.append(asyncio.create_task(listen_postgres(dsn(str(app.config["DATABASE_URL"])), b)))
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


def init_app(app: Flask) -> None:
    b = Broker()
    app.extensions[EXTENSION] = b
    if not is_postgres(app):
        # Same process, SQLite: no need to wait for the poller.
        def _on_lines(sender: Any, lines: list[LogLine], **_: Any) -> None:
            for payload in payloads(lines):
                b.publish_payload(payload)

        b._receiver = _on_lines  # type: ignore[attr-defined]  # blinker holds weak references
        lines_committed.connect(_on_lines, sender=app)


def broker(app: Flask) -> Broker:
    b: Broker = app.extensions[EXTENSION]
    return b
