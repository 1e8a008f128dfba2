"""Jinja setup: Dutch dates, labels, and small helpers for templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from app import clock, domain

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def datum(value: dt.date | dt.datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.TZ).date()
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def datumtijd(value: dt.datetime | None, empty: str = "") -> str:
    if value is None:
        return empty
    local = value.astimezone(clock.TZ)
    return f"{datum(local)}, {local:%H:%M}"


def iso_datum(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def nl2br(value: str | None) -> Markup:
    if not value:
        return Markup("")
    return Markup("<br>").join(escape(value).split("\n"))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(datum=datum, datumtijd=datumtijd, iso_datum=iso_datum, nl2br=nl2br)
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
