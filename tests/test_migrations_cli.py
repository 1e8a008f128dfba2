"""Migrations stay in step with the models; the command line does what the README says."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from stdnum.nl import bsn as stdnum_bsn

from app import create_app, migrate
from app.db import get_database, session
from tests.conftest import _pg_url, base_config, drop_database, scratch_database

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_do_not_drift(app) -> None:
    with app.app_context():
        assert migrate.drift(get_database().engine) == []


@contextmanager
def _empty_app(backend: str, root: Path, name: str) -> Iterator[Flask]:
    """An application on an empty database of its own (a file, or a scratch PostgreSQL
    database), thrown away afterwards."""
    cleanup = None
    if backend == "sqlite":
        url = f"sqlite:///{root / (name + '.sqlite3')}"
    else:
        cleanup = scratch_database(f"eenplan_{name}")
        url = _pg_url(cleanup)
    app = create_app(base_config(root, url))
    try:
        yield app
    finally:
        app.extensions["eenplan_db"].engine.dispose()
        if cleanup:
            drop_database(cleanup)


def test_downgrade_to_base_and_upgrade_on_an_empty_database(backend, _tmp_root, templates) -> None:
    with _empty_app(backend, _tmp_root, "updown") as app:
        migrate.upgrade(app)
        migrate.downgrade(app, "base")
        with app.app_context(), get_database().engine.connect() as conn:
            names = set(conn.dialect.get_table_names(conn))
        assert names <= {"alembic_version"}
        migrate.upgrade(app)
        with app.app_context():
            assert migrate.drift(get_database().engine) == []
            n = session.execute(text("SELECT count(*) FROM audit_processing_activity")).scalar_one()
            assert n >= 5  # the register was seeded


def test_0030_counts_the_stored_indicators_of_each_day(backend, _tmp_root, templates) -> None:
    """The day rows stored before 0030 get their counts per kind from their stored indicators;
    a day without any gets {}."""
    with _empty_app(backend, _tmp_root, "m0030") as app:
        migrate.upgrade(app, "0029_logboek_partities")
        at = "2026-03-02 21:00:00"
        with app.app_context(), get_database().engine.begin() as conn:
            for dag in ("2026-03-02", "2026-03-03"):
                conn.execute(
                    text(
                        "INSERT INTO privacy_indicator_dag (dag, berekend_op, regels, tot_seq) "
                        "VALUES (:dag, :at, 10, 5)"
                    ),
                    {"dag": dag, "at": at},
                )
            for soort in ("buiten-kantoortijd", "buiten-kantoortijd", "noodtoegang"):
                conn.execute(
                    text(
                        "INSERT INTO privacy_aandachtspunt (dag, soort, begin, eind, regels, personen, "
                        "toelichting) VALUES ('2026-03-02', :soort, :at, :at, '1', 1, '')"
                    ),
                    {"soort": soort, "at": at},
                )
        migrate.upgrade(app)
        with app.app_context(), get_database().engine.connect() as conn:
            rows = conn.execute(
                text("SELECT dag, per_soort FROM privacy_indicator_dag ORDER BY dag")
            ).all()
        counts = [json.loads(v) if isinstance(v, str) else v for _dag, v in rows]
        assert counts == [{"buiten-kantoortijd": 2, "noodtoegang": 1}, {}]


def test_0033_counts_the_line_numbers_of_every_stored_case(backend, _tmp_root, templates) -> None:
    """The cases stored before 0033 get their count, first and last line from their text."""
    with _empty_app(backend, _tmp_root, "m0033") as app:
        migrate.upgrade(app, "0032_indicator_dag_instellingen")
        at = "2026-03-02 21:00:00"
        big = ",".join(str(s) for s in range(10**6, 10**6 + 2500, 2))
        # More rows than the migration reads at a time (100): every batch is counted.
        texts = ("7", "3,17,250", big, *(f"{n},{n + 5}" for n in range(150)))
        with app.app_context(), get_database().engine.begin() as conn:
            for regels in texts:
                conn.execute(
                    text(
                        "INSERT INTO privacy_aandachtspunt (dag, soort, begin, eind, regels, personen, "
                        "toelichting) VALUES ('2026-03-02', 'veel-personen', :at, :at, :regels, 1, '')"
                    ),
                    {"regels": regels, "at": at},
                )
        migrate.upgrade(app)
        with app.app_context(), get_database().engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT aantal, eerste_seq, laatste_seq FROM privacy_aandachtspunt ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, 7, 7),
            (3, 3, 250),
            (1250, 10**6, 10**6 + 2498),
            *((2, n, n + 5) for n in range(150)),
        ]


def _flask(args: list[str], url: str, instance: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": url,
        "SECRET_KEY": "k",
        "AUDIT_SUBJECT_KEY": "s",
        "AUDIT_CHAIN_KEY": "c",
        # Not the checkout's own instance/ store: this database's anchors only.
        "AUDIT_ANCHOR_STORE": str(
            instance / f"ankers-{hashlib.sha256(url.encode()).hexdigest()[:16]}.jsonl"
        ),
        "EENPLAN_ARGON2_PROFILE": "test",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_cli_upgrade_demo_users_tokens(db_url, backend, _tmp_root) -> None:
    # A fresh, empty database for the demo.
    scratch = None
    if backend == "sqlite":
        url = f"sqlite:///{_tmp_root / 'cli-demo.sqlite3'}"
    else:
        scratch = scratch_database("eenplan_cli")
        url = _pg_url(scratch)
    up = _flask(["db", "upgrade"], url, _tmp_root)
    assert up.returncode == 0, up.stderr
    assert _flask(["db", "check"], url, _tmp_root).returncode == 0
    demo = _flask(["demo"], url, _tmp_root)
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout)
    assert summary["personen"] >= 300 and summary["plannen"] >= 40
    again = _flask(["demo"], url, _tmp_root)
    assert again.returncode == 0 and "niet opnieuw geladen" in again.stdout

    app = create_app(base_config(_tmp_root, url))
    with app.app_context():
        from app.people.models import Person
        from app.plans.models import Activity, Gezinslink, Plan

        bsns = session.scalars(select(Person.bsn).execution_options(audit_internal=True)).all()
        assert all(stdnum_bsn.is_valid(b) and len(b) == 9 for b in bsns)
        statuses = set(session.scalars(select(Plan.status).execution_options(audit_internal=True)))
        assert statuses == {"concept", "actief", "afgesloten"}
        bases = set(session.scalars(select(Plan.basis).execution_options(audit_internal=True)))
        assert bases == {"multiproblematiek", "toestemming"}
        # Multiproblematiek through an afweging (issue 13), except two plans "from before".
        zonder_weging = session.execute(
            select(func.count(Plan.id))
            .where(Plan.basis == "multiproblematiek", Plan.afweging_id.is_(None))
            .execution_options(audit_internal=True)
        ).scalar_one()
        met_weging = session.execute(
            select(func.count(Plan.id))
            .where(Plan.afweging_id.is_not(None))
            .execution_options(audit_internal=True)
        ).scalar_one()
        assert zonder_weging == 2 and met_weging > 10
        assert (
            session.execute(
                select(func.count(Activity.id)).execution_options(audit_internal=True)
            ).scalar_one()
            > 100
        )
        assert (
            session.execute(
                select(func.count(Gezinslink.id)).execution_options(audit_internal=True)
            ).scalar_one()
            > 100
        )
    app.extensions["eenplan_db"].engine.dispose()

    users = _flask(["users", "list", "--json"], url, _tmp_root)
    rows = json.loads(users.stdout)
    by_name = {r["username"]: r for r in rows}
    assert by_name["regisseur"]["roles"] == ["regisseur"]
    assert by_name["regisseur"]["organisation"] == "Gemeente Amsterdam"
    assert set(rows[0]) == {"username", "name", "roles", "organisation"}

    token = _flask(["tokens", "create", "regisseur"], url, _tmp_root)
    assert token.returncode == 0 and token.stdout.strip().startswith("ep_")
    assert _flask(["tokens", "create", "bestaatniet"], url, _tmp_root).returncode != 0

    verify = _flask(["audit", "verify"], url, _tmp_root)
    assert verify.returncode == 0 and "Logboek in orde" in verify.stdout
    cp = _flask(["audit", "checkpoint"], url, _tmp_root)
    assert cp.returncode == 0
    assert set(json.loads(cp.stdout)) == {"seq", "line_hash", "created_at", "prev_mac", "mac"}
    anchors = _tmp_root / f"anker-{backend}.jsonl"
    anchors.write_text(cp.stdout, encoding="utf-8")
    verify = _flask(["audit", "verify", "--anker", str(anchors)], url, _tmp_root)
    # The checkpoint went to the anchor store too: checked by default, the file on top.
    assert verify.returncode == 0 and "2 ankers" in verify.stdout, verify.stderr
    assert "1 ankers uit de ankeropslag" in verify.stdout

    # The API answers with the CLI's token, and the demo data is what it returns.
    app = create_app(base_config(_tmp_root, url))
    client = app.test_client()
    resp = client.get(
        "/api/v1/plannen", headers={"Authorization": f"Bearer {token.stdout.strip()}"}
    )
    assert resp.status_code == 200 and resp.get_json()["totalItems"] > 0
    app.extensions["eenplan_db"].engine.dispose()
    if scratch:
        drop_database(scratch)
