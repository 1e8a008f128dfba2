"""Retention enforced (issue 17, item 5): `flask retention run` destroys closed plans past the
register's structured term, with everything that hangs off them, keeps a content-free
tombstone and a "delete" line, and the logboek still verifies. The clock is moved
(app/clock.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from app import clock
from app.db import Base, get_database, session
from app.domain import Verwerkingsactiviteit
from app.logboek import unit_of_work
from app.vernietiging import plannen
from app.vernietiging.termijn import Bewaartermijn, Gebeurtenis, OngeldigeTermijn, termijn_van
from audit import Actor, Checkpoint, Entry, Subject, TraceContext
from audit import schema as audit_schema
from tests.conftest import head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World

REGIE = Verwerkingsactiviteit.REGIE
UTC = dt.UTC


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.set_offset(dt.timedelta(0))
    yield
    clock.set_offset(dt.timedelta(0))


def test_a_term_is_years_and_months_after_an_event() -> None:
    term = Bewaartermijn.parse('{"jaren": 5, "maanden": 0, "na": "plan-afgesloten"}')
    assert term == Bewaartermijn(5, 0, Gebeurtenis.PLAN_AFGESLOTEN)
    moment = dt.datetime(2031, 3, 1, 12, tzinfo=UTC)
    assert term.grens(moment) == dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert term.omschrijving() == "5 jaar na afsluiten van het plan"
    six = Bewaartermijn.parse('{"maanden": 6, "na": "signaal-ontvangen"}')
    assert six is not None
    # 31 August minus six months: the last day of February.
    assert six.grens(dt.datetime(2027, 8, 31, tzinfo=UTC)) == dt.datetime(2027, 2, 28, tzinfo=UTC)
    assert six.verloopt(dt.datetime(2027, 2, 28, tzinfo=UTC)) == dt.datetime(
        2027, 8, 28, tzinfo=UTC
    )
    assert Bewaartermijn.parse(None) is None
    youth = Bewaartermijn.parse(
        '{"jaren": 5, "maanden": 0, "na": "plan-afgesloten", "jeugdhulp_jaren": 20}'
    )
    assert youth is not None
    assert youth.grens_jeugdhulp(moment) == dt.datetime(2011, 3, 1, 12, tzinfo=UTC)
    assert youth.omschrijving_voor(True) == "20 jaar na afsluiten van het plan (jeugdhulp)"
    assert youth.omschrijving_voor(False) == "5 jaar na afsluiten van het plan"
    for bad in (
        '{"jaren": 0, "na": "plan-afgesloten"}',
        '{"jaren": 1, "na": "ooit"}',
        "5 jaar",
        '{"jaren": 5, "na": "plan-afgesloten", "jeugdhulp_jaren": 2}',
    ):
        with pytest.raises(OngeldigeTermijn):
            Bewaartermijn.parse(bad)


def test_every_register_entry_has_a_structured_term(app: Flask) -> None:
    with app.app_context():
        register = app.extensions["eenplan_logboek"].register
        for version in register.current(session.connection()):
            assert Bewaartermijn.parse(version.retention_term) is not None, version.key
        assert termijn_van(session.connection(), REGIE) == Bewaartermijn(
            5, 0, Gebeurtenis.PLAN_AFGESLOTEN, jeugdhulp_jaren=20
        )
        # A new version that does not name the term keeps it.
        register.save(session.connection(), REGIE, changed_by="test", purpose="Een nieuw doel.")
        assert termijn_van(session.connection(), REGIE) == Bewaartermijn(
            5, 0, Gebeurtenis.PLAN_AFGESLOTEN, jeugdhulp_jaren=20
        )


def test_every_table_that_refers_to_a_plan_goes_with_it(tmp_path: Path) -> None:
    """A new table with a plan_id (or below one) must be added to the destruction."""
    from app import create_app

    create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)})  # every model
    covered = {
        *plannen.PLAN_TABLES,
        *plannen.GESPREK_TABLES,
        *plannen.AFWEGING_TABLES,
        "gesprek",
        "afweging",
        "vroegsignaal",  # forgotten (tombstone), not deleted
    }
    owned = {"plan"}
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in owned:
                continue
            if any(fk.column.table.name in owned for fk in table.foreign_keys):
                owned.add(table.name)
                changed = True
    assert owned - {"plan"} <= covered, owned - {"plan"} - covered


def _counts(app: Flask, plan_id: int) -> dict[str, int]:
    with app.app_context(), get_database().engine.connect() as conn:
        out = {}
        for name in (*plannen.PLAN_TABLES, "gesprek"):
            out[name] = conn.execute(
                text(f"SELECT count(*) FROM {name} WHERE plan_id = :p"), {"p": plan_id}
            ).scalar_one()
        out["plan"] = conn.execute(
            text("SELECT count(*) FROM plan WHERE id = :p"), {"p": plan_id}
        ).scalar_one()
        out["afweging"] = conn.execute(
            text("SELECT count(*) FROM afweging WHERE plan_id = :p"), {"p": plan_id}
        ).scalar_one()
        return out


def _close(app: Flask, world: World, plan: str) -> None:
    from app.plans.models import Plan
    from app.plans.services import close_plan
    from app.users.models import User

    with app.app_context(), unit_of_work(session, REGIE, name="test.afsluiten"):
        p = session.get(Plan, world.plans[plan])
        assert p is not None
        close_plan(
            p,
            actor=session.get(User, world.users["reg1"]),
            reason="doelen_bereikt",
            note=None,
            expected_version=None,
        )


def _cli(app: Flask, *args: str) -> list[Any]:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.strip().splitlines()]


def _years_later(years: int, days: int = 0) -> None:
    clock.set_offset(dt.timedelta(days=365 * years + years // 4 + 1 + days))


def test_retention_run_destroys_a_closed_plan_after_its_term(app: Flask, world: World) -> None:
    """Plan c (no youth care) goes after 5 years; plan a (youth care took part) after 20."""
    plan_a, plan_b, plan_c = world.plans["a"], world.plans["b"], world.plans["c"]
    with app.app_context():  # the afweging that led to the plan goes with it
        session.execute(
            text("UPDATE afweging SET plan_id = :p WHERE id = :a"),
            {"p": plan_a, "a": world.afwegingen["dirk"]},
        )
        session.commit()
    _close(app, world, "a")
    _close(app, world, "c")
    before_a, before_b = _counts(app, plan_a), _counts(app, plan_b)
    assert before_a["activity"] and before_a["plan_comment"] and before_a["bericht_bijlage"]
    assert before_a["bericht"] and before_a["gesprek"] and before_a["afweging"]

    # Four years on: nothing is due, nothing goes.
    _years_later(4)
    assert _cli(app, "--dry-run") == [{"zouVernietigen": {"plannen": 0, "logregels": 0}}]
    assert _cli(app) == [{"vernietigd": {"plannen": 0, "logregels": 0}}]
    assert _counts(app, plan_a) == before_a

    # Five years and a day: the dry run lists plan c and changes nothing; plan a is held for
    # the youth-care term.
    _years_later(5, days=1)
    seq = head_seq(app)
    listed = _cli(app, "--dry-run")
    assert [row.get("plan") for row in listed[:-1]] == [plan_c]
    assert listed[-1] == {
        "zouVernietigen": {"plannen": 1, "vastgehoudenJeugdhulp": 1, "logregels": 0}
    }
    assert _counts(app, plan_a) == before_a and head_seq(app) == seq
    (summary,) = _cli(app)
    assert summary["vernietigd"]["plannen"] == 1
    assert _counts(app, plan_c)["plan"] == 0 and _counts(app, plan_a) == before_a

    # Twenty years and a day: plan a goes too.
    _years_later(20, days=1)
    seq = head_seq(app)
    listed = _cli(app, "--dry-run")
    assert [row.get("plan") for row in listed[:-1]] == [plan_a]

    (summary,) = _cli(app, "--batch", "1")
    assert summary["vernietigd"]["plannen"] == 1
    assert summary["vernietigd"]["activiteiten"] == before_a["activity"]
    assert summary["vernietigd"]["bijlagen"] == before_a["bericht_bijlage"]
    assert summary["vernietigd"]["afwegingen"] == before_a["afweging"] >= 1
    assert all(n == 0 for n in _counts(app, plan_a).values())
    assert _counts(app, plan_b) == before_b  # an open plan stays

    with app.app_context(), get_database().engine.connect() as conn:
        # The attachment's bytes are gone with their row (no files on disk: they live in it).
        assert not conn.execute(
            text("SELECT count(*) FROM bericht_bijlage WHERE id = :b"),
            {"b": world.bijlagen["a_pdf"]},
        ).scalar_one()
        # The afweging's signal is forgotten, as the purge forgets: a tombstone.
        signal = conn.execute(
            text("SELECT bsn, inhoud, verwijderd_op, afweging_id FROM vroegsignaal WHERE id = :s"),
            {"s": world.signalen["dirk_cjib"]},
        ).one()
        assert signal.bsn is None and signal.inhoud is None and signal.verwijderd_op is not None
        assert signal.afweging_id is None
        tombs = {
            t["object_id"]: t
            for t in conn.execute(text("SELECT * FROM vernietiging")).mappings().all()
        }
    assert tombs[plan_c]["bewaartermijn"] == "5 jaar na afsluiten van het plan"
    tomb = tombs[plan_a]
    assert tomb["soort"] == "plan" and tomb["verwerking"] == REGIE
    assert tomb["bewaartermijn"] == "20 jaar na afsluiten van het plan (jeugdhulp)"
    aantallen = tomb["aantallen"]
    if isinstance(aantallen, str):
        aantallen = json.loads(aantallen)
    assert aantallen["bijlagen"] == before_a["bericht_bijlage"]
    assert BSN["anna"] not in json.dumps(dict(tomb), default=str)

    lines = [line for line in log_lines(app, seq) if line["name"] == "retention.plan"]
    deletes = [line for line in lines if line["object_type"] == "plan"]
    assert len(deletes) == 1
    assert deletes[0]["action"] == "delete" and deletes[0]["object_id"] == str(plan_a)
    assert deletes[0]["data_subject_id"] == pseudonym(app, BSN["anna"])
    assert deletes[0]["processing_activity_id"] == REGIE
    assert any(line["object_type"] == "vroegsignaal" for line in lines)

    # The logboek still verifies; a second run finds nothing.
    with app.app_context(), get_database().engine.connect() as conn:
        report = app.extensions["eenplan_logboek"].verify(conn)
    assert report.ok, report
    seq = head_seq(app)
    assert _cli(app) == [{"vernietigd": {"plannen": 0, "logregels": 0}}]
    assert head_seq(app) == seq


def test_the_privacy_officer_sees_what_was_destroyed(app: Flask, world: World) -> None:
    _close(app, world, "a")
    _years_later(21)
    _cli(app)
    client = app.test_client()
    login(client, "privacy1")
    seq = head_seq(app)
    page = client.get("/privacy/vernietigingen/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Plan {world.plans['a']}" in html
    assert "20 jaar na afsluiten van het plan (jeugdhulp)" in html
    assert head_seq(app) == seq  # tombstones hold no personal data: nothing to log
    assert client.get("/privacy/vernietigingen/?voor=abc").status_code == 400


def test_the_run_needs_a_structured_term(app: Flask) -> None:
    with app.app_context():
        register = app.extensions["eenplan_logboek"].register
        pa = register.current_version(session.connection(), REGIE)
        assert pa is not None
        versions = audit_schema.processing_activity_version
        session.execute(update(versions).where(versions.c.id == pa.id).values(retention_term=None))
        session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code != 0 and "geen bewaartermijn" in result.output
    with app.app_context():
        assert session.scalar(select(func.count()).select_from(Base.metadata.tables["plan"]))


# --- old logboek lines ------------------------------------------------------------------------

ACTOR = Actor("medewerker", "999", "Test Medewerker", "Regisseur", "Gemeente Teststad")


def _write_lines(app: Flask, n: int) -> None:
    entries = [
        Entry(
            kind="inzage",
            action="view",
            name="test.bekijken",
            actor=ACTOR,
            subjects=(Subject("BSN", BSN["anna"]),),
            processing_activity=REGIE,
            data_categories=("plan",),
            trace=TraceContext.new(),
            object_type="plan",
            object_id=str(i),
        )
        for i in range(n)
    ]
    with app.app_context(), get_database().engine.begin() as conn:
        app.extensions["eenplan_logboek"].record(conn, entries)


def _checkpoint(app: Flask) -> Checkpoint:
    with app.app_context(), get_database().engine.begin() as conn:
        return app.extensions["eenplan_logboek"].checkpoint(conn)  # type: ignore[no-any-return]


def _verify(app: Flask, anchors: list[Checkpoint] | None = None) -> Any:
    with app.app_context(), get_database().engine.connect() as conn:
        return app.extensions["eenplan_logboek"].verify(conn, anchors=anchors or [])


def _lowest(app: Flask) -> int:
    with app.app_context(), get_database().engine.connect() as conn:
        return int(conn.execute(text("SELECT min(seq) FROM audit_log_line")).scalar_one())


def test_log_lines_wait_for_the_data_they_are_about(app: Flask, world: World) -> None:
    """Eight years on, past the log's own term: the world's plans still exist, so no line goes."""
    _write_lines(app, 5)
    _checkpoint(app)
    _years_later(8)
    assert _cli(app, "--dry-run")[-1] == {"zouVernietigen": {"plannen": 0, "logregels": 0}}


def test_old_log_lines_go_after_a_signed_checkpoint(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.vernietiging import logregels

    # Whatever the old lines were about is gone (the rule itself: the test above).
    monkeypatch.setattr(logregels, "_oldest_kept", lambda: None)
    _write_lines(app, 30)
    floor = _checkpoint(app)
    _write_lines(app, 10)  # after the checkpoint: they stay, whatever their age
    _years_later(7, days=1)
    _write_lines(app, 5)
    last = _checkpoint(app)
    head = head_seq(app)
    assert _cli(app, "--dry-run")[-1] == {
        "zouVernietigen": {"plannen": 0, "logregels": floor.seq, "totEnMetRegel": floor.seq}
    }
    assert _lowest(app) == 1

    assert _cli(app, "--regels-batch", "7") == [
        {"vernietigd": {"plannen": 0, "logregels": floor.seq}}
    ]
    assert _lowest(app) == floor.seq + 1 and head_seq(app) == head
    report = _verify(app, anchors=[floor, last])
    assert report.ok, report
    assert report.lines_checked == head - floor.seq
    with app.app_context(), get_database().engine.connect() as conn:  # ranges in workers too
        parallel = app.extensions["eenplan_logboek"].verify(conn, workers=2)
    assert parallel.ok and parallel.lines_checked == head - floor.seq, parallel
    assert _cli(app) == [{"vernietigd": {"plannen": 0, "logregels": 0}}]  # idempotent

    with app.app_context(), get_database().engine.connect() as conn:
        tomb = (
            conn.execute(text("SELECT * FROM vernietiging WHERE soort = 'logregels'"))
            .mappings()
            .one()
        )
    assert tomb["object_id"] == floor.seq and tomb["verwerking"] == "toezicht-logboek"
    client = app.test_client()
    login(client, "privacy1")
    html = client.get("/privacy/vernietigingen/").get_data(as_text=True)
    assert f"Logboek: regels tot en met {floor.seq}" in html and f"{floor.seq} logregels" in html

    # A line above the floor still cannot be deleted, not even by the application.
    with app.app_context(), get_database().engine.connect() as conn:
        with pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM audit_log_line WHERE seq = :s"), {"s": floor.seq + 1})
        conn.rollback()

    # A floor written without the chain key is found out; so is one moved up behind its back.
    with app.app_context(), get_database().engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_retention (floor_seq, line_hash, checkpoint_mac, destroyed_at, mac) "
                "VALUES (:s, :h, :c, :t, :m)"
            ),
            {"s": last.seq, "h": last.line_hash, "c": last.mac, "t": clock.now(), "m": "0" * 64},
        )
    report = _verify(app)
    assert not report.ok and "vernietigingsgrens" in (report.problem or "")


def test_lines_deleted_without_a_floor_are_missing(app: Flask, world: World) -> None:
    _write_lines(app, 10)
    _checkpoint(app)
    with app.app_context(), get_database().engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log_line DISABLE TRIGGER USER"))
            conn.execute(text("DELETE FROM audit_log_line WHERE seq <= 3"))
            conn.execute(text("ALTER TABLE audit_log_line ENABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_line_no_delete"))
            conn.execute(text("DELETE FROM audit_log_line WHERE seq <= 3"))
    report = _verify(app)
    assert not report.ok and report.first_broken_seq == 1


@pytest.mark.postgres_only
def test_two_runs_at_once_destroy_each_plan_once(app: Flask, world: World) -> None:
    import threading

    _close(app, world, "a")
    _close(app, world, "b")
    _years_later(21)
    seq = head_seq(app)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            with app.app_context():
                barrier.wait()
                plannen.run(batch=1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with app.app_context(), get_database().engine.connect() as conn:
        tombs = conn.execute(
            text("SELECT object_id FROM vernietiging ORDER BY object_id")
        ).scalars()
        assert list(tombs) == sorted([world.plans["a"], world.plans["b"]])
    deletes = [
        line
        for line in log_lines(app, seq)
        if line["name"] == "retention.plan" and line["object_type"] == "plan"
    ]
    assert sorted(int(line["object_id"]) for line in deletes) == sorted(
        [world.plans["a"], world.plans["b"]]
    )
    with app.app_context(), get_database().engine.connect() as conn:
        assert app.extensions["eenplan_logboek"].verify(conn).ok
