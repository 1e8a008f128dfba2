"""The menu's counts (app.access.statements): their statements are built once per user and day
and kept; the counts still come fresh from the database, a new day or another user builds anew,
and a change of what the rules read from a user (roles, organisation) changes the key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import clock
from app.access import statements
from app.db import session
from app.domain import Rol
from app.logboek import unit_of_work
from app.plans import werklijst_vlaggen
from app.plans.models import Activity
from app.users.models import User
from tests.support.world import World


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dt.date]]:
    """Each time the werklijst's flag conditions are built, the day they were built for."""
    seen: list[dt.date] = []
    original = werklijst_vlaggen.conditions

    def counting(user: User, day: dt.date | None = None) -> dict[str, Any]:
        seen.append(day or clock.today())
        return original(user, day)

    monkeypatch.setattr(werklijst_vlaggen, "conditions", counting)
    yield seen
    clock.set_offset(dt.timedelta(0))


def _user(username: str) -> User:
    return session.query(User).filter_by(username=username).one()


def _end_today(activity_id: int) -> None:
    with unit_of_work(session, "regie-multiproblematiek", name="test.einddatum"):
        a = session.get(Activity, activity_id)
        assert a is not None
        a.end_date, a.afgerond = clock.today(), False
    session.commit()


def test_the_flag_counts_are_built_once_a_day_and_counted_fresh(
    app: Flask, world: World, builds: list[dt.date]
) -> None:
    with app.test_request_context("/"):
        reg1 = _user("reg1")
        first = werklijst_vlaggen.tellingen(reg1)
        assert werklijst_vlaggen.tellingen(reg1) == first
        assert len(builds) == 1  # kept

        # An activity that ends today is not yet over its end date...
        _end_today(world.activities["a_schuld"])
        assert werklijst_vlaggen.tellingen(reg1).get("verlopen", 0) == first.get("verlopen", 0)
        # ...tomorrow it is: a new day builds anew (the date is in the statement).
        clock.set_offset(dt.timedelta(days=1))
        tomorrow = werklijst_vlaggen.tellingen(reg1)
        assert tomorrow.get("verlopen", 0) == first.get("verlopen", 0) + 1
        assert builds == [builds[0], builds[0] + dt.timedelta(days=1)]

        # The data is read fresh each time: done, it no longer counts, without a new build.
        with unit_of_work(session, "regie-multiproblematiek", name="test.afgerond"):
            a = session.get(Activity, world.activities["a_schuld"])
            assert a is not None
            a.afgerond = True
        session.commit()
        assert werklijst_vlaggen.tellingen(reg1).get("verlopen", 0) == first.get("verlopen", 0)
        assert len(builds) == 2

        # Another regisseur has statements of their own.
        werklijst_vlaggen.tellingen(_user("reg2"))
        assert len(builds) == 3


def test_the_unread_count_is_built_once_a_day_per_user(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.berichten import services

    built: list[int] = []
    original = services.gesprekken_of

    def counting(user: User, **kw: Any) -> Any:
        built.append(user.id)
        return original(user, **kw)

    monkeypatch.setattr(services, "gesprekken_of", counting)
    try:
        with app.test_request_context("/"):
            hulp1, reg1 = _user("hulp1"), _user("reg1")
            first = services.ongelezen_totaal(hulp1)
            assert services.ongelezen_totaal(hulp1) == first
            assert built == [hulp1.id]
            services.ongelezen_totaal(reg1)
            assert built == [hulp1.id, reg1.id]
            clock.set_offset(dt.timedelta(days=1))
            services.ongelezen_totaal(hulp1)
            assert built == [hulp1.id, reg1.id, hulp1.id]
    finally:
        clock.set_offset(dt.timedelta(0))


def test_what_the_rules_read_from_a_user_is_in_the_key(app: Flask, world: World) -> None:
    with app.test_request_context("/"):
        reg1, hulp1 = _user("reg1"), _user("hulp1")
        key = statements.user_key(reg1)
        assert key != statements.user_key(_user("reg2"))
        assert statements.user_key(hulp1)[4] is False  # not a municipality
        assert key[4] is True
        reg1.role_rows[0].role = Rol.HULPVERLENER.value
        assert statements.user_key(reg1) != key
        session.rollback()
        reg1 = _user("reg1")
        assert statements.user_key(reg1) == key
        reg1.organisation_id = hulp1.organisation_id
        assert statements.user_key(reg1) != key
        session.rollback()


def test_kept_statements_are_bounded(app: Flask, world: World) -> None:
    with app.app_context():
        kept = statements._Kept(2)
        for n in range(5):
            kept.put(("s", n), object())
        assert list(kept.items) == [("s", 3), ("s", 4)]
        assert kept.get(("s", 3)) is not None  # used: now the newest
        kept.put(("s", 5), object())
        assert list(kept.items) == [("s", 3), ("s", 5)]
