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
from typing import Any

import pytest
from sqlalchemy import delete, select

from app import clock
from app.db import get_database, session
from app.privacy import indicatoren_aanvullen, indicatoren_opslag
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from audit import Actor, Entry, Subject, TraceContext
from tests.routes.facts import PLAN_PERSON
from tests.support.world import BSN, STAFF
from tests.test_privacy import ORG, ROLE, view

DAY = dt.timedelta(days=1)

USERS = ("reg1", "reg2", "hulp1", "hulp_ggz")
PLANS = tuple(PLAN_PERSON)
PERSONS = ("anna", "bram", "kees", "dirk", "eva", "frank", "gijs", "ilse", "truus")


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
                # The stored count and range, as written whole or kept up to date by a run.
                p.aantal,
                p.eerste_seq,
                p.laatste_seq,
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


def _request(
    app,
    world,
    user: str,
    items,
    *,
    emergency: bool = False,
    action: str = "view",
    trace: TraceContext | None = None,
    actor_id: str | None = "",
):
    """One request of ``user`` (or its next part: the same ``trace``): a line per (plan, person
    or None)."""
    logboek = app.extensions["eenplan_logboek"]
    actor = Actor(
        "medewerker",
        str(world.users[user]) if actor_id == "" else actor_id,
        STAFF[user][0],
        ROLE[user],
        ORG[user],
    )
    trace = trace or TraceContext.new()
    with app.app_context(), get_database().engine.begin() as conn:
        logboek.record(
            conn,
            [
                Entry(
                    kind="inzage",
                    action=action,
                    name="plan.bekijken",
                    actor=actor,
                    subjects=(Subject("BSN", BSN[person]),) if person else (),
                    processing_activity="regie-multiproblematiek",
                    data_categories=("naw", "plan"),
                    trace=trace,
                    object_type="plan",
                    object_id=str(world.plans[plan]),
                    emergency=emergency,
                    reason="Waarneming" if emergency else None,
                )
                for plan, person in items
            ],
        )


def _whole(app, dag: dt.date) -> tuple[Any, ...]:
    """The day as computing it whole now stores it."""
    with app.app_context():
        session.execute(delete(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.dag == dag))
        session.execute(delete(IndicatorDag).where(IndicatorDag.dag == dag))
        indicatoren_opslag.bereken_dag(dag)
        session.commit()
    return _stored(app, dag)


def _reads(monkeypatch) -> list[int]:
    """A counter of the log lines (and persons) the runs read: set it to 0, read it after."""
    from audit import reader

    read = [0]
    real_scan, real_subjects = reader.scan, reader.subjects

    def scan(conn: Any, f: Any, cols: Any, *, limit: int) -> list[Any]:
        out = real_scan(conn, f, cols, limit=limit)
        read[0] += len(out)
        return out

    def subjects(conn: Any, f: Any) -> set[str]:
        out = real_subjects(conn, f)
        read[0] += len(out)
        return out

    monkeypatch.setattr(reader, "scan", scan)
    monkeypatch.setattr(reader, "subjects", subjects)
    return read


def _eerste_run(app, at_time, *, weekend: bool | None = False) -> dt.date:
    """A day two or more ahead (a weekday, a weekend day, or None: whichever comes first) and
    its first run at 05:30, after the day before is complete: later runs add to it."""
    dag = clock.today() + dt.timedelta(days=2)
    while weekend is not None and (dag.weekday() >= 5) != weekend:
        dag += dt.timedelta(days=1)
    at_time(dt.datetime.combine(dag, dt.time(5, 30)))
    _run(app)
    return dag


def _counting(monkeypatch) -> list[int]:
    added: list[int] = []
    real = indicatoren_aanvullen.aanvullen

    def counting(rij: Any, inst: Any) -> int:
        added.append(rij.tot_seq)
        return real(rij, inst)

    monkeypatch.setattr(indicatoren_aanvullen, "aanvullen", counting)
    return added


