"""The source-adapter interface of the inkijk, and which adapter serves which source.

A *source* (bron) is a kind of basisgegevens: the BRP, income and benefits, debts and debt help,
education, leerplicht/RMC, youth-care indications, Wmo support. An *adapter* is one way to ask a
source: the synthetic source that ships with Eenplan, or a real API (``haalcentraal`` for the
BRP). Every adapter answers for one person (by BSN) on one of two levels:

* ``buitenkant`` — that the person is known and since when, which help, not why or how much
  (SPEC rule 6: "bekend bij schuldhulpverlening sinds maart 2025, traject actief");
* ``detail`` — the facts behind it (amounts, names, numbers); only after *doorprikken*.

Which adapter serves which source is configuration (``INKIJK_BRONNEN``, see docs/inkijk.md).

Answers are personal data and are never stored. Buitenkant answers are kept in memory for
``INKIJK_CACHE_SECONDS`` (default 300 s): long enough that switching between the members of one
household, or copying a fact right after reading it, uses the answer the regisseur actually saw
(and does not hit a register again); short enough that a change at the source (a trajectory that
ended) is not shown stale for long and that little personal data lingers in memory. Every
display is logged, whether it came from the cache or not. Detail answers are not cached.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cachetools import TTLCache
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.domain import Gegevenscategorie
from app.logboek.ldv import register_application

BUITENKANT = "buitenkant"
DETAIL = "detail"
NIVEAUS = (BUITENKANT, DETAIL)


@dataclass(frozen=True)
class BronSoort:
    """A kind of basisgegevens, with the logboek data categories its answers belong to."""

    sleutel: str
    naam: str
    categorieen: frozenset[Gegevenscategorie]
    omschrijving: str  # shown to staff in their language (lazy), never logged


BRONNEN: tuple[BronSoort, ...] = (
    BronSoort(
        "brp",
        "Basisregistratie Personen (BRP)",
        frozenset({Gegevenscategorie.NAW, Gegevenscategorie.GEZIN}),
        _l("Naam, adres, woonplaats en wie er volgens de BRP bij het gezin horen."),
    ),
    BronSoort(
        "inkomen",
        "Inkomen en uitkeringen",
        frozenset({Gegevenscategorie.INKOMEN}),
        _l("Of er een uitkering, inkomen uit werk of toeslagen zijn."),
    ),
    BronSoort(
        "schulden",
        "Schulden en schuldhulp",
        frozenset({Gegevenscategorie.SCHULDEN}),
        _l(
            "Of iemand bekend is bij schuldhulpverlening en of er betalingsachterstanden zijn gemeld."
        ),
    ),
    BronSoort(
        "onderwijs",
        "Onderwijs",
        frozenset({Gegevenscategorie.ONDERWIJS}),
        _l("Inschrijving bij een school of de hoogst behaalde opleiding."),
    ),
    BronSoort(
        "leerplicht",
        "Leerplicht en RMC",
        frozenset({Gegevenscategorie.ONDERWIJS}),
        _l("Leerplicht, verzuimmeldingen en voortijdig schoolverlaten."),
    ),
    BronSoort(
        "jeugdhulp",
        "Indicaties jeugdhulp",
        frozenset({Gegevenscategorie.ZORG}),
        _l("Of er een indicatie voor jeugdhulp is, welke soort en van wanneer tot wanneer."),
    ),
    BronSoort(
        "wmo",
        "Wmo-ondersteuning en zorg",
        frozenset({Gegevenscategorie.ZORG}),
        _l("Of er ondersteuning uit de Wmo is, welke soort en sinds wanneer."),
    ),
)
BRON_BY_KEY = {b.sleutel: b for b in BRONNEN}


@dataclass(frozen=True)
class Feit:
    """One fact of an answer. ``sleutel`` is stable within the source (for copying it)."""

    sleutel: str
    label: str
    waarde: str
    sinds: dt.date | None = None


@dataclass(frozen=True)
class BronAntwoord:
    bron: str
    niveau: str
    bekend: bool  # the person is known at the source
    feiten: tuple[Feit, ...]
    herkomst: str  # which adapter answered, shown with the answer
    opgehaald_op: dt.datetime
    # BSNs of other people this answer shows data about (the BRP's partner, children, parents).
    ook_over: tuple[str, ...] = ()

    @property
    def soort(self) -> BronSoort:
        return BRON_BY_KEY[self.bron]

    @property
    def categorieen(self) -> frozenset[str]:
        return self.soort.categorieen

    def feit(self, sleutel: str) -> Feit | None:
        return next((f for f in self.feiten if f.sleutel == sleutel), None)


class BronNietBeschikbaar(Exception):
    """The source could not answer now (down, timeout, refused). Nothing was shown.

    ``melding`` says what the regisseur can do (try later; report it to functioneel beheer when
    Eenplan asked wrongly or has no access): a wrong request is a fault to report, not "down"."""

    NIET_BEREIKBAAR = _l("Deze bron is nu niet bereikbaar. Probeer het later opnieuw.")

    def __init__(self, bron: str, melding: str | None = None) -> None:
        super().__init__(bron)
        self.melding = melding or self.NIET_BEREIKBAAR


class BronAdapter(Protocol):
    """What every adapter implements. Must not keep answers beyond the call.

    ``partij`` names the external party an adapter asks (e.g. "RvIG (BRP)"); each real call to
    it is logged as an exchange (the BSN goes out, the answer comes in). ``None`` for sources
    inside Eenplan (the synthetic one).
    """

    @property
    def herkomst(self) -> str: ...

    @property
    def partij(self) -> str | None: ...

    def vraag(self, bsn: str, niveau: str) -> BronAntwoord:
        """Answer for one person on one level; raise :class:`BronNietBeschikbaar` on failure."""
        ...


AdapterFactory = Callable[[str, dict[str, Any]], BronAdapter]
ADAPTERS: dict[str, AdapterFactory] = {}


def register_adapter(name: str, factory: AdapterFactory) -> None:
    """Make an adapter available to the configuration (``INKIJK_BRONNEN=brp=<name>``)."""
    ADAPTERS[name] = factory


def parse_bronnen(value: str | None) -> dict[str, str]:
    """``"brp=haalcentraal, schulden=uit"`` → {"brp": "haalcentraal", "schulden": "uit"}."""
    out: dict[str, str] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        key, sep, adapter = part.partition("=")
        key, adapter = key.strip().lower(), adapter.strip().lower()
        if not sep or key not in BRON_BY_KEY or not adapter:
            raise ValueError(f"INKIJK_BRONNEN: onbekende bron of lege adapter in {part.strip()!r}")
        out[key] = adapter
    return out


@dataclass
class InkijkBronnen:
    """The configured adapters of one application, with the short-lived buitenkant cache."""

    adapters: dict[str, BronAdapter]
    cache_seconds: int = 300
    timer: Callable[[], float] = time.monotonic
    _cache: TTLCache[tuple[str, str], BronAntwoord] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self._cache = TTLCache(maxsize=2000, ttl=max(1, self.cache_seconds), timer=self.timer)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InkijkBronnen:
        # cycle: app.inkijk.haalcentraal and app.inkijk.synthetisch import app.inkijk.bronnen
        # (register_adapter, BronAntwoord); importing them registers the adapters.
        from app.inkijk import haalcentraal, synthetisch  # noqa: F401

        chosen = parse_bronnen(config.get("INKIJK_BRONNEN"))
        adapters: dict[str, BronAdapter] = {}
        for bron in BRONNEN:
            name = chosen.get(bron.sleutel, "synthetisch")
            if name == "uit":
                continue
            factory = ADAPTERS.get(name)
            if factory is None:
                raise ValueError(f"INKIJK_BRONNEN: onbekende adapter {name!r} voor {bron.sleutel}")
            adapters[bron.sleutel] = factory(bron.sleutel, config)
        return cls(adapters=adapters, cache_seconds=int(config.get("INKIJK_CACHE_SECONDS", 300)))

    def bronnen(self) -> list[BronSoort]:
        return [b for b in BRONNEN if b.sleutel in self.adapters]

    def vraag(self, bron: str, bsn: str, niveau: str = BUITENKANT) -> tuple[BronAntwoord, bool]:
        """The answer, and whether it was fetched now (False: from the cache)."""
        adapter = self.adapters.get(bron)
        if adapter is None:
            raise BronNietBeschikbaar(bron)
        if niveau != BUITENKANT:
            return adapter.vraag(bsn, niveau), True
        key = (bron, bsn)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached, False
        answer = adapter.vraag(bsn, niveau)
        with self._lock:
            self._cache[key] = answer
        return answer, True

    def partij(self, bron: str) -> str | None:
        adapter = self.adapters.get(bron)
        return adapter.partij if adapter is not None else None

    def vergeet(self) -> None:
        with self._lock:
            self._cache.clear()


def init_app(app: Any) -> None:
    bronnen = InkijkBronnen.from_config(app.config)
    app.extensions["eenplan_inkijk"] = bronnen
    for adapter in bronnen.adapters.values():
        uri = getattr(adapter, "processor", None)
        if adapter.partij and uri:
            register_application(app, adapter.partij, uri)


def bronnen() -> InkijkBronnen:
    found: InkijkBronnen = current_app.extensions["eenplan_inkijk"]
    return found
