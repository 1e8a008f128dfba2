"""The scheduled indicator command adds only the new lines to a day still going on (issue 17):
what it stores after many runs is exactly what computing the day whole at that moment stores.

Random days: staff open plans at random moments (some at night, some in emergency access, some
outside their caseload, bursts of many persons, now and then a line that commits after lines of
a later moment), and the command runs between them. After the last run the stored indicators and
counts are compared with the day computed whole from its lines.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select

from app import clock
from app.db import session
from app.privacy import indicatoren_opslag
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from tests.routes.facts import PLAN_PERSON
from tests.test_privacy import view

USERS = ("reg1", "reg2", "hulp1", "hulp_ggz")
PLANS = tuple(PLAN_PERSON)
PERSONS = ("anna", "bram", "kees", "dirk", "eva", "frank", "gijs", "ilse", "truus")


@pytest.fixture
def at_time() -> Iterator[Any]:
    def move(local: dt.datetime) -> None:
        target = local.replace(tzinfo=clock.TZ).astimezone(dt.UTC)
        clock.set_offset(dt.timedelta(0))
        clock.set_offset(target - clock.now())

    yield move
    clock.set_offset(dt.timedelta(0))


def _stored(app, dag: dt.date) -> tuple[Any, ...]:
    with app.app_context():
        rij = session.get(IndicatorDag, dag)
        assert rij is not None
        punten = sorted(
            (
                p.soort,
                p.actor_id,
                p.actor_name,
                p.actor_role,
                p.actor_organisation,
                clock.as_utc(p.begin),
                clock.as_utc(p.eind),
                p.regels,
                p.personen,
                p.toelichting,
            )
            for p in session.scalars(
                select(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.dag == dag)
            )
        )
        return rij.regels, rij.tot_seq, dict(rij.per_soort), punten


def _run(app) -> None:
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=1):
            pass


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_adding_the_new_lines_stores_what_computing_the_day_whole_stores(
    app, world, at_time, monkeypatch, seed
) -> None:
    app.config.update(LOGBOEK_VEEL_PERSONEN=3, LOGBOEK_VEEL_MINUTEN=30)
    rng = random.Random(seed)
    dag = clock.today() + dt.timedelta(days=2)
    while dag.weekday() >= 5:
        dag += dt.timedelta(days=1)
    start = dt.datetime.combine(dag, dt.time(5, 30))

    added: list[int] = []
    real = indicatoren_opslag.aanvullen

    def counting(rij: Any, inst: Any) -> int:
        added.append(rij.tot_seq)
        return real(rij, inst)

    monkeypatch.setattr(indicatoren_opslag, "aanvullen", counting)

    # The day before is complete (computed after its midnight and window) before the first
    # run of the day: only then may a run add to the day.
    at_time(start)
    _run(app)
    moment = start
    latest = start
    for step in range(90):
        if rng.random() < 0.1:  # a line that commits after lines of a later moment
            moment = latest - dt.timedelta(minutes=rng.randint(1, 4))
        else:
            moment = latest + dt.timedelta(minutes=rng.choice((0, 1, 2, 3, 5, 8, 20)))
        latest = max(latest, moment)
        at_time(moment)
        user = rng.choice(USERS)
        plan = rng.choice(PLANS)
        persons = tuple(rng.sample(PERSONS, rng.choice((1, 1, 1, 2, 3))))
        view(app, world, user, plan, persons, emergency=rng.random() < 0.05)
        if rng.random() < 0.25 or step == 89:
            at_time(latest)
            _run(app)
    assert latest.date() == dag, "the day's lines stay on the day"
    assert len(added) >= 10  # the runs did add (the first of the day computes whole)

    by_runs = _stored(app, dag)
    with app.app_context():
        session.execute(delete(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.dag == dag))
        session.execute(delete(IndicatorDag).where(IndicatorDag.dag == dag))
        indicatoren_opslag.bereken_dag(dag)
        session.commit()
    whole = _stored(app, dag)
    assert by_runs == whole
    kinds = {p[0] for p in whole[3]}
    # Not a comparison of two empty lists: the random day gives every kind.
    assert kinds >= {"veel-personen", "buiten-kantoortijd", "noodtoegang"}, kinds


def test_other_settings_or_an_unfinished_day_before_mean_the_day_is_computed_whole(
    app, world, at_time, monkeypatch
) -> None:
    dag = clock.today() + dt.timedelta(days=2)
    added: list[dt.date] = []
    real = indicatoren_opslag.aanvullen

    def counting(rij: Any, inst: Any) -> int:
        added.append(rij.dag)
        return real(rij, inst)

    monkeypatch.setattr(indicatoren_opslag, "aanvullen", counting)
    at_time(dt.datetime.combine(dag, dt.time(0, 10)))  # the day before is not complete yet
    view(app, world, "reg1", "a")
    _run(app)
    _run(app)
    assert added == []
    at_time(dt.datetime.combine(dag, dt.time(9, 0)))
    _run(app)  # the day before is complete now, but was not when the day was stored
    assert added == []
    _run(app)
    assert added == [dag]
    app.config.update(LOGBOEK_VEEL_PERSONEN=5)  # other settings: whole again
    _run(app)
    assert added == [dag]
    with app.app_context():
        rij = session.get(IndicatorDag, dag)
        assert rij is not None and rij.instellingen == "7-19-5-60"
    _run(app)
    assert added == [dag, dag]
