"""Anchors outside the database, by default (issue 20, item 7).

A whole-database rollback — lines, head and checkpoints put back together from an older backup
— fits inside the database. ``flask audit checkpoint`` therefore appends every checkpoint to the
anchor store (``AUDIT_ANCHOR_STORE``), and ``flask audit verify`` checks against that store
unless told otherwise: the rollback fails verify without any option. Runs on SQLite and
PostgreSQL (the file-copy rollback on SQLite only).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from app.clock import set_offset
from app.db import get_database
from audit import Checkpoint
from audit.anchors import AnchorError, FileAnchorStore, open_store, parse_anchors
from tests.conftest import get_database_engine, head_seq
from tests.test_logboek_tamper import as_attacker, checkpoint, cli_verify, head_row, write_lines


def cli_checkpoint(app: Flask) -> tuple[int, Checkpoint | None, str]:
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    first = result.output.splitlines()[0] if result.output else ""
    cp = Checkpoint.from_json(first) if result.exit_code == 0 else None
    return result.exit_code, cp, result.output


def store_path(app: Flask) -> Path:
    return Path(app.config["AUDIT_ANCHOR_STORE"])


def checkpoint_rows(app: Flask) -> int:
    with app.app_context(), get_database().engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_checkpoint")).scalar_one())


def roll_back_to(app: Flask, old_head: dict[str, Any]) -> None:
    """What restoring an older backup does to the logboek's tables (PostgreSQL and SQLite): the
    newer lines and checkpoints are gone, the head is the old, genuine one."""
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": old_head["seq"]})
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq > :s"), {"s": old_head["seq"]})
        conn.execute(
            text(
                "UPDATE audit_chain_head SET seq = :seq, line_hash = :line_hash, mac = :mac, "
                "checkpoint_mac = :checkpoint_mac WHERE id = 1"
            ),
            old_head,
        )


# --- the store --------------------------------------------------------------------------------


def test_checkpoint_appends_to_the_anchor_store(app: Flask, world: Any) -> None:
    path = store_path(app)
    assert not path.exists()
    code, first, output = cli_checkpoint(app)
    assert code == 0 and first is not None, output
    assert str(path) in output  # says where it went
    assert first.seq == head_seq(app)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [first.to_json()]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_lines(app, 3)
    code, second, _ = cli_checkpoint(app)
    assert code == 0 and second is not None
    # Appended: the first line stays as it was.
    assert path.read_text(encoding="utf-8").splitlines() == [first.to_json(), second.to_json()]
    assert second.prev_mac == first.mac


def test_verify_reads_the_store_by_default_and_says_so(app: Flask, world: Any) -> None:
    code, output = cli_verify(app)
    assert code == 0 and "ankeropslag" in output and "leeg" in output  # no anchors yet: warned
    _, first, _ = cli_checkpoint(app)
    write_lines(app, 2)
    _, second, _ = cli_checkpoint(app)
    assert first is not None and second is not None
    code, output = cli_verify(app)
    assert code == 0, output
    assert "2 ankers gecontroleerd" in output
    assert f"2 ankers uit de ankeropslag ({store_path(app)})" in output
    assert f"nieuwste: regel {second.seq} van " in output
    code, output = cli_verify(app, "--zonder-ankers")
    assert code == 0 and "0 ankers gecontroleerd" in output and "--zonder-ankers" in output


def test_whole_database_rollback_fails_verify_by_default(app: Flask, world: Any) -> None:
    """The reproduction: an older state of the whole database put back passes a verify without
    options on today's main; with anchors kept outside by default it fails."""
    base = head_seq(app)
    old_head = head_row(app)  # the backup
    write_lines(app, 5)
    code, anchor, _ = cli_checkpoint(app)  # from cron: also in the anchor store
    assert code == 0 and anchor is not None and anchor.seq == base + 5
    write_lines(app, 5)
    assert cli_verify(app)[0] == 0
    roll_back_to(app, old_head)
    code, output = cli_verify(app)
    assert code == 1, output
    assert "LOGBOEK NIET IN ORDE" in output and "het anker" in output
    assert f"Eerste afwijkende regel: {base + 1}" in output
    # The explicit opt-out shows the limit of what the database alone can prove.
    code, output = cli_verify(app, "--zonder-ankers")
    assert code == 0, output


def test_rollback_after_which_the_log_grew_again_fails_verify(app: Flask, world: Any) -> None:
    """Put back, then new lines: the database reaches past the anchor again, but its line at
    the anchor's position is another one."""
    base = head_seq(app)
    old_head = head_row(app)
    write_lines(app, 5)
    assert cli_checkpoint(app)[0] == 0
    roll_back_to(app, old_head)
    write_lines(app, 8)  # the application carries on from the restored state
    code, output = cli_verify(app)
    assert code == 1 and f"Eerste afwijkende regel: {base + 5}" in output, output
    assert "wijken af van het anker" in output


