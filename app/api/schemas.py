"""The resources of API v1 as pydantic models: what a request may hold (validated by them) and
what an answer holds (the serialisers in :mod:`app.api.serialisers` make it; the tests check it
against these). The OpenAPI document is made from these models (:mod:`app.contract`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field

from app.contract import Query, Reden, Schema
from app.contract.fields import HEX32, MAX_PAGE, Bsn, Id, Link, OneOf, Text, Version, absent
from app.contract.problems import Problem
from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    ActiviteitStatus,
    PlanBasis,
    PlanStatus,
    Relatie,
    UitvoerderSoort,
)
from app.logboek import MAX_PAGE_SIZE

Status = Annotated[str, OneOf(PlanStatus)]
Links = dict[str, Link]

# --- query parameters -----------------------------------------------------------------------

_INTEGER = ("integer", "Een geheel getal.")
PageSize = Annotated[
    int,
    Field(ge=1, le=MAX_PAGE_SIZE),
    Reden(type=_INTEGER, range=("maximum", f"Tussen 1 en {MAX_PAGE_SIZE}.")),
]
_CURSOR = ("cursor", "Gebruik de cursor uit het vorige antwoord.")


class PlannenQuery(Query):
    status: Annotated[str, OneOf(PlanStatus, "Een van: concept, actief, afgesloten.")] | None = None
    page: Annotated[
        int,
        Field(ge=1, le=MAX_PAGE),
        Reden(type=_INTEGER, range=("minimum", f"Van 1 tot en met {MAX_PAGE}.")),
    ] = 1
    page_size: PageSize = 20


class PaginaQuery(Query):
    page_size: PageSize = 50
    cursor: Annotated[
        int | None,
        Field(ge=1, le=2**62, description="Uit _links.next van het vorige antwoord."),
        Reden(type=_CURSOR, range=_CURSOR),
    ] = None


def _subject_reason(value: object) -> tuple[str, str]:
    if isinstance(value, str) and value.strip().isdigit():
        return (
            "pseudonym",
            "Een BSN hoort niet in een URL: zoek met POST /dataverwerkingen/_zoek.",
        )
    return ("pseudonym", "Het pseudoniem uit het logboek (64 hexadecimale tekens).")


class DataverwerkingenQuery(PaginaQuery):
    data_subject_id: Annotated[
        str | None,
        Field(
            pattern="^[0-9a-f]{64}$",
            description="Het pseudoniem van de betrokkene zoals in het logboek (nooit een BSN; "
            "zoek op BSN met POST /dataverwerkingen/_zoek).",
        ),
        Reden(pattern=_subject_reason),
    ] = None
    trace_id: Annotated[
        str | None,
        Field(pattern=HEX32),
        Reden(pattern=("traceId", "Een W3C trace-id: 32 hexadecimale tekens.")),
    ] = None
    processing_activity_id: Annotated[
        str | None,
        Field(max_length=500, description="De sleutel of de URI uit het verwerkingsregister."),
    ] = None


# --- request bodies -------------------------------------------------------------------------

OptionalText = Annotated[str, Text(5000)] | None


class AdresInvoer(Schema):
    straat: Annotated[str, Text(200)] | None = None
    huisnummer: Annotated[str, Text(10)] | None = None
    huisnummertoevoeging: Annotated[str, Text(10)] | None = None
    postcode: Annotated[str, Text(7)] | None = None
    woonplaats: Annotated[str, Text(100)] | None = None


class PersoonNieuw(Schema):
    voornamen: Annotated[str, Text(200, required=True)]
    tussenvoegsel: Annotated[str, Text(20)] | None = None
    achternaam: Annotated[str, Text(200, required=True)]
    geboortedatum: dt.date
    adres: AdresInvoer | None = None


class Toestemming(Schema):
    gegeven_door: Annotated[str, Text(200, required=True)]
    gegeven_op: dt.date
    wijze: Annotated[str, OneOf(("mondeling", "schriftelijk", "digitaal"))]
    toelichting: OptionalText = None


class PlanNieuw(Schema):
    """Voor een persoon die Eenplan nog niet kent: stuur `persoon` mee (anders 422). Bij basis
    `toestemming`: stuur `toestemming` mee (anders 422). Een plan op basis `multiproblematiek`
    ontstaat alleen in stap 4 van een afweging (afwegingskader), niet via de API (422)."""

    bsn: Bsn
    basis: Annotated[str, OneOf(PlanBasis)]
    status: Annotated[str, OneOf((PlanStatus.CONCEPT, PlanStatus.ACTIEF))] = PlanStatus.CONCEPT
    mandaat_id: Id | None = None
    persoon: PersoonNieuw | None = None
    toestemming: Toestemming | None = None


_CONCEPT_OF_ACTIEF = OneOf(
    (PlanStatus.CONCEPT, PlanStatus.ACTIEF), "concept of actief; afsluiten met POST .../afsluiten."
)


class PlanWijziging(Schema):
    status: Annotated[str, _CONCEPT_OF_ACTIEF] | None = None
    mandaat_id: Id | None = None
    version: Version | None = None


class PlanAfsluiten(Schema):
    """Bij reden `anders` is een toelichting nodig (anders 422)."""

    reden: Annotated[str, OneOf(AFSLUITREDENEN)]
    toelichting: OptionalText = None
    version: Version | None = None


class ActiviteitWijziging(Schema):
    """Alleen wat verandert; de rest blijft. Zie ActiviteitNieuw voor de regels."""

    aard: Annotated[str, OneOf(ACTIVITEIT_AARDEN)] = absent()
    omschrijving: Annotated[str, Text(2000, required=True)] = absent()
    uitvoerder_soort: Annotated[str, OneOf(UitvoerderSoort)] = absent()
    organisatie_id: Id | None = None
    uitvoerder_contact: Annotated[str, Text(300)] | None = None
    startdatum: dt.date = absent()
    einddatum: dt.date | None = None
    afgerond: bool = absent()
    toelichting: OptionalText = None
    toelichting_beroepsgeheim: bool = absent(
        description="Alleen een hulpverlener van de uitvoerende organisatie."
    )
    version: Version | None = None


class ActiviteitNieuw(Schema):
    """Een regisseur kiest de uitvoerende organisatie (`organisatieId`, nodig bij
    uitvoerderSoort `organisatie`); een hulpverlener legt activiteiten van de eigen organisatie
    vast. Een einddatum voor de startdatum, of een onbekende organisatie: 422. Een organisatie
    die niet bij het plan betrokken is, zou de activiteit niet zien: 422, tenzij de regisseur
    `betrekOrganisatie: true` meestuurt (dan wordt zij in dezelfde stap vanaf vandaag
    betrokken)."""

    betrek_organisatie: bool = Field(
        default=False,
        description="Alleen de regisseur: betrek de uitvoerende organisatie bij het plan als "
        "zij nog niet betrokken is.",
    )
    aard: Annotated[str, OneOf(ACTIVITEIT_AARDEN)]
    omschrijving: Annotated[str, Text(2000, required=True)]
    uitvoerder_soort: Annotated[str, OneOf(UitvoerderSoort)] = absent()
    organisatie_id: Id | None = None
    uitvoerder_contact: Annotated[str, Text(300)] | None = None
    startdatum: dt.date
    einddatum: dt.date | None = None
    afgerond: bool = False
    toelichting: OptionalText = None
    toelichting_beroepsgeheim: bool = absent(
        description="Alleen een hulpverlener van de uitvoerende organisatie."
    )


class GezinslinkNieuw(Schema):
    """Voor een persoon die Eenplan nog niet kent: stuur `persoon` mee (anders 422)."""

    bsn: Bsn
    relatie: Annotated[str, OneOf(Relatie)]
    richting: Annotated[str, OneOf(("planpersoonIsA", "planpersoonIsB"))] = "planpersoonIsA"
    persoon: PersoonNieuw | None = None


_ALLEEN_VERBREKEN = (
    "enum",
    'Een gezinslink kan alleen worden verbroken: stuur {"actief": false}.',
)


class GezinslinkVerbreken(Schema):
    actief: Annotated[Literal[False], Reden(type=_ALLEEN_VERBREKEN, enum=_ALLEEN_VERBREKEN)]
    reden: OptionalText = None


class BsnZoekvraag(Schema):
    bsn: Bsn


class DataverwerkingenZoekvraag(Schema):
    model_config = ConfigDict(extra="forbid")
    UNKNOWN_FIELD: ClassVar = ("unknown", "Onbekend veld; pageSize en cursor gaan in de query.")

    bsn: Bsn


# --- answers --------------------------------------------------------------------------------


class RegisseurContact(Schema):
    model_config = ConfigDict(extra="forbid")
    naam: str
    telefoon: str | None = None


class PlanBestaat(Problem):
    """Er is al een plan voor deze persoon: wie de regisseur is (om contact op te nemen); het
    adres van het plan alleen als u het mag openen. Dat u dit te weten kwam, staat in het
    logboek (een inzage over de persoon)."""

    regisseur: RegisseurContact
    existing_plan: str | None = absent(description="Alleen als u het plan mag openen.")


class Adres(Schema):
    straat: str | None = None
    huisnummer: str | None = None
    huisnummertoevoeging: str | None = None
    postcode: str | None = None
    woonplaats: str | None = None


class Persoon(Schema):
    id: int
    bsn: Annotated[str, Field(pattern="^[0-9]{9}$")]
    voornamen: str
    tussenvoegsel: str | None = None
    achternaam: str
    geboortedatum: dt.date
    adres: Adres | None = None
    links: Links | None = absent(alias="_links")


class Naam(Schema):
    id: int
    naam: str


class Regisseur(Schema):
    id: int
    naam: str
    organisatie: str | None = None
    telefoon: str | None = None
    email: str | None = None


class Mandaat(Schema):
    id: int | None = None
    omschrijving: str | None = None


class PlanSamenvatting(Schema):
    id: int
    status: Status
    basis: Annotated[str, OneOf(PlanBasis)] | None = None
    persoon: Naam
    regisseur: Naam | None = None
    gewijzigd_op: dt.datetime | None = None
    version: int
    links: Links | None = absent(alias="_links")


class PersoonKort(Schema):
    model_config = ConfigDict(extra="forbid")
    id: int
    naam: str
    geboortedatum: dt.date


class PlanGeenInzage(Schema):
    """Wat een organisatie ziet als de inwoner koos voor geen inzage: dat er een plan is, de
    status en wie de regisseur is."""

    model_config = ConfigDict(extra="forbid")
    id: int
    status: Status
    inzage: Literal["geen"]
    persoon: PersoonKort
    regisseur: Regisseur
    mandaat: Mandaat | None = None
    version: int
    links: Links | None = absent(alias="_links")


class Plan(Schema):
    id: int
    status: Status
    basis: Annotated[str, OneOf(PlanBasis)]
    weging_ontbreekt: bool | None = absent(
        description="Basis multiproblematiek zonder vastgelegde afweging (plan van voor die "
        "regel): waar tot stap 4 van een afweging voor deze persoon is vastgelegd.",
    )
    persoon: Persoon
    regisseur: Regisseur
    mandaat: Mandaat | None = None
    afsluitreden: str | None = None
    afgesloten_op: dt.datetime | None = None
    aangemaakt_op: dt.datetime | None = None
    gewijzigd_op: dt.datetime | None = None
    version: int
    links: Links | None = absent(alias="_links")


class PlannenLijst(Schema):
    plannen: list[PlanSamenvatting]


class PlannenPagina(Schema):
    embedded: PlannenLijst = Field(alias="_embedded")
    page: int
    page_size: int
    total_items: int
    total_pages: int | None = None
    links: Links = Field(
        alias="_links",
        description="HAL-links: first, prev, self, next, last (prev en next alleen als die "
        "pagina bestaat).",
    )


class Activiteit(Schema):
    id: int
    plan_id: int
    aard: Annotated[str, OneOf(ACTIVITEIT_AARDEN)]
    uitvoerder_soort: Annotated[str, OneOf(UitvoerderSoort)]
    organisatie: Naam | None = None
    startdatum: dt.date
    einddatum: dt.date | None = None
    afgerond: bool
    afgerond_op: dt.date | None = None
    status: Annotated[str, OneOf(ActiviteitStatus)]
    omschrijving: str | None = absent(description="Alleen als u de activiteit volledig mag zien.")
    uitvoerder_contact: str | None = None
    toelichting: str | None = absent(
        description="Ontbreekt als de toelichting onder beroepsgeheim van een andere "
        "organisatie valt, tenzij die organisatie en de inwoner haar vrijgaven.",
    )
    toelichting_beroepsgeheim: bool | None = absent(
        description="De toelichting valt onder beroepsgeheim: alleen de uitvoerende "
        "organisatie en de regisseur zien haar, tot die organisatie en de inwoner haar "
        "allebei vrijgeven.",
    )
    version: int
    links: Links | None = absent(alias="_links")


class ActiviteitenLijst(Schema):
    activiteiten: list[Activiteit]


class Activiteiten(Schema):
    embedded: ActiviteitenLijst = Field(alias="_embedded")


class GezinslinkPersoon(Schema):
    id: int | None = None
    naam: str | None = None
    geboortedatum: dt.date | None = None


class Gezinslink(Schema):
    id: int
    persoon: GezinslinkPersoon
    relatie: Annotated[str, OneOf(Relatie)]
    relatie_omschrijving: str | None = None
    actief: bool
    gelegd_op: dt.datetime
    gelegd_door: str | None = None
    verbroken_op: dt.datetime | None = None
    verbroken_door: str | None = None


class GezinslinksLijst(Schema):
    gezinslinks: list[Gezinslink]


class Gezinslinks(Schema):
    embedded: GezinslinksLijst = Field(alias="_embedded")