@pytest.mark.parametrize("seed", range(16))
def test_adding_the_new_lines_stores_what_computing_the_day_whole_stores(
    app, world, at_time, monkeypatch, seed
) -> None:
    rng = random.Random(seed)
    n, m = ((3, 30), (2, 10), (1, 3), (4, 20))[seed % 4]
    app.config.update(
        LOGBOEK_VEEL_PERSONEN=n,
        LOGBOEK_VEEL_MINUTEN=m,
        LOGBOEK_KANTOOR_VAN=rng.choice((7, 9)),
        LOGBOEK_KANTOOR_TOT=rng.choice((12, 19)),
    )
    dag = clock.today() + dt.timedelta(days=2)
    while (dag.weekday() >= 5) != (seed == 7):  # one a weekend day: every view counts
        dag += dt.timedelta(days=1)
    start = dt.datetime.combine(dag, dt.time(5, 30))
    added = _counting(monkeypatch)

    # The day before is complete (computed after its midnight and window) before the first
    # run of the day: only then may a run add to the day.
    at_time(start)
    _run(app)
    latest = start
    previous: tuple[str, TraceContext, dt.datetime] | None = None
    for step in range(100):
        if rng.random() < 0.12:  # a line that commits after lines of a later moment
            moment = latest - dt.timedelta(minutes=rng.randint(0, 5), seconds=rng.randint(0, 59))
        else:
            moment = latest + dt.timedelta(minutes=rng.choice((0, 0, 1, 2, 3, 5, 8, 20)))
        latest = max(latest, moment)
        at_time(moment)
        kind = rng.random()
        if kind < 0.12:  # a list: several plans in one request
            items = [(p, rng.choice(PERSONS)) for p in rng.sample(PLANS, rng.randint(2, 3))]
        elif kind < 0.18:  # about no one
            items = [(rng.choice(PLANS), None)]
        else:
            plan = rng.choice(PLANS)
            items = [(plan, p) for p in rng.sample(PERSONS, rng.choice((1, 1, 1, 2, 3)))]
        if (
            previous
            and abs(moment - previous[2]) <= dt.timedelta(minutes=3)
            and rng.random() < 0.15
        ):  # a later part of the request before (a request takes less than LIJST_MARGE)
            user, trace, begun = previous
        else:
            user, trace, begun = rng.choice(USERS), TraceContext.new(), moment
        previous = (user, trace, begun)
        _request(
            app,
            world,
            user,
            items,
            emergency=rng.random() < 0.05,
            action="update" if rng.random() < 0.08 else "view",
            trace=trace,
        )
        if rng.random() < 0.3 or step == 99:
            at_time(latest)
            _run(app)
    assert latest.date() == dag, "the day's lines stay on the day"
    assert len(added) >= 10  # the runs did add (the first of the day computes whole)

    by_runs = _stored(app, dag)
    whole = _whole(app, dag)
    assert by_runs == whole
    kinds = {p[0] for p in whole[3]}
    # Not a comparison of two empty lists: the random day gives every kind.
    assert kinds >= {"veel-personen", "buiten-kantoortijd", "noodtoegang"}, kinds


def test_a_late_line_just_after_midnight_does_not_join_a_burst_of_the_day_before(
    app, world, at_time
) -> None:
    """The window before a new line of 00:09 reaches into the day before: its lines are not
    this day's, and a burst of this day never holds them."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=2, LOGBOEK_VEEL_MINUTEN=10)
    dag = clock.today() + dt.timedelta(days=3)
    at_time(dt.datetime.combine(dag - dt.timedelta(days=1), dt.time(23, 59, 59, 500000)))
    _request(app, world, "reg1", [("a", "anna")])
    _request(app, world, "reg1", [("a", "bram")])
    at_time(dt.datetime.combine(dag, dt.time(0, 10, 5)))
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=3):
            pass
    _run(app)
    # A line of 00:09:59.4 that commits after that run read the lines.
    at_time(dt.datetime.combine(dag, dt.time(0, 9, 59, 400000)))
    _request(app, world, "reg1", [("a", "kees")])
    at_time(dt.datetime.combine(dag, dt.time(0, 15)))
    _run(app)
    assert _stored(app, dag) == _whole(app, dag)


@pytest.mark.parametrize("weekend", [False, True])
def test_a_run_reads_the_new_lines_and_the_window_not_the_day(
    app, world, at_time, monkeypatch, weekend
) -> None:
    """Twelve hours of a line a minute (on a weekend day every one counts as outside office
    hours), a run every ten minutes: the last run reads less than half of what computing the
    day whole reads."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=30, LOGBOEK_VEEL_MINUTEN=60)
    read = _reads(monkeypatch)
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time, weekend=weekend)
    t = dt.datetime.combine(dag, dt.time(7, 0))
    for i in range(720):
        at_time(t + dt.timedelta(minutes=i))
        _request(app, world, USERS[i % 4], [(PLANS[i % 5], PERSONS[i % 9])])
        if i % 10 == 9:
            read[0] = 0
            _run(app)
    last_run = read[0]
    assert len(added) == 72
    read[0] = 0
    _whole(app, dag)
    assert 0 < last_run * 2 < read[0], (last_run, read[0])


