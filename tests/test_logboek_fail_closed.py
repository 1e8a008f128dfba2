"""The logboek fails closed: an explicit log call without a ledger raises, and a command line
command that touches personal data runs in a unit of work (and is logged) or fails loudly."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from app import clock
from app.autorisaties import services as autorisaties
from app.autorisaties.models import Vervanging
from app.clock import today
from app.db import session
from app.logboek import NoLedger, record_decision, unit_of_work
from app.logboek.exchanges import plan_shared_with
from app.organisations.models import Organisation
from app.people.models import Person
from app.plans.models import Betrokkenheid, Plan
from app.users.models import User
from audit import Subject
from tests.conftest import head_seq, log_lines, pseudonym
from tests.support.world import BSN, World


def _user(name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def test_plan_shared_with_outside_a_unit_of_work_raises(app: Flask, world: World) -> None:
    before = head_seq(app)
    with app.app_context():
        plan = session.get(Plan, world.plans["a"])
        assert plan is not None
        betrokkenheid = session.scalars(
            select(Betrokkenheid).where(Betrokkenheid.plan_id == plan.id)
        ).first()
        assert betrokkenheid is not None
        with pytest.raises(NoLedger):
            plan_shared_with(plan, betrokkenheid)
        session.rollback()
    assert log_lines(app, before) == []


def test_a_citizens_decision_outside_a_unit_of_work_raises(app: Flask, world: World) -> None:
    before = head_seq(app)
    with app.app_context():
        anna = _user("anna")
        plan = session.get(Plan, world.plans["a"])
        org = session.get(Organisation, world.orgs["jeugdhulp"])
        assert plan is not None and org is not None
        with pytest.raises(NoLedger):
            autorisaties.zet_inzageniveau(plan, org, "buitenkant", actor=anna)
        session.rollback()
    assert log_lines(app, before) == []


def test_standing_in_outside_a_unit_of_work_raises(app: Flask, world: World) -> None:
    """A stand-in's emergency and reason go on every line of the unit of work: none, no stand-in."""
    with app.app_context():
        with pytest.raises(NoLedger):
            autorisaties.start_vervanging(
                _user("reg2"), bsn=BSN["anna"], reden="Collega is vandaag ziek"
            )
        session.rollback()
        assert session.scalars(select(Vervanging)).all().__len__() == 2  # the world's two


def test_record_decision_outside_a_unit_of_work_raises(app: Flask) -> None:
    with app.app_context(), pytest.raises(NoLedger):
        record_decision(
            actor=autorisaties.inwoner_actor(_user("anna")),
            subject=Subject("BSN", BSN["anna"]),
            processing_activity="zeggenschap-inwoner",
            name="test.besluit",
            action="update",
            categories=("toestemming",),
            object_type="plan",
            object_id="1",
        )


def test_a_citizens_decision_in_a_unit_of_work_is_logged(app: Flask, world: World) -> None:
    before = head_seq(app)
    with app.app_context():
        anna = _user("anna")
        plan = session.get(Plan, world.plans["a"])
        org = session.get(Organisation, world.orgs["jeugdhulp"])
        assert plan is not None and org is not None
        with autorisaties.als_inwoner(anna):
            autorisaties.zet_inzageniveau(plan, org, "buitenkant", actor=anna)
    rows = [r for r in log_lines(app, before) if r["name"] == "zeggenschap.inzageniveau"]
    assert [(r["actor_type"], r["data_subject_id"]) for r in rows] == [
        ("burger", pseudonym(app, BSN["anna"]))
    ]


# --- command line -----------------------------------------------------------------------------


def _command(app: Flask, name: str, fn: Any) -> None:
    @app.cli.command(name)
    def command() -> None:
        fn()


def test_a_command_reading_personal_data_outside_a_unit_of_work_fails(
    app: Flask, world: World
) -> None:
    _command(app, "test-lees", lambda: session.get(Person, world.persons["anna"]))
    before = head_seq(app)
    result = app.test_cli_runner().invoke(args=["test-lees"])
    assert result.exit_code != 0
    assert isinstance(result.exception, NoLedger)
    assert log_lines(app, before) == []


def test_a_command_changing_personal_data_outside_a_unit_of_work_fails(
    app: Flask, world: World
) -> None:
    def create() -> None:
        session.add(
            Person(bsn="200000003", voornamen="Nieuw", achternaam="Mens", geboortedatum=today())
        )
        session.commit()

    def change() -> None:
        session.execute(
            update(Person).where(Person.id == world.persons["anna"]).values(telefoon="0612345678")
        )
        session.commit()

    _command(app, "test-nieuw", create)
    _command(app, "test-wijzig", change)
    before = head_seq(app)
    for name in ("test-nieuw", "test-wijzig"):
        result = app.test_cli_runner().invoke(args=[name])
        assert isinstance(result.exception, NoLedger), name
    with app.app_context():
        assert (
            session.execute(
                select(Person.bsn, Person.telefoon)
                .where((Person.bsn == "200000003") | (Person.telefoon == "0612345678"))
                .execution_options(audit_internal=True)
            ).all()
            == []
        )
    assert log_lines(app, before) == []


def test_a_command_in_a_unit_of_work_is_logged(app: Flask, world: World) -> None:
    def read() -> None:
        with unit_of_work(session, "regie-multiproblematiek", name="test.lees"):
            session.get(Person, world.persons["anna"])

    _command(app, "test-lees-goed", read)
    before = head_seq(app)
    result = app.test_cli_runner().invoke(args=["test-lees-goed"])
    assert result.exit_code == 0, result.output
    rows = log_lines(app, before)
    assert [(r["action"], r["name"], r["actor_type"], r["data_subject_id"]) for r in rows] == [
        ("view", "test.lees", "systeem", pseudonym(app, BSN["anna"]))
    ]


def test_signals_purge_command_logs_each_signal_forgotten(app: Flask, world: World) -> None:
    before = head_seq(app)
    clock.set_offset(dt.timedelta(days=184))
    try:
        result = app.test_cli_runner().invoke(args=["signals", "purge"])
    finally:
        clock.set_offset(dt.timedelta(0))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["verwijderd"] == 2
    rows = log_lines(app, before)
    assert [(r["action"], r["object_type"], r["name"]) for r in rows] == [
        ("delete", "vroegsignaal", "signalen.purge")
    ] * 2
    # The world's melding about Kees and its Toeslagen signal about a BSN nobody in Eenplan has.
    assert {r["data_subject_id"] for r in rows} == {
        pseudonym(app, BSN["kees"]),
        pseudonym(app, BSN["nieuw"]),
    }
