"""The register's answers as pydantic models, the source of its OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from app.contract import Schema


class Verwerkingsactiviteit(Schema):
    sleutel: str
    versie: int
    naam: str
    doel: str
    grondslag: str
    wettelijke_basis: str | None = None
    gegevenscategorieen: list[str] | None = None
    ontvangers: list[str] | None = None
    bewaartermijn: str | None = None
    geldig_vanaf: dt.datetime | None = None
    links: dict[str, Any] = Field(alias="_links")


class VerwerkingsactiviteitenLijst(Schema):
    verwerkingsactiviteiten: list[Verwerkingsactiviteit]


class Verwerkingsactiviteiten(Schema):
    embedded: VerwerkingsactiviteitenLijst = Field(alias="_embedded")
    links: dict[str, Any] = Field(alias="_links")