@pytest.mark.sqlite_only
def test_sqlite_database_file_restored_from_a_copy_fails_verify(
    app: Flask, world: Any, backend: str
) -> None:
    """The rollback as it happens: copy the database file, carry on (lines and a checkpoint
    from cron), put the copy back."""
    db_file = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    base = head_seq(app)

    def settle() -> None:
        get_database_engine(app).dispose()
        c = sqlite3.connect(db_file)
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        c.close()

    settle()
    backup = db_file.with_name(db_file.name + ".backup")
    shutil.copyfile(db_file, backup)
    write_lines(app, 4)
    assert cli_checkpoint(app)[0] == 0
    write_lines(app, 4)
    settle()
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, db_file)
    backup.unlink()
    assert head_seq(app) == base  # the old state is back
    code, output = cli_verify(app)
    assert code == 1 and f"Eerste afwijkende regel: {base + 1}" in output, output
    assert cli_verify(app, "--zonder-ankers")[0] == 0


def test_anchor_file_adds_to_the_store(app: Flask, world: Any, tmp_path: Path) -> None:
    assert cli_checkpoint(app)[0] == 0
    write_lines(app, 2)
    receipt = checkpoint(app)  # e.g. handed out in a download: not in the store
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps({"formaat": "x", "controlepunt": receipt.to_dict()}), "utf-8")
    code, output = cli_verify(app, "--anker", str(path))
    assert code == 0 and "2 ankers gecontroleerd" in output, output
    assert f"1 ankers uit {path}, nieuwste: regel {receipt.seq}" in output
    with as_attacker(app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq = :s"), {"s": receipt.seq})
    assert cli_verify(app, "--anker", str(path))[0] == 1


def test_checkpoint_fails_and_keeps_nothing_when_the_store_cannot_take_it(
    app: Flask, world: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", "utf-8")
    app.config["AUDIT_ANCHOR_STORE"] = str(blocker / "ankers.jsonl")
    before = checkpoint_rows(app)
    code, _, output = cli_checkpoint(app)
    assert code != 0 and "Controlepunt niet vastgelegd" in output
    assert checkpoint_rows(app) == before  # not in the database alone
    assert cli_verify(app, "--zonder-ankers")[0] == 0


def test_unreadable_store_is_an_error_not_a_pass(app: Flask, world: Any) -> None:
    assert cli_checkpoint(app)[0] == 0
    with store_path(app).open("a", encoding="utf-8") as f:
        f.write("{kapot\n")
    code, output = cli_verify(app)
    assert code != 0 and "regel 2 van" in output and "onleesbaar" in output


def test_s3_store_is_not_built_and_says_so(app: Flask, world: Any) -> None:
    app.config["AUDIT_ANCHOR_STORE"] = "s3://bucket/ankers"
    code, output = cli_verify(app)
    assert code != 0 and "niet gebouwd" in output
    with pytest.raises(AnchorError):
        open_store("")


# --- reading anchors ----------------------------------------------------------------------


def test_parse_anchors_reads_lines_a_single_checkpoint_a_list_and_a_receipt(
    app: Flask, world: Any
) -> None:
    a = checkpoint(app)
    write_lines(app, 1)
    b = checkpoint(app)
    assert parse_anchors(a.to_json() + "\n\n" + b.to_json() + "\n", where="f") == [a, b]
    assert parse_anchors(a.to_json(), where="f") == [a]
    assert parse_anchors(json.dumps([a.to_dict(), b.to_dict()], indent=2), where="f") == [a, b]
    receipt = json.dumps({"logboek": [], "controlepunt": {**b.to_dict(), "uitleg": "…"}}, indent=2)
    assert parse_anchors(receipt, where="f") == [b]
    assert parse_anchors("", where="f") == []
    with pytest.raises(AnchorError, match="regel 2 van f"):
        parse_anchors(a.to_json() + "\n" + '{"seq": 1}\n', where="f")


def test_file_store_appends_with_o_append(tmp_path: Path) -> None:
    """Appending never rewrites: what is there stays byte for byte, also text of another writer
    (the store opens the file append-only, so chattr +a or a WORM volume does not stop it)."""
    import datetime as dt

    path = tmp_path / "sub" / "ankers.jsonl"
    store = FileAnchorStore(path)
    assert store.read() == []
    cp = Checkpoint(3, "a" * 64, dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC), None, "b" * 64)
    store.append(cp)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    os.write(fd, (cp.to_json() + "\n").encode())
    os.close(fd)
    store.append(cp)
    assert store.read() == [cp, cp, cp]


def test_in_production_verify_fails_without_anchors(app: Flask, world: Any) -> None:
    """An empty or missing store cannot show a rollback: production fails closed (development
    only warns); --zonder-ankers is the explicit way to check the chain alone."""
    app.config["EENPLAN_ENV"] = "production"
    store_path(app).unlink(missing_ok=True)
    code, output = cli_verify(app)
    assert code == 1 and "leeg of ontbreekt" in output, output
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--zonder-ankers"])
    assert result.exit_code == 0, result.output
    app.config["EENPLAN_ENV"] = "development"
    code, output = cli_verify(app)
    assert code == 0 and "Let op: de ankeropslag" in output, output


def test_in_production_verify_fails_when_the_newest_anchor_is_too_old(
    app: Flask, world: Any
) -> None:
    app.config["EENPLAN_ENV"] = "production"
    assert cli_checkpoint(app)[0] == 0
    assert cli_verify(app)[0] == 0
    set_offset(dt.timedelta(hours=26))
    try:
        code, output = cli_verify(app)
    finally:
        set_offset(dt.timedelta(0))
    assert code == 1 and "uur oud" in output, output
