"""The application's clock, in one place so tests can move it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

_offset = dt.timedelta(0)
TZ = ZoneInfo("Europe/Amsterdam")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + _offset


def today() -> dt.date:
    return now().astimezone(TZ).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A moment read from the database: SQLite gives naive datetimes, which are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def set_offset(offset: dt.timedelta) -> None:
    """Tests only: shift the clock."""
    global _offset
    _offset = offset
