"""Indicators per day, stored by ``flask privacy indicatoren`` and read by the overview (issue 17):
a whole year counts, not only the newest lines the overview could scan on page load."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import session
from app.privacy import indicatoren_opslag
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from tests.conftest import login
from tests.test_privacy import view


@pytest.fixture
def at_time() -> Iterator[Any]:
    """Move the application's clock (and so the logboek's) to a local moment."""

    def move(local: dt.datetime) -> None:
        target = local.replace(tzinfo=clock.TZ).astimezone(dt.UTC)
        clock.set_offset(dt.timedelta(0))
        clock.set_offset(target - clock.now())

    yield move
    clock.set_offset(dt.timedelta(0))


LATE = "Inzage buiten kantoortijden"


def _count(body: str, label: str) -> int:
    found = re.search(rf"<strong>{label}:</strong> (\d+)", body)
    assert found, body[:2000]
    return int(found.group(1))


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (
            session.scalar(select(func.count()).select_from(OpgeslagenAandachtspunt)) or 0,
            session.scalar(select(func.count()).select_from(IndicatorDag)) or 0,
        )


def test_stored_days_count_beyond_the_scan_limit_and_the_command_is_idempotent(
    app, client, world, at_time
) -> None:
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    for hour in (21, 22, 23):  # three late evenings of three staff members…
        at_time(dt.datetime.combine(monday + dt.timedelta(days=hour - 21), dt.time(hour, 5)))
        view(app, world, "reg1", "a")
        view(app, world, "hulp1", "a")
    clock.set_offset(dt.timedelta(0))
    # …while the overview may scan only one line on page load.
    app.config["LOGBOEK_SCAN_MAX"] = 1
    login(client, "privacy1")
    period = f"/privacy/?toon=alle&van={monday.isoformat()}&tot={(monday + dt.timedelta(days=2)).isoformat()}"
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) <= 1 and "Alleen de nieuwste regels" in body

    runner = app.test_cli_runner()
    done = runner.invoke(args=["privacy", "indicatoren", "--dagen", "30"])
    assert done.exit_code == 0, done.output
    assert "31 dagen berekend" in done.output  # 30 days and today (as far as it went)
    stored = _stored(app)
    assert stored[1] == 31

    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 6  # per person per day: 2 staff × 3 days
    assert "Alleen de nieuwste regels" not in body
    assert "dagen komen de aandachtspunten uit de vaste berekening" in body

    again = runner.invoke(args=["privacy", "indicatoren", "--dagen", "30"])
    assert again.exit_code == 0 and "1 dagen berekend" in again.output  # only today again
    assert _stored(app) == stored


def test_a_day_computed_before_it_ended_is_computed_again(app, world, at_time) -> None:
    today = dt.date.today()
    day = today - dt.timedelta(days=3)
    at_time(dt.datetime.combine(day, dt.time(12, 0)))
    with app.app_context():
        indicatoren_opslag.bereken_dag(day)
        session.commit()
        assert day in indicatoren_opslag.te_berekenen(tot=today, dagen=5)
    clock.set_offset(dt.timedelta(0))
    with app.app_context():
        indicatoren_opslag.bereken_dag(day)
        session.commit()
        assert day not in indicatoren_opslag.te_berekenen(tot=today, dagen=5)


def test_today_is_stored_as_far_as_it_went_and_the_rest_read_from_the_lines(
    app, client, world, at_time
) -> None:
    today = dt.date.today() + dt.timedelta(days=1)
    while today.weekday() >= 5:
        today += dt.timedelta(days=1)
    at_time(dt.datetime.combine(today, dt.time(5, 0)))
    view(app, world, "reg1", "a")  # early: outside office hours
    runner = app.test_cli_runner()
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", "2"]).exit_code == 0
    at_time(dt.datetime.combine(today, dt.time(6, 0)))
    view(app, world, "hulp1", "a")  # after the run: only in the lines
    login(client, "privacy1")
    period = f"/privacy/?toon=alle&van={today.isoformat()}&tot={today.isoformat()}"
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2
    assert "Regina Eerste" in body  # the stored one is listed…
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", "2"]).exit_code == 0
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2  # …and nothing counts twice after the next run
