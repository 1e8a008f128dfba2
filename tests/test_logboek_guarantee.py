"""The logboek's promise: no personal data leaves without its line, committed first."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.db import get_database, session
from app.plans.models import Activity
from app.security import tracing
from audit import LogboekError
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN


def _break_logboek(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    logboek = app.extensions["eenplan_logboek"]

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise LogboekError("schijf vol")

    monkeypatch.setattr(logboek, "record", fail)


def test_failing_log_write_shows_no_personal_data(app, client, world, monkeypatch) -> None:
    login(client, "reg1")
    _break_logboek(app, monkeypatch)
    resp = client.get(f"/plannen/{world.plans['a']}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert "Er ging iets mis" in body
    for text_ in ("Anna", "Aalders", BSN["anna"], "Schuldenoverzicht", "Teststraat"):
        assert text_ not in body


def test_failing_log_write_in_the_api_returns_no_data(app, client, world, monkeypatch) -> None:
    _break_logboek(app, monkeypatch)
    resp = client.get(
        f"/api/v1/plannen/{world.plans['a']}",
        headers={"Authorization": f"Bearer {world.tokens['reg1']}"},
    )
    assert resp.status_code == 500 and resp.mimetype == "application/problem+json"
    assert "Anna" not in resp.get_data(as_text=True) and BSN["anna"] not in resp.get_data(
        as_text=True
    )


def test_failing_log_write_rolls_back_the_change(app, client, world, monkeypatch) -> None:
    login(client, "reg1")
    path = f"/plannen/{world.plans['a']}/activiteiten/nieuw"
    token = csrf_token(client, path)
    _break_logboek(app, monkeypatch)
    resp = client.post(
        path,
        data={
            "csrf_token": token,
            "aard": "gesprek",
            "omschrijving": "Mag niet blijven staan",
            "uitvoerder_soort": "huishouden",
            "start_date": "2026-01-01",
        },
    )
    assert resp.status_code == 500
    with app.app_context():
        found = session.scalars(
            select(Activity).where(Activity.omschrijving == "Mag niet blijven staan")
        ).all()
    assert found == []


def test_a_real_database_failure_during_the_log_write_also_fails_closed(app, client, world) -> None:
    """Not a mock: the database itself refuses the log insert."""
    login(client, "reg1")
    with app.app_context(), get_database().engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("""
                CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'weigering'; END; $$ LANGUAGE plpgsql
            """)
            )
            conn.execute(
                text(
                    "CREATE TRIGGER test_refuse BEFORE INSERT ON audit_log_line FOR EACH ROW EXECUTE FUNCTION test_refuse()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER test_refuse BEFORE INSERT ON audit_log_line BEGIN SELECT RAISE(ABORT, 'weigering'); END"
                )
            )
    resp = client.get(f"/plannen/{world.plans['a']}")
    assert resp.status_code == 500
    assert "Anna" not in resp.get_data(as_text=True)


def test_view_without_declared_verwerking_fails_closed(app, world) -> None:
    from app.people.models import Person

    def leaky() -> str:
        p = session.get(Person, world.persons["anna"])
        return f"{p.voornamen} {p.bsn}"

    app.add_url_rule("/test-lek", "test_lek", leaky)
    client = app.test_client()
    login(client, "reg1")
    resp = client.get("/test-lek")
    assert resp.status_code == 500
    assert "Anna" not in resp.get_data(as_text=True)
    assert log_lines(app) == [] or all(r["name"] != "test_lek" for r in log_lines(app))


def test_bare_column_select_of_personal_data_is_refused(app, world, caplog) -> None:
    from app.people.models import Person

    def sneaky() -> str:
        row = session.execute(select(Person.voornamen, Person.bsn)).first()
        return str(row)

    app.add_url_rule("/test-kolommen", "test_kolommen", sneaky)
    client = app.test_client()
    login(client, "reg1")
    resp = client.get("/test-kolommen")
    assert resp.status_code == 500
    assert "ColumnLevelPersonalDataRead" in caplog.text
    assert BSN["anna"] not in resp.get_data(as_text=True) and "Anna" not in resp.get_data(
        as_text=True
    )


def test_lines_are_committed_when_the_response_arrives(app, client, world) -> None:
    login(client, "reg1")
    before = head_seq(app)
    resp = client.get(f"/plannen/{world.plans['a']}")
    assert resp.status_code == 200
    # Read through a separate connection: the lines are there, committed.
    rows = log_lines(app, before)
    assert {r["data_subject_id"] for r in rows} >= {pseudonym(app, BSN["anna"])}
    assert all(r["trace_id"] == rows[0]["trace_id"] for r in rows)


def test_incoming_traceparent_is_continued_from_a_trusted_network(app, client, world) -> None:
    # Only a trusted caller's trace is continued (untrusted: tests/test_security_trace.py).
    app.config["EENPLAN_TRACE_TRUSTED_NETWORKS"] = ["127.0.0.0/8"]
    tracing.init_app(app)
    login(client, "reg1")
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    before = head_seq(app)
    resp = client.get(
        f"/plannen/{world.plans['a']}", headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"}
    )
    rows = log_lines(app, before)
    assert rows and all(
        r["trace_id"] == trace and r["parent_span_id"] == "00f067aa0ba902b7" for r in rows
    )
    assert resp.headers["traceresponse"].startswith(f"00-{trace}-")


def test_log_table_holds_no_bsn_and_no_citizen_names(app, client, world) -> None:
    login(client, "reg1")
    client.get(f"/plannen/{world.plans['a']}")
    client.get("/plannen")
    dump = "\n".join(str(r) for r in log_lines(app))
    for bsn in BSN.values():
        assert bsn not in dump
    for name in ("Anna", "Aalders", "Bram", "Kees"):
        assert name not in dump


def test_log_line_fields(app, client, world) -> None:
    login(client, "reg1")
    before = head_seq(app)
    client.get(f"/plannen/{world.plans['a']}")
    anna = [
        r for r in log_lines(app, before) if r["data_subject_id"] == pseudonym(app, BSN["anna"])
    ][0]
    assert anna["kind"] == "inzage" and anna["action"] == "view"
    assert anna["data_subject_id_type"] == "BSN"
    assert anna["actor_type"] == "medewerker" and anna["actor_name"] == "Regina Eerste"
    assert anna["actor_role"] == "Regisseur" and anna["actor_organisation"] == "Gemeente Teststad"
    assert anna["object_type"] == "plan" and anna["object_id"] == str(world.plans["a"])
    assert anna["processing_activity_id"] == "regie-multiproblematiek"
    assert anna["name"] == "plan.bekijken"
    assert len(anna["trace_id"]) == 32 and len(anna["span_id"]) == 16
    assert anna["emergency"] in (False, 0)


def test_mandated_regisseur_acts_namens_the_municipality(app, world) -> None:
    """A regisseur of an organisation with a mandate: the log line says on whose behalf."""
    from app.auth.passwords import hash_password
    from app.people.models import Person
    from app.users.models import User, UserRole
    from tests.support.world import PASSWORD

    with app.app_context():
        u = User(
            username="reg_noord",
            name="Nora Noord",
            organisation_id=world.orgs["regie_noord"],
            password_hash=hash_password(PASSWORD),
        )
        u.role_rows = [UserRole(role="regisseur")]
        session.add(u)
        session.flush()
        frank = session.get(Person, world.persons["frank"])
        from app.organisations.models import Mandaat, Organisation
        from tests.support.world_afweging import plan_na_afweging

        gemeente = session.get(Organisation, world.orgs["gemeente"])
        assert frank is not None and gemeente is not None
        plan, _ = plan_na_afweging(
            frank,
            regisseur=u,
            gemeente=gemeente,
            status="concept",
            mandaat=session.get(Mandaat, world.mandaat),
        )
        session.commit()
        plan_id = plan.id
    client = app.test_client()
    login(client, "reg_noord")
    before = head_seq(app)
    page = client.get(f"/plannen/{plan_id}")
    assert "namens Gemeente Teststad" in page.get_data(as_text=True)
    rows = log_lines(app, before)
    assert rows and all(
        r["actor_mandate"] == "namens Gemeente Teststad (mandaat MB-TEST-1)" for r in rows
    )
    assert all(r["actor_organisation"] == "Regie Noord" for r in rows)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log_line SET actor_name = 'x'", "DELETE FROM audit_log_line"]
)
def test_log_is_append_only_in_the_database(app, client, world, statement: str) -> None:
    login(client, "reg1")
    client.get(f"/plannen/{world.plans['a']}")
    with app.app_context():
        engine = get_database().engine
        with pytest.raises(Exception, match="alleen aan te vullen"), engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.postgres_only
def test_truncate_is_refused_on_postgresql(app, backend) -> None:
    with (
        app.app_context(),
        pytest.raises(Exception, match="alleen aan te vullen"),
        get_database().engine.begin() as conn,
    ):
        conn.execute(text("TRUNCATE audit_log_line"))


def test_register_change_makes_a_new_version_and_old_lines_keep_theirs(app, client, world) -> None:
    from audit import Register

    login(client, "reg1")
    before = head_seq(app)
    client.get(f"/plannen/{world.plans['a']}")
    old = log_lines(app, before)[0]["processing_activity_version_id"]
    with app.app_context(), get_database().engine.begin() as conn:
        v2 = Register().save(
            conn,
            "regie-multiproblematiek",
            changed_by="Bea Beheer",
            retention="7 jaar na afsluiten",
        )
        assert v2.version == 2
    mid = head_seq(app)
    client.get(f"/plannen/{world.plans['a']}")
    new = log_lines(app, mid)[0]["processing_activity_version_id"]
    assert new == v2.id and new != old
    assert log_lines(app, before)[0]["processing_activity_version_id"] == old


def test_chain_verifies_and_detects_an_altered_line(app, client, world) -> None:
    login(client, "reg1")
    for _ in range(3):
        client.get(f"/plannen/{world.plans['a']}")
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context():
        engine = get_database().engine
        with engine.connect() as conn:
            report = logboek.verify(conn)
        assert report.ok and report.lines_checked == head_seq(app)
        # An attacker with database rights changes a line's actor.
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("ALTER TABLE audit_log_line DISABLE TRIGGER USER"))
                conn.execute(
                    text("UPDATE audit_log_line SET actor_name = 'Iemand anders' WHERE seq = 2")
                )
                conn.execute(text("ALTER TABLE audit_log_line ENABLE TRIGGER USER"))
            else:
                conn.execute(text("DROP TRIGGER audit_log_line_no_update"))
                conn.execute(
                    text("UPDATE audit_log_line SET actor_name = 'Iemand anders' WHERE seq = 2")
                )
        with engine.connect() as conn:
            report = logboek.verify(conn)
    assert not report.ok and report.first_broken_seq == 2