def test_other_settings_or_an_unfinished_day_before_mean_the_day_is_computed_whole(
    app, world, at_time, monkeypatch
) -> None:
    dag = clock.today() + dt.timedelta(days=2)
    added = _counting(monkeypatch)
    at_time(dt.datetime.combine(dag, dt.time(0, 10)))  # the day before is not complete yet
    view(app, world, "reg1", "a")
    _run(app)
    _run(app)
    assert added == []
    at_time(dt.datetime.combine(dag, dt.time(9, 0)))
    _run(app)  # the day before is complete now, but was not when the day was stored
    assert added == []
    _run(app)
    assert len(added) == 1
    app.config.update(LOGBOEK_VEEL_PERSONEN=5)  # other settings: whole again
    _run(app)
    assert len(added) == 1
    with app.app_context():
        rij = session.get(IndicatorDag, dag)
        assert rij is not None and rij.instellingen == "7-19-5-60"
    _run(app)
    assert len(added) == 2


def test_a_request_written_in_two_parts_is_still_one_indicator(
    app, world, at_time, monkeypatch
) -> None:
    """A long request (one trace and span) whose lines are written two minutes apart, with a
    run in between: one case of emergency access, as when the day is computed whole."""
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time, weekend=None)
    trace = TraceContext.new()
    at_time(dt.datetime.combine(dag, dt.time(10, 0)))
    view(app, world, "hulp1", "a", ("anna",), trace=trace, emergency=True)
    _run(app)
    at_time(dt.datetime.combine(dag, dt.time(10, 2)))
    view(app, world, "hulp1", "a", ("bram",), trace=trace, emergency=True)
    _run(app)
    assert len(added) == 2
    stored = _stored(app, dag)
    assert [p[0] for p in stored[3]].count("noodtoegang") == 1
    assert stored == _whole(app, dag)


def _two_runs_at_once(app, monkeypatch, module: Any, name: str, holds: Any) -> None:
    """Run the command twice at once: the first holds inside ``module.name`` (its first call
    for which ``holds(*args)`` is true) until the second has waited a second for the day's lock;
    neither may fail."""
    import threading

    inside, go = threading.Event(), threading.Event()
    real = getattr(module, name)

    def held(*args: Any) -> Any:
        if not inside.is_set() and holds(*args):
            inside.set()
            assert go.wait(20)
        return real(*args)

    monkeypatch.setattr(module, name, held)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            _run(app)
        except BaseException as exc:  # reported below
            errors.append(exc)

    first = threading.Thread(target=run)
    first.start()
    assert inside.wait(20)
    second = threading.Thread(target=run)
    second.start()
    second.join(1.0)
    assert second.is_alive()  # waiting for the day
    go.set()
    first.join(20)
    second.join(20)
    assert not errors, errors


