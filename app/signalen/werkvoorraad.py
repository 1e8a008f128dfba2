"""The signal team's queue: open signals grouped per person and household, with the
combination rules that fired (data, see ``regel_vuurt``); most urgent first.

A signal's group (computed and kept in :mod:`app.signalen.werkvoorraad_groepen`):

* matched to a person: the person's household — the address (postcode, number, addition) or,
  without one, the person; households joined by an active gezinslink are one group (the links
  are followed as far as they go);
* not matched, with a delivered BSN: the household of the person in Eenplan with that BSN
  (a person created later takes them in at once), else that BSN — so three creditors for one
  unknown BSN are one row and the rules fire on them together;
* not matched, without a BSN (the web form with name, date of birth and address): the address
  (``adres_sleutel``), which also joins a known household at that address;
* otherwise the signal alone.

The groups are a summary table kept in the transaction of every change; this module pages,
filters and counts it. The key of a group never leaves the database (hashed there): rows are
shown by person, or by one of their not yet matched signals (its id is the link), never by BSN.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from app.db import session
from app.domain import LEEFGEBIEDEN
from app.signalen.models import CombinatieRegel
from app.signalen.werkvoorraad_groepen import MELDING, WerkvoorraadGroep, regel_vuurt

G = WerkvoorraadGroep.__table__
PER_PAGINA = 50
URGENTIES = {1: _l("Normaal"), 2: _l("Hoog"), 3: _l("Zeer hoog")}

_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})\b")
_NUMMER = re.compile(r"(\d{1,5})\s*-?\s*([A-Za-z]{1,4}|\d{1,4})?$")


def adres_sleutel(adres: str | None) -> str | None:
    """The household key of a free-text address (``Straat 12a, 1234 AB Plaats``): postcode,
    number and addition, as for a person (:func:`_person_key`); None when the text has no
    Dutch postcode with a number before it."""
    if not adres:
        return None
    m = _POSTCODE.search(adres)
    if m is None:
        return None
    nummer = _NUMMER.search(adres[: m.start()].rstrip(" ,"))
    if nummer is None:
        return None
    toevoeging = (nummer.group(2) or "").upper()
    return f"A:{(m.group(1) + m.group(2)).upper()}:{int(nummer.group(1))}:{toevoeging}"


@dataclass(frozen=True)
class Filter:
    """What the queue is narrowed to (each None: everything)."""

    urgentie: int | None = None
    bron: str | None = None  # a source's code, or MELDING
    regel: str | None = None  # a rule's code
    domein: str | None = None  # a life domain

    def args(self) -> dict[str, Any]:
        """The filter as query parameters (for links that keep it)."""
        values = {"urgentie": self.urgentie, "bron": self.bron}
        values |= {"regel": self.regel, "domein": self.domein}
        return {k: v for k, v in values.items() if v is not None}


@dataclass
class Groep:
    """A person or household in the queue: counts and the rules that fired (no content)."""

    person_ids: list[int]
    aantal: int
    aantal_bronnen: int
    domeinen: list[str]
    nieuwste: dt.datetime
    urgentie: int
    regels: list[CombinatieRegel] = field(default_factory=list)
    heropend: bool = False
    ongekoppeld: int = 0  # signals not matched to a person
    signaal_id: int | None = None  # one not matched signal: the link to match the group
    bsn_geleverd: bool = False  # the not matched signals carry a BSN unknown to Eenplan


@dataclass
class Pagina:
    groepen: list[Groep]
    pagina: int
    per_pagina: int
    totaal: int  # groups (with the filter)
    signalen: int  # signals in those groups
    per_urgentie: dict[int, int]  # groups per urgency (with the other filters)

    @property
    def paginas(self) -> int:
        return max(1, -(-self.totaal // self.per_pagina))


def actieve_regels() -> list[CombinatieRegel]:
    return list(
        session.scalars(
            select(CombinatieRegel)
            .where(CombinatieRegel.actief.is_(True))
            .order_by(CombinatieRegel.urgentie.desc(), CombinatieRegel.id)
        )
    )


def _filters(filt: Filter) -> list[ColumnElement[Any]]:
    """The filter (except the urgency) on the summary table."""
    conditions: list[ColumnElement[Any]] = []
    if filt.bron is not None:
        conditions.append(G.c.bronnen.contains(f",{filt.bron},", autoescape=True))
    if filt.regel is not None:
        conditions.append(G.c.regels.contains(f",{filt.regel},", autoescape=True))
    if filt.domein is not None:
        conditions.append(G.c.domeinen.contains(f",{filt.domein},", autoescape=True))
    return conditions


def werkvoorraad(
    filt: Filter | None = None,
    pagina: int = 1,
    per_pagina: int = PER_PAGINA,
    regels: list[CombinatieRegel] | None = None,
) -> Pagina:
    """One page of the queue: open signals (not deleted, not in a finished case) grouped per
    person and household (and per delivered BSN or address before a person is known), with
    the rules that fired; reopened cases first, then urgency, then the newest signal. The
    order is stable (the group's key last), so paging is complete and without overlap.

    Read from the summary table (:mod:`app.signalen.werkvoorraad_groepen`): the page is an
    index scan in the queue's order, the totals a count over it. ``regels``: the active rules,
    when the caller has them already."""
    filt = filt or Filter()
    conditions = _filters(filt)
    per_u = dict.fromkeys(URGENTIES, 0)
    signalen_per_u = dict.fromkeys(URGENTIES, 0)
    for urgentie, n, signalen in session.execute(
        select(G.c.urgentie, func.count(), func.sum(G.c.aantal))
        .where(*conditions)
        .group_by(G.c.urgentie)
        .execution_options(audit_internal=True)  # counts; the view logs what it shows
    ):
        per_u[int(urgentie)] = int(n)
        signalen_per_u[int(urgentie)] = int(signalen or 0)
    if filt.urgentie is not None:
        conditions.append(G.c.urgentie == filt.urgentie)
        totaal, signalen = per_u.get(filt.urgentie, 0), signalen_per_u.get(filt.urgentie, 0)
    else:
        totaal, signalen = sum(per_u.values()), sum(signalen_per_u.values())
    rows = (
        session.execute(
            select(G)
            .where(*conditions)
            .order_by(
                G.c.heropend.desc(), G.c.urgentie.desc(), G.c.nieuwste.desc(), G.c.sleutel.desc()
            )
            .limit(per_pagina)
            .offset((pagina - 1) * per_pagina)
            .execution_options(audit_internal=True)  # counts and keys; the view logs
        )
        .mappings()
        .all()
    )
    per_code = {r.code: r for r in (actieve_regels() if regels is None else regels)}
    groepen = [_groep(row, per_code) for row in rows]
    return Pagina(groepen, pagina, per_pagina, totaal, signalen, per_u)


def _groep(row: Any, regels: dict[str, CombinatieRegel]) -> Groep:
    person_ids = sorted({int(x) for x in row["personen"].split(",") if x})
    domeinen = set(row["domeinen"].split(","))
    fired = [c for c in row["regels"].split(",") if c]
    return Groep(
        person_ids=person_ids,
        aantal=int(row["aantal"]),
        aantal_bronnen=int(row["aantal_bronnen"]),
        domeinen=[d for d in LEEFGEBIEDEN if d in domeinen],
        nieuwste=row["nieuwste"],
        urgentie=int(row["urgentie"]),
        regels=[regels[c] for c in fired if c in regels],
        heropend=bool(row["heropend"]),
        ongekoppeld=int(row["ongekoppeld"]),
        signaal_id=row["signaal_id"],
        bsn_geleverd=bool(row["bsn_geleverd"]),
    )


__all__ = [
    "MELDING",
    "PER_PAGINA",
    "URGENTIES",
    "Filter",
    "Groep",
    "Pagina",
    "actieve_regels",
    "adres_sleutel",
    "regel_vuurt",
    "werkvoorraad",
]
