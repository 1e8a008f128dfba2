"""Validity periods are stated once: ``active_on`` answers the same in Python and in SQL, on and
around every boundary of every period in the test world."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.autorisaties.models import Vertrouwenspersoon, Vervanging
from app.db import session
from app.organisations.models import Mandaat
from app.plans.models import Betrokkenheid

ONE_DAY = dt.timedelta(days=1)


def _days(*bounds: Any) -> set[Any]:
    """Each boundary, the day before and the day after."""
    return {b + d for b in bounds if b is not None for d in (-ONE_DAY, dt.timedelta(0), ONE_DAY)}


@pytest.mark.parametrize(
    ("model", "bounds"),
    [
        (Betrokkenheid, lambda o: _days(o.start_date, o.end_date)),
        (Vertrouwenspersoon, lambda o: _days(o.geldig_van, o.geldig_tot)),
        (Mandaat, lambda o: _days(o.valid_from, o.valid_until)),
        (Vervanging, lambda o: _days(o.van, o.tot)),
    ],
)
def test_active_on_is_the_same_in_python_and_sql(
    app: Flask, world: Any, model: Any, bounds: Any
) -> None:
    with app.test_request_context():
        rows = list(session.scalars(select(model).execution_options(audit_internal=True)))
        assert rows, f"the world has no {model.__name__}"
        for obj in rows:
            for day in sorted(bounds(obj)):
                in_sql = session.execute(
                    select(model.id)
                    .where(model.id == obj.id, model.active_on(day))
                    .execution_options(audit_internal=True)
                ).first()
                assert obj.active_on(day) is (in_sql is not None), (model.__name__, obj.id, day)