@pytest.mark.postgres_only
def test_two_runs_at_once_add_each_line_once(app, world, at_time, monkeypatch, backend) -> None:
    """The second run waits for the first (an advisory lock per day) and then adds only what
    the first left; without the lock both would add the same lines."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=2, LOGBOEK_VEEL_MINUTEN=30)
    dag = _eerste_run(app, at_time)
    at_time(dt.datetime.combine(dag, dt.time(6, 0)))
    for person in ("anna", "bram", "kees"):
        view(app, world, "reg1", "a", (person,))
    _run(app)
    at_time(dt.datetime.combine(dag, dt.time(6, 10)))
    for person in ("dirk", "eva"):
        view(app, world, "reg1", "a", (person,))
    view(app, world, "hulp1", "a", ("anna",), emergency=True)

    calls = _counting(monkeypatch)
    _two_runs_at_once(app, monkeypatch, indicatoren_aanvullen, "aanvullen", lambda *_: True)
    assert len(calls) == 2 and calls[1] > calls[0]  # the second began where the first ended
    stored = _stored(app, dag)
    assert [p[0] for p in stored[3]].count("noodtoegang") == 1
    assert stored == _whole(app, dag)


@pytest.mark.parametrize(
    ("minuten", "tweede"),
    [
        (30, [("b", None)]),  # a line about another plan, about no one
        (3, [("b", "kees")]),  # a window shorter than a request may take
    ],
)
def test_a_later_part_about_another_plan_makes_a_request_a_list(
    app, world, at_time, monkeypatch, minuten, tweede
) -> None:
    """A request opens plan a about three persons (a burst), a run, and then the same request
    writes a line about plan b: it is a list, and the burst goes, as when computed whole."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=1, LOGBOEK_VEEL_MINUTEN=minuten)
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time)
    trace = TraceContext.new()
    at_time(dt.datetime.combine(dag, dt.time(10, 0)))
    _request(app, world, "reg1", [("a", "anna"), ("a", "bram"), ("a", "kees")], trace=trace)
    _run(app)
    assert [p[0] for p in _stored(app, dag)[3]] == ["veel-personen"]
    at_time(dt.datetime.combine(dag, dt.time(10, 4)))
    _request(app, world, "reg1", tweede, trace=trace)
    _run(app)
    assert len(added) == 2
    stored = _stored(app, dag)
    assert "veel-personen" not in [p[0] for p in stored[3]]
    assert stored == _whole(app, dag)


def test_a_burst_that_goes_on_counts_a_person_new_when_only_a_list_showed_them_before(
    app, world, at_time, monkeypatch
) -> None:
    """A staff member's burst goes on in the next run; a person a list showed in the burst's
    time is not one of its persons, so a later view of them is a person more — as when the day
    is computed whole. (It caught a shortcut that asked which persons the burst's time held.)"""
    app.config.update(LOGBOEK_VEEL_PERSONEN=2, LOGBOEK_VEEL_MINUTEN=60)
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time)
    for minute, items in (
        (0, [("a", "anna")]),
        (2, [("a", "bram")]),
        (3, [("b", "dirk"), ("c", "dirk")]),  # a list (plans b and c) about dirk: not counted
        (4, [("a", "kees")]),  # the third person: a burst from 10:00 to 10:04
    ):
        at_time(dt.datetime.combine(dag, dt.time(10, minute)))
        _request(app, world, "reg1", items)
    _run(app)
    burst = [p for p in _stored(app, dag)[3] if p[0] == "veel-personen"]
    assert [p[-2] for p in burst] == [3]
    at_time(dt.datetime.combine(dag, dt.time(10, 20)))
    _request(app, world, "reg1", [("d", "dirk")])  # dirk, now on his own: the burst's fourth
    _run(app)
    assert len(added) == 2
    stored = _stored(app, dag)
    burst = [p for p in stored[3] if p[0] == "veel-personen"]
    assert [p[-2] for p in burst] == [4] and "4 verschillende personen" in burst[0][-1]
    assert stored == _whole(app, dag)


