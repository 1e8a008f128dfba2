"""Tamper evidence: an attacker with database rights changes the logboek behind the app's back.

Each test first proves the chain verifies, then bypasses the append-only triggers as a database
administrator could (PostgreSQL: ``ALTER TABLE … DISABLE TRIGGER USER``; SQLite: drop the
trigger), changes the log, and proves that ``flask audit verify`` notices and names the first
line that can no longer be trusted. Runs on SQLite and PostgreSQL.

The log in every test: lines ``base+1 … base+40`` with a checkpoint after ``base+20``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, text

from app.db import get_database
from audit import Actor, Checkpoint, Entry, Subject, TraceContext
from audit.schema import APPEND_ONLY_TABLES, protection_ddl
from tests.conftest import head_seq
from tests.support.world import BSN

ACTOR = Actor("medewerker", "999", "Test Medewerker", "Regisseur", "Gemeente Teststad")


def _entry(n: int) -> Entry:
    return Entry(
        kind="inzage",
        action="view",
        name="test.bekijken",
        actor=ACTOR,
        subjects=(Subject("BSN", BSN["anna" if n % 2 else "bram"]),),
        processing_activity="regie-multiproblematiek",
        data_categories=("naw", "plan"),
        trace=TraceContext.new(),
        object_type="plan",
        object_id=str(n),
    )


def write_lines(app: Flask, n: int) -> None:
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.begin() as conn:
        logboek.record(conn, [_entry(i) for i in range(n)])


def checkpoint(app: Flask) -> Checkpoint:
    with app.app_context(), get_database().engine.begin() as conn:
        return app.extensions["eenplan_logboek"].checkpoint(conn)  # type: ignore[no-any-return]


def verify(app: Flask, anchors: list[Checkpoint] | None = None) -> Any:
    with app.app_context(), get_database().engine.connect() as conn:
        return app.extensions["eenplan_logboek"].verify(conn, anchors=anchors or [])


def head_row(app: Flask) -> dict[str, Any]:
    with app.app_context(), get_database().engine.connect() as conn:
        return dict(
            conn.execute(text("SELECT * FROM audit_chain_head WHERE id = 1")).mappings().one()
        )


@contextmanager
def as_attacker(app: Flask) -> Iterator[Connection]:
    """A connection for which the append-only triggers are out of the way."""
    with app.app_context(), get_database().engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in APPEND_ONLY_TABLES:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            for table in APPEND_ONLY_TABLES:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for table in APPEND_ONLY_TABLES:
                for suffix in ("no_update", "no_delete"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_{suffix}"))
            yield conn
            for statement in protection_ddl("sqlite"):
                conn.execute(text(statement))


@dataclass
class Log:
    base: int  # lines before the test's own

    def seq(self, n: int) -> int:
        return self.base + n


@pytest.fixture
def log(app: Flask, world: Any) -> Log:
    base = head_seq(app)
    write_lines(app, 20)
    checkpoint(app)
    write_lines(app, 20)
    report = verify(app)
    assert report.ok, report.problem
    assert report.lines_checked == base + 40 and report.checkpoints_checked >= 1
    return Log(base)


def cli_verify(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def assert_detected(app: Flask, first_broken: int | None, *words: str) -> None:
    report = verify(app)
    assert not report.ok
    assert report.first_broken_seq == first_broken, report.problem
    for word in words:
        assert word in (report.problem or ""), report.problem
    code, output = cli_verify(app)
    assert code == 1 and "LOGBOEK NIET IN ORDE" in output
    if first_broken is not None:
        assert f"Eerste afwijkende regel: {first_broken}" in output


def test_the_triggers_hold_until_bypassed(app: Flask, log: Log) -> None:
    with app.app_context(), get_database().engine.connect() as conn:
        with pytest.raises(Exception, match="alleen aan te vullen"):
            conn.execute(text("DELETE FROM audit_checkpoint"))
        conn.rollback()
    code, output = cli_verify(app)
    assert code == 0 and "Logboek in orde" in output


# --- lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_name", "Iemand Anders"),
        ("data_categories", "naw"),
        ("data_subject_id", "0" * 64),
        ("processing_activity_id", "toezicht-logboek"),
        ("emergency", True),
        ("reason", "achteraf bedacht"),
    ],
)
def test_altered_line_is_named(app: Flask, log: Log, column: str, value: Any) -> None:
    with as_attacker(app) as conn:
        conn.execute(
            text(f"UPDATE audit_log_line SET {column} = :v WHERE seq = :s"),
            {"v": value, "s": log.seq(7)},
        )
    assert_detected(app, log.seq(7), "inhoud", "gewijzigd")


def test_altered_time_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        earlier = (
            "occurred_at - INTERVAL '1 day'"
            if conn.dialect.name == "postgresql"
            else "datetime(occurred_at, '-1 day')"
        )
        conn.execute(
            text(f"UPDATE audit_log_line SET occurred_at = {earlier} WHERE seq = :s"),
            {"s": log.seq(30)},
        )
    assert_detected(app, log.seq(30), "inhoud")


def test_altered_line_with_recomputed_unkeyed_hash_is_named(app: Flask, log: Log) -> None:
    """Without the chain key, a plain SHA-256 of the new content does not pass for the HMAC."""
    import hashlib

    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_log_line SET actor_name = 'X', line_hash = :h WHERE seq = :s"),
            {"h": hashlib.sha256(b"X").hexdigest(), "s": log.seq(12)},
        )
    assert_detected(app, log.seq(12), "inhoud")


def test_deleted_line_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq = :s"), {"s": log.seq(12)})
    assert_detected(app, log.seq(12), "ontbreekt")


def test_deleted_first_line_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq = 1"))
    assert_detected(app, 1, "ontbreekt")


def _shift_up(conn: Connection, from_seq: int) -> None:
    """Make room at ``from_seq`` (two steps: the primary key is checked per row)."""
    conn.execute(
        text("UPDATE audit_log_line SET seq = seq + 1000000 WHERE seq >= :s"), {"s": from_seq}
    )
    conn.execute(
        text("UPDATE audit_log_line SET seq = seq - 999999 WHERE seq >= 1000000"),
    )


def _copy_line(conn: Connection, source: int, target: int, **changes: Any) -> None:
    row = dict(
        conn.execute(text("SELECT * FROM audit_log_line WHERE seq = :s"), {"s": source})
        .mappings()
        .one()
    )
    row.update(seq=target, **changes)
    cols = ", ".join(row)
    params = ", ".join(f":{c}" for c in row)
    conn.execute(text(f"INSERT INTO audit_log_line ({cols}) VALUES ({params})"), row)


def test_line_inserted_in_the_middle_is_named(app: Flask, log: Log) -> None:
    """A forged line between 15 and 16: it names 15's hash as its predecessor, but its own hash
    cannot be made without the key."""
    at = log.seq(16)
    with as_attacker(app) as conn:
        prev_hash = conn.execute(
            text("SELECT line_hash FROM audit_log_line WHERE seq = :s"), {"s": at - 1}
        ).scalar_one()
        _shift_up(conn, at)
        _copy_line(conn, at + 1, at, actor_name="Niemand", prev_hash=prev_hash, line_hash="f" * 64)
    assert_detected(app, at, "inhoud")


def test_replayed_line_inserted_in_the_middle_is_named(app: Flask, log: Log) -> None:
    """An exact copy of a genuine line squeezed in: the lines after it no longer fit."""
    at = log.seq(16)
    with as_attacker(app) as conn:
        _shift_up(conn, at)
        _copy_line(conn, at + 1, at)  # line `at` is back exactly; the copy after it no longer fits
    assert_detected(app, at + 1)


def test_line_appended_behind_the_apps_back_is_named(app: Flask, log: Log) -> None:
    last = log.seq(40)
    with as_attacker(app) as conn:
        line_hash = conn.execute(
            text("SELECT line_hash FROM audit_log_line WHERE seq = :s"), {"s": last}
        ).scalar_one()
        _copy_line(conn, last, last + 1, prev_hash=line_hash)
    assert_detected(app, last + 1)


def test_head_rolled_back_with_the_lines_kept_is_named(app: Flask, log: Log) -> None:
    """Genuine lines the head does not know about: the head was put back."""
    old_head = head_row(app)
    write_lines(app, 2)
    with as_attacker(app) as conn:
        conn.execute(
            text(
                "UPDATE audit_chain_head SET seq = :seq, line_hash = :line_hash, mac = :mac, "
                "checkpoint_mac = :checkpoint_mac WHERE id = 1"
            ),
            old_head,
        )
    assert_detected(app, log.seq(41), "niet in de kop")


def test_swapped_lines_are_named(app: Flask, log: Log) -> None:
    a, b = log.seq(20), log.seq(21)
    with as_attacker(app) as conn:
        conn.execute(text("UPDATE audit_log_line SET seq = -1 WHERE seq = :a"), {"a": a})
        conn.execute(text("UPDATE audit_log_line SET seq = :a WHERE seq = :b"), {"a": a, "b": b})
        conn.execute(text("UPDATE audit_log_line SET seq = :b WHERE seq = -1"), {"b": b})
    assert_detected(app, a, "vorige regel")


def test_swapped_contents_keeping_positions_are_named(app: Flask, log: Log) -> None:
    a, b = log.seq(33), log.seq(34)
    with as_attacker(app) as conn:
        rows = {
            r["seq"]: dict(r)
            for r in conn.execute(
                text("SELECT * FROM audit_log_line WHERE seq IN (:a, :b)"), {"a": a, "b": b}
            ).mappings()
        }
        conn.execute(text("DELETE FROM audit_log_line WHERE seq IN (:a, :b)"), {"a": a, "b": b})
        for seq, other in ((a, b), (b, a)):
            row = {**rows[other], "seq": seq}
            cols = ", ".join(row)
            conn.execute(
                text(
                    f"INSERT INTO audit_log_line ({cols}) VALUES ({', '.join(':' + c for c in row)})"
                ),
                row,
            )
    assert_detected(app, a)


# --- the tail, the head, checkpoints --------------------------------------------------------


def test_truncated_tail_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": log.seq(35)})
    assert_detected(app, log.seq(36), "afgekapt")


def test_everything_deleted_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line"))
    assert_detected(app, 1, "afgekapt")


def test_truncated_tail_with_a_forged_head_is_named(app: Flask, log: Log) -> None:
    """Cut the tail and point the head at the new last line: the head's MAC needs the key, so
    completeness is vouched for only up to the checkpoint."""
    keep = log.seq(35)
    with as_attacker(app) as conn:
        last_hash = conn.execute(
            text("SELECT line_hash FROM audit_log_line WHERE seq = :s"), {"s": keep}
        ).scalar_one()
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": keep})
        conn.execute(
            text("UPDATE audit_chain_head SET seq = :s, line_hash = :h WHERE id = 1"),
            {"s": keep, "h": last_hash},
        )
    assert_detected(app, log.seq(21), "kop", "niet echt")


def test_forged_head_hash_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_chain_head SET line_hash = :h WHERE id = 1"), {"h": "a" * 64}
        )
    assert_detected(app, log.seq(21), "kop")


def test_head_rolled_back_to_an_earlier_genuine_state(app: Flask, log: Log) -> None:
    """The attacker saved the (genuine, signed) head at line 40, lets the log grow, then cuts
    the new lines and restores the old head. A checkpoint written after line 40 gives it away."""
    old_head = head_row(app)
    write_lines(app, 5)
    cp = checkpoint(app)
    write_lines(app, 5)
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": log.seq(40)})
        conn.execute(
            text(
                "UPDATE audit_chain_head SET seq = :seq, line_hash = :line_hash, mac = :mac, "
                "checkpoint_mac = :checkpoint_mac WHERE id = 1"
            ),
            old_head,
        )
    assert cp.seq == log.seq(45)
    assert_detected(app, log.seq(41))


def test_whole_rollback_is_caught_only_by_an_external_anchor(app: Flask, log: Log) -> None:
    """Restore head, lines and checkpoints to an earlier genuine state (a database backup):
    inside the database everything fits again. The checkpoint kept outside (``flask audit
    checkpoint`` output on write-once storage) does not."""
    old_head = head_row(app)
    write_lines(app, 5)
    anchor = checkpoint(app)  # also shipped outside the database
    write_lines(app, 5)
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": log.seq(40)})
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq > :s"), {"s": log.seq(40)})
        conn.execute(
            text(
                "UPDATE audit_chain_head SET seq = :seq, line_hash = :line_hash, mac = :mac, "
                "checkpoint_mac = :checkpoint_mac WHERE id = 1"
            ),
            old_head,
        )
    assert verify(app).ok  # the limit of what the database alone can prove
    report = verify(app, [anchor])
    assert not report.ok and report.first_broken_seq == log.seq(41)
    assert "het anker" in (report.problem or "")


def test_anchor_file_through_the_cli(app: Flask, log: Log, tmp_path: Any) -> None:
    anchor = checkpoint(app)
    path = tmp_path / "anker.jsonl"
    path.write_text(anchor.to_json() + "\n", encoding="utf-8")
    code, output = cli_verify(app, "--anker", str(path))
    assert code == 0 and "1 ankers" in output
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": log.seq(10)})
        conn.execute(text("DELETE FROM audit_checkpoint"))
        conn.execute(text("UPDATE audit_chain_head SET seq = 0, mac = NULL, checkpoint_mac = NULL"))
    code, output = cli_verify(app, "--anker", str(path))
    assert code == 1 and "Eerste afwijkende regel: 1" in output


def test_forged_anchor_is_refused(app: Flask, log: Log) -> None:
    anchor = checkpoint(app)
    forged = Checkpoint(anchor.seq, "b" * 64, anchor.created_at, anchor.prev_mac, anchor.mac)
    report = verify(app, [forged])
    assert not report.ok and "anker" in (report.problem or "") and "niet echt" in report.problem


def test_altered_checkpoint_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_checkpoint SET line_hash = :h WHERE seq = :s"),
            {"h": "c" * 64, "s": log.seq(20)},
        )
    assert_detected(app, log.seq(20), "controlepunt", "niet echt")


def test_forged_checkpoint_is_named(app: Flask, log: Log) -> None:
    with as_attacker(app) as conn:
        conn.execute(
            text(
                "INSERT INTO audit_checkpoint (seq, line_hash, created_at, mac, prev_mac) "
                "SELECT seq, line_hash, created_at, :m, mac FROM audit_checkpoint WHERE seq = :s"
            ),
            {"m": "d" * 64, "s": log.seq(20)},
        )
    assert_detected(app, log.seq(20), "controlepunt", "niet echt")


def test_deleted_checkpoint_in_the_middle_is_named(app: Flask, log: Log) -> None:
    checkpoint(app)  # a second one, at line 40
    write_lines(app, 3)
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq = :s"), {"s": log.seq(20)})
    assert_detected(app, 1, "controlepunt", "ontbreekt")


def test_deleted_last_checkpoint_is_named(app: Flask, log: Log) -> None:
    checkpoint(app)  # at line 40
    write_lines(app, 3)
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq = :s"), {"s": log.seq(40)})
    assert_detected(app, log.seq(21), "controlepunt", "verwijderd")


def test_checkpoints_written_every_n_lines(app: Flask, world: Any, monkeypatch: Any) -> None:
    """The automatic checkpoint: every CHECKPOINT_EVERY lines, chained to the one before."""
    import audit.writer

    monkeypatch.setattr(audit.writer, "CHECKPOINT_EVERY", 5)
    base = head_seq(app)
    for _ in range(4):
        write_lines(app, 3)
    with app.app_context(), get_database().engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, prev_mac, mac FROM audit_checkpoint ORDER BY id")
        ).all()
    batch_ends = [base + 3 * k for k in range(1, 5)]
    expected = [end for end in batch_ends if any(s % 5 == 0 for s in range(end - 2, end + 1))]
    assert [r.seq for r in rows] == expected
    assert rows[0].prev_mac is None
    assert all(
        later.prev_mac == earlier.mac for earlier, later in zip(rows, rows[1:], strict=False)
    )
    assert verify(app).ok


def test_bulk_appends_verify_like_single_ones(app: Flask, world: Any, monkeypatch: Any) -> None:
    """A big append (a bulk delivery) goes to PostgreSQL with COPY, crossing a checkpoint: the
    lines read back exactly as hashed, so the chain verifies; tampering with one still shows."""
    import audit.writer

    monkeypatch.setattr(audit.writer, "COPY_FROM", 3)
    monkeypatch.setattr(audit.writer, "CHECKPOINT_EVERY", 7)
    base = head_seq(app)
    write_lines(app, 2)  # the one-statement path
    write_lines(app, 12)  # COPY, across a checkpoint
    write_lines(app, 1)
    assert head_seq(app) == base + 15
    with app.app_context(), get_database().engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, reason, emergency, occurred_at FROM audit_log_line WHERE seq > :s"),
            {"s": base},
        ).all()
        checkpoints = conn.execute(text("SELECT seq FROM audit_checkpoint")).scalars().all()
    assert [r.seq for r in rows] == list(range(base + 1, base + 16))
    assert base + 14 in checkpoints
    assert verify(app).ok
    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_log_line SET actor_name = 'X' WHERE seq = :s"), {"s": base + 9}
        )
    result = verify(app)
    assert not result.ok and result.first_broken_seq == base + 9


# --- the same, checked by worker processes side by side ------------------------------------


def _alter(conn: Connection, log: Log) -> int:
    conn.execute(
        text("UPDATE audit_log_line SET actor_name = 'X' WHERE seq = :s"), {"s": log.seq(16)}
    )
    return log.seq(16)


def _delete_range(conn: Connection, log: Log) -> int:
    conn.execute(
        text("DELETE FROM audit_log_line WHERE seq BETWEEN :a AND :b"),
        {"a": log.seq(21), "b": log.seq(30)},
    )
    return log.seq(21)


def _swap_at_edge(conn: Connection, log: Log) -> int:
    a, b = log.seq(15), log.seq(16)
    conn.execute(text("UPDATE audit_log_line SET seq = -1 WHERE seq = :a"), {"a": a})
    conn.execute(text("UPDATE audit_log_line SET seq = :a WHERE seq = :b"), {"a": a, "b": b})
    conn.execute(text("UPDATE audit_log_line SET seq = :b WHERE seq = -1"), {"b": b})
    return a


def _truncate(conn: Connection, log: Log) -> int:
    conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": log.seq(33)})
    return log.seq(34)


def _negative(conn: Connection, log: Log) -> int:
    conn.execute(text("UPDATE audit_log_line SET seq = -5 WHERE seq = :s"), {"s": log.seq(40)})
    return -5


@pytest.mark.slow
@pytest.mark.parametrize("attack", [_alter, _delete_range, _swap_at_edge, _truncate, _negative])
def test_parallel_verification_finds_the_same_first_line(app: Flask, log: Log, attack: Any) -> None:
    with app.app_context(), get_database().engine.connect() as conn:
        assert app.extensions["eenplan_logboek"].verify(conn, workers=2).ok
    with as_attacker(app) as conn:
        first = attack(conn, log)
    with app.app_context(), get_database().engine.connect() as conn:
        single = app.extensions["eenplan_logboek"].verify(conn, workers=1)
    with app.app_context(), get_database().engine.connect() as conn:
        parallel = app.extensions["eenplan_logboek"].verify(conn, workers=2)
    assert single.first_broken_seq == parallel.first_broken_seq == first
    assert not single.ok and not parallel.ok
    code, output = cli_verify(app, "--workers", "2")
    assert code == 1 and f"Eerste afwijkende regel: {first}" in output


def test_the_database_writes_the_same_canonical_form_as_python(app: Flask, world: Any) -> None:
    """verify lets the database build each line's JSON; awkward text must come out byte for
    byte as Python writes it (else every such line is checked again the slow way)."""
    import datetime as dt

    awkward = 'Zoë "de Vries" \\ \n\t\x01 ☂ 😀 \u2028 </script>'
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.begin() as conn:
        logboek.record(
            conn,
            [
                Entry(
                    kind="uitwisseling",
                    action="send",
                    name=awkward,
                    actor=Actor("medewerker", "7", awkward, "Regisseur", awkward, awkward),
                    subjects=(Subject("BSN", BSN["anna"]),),
                    processing_activity="regie-multiproblematiek",
                    data_categories=("naw",),
                    trace=TraceContext.new(),
                    object_type="plan",
                    object_id="12",
                    reason=awkward,
                    emergency=True,
                    disclose_after=dt.date(2031, 12, 31),
                    deferral_reason=awkward,
                    sender=awkward,
                    recipient=awkward,
                )
            ],
        )
    report = verify(app)
    assert report.ok and report.slow_lines == 0
    last = head_seq(app)
    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_log_line SET reason = :r WHERE seq = :s"),
            {"r": awkward.replace("😀", "😃"), "s": last},
        )
    report = verify(app)
    assert not report.ok and report.first_broken_seq == last


def test_where_the_database_writes_json_differently_python_decides(
    app: Flask, log: Log, monkeypatch: Any
) -> None:
    """No false alarm if a database's JSON ever drifts from Python's: such lines are checked
    again the Python way (and a real change is still found)."""
    import audit.verify

    monkeypatch.setattr(audit.verify, "_canonical_sql", lambda postgres: "'[]'")
    report = verify(app)
    assert report.ok and report.slow_lines == report.lines_checked == log.seq(40)
    with as_attacker(app) as conn:
        conn.execute(
            text("UPDATE audit_log_line SET actor_name = 'X' WHERE seq = :s"), {"s": log.seq(9)}
        )
    report = verify(app)
    assert not report.ok and report.first_broken_seq == log.seq(9)
