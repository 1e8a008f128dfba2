"""Records of refused look-ups (the probing indicator) go at the end of the toezicht-logboek
term, 7 years after they were recorded, by `flask retention run`; the clock is moved."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import clock
from app.db import session
from app.privacy.models import GeweigerdeOpvraging
from app.vernietiging.models import Vernietiging
from tests.conftest import login
from tests.support.world import World


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    clock.set_offset(dt.timedelta(0))
    yield
    clock.set_offset(dt.timedelta(0))


def _cli(app: Flask, *args: str) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output.strip().splitlines()[-1]))


def _refuse(app: Flask, n: int) -> None:
    hulp = app.test_client()
    login(hulp, "hulp1")
    for plan_id in range(900_001, 900_001 + n):  # plans that do not exist for hulp1
        assert hulp.get(f"/plannen/{plan_id}", buffered=True).status_code == 404


def _count(app: Flask) -> int:
    with app.app_context():
        return len(session.scalars(select(GeweigerdeOpvraging.id)).all())


def test_refused_look_ups_go_after_seven_years(app: Flask, world: World) -> None:
    _refuse(app, 3)
    assert _count(app) == 3
    clock.set_offset(dt.timedelta(days=365 * 3))
    _refuse(app, 1)  # recorded three years later: it stays longer
    assert _count(app) == 4

    clock.set_offset(dt.timedelta(days=365 * 7))  # a day short of 7 years for the first three
    assert "geweigerdeOpvragingen" not in _cli(app, "--dry-run")["zouVernietigen"]
    assert "geweigerdeOpvragingen" not in _cli(app)["vernietigd"]
    assert _count(app) == 4

    clock.set_offset(dt.timedelta(days=365 * 7 + 3))
    assert _cli(app, "--dry-run")["zouVernietigen"]["geweigerdeOpvragingen"] == 3
    assert _count(app) == 4  # a dry run deletes nothing
    assert _cli(app)["vernietigd"]["geweigerdeOpvragingen"] == 3
    assert _count(app) == 1
    assert "geweigerdeOpvragingen" not in _cli(app)["vernietigd"]  # idempotent

    with app.app_context():
        tomb = session.scalars(
            select(Vernietiging).where(Vernietiging.soort == "weigeringen")
        ).one()
        assert tomb.verwerking == "toezicht-logboek" and tomb.aantallen == {"weigeringen": 3}
        assert tomb.bewaartermijn == "7 jaar na het schrijven van de logregel"
    officer = app.test_client()
    login(officer, "privacy1")
    html = officer.get("/privacy/vernietigingen/").get_data(as_text=True)
    assert "Geweigerde opvragingen van voor" in html and "3 geweigerde opvragingen" in html

    clock.set_offset(dt.timedelta(days=365 * 10 + 4))
    assert _cli(app)["vernietigd"]["geweigerdeOpvragingen"] == 1
    assert _count(app) == 0
