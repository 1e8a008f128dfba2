"""Jinja setup: dates, numbers and money in the request's language (Babel), labels, and small
helpers for templates."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from babel import Locale, numbers
from flask import Flask
from markupsafe import Markup, escape

from app import clock, domain
from app.i18n import locale, vertaal

# Dates read the same way in both languages: "4 december 2026" / "4 December 2026", with the
# time as 14:05. Babel gives the month names of the request's locale (app/i18n.py).
DATUM = "d MMMM y"
DATUMTIJD = "d MMMM y, HH:mm"


@functools.lru_cache(maxsize=8)
def _maanden(taal: Locale) -> tuple[str, ...]:
    """The locale's month names as ``MMMM`` writes them (index 1–12), from Babel's data."""
    return ("", *(taal.months["format"]["wide"][m] for m in range(1, 13)))


def _dag(value: dt.date | dt.datetime) -> dt.date:
    """A moment as its local (Amsterdam) day (a naive moment is UTC, as for ``datumtijd``); a
    date as itself."""
    if isinstance(value, dt.datetime):
        return clock.as_utc(value).astimezone(clock.TZ).date()
    return value


# ``DATUM`` and ``DATUMTIJD`` written out directly: a list page formats hundreds of moments, and
# Babel's general pattern formatter took a third of the privacy overview's time (400 a page).
# tests/test_taal.py checks them against Babel's own formatting of the patterns, in both
# languages, across the year's clock changes.


def datum(value: dt.date | dt.datetime | None, empty: str = "") -> str:
    """``d MMMM y``: 4 december 2026."""
    if value is None:
        return empty
    day = _dag(value)
    return f"{day.day} {_maanden(locale())[day.month]} {day.year}"


def datumtijd(value: dt.datetime | None, empty: str = "") -> str:
    """``d MMMM y, HH:mm`` in Amsterdam time: 4 december 2026, 14:05 (a naive moment is UTC, as
    the database gives it and as Babel reads it)."""
    if value is None:
        return empty
    at = clock.as_utc(value).astimezone(clock.TZ)
    return f"{at.day} {_maanden(locale())[at.month]} {at.year}, {at.hour:02d}:{at.minute:02d}"


def getal(value: float | int | Decimal | None, empty: str = "") -> str:
    """A number in the locale's way: 1.840,5 / 1,840.5."""
    if value is None:
        return empty
    return numbers.format_decimal(value, locale=locale())


def bedrag(value: float | int | Decimal | str | None, empty: str = "") -> str:
    """An amount in euros: € 1.840,00 / €1,840.00."""
    if value is None or value == "":
        return empty
    return numbers.format_currency(Decimal(str(value)), "EUR", locale=locale())


def vertaald(value: Any) -> Any:
    """A label from the domain vocabulary (app/domain.py, marked with ``N_``) in the page's
    language: ``{{ plan.status_label|vertaald }}``. Unlike ``_()`` on a variable, the result
    is plain text (escaped as usual), so it is safe on any value; unknown text stays as is."""
    if not value or not isinstance(value, str):
        return value
    return vertaal(value)


def iso_datum(value: dt.date | dt.datetime | None) -> str:
    """JJJJ-MM-DD, as a date field takes it; a moment as its local (Amsterdam) day."""
    return _dag(value).isoformat() if value else ""


def nl2br(value: str | None) -> Markup:
    if not value:
        return Markup("")
    return Markup("<br>").join(escape(value).split("\n"))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        datum=datum,
        datumtijd=datumtijd,
        iso_datum=iso_datum,
        nl2br=nl2br,
        getal=getal,
        bedrag=bedrag,
        vertaald=vertaald,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "domain": domain,
            "today": clock.today(),
            "municipality": app.config["EENPLAN_MUNICIPALITY"],
            "thema": app.config["EENPLAN_THEMA"],
            "Rol": domain.Rol,
        }
