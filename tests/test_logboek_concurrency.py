"""Appends under concurrency: one total order without gaps, and a short lock window.

Every request's lines are appended in its own transaction; the chain's head row is the lock,
held from its UPDATE until that transaction commits, and every other append waits for it. So:

* many appends at once, each in a transaction of its own, still give one gapless chain that
  verifies (the total order and the tamper evidence hold under contention);
* after the head's UPDATE a request runs exactly one statement before its COMMIT (the lines,
  the new head and, on PostgreSQL, the live page's NOTIFY together): pseudonyms, subjects and
  register versions are all resolved before the lock is taken (issue 17: logging's cost under
  concurrency).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import event, text

from audit import Actor, Entry, Subject, TraceContext
from tests.conftest import head_seq, login
from tests.support.world import BSN, World

ACTOR = Actor("medewerker", "999", "Test Medewerker", "Regisseur", "Gemeente Teststad")
THREADS = 8
APPENDS = 10  # per thread


def _entries(thread: int, n: int) -> list[Entry]:
    """Two lines (two subjects) per append, so that an interleaving would show as a gap."""
    return [
        Entry(
            kind="inzage",
            action="view",
            name="test.gelijktijdig",
            actor=ACTOR,
            subjects=(Subject("BSN", BSN["anna"]), Subject("BSN", BSN["bram"])),
            processing_activity="regie-multiproblematiek",
            data_categories=("plan",),
            trace=TraceContext.new(),
            object_type="plan",
            object_id=f"{thread}-{n}",
        )
    ]


def test_concurrent_appends_make_one_gapless_chain_that_verifies(app: Flask) -> None:
    logboek = app.extensions["eenplan_logboek"]
    engine = _engine(app)
    before = head_seq(app)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    written: list[list[int]] = []

    def work(thread: int) -> None:
        try:
            start.wait()
            mine = []
            for n in range(APPENDS):
                with engine.begin() as conn:
                    lines = logboek.record(conn, _entries(thread, n))
                mine.append([line.seq for line in lines])
            written.extend(mine)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    total = THREADS * APPENDS * 2
    assert head_seq(app) == before + total
    # Each append's lines are consecutive, and together they fill the range without a gap.
    assert all(seqs == [seqs[0], seqs[0] + 1] for seqs in written)
    assert sorted(s for seqs in written for s in seqs) == list(
        range(before + 1, before + total + 1)
    )
    with engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT seq, prev_hash, line_hash FROM audit_log_line WHERE seq > :s ORDER BY seq"
            ),
            {"s": before},
        ).all()
        report = logboek.verify(conn)
    assert [r.seq for r in stored] == list(range(before + 1, before + total + 1))
    assert all(b.prev_hash == a.line_hash for a, b in zip(stored, stored[1:], strict=False))
    assert report.ok, report.problem


def test_after_the_head_lock_a_request_runs_one_statement_before_commit(
    app: Flask, world: World
) -> None:
    """The window in which every other append waits: from the head's UPDATE to COMMIT."""
    client = app.test_client()
    login(client, "reg1")
    engine = _engine(app)
    url = f"/plannen/{world.plans['a']}"
    assert client.get(url).status_code == 200  # a process's first append reads the register
    events: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        events.append(" ".join(statement.split()))

    def on_commit(conn: Any) -> None:
        events.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        before = head_seq(app)
        resp = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
    assert resp.status_code == 200
    assert head_seq(app) > before  # the page wrote its lines
    lock = next(i for i, e in enumerate(events) if e.startswith("UPDATE audit_chain_head"))
    window = events[lock + 1 : events.index("COMMIT", lock)]
    if engine.dialect.name == "postgresql":
        # Lines, head and the live page's notification in one statement.
        assert len(window) == 1, window
        assert window[0].startswith("WITH new_lines AS (INSERT INTO audit_log_line"), window
        assert "pg_notify" in window[0], window
    else:  # SQLite: the lines, then the head (its BEGIN IMMEDIATE locked the database anyway)
        assert len(window) == 2, window
        assert window[0].startswith("INSERT INTO audit_log_line"), window
        assert window[1].startswith("UPDATE audit_chain_head SET seq="), window


def _engine(app: Flask) -> Any:
    return app.extensions["eenplan_db"].engine
