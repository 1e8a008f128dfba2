"""Tables of the management information, suppressed, and what the pages read to build them:
the filter, its periods, and the stored aggregates (one query per page, by index)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from app.db import session
from app.sturing.bijwerken import maanden
from app.sturing.models import SturingCijfer
from app.sturing.onderdrukking import STANDAARD_DREMPEL, onderdruk, tekst

MAAND_AFKORTINGEN = (
    _l("jan"),
    _l("feb"),
    _l("mrt"),
    _l("apr"),
    _l("mei"),
    _l("jun"),
    _l("jul"),
    _l("aug"),
    _l("sep"),
    _l("okt"),
    _l("nov"),
    _l("dec"),
)


def drempel() -> int:
    return int(current_app.config.get("STURING_DREMPEL", STANDAARD_DREMPEL))


@dataclass(frozen=True)
class Periode:
    label: str
    maanden: tuple[str, ...]

    @property
    def laatste(self) -> str:
        return self.maanden[-1]


@dataclass(frozen=True)
class Filter:
    periode: str  # maand | kwartaal
    van: str  # YYYY-MM
    tot: str  # YYYY-MM
    team: int  # 0: the whole municipality
    dim: str = ""  # "", organisatie, domein, bron
    dim_waarde: str = ""

    def perioden(self) -> list[Periode]:
        lijst = maanden(self.van, self.tot)
        if self.periode == "maand":
            return [Periode(f"{MAAND_AFKORTINGEN[int(m[5:]) - 1]} {m[:4]}", (m,)) for m in lijst]
        per: dict[str, list[str]] = defaultdict(list)
        for m in lijst:
            per[f"{m[:4]} K{(int(m[5:]) - 1) // 3 + 1}"].append(m)
        return [Periode(k, tuple(v)) for k, v in per.items()]


class Cijfers:
    """The stored aggregates of some figures for a filter, indexed for the table builders."""

    def __init__(self, filt: Filter, figuren: tuple[str, ...], *, met_dim: bool = True) -> None:
        stmt = select(
            SturingCijfer.figuur,
            SturingCijfer.maand,
            SturingCijfer.sleutel,
            SturingCijfer.sleutel2,
            SturingCijfer.waarde,
            SturingCijfer.aantal,
        ).where(
            SturingCijfer.figuur.in_(figuren),
            SturingCijfer.team_id == filt.team,
            SturingCijfer.dim == (filt.dim if met_dim else ""),
            SturingCijfer.dim_waarde == (filt.dim_waarde if met_dim else ""),
            SturingCijfer.maand >= filt.van,
            SturingCijfer.maand <= filt.tot,
        )
        self.rijen: dict[str, list[Any]] = defaultdict(list)
        # Sums by (figuur, maand[, sleutel[, sleutel2]]): a cell is a few dictionary look-ups.
        self._som: dict[tuple[str, ...], int] = defaultdict(int)
        for r in session.execute(stmt):
            self.rijen[r.figuur].append(r)
            self._som[(r.figuur, r.maand)] += r.aantal
            self._som[(r.figuur, r.maand, r.sleutel)] += r.aantal
            self._som[(r.figuur, r.maand, r.sleutel, r.sleutel2)] += r.aantal

    def som(
        self,
        figuur: str,
        maanden_: tuple[str, ...] | list[str],
        sleutel: str | None = None,
        sleutel2: str | None = None,
    ) -> int:
        if sleutel is None and sleutel2 is not None:
            return sum(
                r.aantal
                for r in self.rijen.get(figuur, [])
                if r.maand in set(maanden_) and r.sleutel2 == sleutel2
            )
        achter = tuple(k for k in (sleutel, sleutel2) if k is not None)
        return sum(self._som.get((figuur, m, *achter), 0) for m in maanden_)

    def sleutels(self, figuur: str, veld: str = "sleutel") -> list[str]:
        return sorted({getattr(r, veld) for r in self.rijen.get(figuur, [])})

    def verdeling(
        self, figuur: str, maanden_: tuple[str, ...] | list[str], sleutel: str | None = None
    ) -> list[tuple[int, int]]:
        """(waarde, aantal) of a duration figure, summed over the months."""
        ms = set(maanden_)
        per: dict[int, int] = defaultdict(int)
        for r in self.rijen.get(figuur, []):
            if r.maand in ms and (sleutel is None or r.sleutel == sleutel):
                per[r.waarde] += r.aantal
        return sorted(per.items())


def percentiel(verdeling: list[tuple[int, int]], p: float) -> int | None:
    """Nearest-rank percentile of a histogram (value, count); None when empty."""
    n = sum(a for _w, a in verdeling)
    if n == 0:
        return None
    rang = max(1, math.ceil(p * n))
    gezien = 0
    for w, a in verdeling:
        gezien += a
        if gezien >= rang:
            return w
    return verdeling[-1][0]


def gemiddelde(verdeling: list[tuple[int, int]]) -> float | None:
    n = sum(a for _w, a in verdeling)
    return sum(w * a for w, a in verdeling) / n if n else None


@dataclass
class Reeks:
    """One line or bar series of a chart: values per label, None where suppressed."""

    naam: str
    waarden: list[int | float | None]


@dataclass
class Tabel:
    naam: str  # the CSV file's name
    titel: str
    kop: str  # the header of the first column
    kolommen: list[str]
    rijen: list[tuple[str, list[str], bool]]  # label, cells, is a total row
    noot: str | None = None
    grafiek: Markup | None = None
    # For the chart and the tests: the numbers behind the cells (None: hidden).
    getallen: list[list[int | float | None]] = field(default_factory=list)


def telling(
    naam: str,
    titel: str,
    kop: str,
    rijlabels: list[str],
    kolomlabels: list[str],
    cellen: list[list[int]],
    *,
    rijtotalen: bool,
    kolomtotalen: bool,
    noot: str | None = None,
) -> Tabel:
    """A table of counts with the suppression rule applied (app/sturing/onderdrukking.py)."""
    d = drempel()
    if not rijlabels:
        return Tabel(naam, titel, kop, kolomlabels, [], noot or _("Geen gegevens in deze periode."))
    raster = onderdruk(cellen, d, rijtotalen=rijtotalen, kolomtotalen=kolomtotalen)
    labels = list(rijlabels) + ([_("Totaal")] if kolomtotalen else [])
    kolommen = list(kolomlabels) + ([_("Totaal")] if rijtotalen else [])
    rijen = []
    getallen: list[list[int | float | None]] = []
    for i, label in enumerate(labels):
        w, v, p = raster.waarden[i], raster.verborgen[i], raster.primair[i]
        rijen.append(
            (
                label,
                [tekst(w[k], v[k], p[k], d) for k in range(len(w))],
                kolomtotalen and i == len(labels) - 1,
            )
        )
        getallen.append([None if v[k] else w[k] for k in range(len(w))])
    return Tabel(naam, titel, kop, kolommen, rijen, noot, getallen=getallen)


def statistiek(waarde: float | None, n: int, decimalen: int = 0) -> tuple[str, float | None]:
    """A median, percentile or average: shown only for a group of at least the threshold."""
    if waarde is None or n == 0:
        return "–", None
    if n < drempel():
        return _("niet getoond"), None
    if decimalen:
        return f"{waarde:.{decimalen}f}".replace(".", ","), round(waarde, decimalen)
    return str(int(waarde)), waarde


def aantal_tekst(n: int) -> str:
    d = drempel()
    return f"< {d}" if 0 < n < d else str(n)


def aantal_getal(n: int) -> int | None:
    return None if 0 < n < drempel() else n
