"""The demo data set (demo/) lives outside the production package and refuses production."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.db import session
from app.organisations.models import Organisation
from demo import NotInProduction, load_demo
from tests.support.world import World


def _organisations(app: Flask) -> int:
    with app.app_context():
        n = session.scalar(select(func.count(Organisation.id)))
        session.rollback()
    return int(n or 0)


def test_the_demo_commands_refuse_production(app: Flask, world: World) -> None:
    before = _organisations(app)
    app.config["EENPLAN_ENV"] = "production"
    runner = app.test_cli_runner()
    for args in (["demo", "--reset", "--persons", "5"], ["demo-inwoners"], ["demo-code", "reg1"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert "EENPLAN_ENV" in result.output
    assert "niet in productie" in runner.invoke(args=["demo", "--reset"]).output
    with app.app_context(), pytest.raises(NotInProduction):
        load_demo(persons=5)
    assert _organisations(app) == before


def test_the_demo_command_does_not_load_twice(app: Flask, world: World) -> None:
    out = app.test_cli_runner().invoke(args=["demo"])
    assert out.exit_code == 0
    assert "niet opnieuw geladen" in out.output


def test_the_demo_world_is_believable(app: Flask, world: World) -> None:
    """Issue 19: no debt signals for a ten-year-old or a baby. Arrears, evictions and the
    school's concern are about adults (a school's signal about a child, as in the test world,
    is believable)."""
    from app.clock import today
    from app.people.models import Person
    from app.signalen.models import Vroegsignaal

    app.config["EENPLAN_ENV"] = "development"
    with app.app_context():
        load_demo(persons=120)
        session.commit()
        rows = session.execute(
            select(Vroegsignaal.categorie, Person.geboortedatum).join(
                Person, Person.id == Vroegsignaal.person_id
            )
        ).all()
        session.rollback()
    assert len(rows) >= 10
    day = today()
    ages = [(cat, (day - born).days // 365) for cat, born in rows]
    debts = [a for a in ages if a[0] in ("betalingsachterstand", "dreigende_uitzetting")]
    assert len(debts) >= 8
    assert [a for a in debts if a[1] < 18] == [], ages
