"""Live notifications of new logboek lines (for the citizen's open "Wie heeft mijn gegevens
gezien" page, whose event stream lives in :mod:`app.portaal`).

When a unit of work commits logboek lines, every process that holds an open event stream of a
person those lines are about must hear of it. The message carries only the logboek's keyed
pseudonym of the person (``data_subject_id``, never a BSN or a name) and the highest new
sequence number; the stream then reads the lines itself, through the same access filter as the
page (so a line with a "disclose after" date in the future never travels).

* On PostgreSQL the broker is ``LISTEN/NOTIFY``: :func:`notify_in_transaction` runs
  ``pg_notify`` in the same transaction as the lines, so PostgreSQL delivers it only when that
  transaction commits (and never when it rolls back). Each process has one listening
  connection (a daemon thread, started with the first stream) that fans notifications out to
  its own streams. Any number of gunicorn workers and hosts works.
* On SQLite (one process, development and tests) the broker is in-process: the
  ``lines_committed`` signal, sent after the commit.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterable
from typing import Any

import psycopg
from flask import Flask

from app.logboek.events import lines_committed
from audit import LogLine

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


def notify_in_transaction(conn: Any, lines: Iterable[LogLine]) -> None:
    """On PostgreSQL: queue a NOTIFY per person in the caller's (still open) transaction."""
    if conn.dialect.name != "postgresql":
        return
    items = payloads(lines)
    if items:
        conn.exec_driver_sql(
            "SELECT pg_notify(%s, x) FROM unnest(%s::text[]) AS x", (CHANNEL, items)
        )


class Broker:
    """Per process: which open streams wait for which pseudonym."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[queue.Queue[int]]] = {}

    def subscribe(self, pseudonym: str) -> queue.Queue[int]:
        q: queue.Queue[int] = queue.Queue(maxsize=100)
        with self._lock:
            self._subscribers.setdefault(pseudonym, set()).add(q)
        self.started()
        return q

    def unsubscribe(self, pseudonym: str, q: queue.Queue[int]) -> None:
        with self._lock:
            subs = self._subscribers.get(pseudonym)
            if subs is not None:
                subs.discard(q)
                if not subs:
                    del self._subscribers[pseudonym]

    def publish(self, pseudonym: str, seq: int) -> None:
        with self._lock:
            subs = list(self._subscribers.get(pseudonym, ()))
        for q in subs:
            # A stalled stream's queue may be full: it reads everything new anyway.
            with contextlib.suppress(queue.Full):
                q.put_nowait(seq)

    def publish_payload(self, payload: str) -> None:
        pseudonym, _, seq = payload.partition(":")
        if pseudonym and seq.isdigit():
            self.publish(pseudonym, int(seq))

    def started(self) -> None:
        """Hook: start listening (PostgreSQL) on first use."""

    def stop(self) -> None:
        """Hook: stop listening."""


class InProcessBroker(Broker):
    """SQLite, one process: the commit's ``lines_committed`` signal feeds the streams."""

    def __init__(self, app: Flask) -> None:
        super().__init__()

        def _on_lines(sender: Any, lines: list[LogLine], **_: Any) -> None:
            for payload in payloads(lines):
                self.publish_payload(payload)

        self._receiver = _on_lines  # keep a strong reference (blinker holds weak ones)
        lines_committed.connect(_on_lines, sender=app)


class PostgresBroker(Broker):
    """PostgreSQL: one ``LISTEN`` connection per process, in a daemon thread."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self._dsn = dsn
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.ready = threading.Event()

    def started(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="eenplan-listen", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self.publish_payload(note.payload)
            except Exception as exc:  # noqa: BLE001 - the database went away: retry
                self.ready.clear()
                log.warning(
                    "live listener reconnecting",
                    extra={"event": "live.reconnect", "error": type(exc).__name__},
                )
                time.sleep(1.0)


def _dsn(url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def init_app(app: Flask) -> None:
    url = str(app.config["DATABASE_URL"])
    pg = url.startswith("postgresql")
    broker: Broker = PostgresBroker(_dsn(url)) if pg else InProcessBroker(app)
    app.extensions[EXTENSION] = broker


def broker(app: Flask) -> Broker:
    b: Broker = app.extensions[EXTENSION]
    return b
