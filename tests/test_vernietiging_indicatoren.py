"""The privacy indicators stored per day (``flask privacy indicatoren``) hold staff names and go
with the logboek lines they were computed from: ``flask retention run`` destroys the stored days
that began before the checkpoint its floor is signed at (local days, not UTC), counts them in
its output and on the tombstone, and the overview then shows nothing for lines that are gone.
The clock is moved, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import clock
from app.db import get_database, session
from app.privacy import indicatoren_opslag
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from app.vernietiging import logregels
from app.vernietiging.models import Vernietiging
from tests.conftest import login
from tests.support.world import STAFF, World
from tests.test_privacy import view

LATE = "Inzage buiten kantoortijden"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.set_offset(dt.timedelta(0))
    yield
    clock.set_offset(dt.timedelta(0))


def _at(local: dt.datetime) -> None:
    target = local.replace(tzinfo=clock.TZ).astimezone(dt.UTC)
    clock.set_offset(dt.timedelta(0))
    clock.set_offset(target - clock.now())


def _cli(app: Flask, *args: str) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output.strip().splitlines()[-1]))


def _stored(app: Flask) -> dict[dt.date, int]:
    with app.app_context():
        rows = session.execute(
            select(OpgeslagenAandachtspunt.dag, func.count()).group_by(OpgeslagenAandachtspunt.dag)
        ).all()
        return {dag: int(n) for dag, n in rows}


def _days(app: Flask) -> list[dt.date]:
    with app.app_context():
        return sorted(session.scalars(select(IndicatorDag.dag)))


def _late(body: str) -> int:
    found = re.search(rf"<strong>{LATE}:</strong> (\d+)", body)
    assert found, body[:2000]
    return int(found.group(1))


def test_retention_destroys_the_indicators_stored_from_destroyed_lines(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logregels, "_oldest_kept", lambda: None)  # the rule: test_vernietiging
    d = clock.today() + dt.timedelta(days=3)  # after the world's own lines (local days)
    at = lambda day, h, m: _at(dt.datetime.combine(d + dt.timedelta(days=day), dt.time(h, m)))  # noqa: E731
    at(0, 22, 5)
    view(app, world, "reg1", "a")  # day d, late
    at(1, 0, 5)
    view(app, world, "hulp1", "a")  # day d+1 local time, still day d in UTC
    at(1, 0, 20)
    with app.app_context(), get_database().engine.begin() as conn:
        floor = app.extensions["eenplan_logboek"].checkpoint(conn)
    at(1, 0, 30)
    view(app, world, "reg1", "a")  # after the checkpoint: kept
    at(2, 22, 0)
    view(app, world, "hulp1", "a")  # day d+2: kept
    at(3, 12, 0)
    done = app.test_cli_runner().invoke(args=["privacy", "indicatoren", "--dagen", "5"])
    assert done.exit_code == 0, done.output
    assert _stored(app) == {d: 1, d + dt.timedelta(days=1): 2, d + dt.timedelta(days=2): 1}
    assert len(_days(app)) == 6  # d-2 … d+3

    clock.set_offset(clock._offset + dt.timedelta(days=8 * 366))
    dry = _cli(app, "--dry-run")["zouVernietigen"]
    assert dry["totEnMetRegel"] == floor.seq
    # Days d and d+1 began before the checkpoint (00:20 local on d+1 is d in UTC): 3
    # indicators; day rows d-2 … d+1.
    assert (dry["privacyIndicatoren"], dry["privacyIndicatorDagen"]) == (3, 4)
    assert len(_stored(app)) == 3  # a dry run deletes nothing

    ran = _cli(app)["vernietigd"]
    assert ran["logregels"] == floor.seq
    assert (ran["privacyIndicatoren"], ran["privacyIndicatorDagen"]) == (3, 4)
    assert _stored(app) == {d + dt.timedelta(days=2): 1}
    assert _days(app) == [d + dt.timedelta(days=2), d + dt.timedelta(days=3)]
    with app.app_context():
        tomb = session.scalars(select(Vernietiging).where(Vernietiging.soort == "logregels")).one()
        assert tomb.aantallen == {"regels": floor.seq, "indicatoren": 3, "indicatordagen": 4}
    # With a log term under a year the command would reach those days again: it starts after
    # the floor's last day, so it never stores what retention destroyed.
    with app.app_context():
        todo = indicatoren_opslag.te_berekenen(tot=d + dt.timedelta(days=5), dagen=10)
    assert todo == [d + dt.timedelta(days=n) for n in (3, 4, 5)]  # d+2 is complete
    assert "privacyIndicatoren" not in _cli(app)["vernietigd"]  # idempotent
    assert "privacyIndicatoren" not in _cli(app, "--dry-run")["zouVernietigen"]

    officer = app.test_client()
    login(officer, "privacy1")
    html = officer.get("/privacy/vernietigingen/").get_data(as_text=True)
    assert "3 opgeslagen aandachtspunten" in html and "4 dagen uit de vaste berekening" in html
    # The overview computes d and d+1 from what is left: nothing of d, reg1's 00:30 on d+1.
    for day, late in ((0, 0), (1, 1), (2, 1)):
        iso = (d + dt.timedelta(days=day)).isoformat()
        body = officer.get(f"/privacy/?toon=alle&van={iso}&tot={iso}").get_data(as_text=True)
        assert _late(body) == late, day
    iso = (d + dt.timedelta(days=1)).isoformat()
    body = officer.get(f"/privacy/?toon=alle&van={iso}&tot={iso}").get_data(as_text=True)
    assert STAFF["reg1"][0] in body and STAFF["hulp1"][0] not in body

    # Stored again below the floor (e.g. by an older release): the next run destroys it too.
    with app.app_context():
        session.add(IndicatorDag(dag=d, berekend_op=clock.now(), regels=0, tot_seq=0, per_soort={}))
        session.commit()
    assert _cli(app, "--dry-run")["zouVernietigen"]["privacyIndicatorDagen"] == 1
    assert _cli(app)["vernietigd"]["privacyIndicatorDagen"] == 1
    assert _days(app) == [d + dt.timedelta(days=2), d + dt.timedelta(days=3)]
    html = officer.get("/privacy/vernietigingen/").get_data(as_text=True)
    assert f"Opgeslagen aandachtspunten bij logregels tot en met {floor.seq}" in html
