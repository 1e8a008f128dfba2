"""The source organisations' API (app/signalen/api.py) as pydantic models: the source of its
part of the OpenAPI document. A signal's fields are checked per source by
:func:`app.signalen.validation.valideer_rij` (the same rules for one signal, JSON Lines and CSV
rows); this model is the public description of those rules, and the fuzz test holds the two
together."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import ConfigDict, Field

from app.contract import Schema
from app.contract.fields import INTEGRAL, Bsn, OneOf, Text, absent
from app.domain import LEEFGEBIEDEN, SIGNAAL_CATEGORIEEN
from app.signalen.bronstatus import STATUS_CODES

BronCode = Annotated[
    str,
    Field(
        pattern="^[a-z0-9_-]{1,40}$",
        description="De code van de bron, bijvoorbeeld belastingdienst of cjib.",
    ),
]
BronReferentie = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="Uw eigen kenmerk van het signaal (de bronReferentie die u aanleverde).",
    ),
]
Teller = Annotated[int, Field(ge=0, le=1000), INTEGRAL]


class BronSignaal(Schema):
    """Eén signaal van een bron. Welke van de bronvelden een bron mag aanleveren, is ingericht
    per bron (een ander bronveld geeft 422)."""

    model_config = ConfigDict(extra="forbid")

    bsn: Bsn
    bron_referentie: Annotated[str, Text(100, required=True)] = Field(
        description="Uw kenmerk van dit signaal; een tweede levering met hetzelfde kenmerk "
        "wordt niet opnieuw opgeslagen."
    )
    signaaldatum: dt.date = Field(description="Niet in de toekomst, niet voor 2000.")
    categorie: Annotated[str, OneOf(SIGNAAL_CATEGORIEEN)] = absent()
    domeinen: list[Annotated[str, OneOf(LEEFGEBIEDEN)]] = absent(max_length=20)
    inhoud: Annotated[str, Text(5000)] = absent()
    schuldsoort: Annotated[str, Text(200)] = absent()
    schuldeiser: Annotated[str, Text(200)] = absent()
    bedrag: Annotated[str, Field(pattern="^[0-9]{1,8}(\\.[0-9]{1,2})?$")] = absent()
    maanden_achterstand: Teller = absent()
    verzuim_uren: Teller = absent()
    dreigende_ontruiming: bool = absent()


class BronSignaalOntvangen(Schema):
    id: int | None
    bron_referentie: str
    status: Annotated[str, OneOf(("opgeslagen", "dubbel"))]


class BronSignaalStatus(Schema):
    """Wat er met een signaal van deze bron gebeurde. Alleen de status: nooit de afweging, het
    plan of de persoon."""

    model_config = ConfigDict(extra="forbid")

    bron_referentie: str
    signaaldatum: dt.date
    ontvangen_op: dt.datetime
    status: Annotated[str, OneOf(STATUS_CODES)] = Field(
        description="ontvangen (nog niet gewogen), inBehandeling (wordt gewogen), afgerond, of "
        "verwijderd (geen vervolg: de inhoud is gewist)."
    )
    status_omschrijving: str
    verwijderd_op: dt.datetime | None


class OpgeslagenRegel(Schema):
    regel: int | None = None
    id: int | None = None


class DubbeleRegel(Schema):
    regel: int | None = None
    bron_referentie: str | None = None


class Fout(Schema):
    regel: int
    veld: str
    reden: str


class Leveringsrapport(Schema):
    ontvangen: int
    opgeslagen: int
    dubbel: int
    afgekeurd: int
    heropende_afwegingen: int | None = None
    opgeslagen_regels: list[OpgeslagenRegel] | None = None
    dubbele_regels: list[DubbeleRegel] | None = None
    fouten: list[Fout]