def test_a_burst_that_is_over_is_kept_and_not_read_again(app, world, at_time, monkeypatch) -> None:
    """A staff member's half-hour burst is over once their next lines come after its window and
    more than a request's length after its last line: the next run keeps it and reads from a
    request's length before its end, not from its start (the bench's staff are in one burst
    after another all hour); what it stores is what computing the day whole stores."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=2, LOGBOEK_VEEL_MINUTEN=30)
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time)
    start = dt.datetime.combine(dag, dt.time(10, 0))

    def minute(i: int) -> None:
        at_time(start + dt.timedelta(minutes=i))
        _request(app, world, "reg1", [(PLANS[i % 5], PERSONS[i % 9])])

    for i in range(0, 29, 2):  # every other minute, 10:00–10:28: one burst (within its window)
        minute(i)
    _run(app)
    bursts = [p for p in _stored(app, dag)[3] if p[0] == "veel-personen"]
    assert [p[8] for p in bursts] == [15]
    read = _reads(monkeypatch)
    for i in range(36, 40):  # 10:36–10:39: after its window, and 8 minutes after its end
        minute(i)
    _run(app)
    assert len(added) == 2
    # The 4 new lines, then from a request's length (5 minutes) before the burst's end: its
    # lines of 10:24, 10:26 and 10:28, and the new ones again; not the burst's 15.
    assert read[0] == 4 + 3 + 4, read[0]
    stored = _stored(app, dag)
    assert [p[8] for p in stored[3] if p[0] == "veel-personen"] == [15, 4]
    assert stored == _whole(app, dag)


def test_a_staff_line_without_an_id_makes_the_run_compute_the_day_whole(
    app, world, at_time, monkeypatch
) -> None:
    added = _counting(monkeypatch)
    dag = _eerste_run(app, at_time)
    for minute, person in ((40, "anna"), (50, "bram")):
        at_time(dt.datetime.combine(dag, dt.time(5, minute)))
        _request(app, world, "reg1", [("a", person)], emergency=True, actor_id=None)
        _run(app)
    assert len(added) == 2
    stored = _stored(app, dag)
    assert {p[0] for p in stored[3]} >= {"noodtoegang", "buiten-kantoortijd"}
    assert stored == _whole(app, dag)


@pytest.mark.postgres_only
def test_two_first_runs_of_a_day_at_once_store_it_once(
    app, world, at_time, monkeypatch, backend
) -> None:
    """No row yet, so nothing to lock but the day itself: the second run waits for the first
    (an advisory lock per day) and then adds to what the first stored, instead of failing on the
    day's key."""
    dag = clock.today() + dt.timedelta(days=2)
    at_time(dt.datetime.combine(dag - dt.timedelta(days=1), dt.time(22, 0)))
    view(app, world, "reg1", "a")
    at_time(dt.datetime.combine(dag, dt.time(5, 30)))
    view(app, world, "hulp1", "a", emergency=True)

    real = indicatoren_opslag.bereken_dag
    whole: list[dt.date] = []

    def counting(day: dt.date, inst: Any = None) -> int:
        whole.append(day)
        return real(day, inst)

    monkeypatch.setattr(indicatoren_opslag, "bereken_dag", counting)
    added = _counting(monkeypatch)
    _two_runs_at_once(
        app, monkeypatch, indicatoren_opslag, "bereken_dag", lambda day, *_: day == dag
    )
    assert whole.count(dag) == 1 and len(added) == 1  # the second added to the first's row
    stored = _stored(app, dag)
    assert [p[0] for p in stored[3]].count("noodtoegang") == 1
    assert stored == _whole(app, dag)


@pytest.mark.parametrize("van,tot", [(7, 19), (9, 17), (0, 24), (19, 7), (0, 12), (12, 24)])
@pytest.mark.parametrize(
    "dag",
    [
        dt.date(2026, 12, 7),  # a Monday
        dt.date(2026, 12, 6),  # a Sunday
        dt.date(2026, 3, 29),  # summer time begins (a Sunday of 23 hours)
        dt.date(2026, 10, 25),  # summer time ends (a Sunday of 25 hours)
        dt.date(2026, 7, 15),  # a Wednesday in summer time
    ],
)
def test_the_parts_of_a_day_outside_office_hours_are_the_moments_judged_so(dag, van, tot) -> None:
    """The run asks the database for the persons of earlier lines outside office hours by the
    parts of the day (indicators.buiten_kantoor_vensters); every moment of the day is in them
    exactly when buiten_kantoortijd holds for it (each minute, both sides of midnight)."""
    from app.privacy import indicators

    inst = indicators.Instellingen(kantoor_van=van, kantoor_tot=tot)
    vensters = indicators.buiten_kantoor_vensters(dag, inst)
    begin, eind = indicatoren_opslag.begin_van(dag), indicatoren_opslag.begin_van(dag + DAY)
    assert all(begin <= b < e <= eind for b, e in vensters)
    moment, checked = begin, 0
    while moment < eind:
        inside = any(b <= moment < e for b, e in vensters)
        assert inside == indicators.buiten_kantoortijd(moment, inst), moment
        moment += dt.timedelta(minutes=1)
        checked += 1
    assert checked in (23 * 60, 24 * 60, 25 * 60)
