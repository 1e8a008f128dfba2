"""The signal team's queue: open signals grouped per person and household, with the
combination rules that fired (data, see ``regel_vuurt``); most urgent first.

Grouping, the rules, the ranking, the filters, the totals and the paging are one SQL statement
(SQLite and PostgreSQL), so the whole queue can be paged through at city scale. A signal's group:

* matched to a person: the person's household — the address (postcode, number, addition) or,
  without one, the person; households joined by an active gezinslink are one group (the links
  are followed as far as they go, in a recursive CTE over the few keys they connect);
* not matched, with a delivered BSN (a source's BSN nobody in Eenplan has yet): that BSN, so
  three creditors for one unknown BSN are one row and the rules fire on them together;
* not matched, without a BSN (the web form with name, date of birth and address): the address
  (``adres_sleutel``), which also joins a known household at that address;
* otherwise the signal alone.

The key of a group never leaves this module: rows are shown by person, or by one of their not
yet matched signals (its id is the link), never by BSN.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.sql.elements import ColumnElement

from app.db import session
from app.domain import AFWEGING_LOPEND, LEEFGEBIEDEN, AfwegingStatus
from app.people.models import Person
from app.plans.models import Gezinslink
from app.signalen.models import Afweging, CombinatieRegel, SignaalBron, Vroegsignaal
from app.signalen.werkvoorraad_cache import alle_groepen

PER_PAGINA = 50
WORK_MEM = "32MB"  # PostgreSQL, for the queue's statement (see werkvoorraad())
MELDING = "melding"  # the "source" of signals from the web form (no source system)
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


def _cat(*parts: Any) -> ColumnElement[str]:
    """Text joined with ``||`` (on SQLite and PostgreSQL alike)."""
    out: ColumnElement[str] = literal("", String)
    for part in parts:
        out = out.concat(literal(part, String) if isinstance(part, str) else part)
    return out


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


def regel_vuurt(regel: CombinatieRegel, signalen: list[Vroegsignaal]) -> bool:
    """Evaluate one rule (data) on a group's signals (the queue does the same in SQL,
    :func:`_regel_sql`). The vocabulary of conditions:

    * ``min_bronnen``: at least ``aantal`` distinct sources (optionally of ``bron_soort``);
    * ``min_domeinen``: at least ``aantal`` distinct life domains;
    * ``categorie``: any signal of one of ``categorieen``;
    * ``samen``: signals of every one of ``categorieen`` together.
    """
    v = regel.voorwaarde or {}
    kind = v.get("type")
    if kind == "min_bronnen":
        soort = v.get("bron_soort")
        sources = {
            s.bron.code if s.bron else f"melder:{s.melder_id}"
            for s in signalen
            if soort is None or (s.bron is not None and s.bron.soort == soort)
        }
        return len(sources) >= int(v.get("aantal", 2))
    if kind == "min_domeinen":
        return len({d for s in signalen for d in s.domein_lijst}) >= int(v.get("aantal", 2))
    if kind == "categorie":
        return any(s.categorie in v.get("categorieen", []) for s in signalen)
    if kind == "samen":
        cats = {s.categorie for s in signalen}
        return bool(v.get("categorieen")) and all(c in cats for c in v["categorieen"])
    return False


# --- the statement ----------------------------------------------------------------------------


def _person_key(p: Any) -> ColumnElement[Any]:
    """A person's household key: their address, or (without one) themselves."""
    postcode = func.upper(func.replace(func.coalesce(p.postcode, ""), " ", ""), type_=String)
    toevoeging = func.upper(func.coalesce(p.huisnummer_toevoeging, ""), type_=String)
    return case(
        (
            and_(postcode != "", func.coalesce(p.huisnummer, "") != ""),
            _cat("A:", postcode, ":", p.huisnummer, ":", toevoeging),
        ),
        else_=_cat("P:", cast(p.id, String)),
    )


def _bron_soorten() -> dict[str, list[int]]:
    soorten: dict[str, list[int]] = {}
    for bron_id, soort in session.execute(select(SignaalBron.id, SignaalBron.soort)):
        soorten.setdefault(soort, []).append(bron_id)
    return soorten


def _regel_sql(regel: CombinatieRegel, g: Any, soorten: dict[str, list[int]]) -> ColumnElement[Any]:
    """A rule as an expression over the aggregated group ``g`` (see :func:`regel_vuurt`)."""
    v = regel.voorwaarde or {}
    kind = v.get("type")
    if kind == "min_bronnen":
        soort = v.get("bron_soort")
        column = g.c.bronnen if soort is None else g.c[f"soort_{_slug(soort)}"]
        return column >= int(v.get("aantal", 2))
    if kind == "min_domeinen":
        return sum((g.c[f"d_{d}"] for d in LEEFGEBIEDEN), literal(0)) >= int(v.get("aantal", 2))
    cats = [c for c in v.get("categorieen", []) if isinstance(c, str)]
    if kind == "categorie" and cats:
        return or_(*(g.c[f"c_{_slug(c)}"] == 1 for c in cats))
    if kind == "samen" and cats:
        return and_(*(g.c[f"c_{_slug(c)}"] == 1 for c in cats))
    return false()


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", value.lower())[:40]


def _regel_categorieen(regels: list[CombinatieRegel]) -> set[str]:
    return {
        c
        for r in regels
        if (r.voorwaarde or {}).get("type") in ("categorie", "samen")
        for c in (r.voorwaarde or {}).get("categorieen", [])
        if isinstance(c, str)
    }


def actieve_regels() -> list[CombinatieRegel]:
    return list(
        session.scalars(
            select(CombinatieRegel)
            .where(CombinatieRegel.actief.is_(True))
            .order_by(CombinatieRegel.urgentie.desc(), CombinatieRegel.id)
        )
    )


def _groepen_sql(
    regels: list[CombinatieRegel], filt: Filter, soorten: dict[str, list[int]], dialect: str
) -> Any:
    """The grouped, ranked queue (before paging) as a subquery: one row per group."""
    v = Vroegsignaal.__table__
    p = Person.__table__
    open_cases = select(Afweging.id).where(Afweging.status.in_(AFWEGING_LOPEND))
    is_open = and_(
        v.c.verwijderd_op.is_(None),
        or_(v.c.afweging_id.is_(None), v.c.afweging_id.in_(open_cases)),
    )
    # The people with open signals and their household key (computed once per person).
    pk = (
        select(p.c.id.label("person_id"), _person_key(p.c).label("k"))
        .where(p.c.id.in_(select(v.c.person_id).where(is_open, v.c.person_id.is_not(None))))
        .cte("pk")
    )
    raw_key = case(
        (v.c.person_id.is_not(None), pk.c.k),
        (v.c.bsn.is_not(None), v.c.bsn),  # nine digits: no other key starts with a digit
        (v.c.adres_sleutel.is_not(None), v.c.adres_sleutel),  # "A:…", as a person's
        else_=_cat("S:", cast(v.c.id, String)),
    )
    sig = (
        select(
            v.c.id,
            v.c.person_id,
            v.c.bron_id,
            v.c.bsn,
            v.c.categorie,
            v.c.domeinen,
            v.c.ontvangen_op,
            v.c.melder_id,
            raw_key.label("k"),
        )
        .select_from(v.outerjoin(pk, pk.c.person_id == v.c.person_id))
        .where(is_open)
        .cte("sig")
    )
    # Households joined by gezinslinks: a graph over the (few) keys the links connect.
    gl = Gezinslink.__table__
    links = union_all(
        select(gl.c.person_a_id.label("a"), gl.c.person_b_id.label("b")).where(
            gl.c.verbroken_op.is_(None)
        ),
        select(gl.c.person_b_id.label("a"), gl.c.person_a_id.label("b")).where(
            gl.c.verbroken_op.is_(None)
        ),
    ).subquery("links")
    pk_b = pk.alias("pk_b")
    edges = (
        select(pk.c.k.label("x"), pk_b.c.k.label("y"))
        .select_from(
            links.join(pk, pk.c.person_id == links.c.a).join(pk_b, pk_b.c.person_id == links.c.b)
        )
        .where(pk.c.k != pk_b.c.k)
        .distinct()
        .cte("edges")
    )
    reach = select(edges.c.x, edges.c.y).cte("reach", recursive=True)
    reach = reach.union(
        select(reach.c.x, edges.c.y).select_from(reach.join(edges, edges.c.x == reach.c.y))
    )
    root = select(reach.c.x, func.min(reach.c.y).label("r")).group_by(reach.c.x).subquery("root")
    key_expr: ColumnElement[Any] = case(
        (and_(root.c.r.is_not(None), root.c.r < sig.c.k), root.c.r), else_=sig.c.k
    )
    if dialect == "postgresql":
        # Keys are compared byte by byte: sorting 60,000 of them by the locale costs more.
        key_expr = key_expr.collate("C")
    key = key_expr.label("key")
    heropend = select(Afweging.person_id).where(Afweging.status == AfwegingStatus.HEROPEND)

    def flag(condition: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.max(case((condition, 1), else_=0))

    # Two steps, so no COUNT(DISTINCT …) is needed (PostgreSQL sorts per group for it): first
    # per group and source (a source system, or a melder), then per group.
    melder = func.coalesce(sig.c.melder_id, 0).label("melder")
    sig_domeinen = _cat(",", sig.c.domeinen, ",")
    flags = [flag(sig_domeinen.like(f"%,{d},%")).label(f"d_{d}") for d in LEEFGEBIEDEN]
    flags += [
        flag(sig.c.categorie == c).label(f"c_{_slug(c)}")
        for c in sorted(_regel_categorieen(regels))
    ]
    per_bron = (
        select(
            key,
            sig.c.bron_id,
            melder,
            func.count().label("aantal"),
            func.max(sig.c.ontvangen_op).label("nieuwste"),
            func.aggregate_strings(cast(sig.c.person_id, String), ",").label("personen"),
            func.min(case((sig.c.person_id.is_(None), sig.c.id))).label("signaal_id"),
            func.count(case((sig.c.person_id.is_(None), 1))).label("ongekoppeld"),
            flag(and_(sig.c.person_id.is_(None), sig.c.bsn.is_not(None))).label("bsn_geleverd"),
            flag(sig.c.person_id.in_(heropend)).label("heropend"),
            *flags,
        )
        .select_from(sig.outerjoin(root, root.c.x == sig.c.k))
        .group_by(key, sig.c.bron_id, melder)
        .subquery("per_bron")
    )
    pb = per_bron.c
    wanted_soorten = {
        (r.voorwaarde or {}).get("bron_soort")
        for r in regels
        if (r.voorwaarde or {}).get("type") == "min_bronnen"
    } - {None}
    columns: list[Any] = [
        pb.key,
        func.sum(pb.aantal).label("aantal"),
        func.max(pb.nieuwste).label("nieuwste"),
        func.count().label("bronnen"),
        func.aggregate_strings(pb.personen, ",").label("personen"),
        func.min(pb.signaal_id).label("signaal_id"),
        func.sum(pb.ongekoppeld).label("ongekoppeld"),
        func.max(pb.bsn_geleverd).label("bsn_geleverd"),
        func.max(pb.heropend).label("heropend"),
        *(func.max(pb[f.name]).label(f.name) for f in flags),
    ]
    for soort in sorted(str(x) for x in wanted_soorten):
        ids = soorten.get(soort, [])
        columns.append(
            func.sum(case((pb.bron_id.in_(ids), 1), else_=0)).label(f"soort_{_slug(soort)}")
            if ids
            else literal(0).label(f"soort_{_slug(soort)}")
        )
    if filt.bron is not None:
        if filt.bron == MELDING:
            columns.append(flag(pb.bron_id.is_(None)).label("f_bron"))
        else:
            bron_id = select(SignaalBron.id).where(SignaalBron.code == filt.bron).scalar_subquery()
            columns.append(flag(pb.bron_id == bron_id).label("f_bron"))
    g = select(*columns).group_by(pb.key).subquery("g")
    fired = [_regel_sql(r, g, soorten) for r in regels]
    # The highest urgency of the rules that fired (``regels`` is highest first), at least 1.
    raising = [
        (f, literal(r.urgentie)) for f, r in zip(fired, regels, strict=True) if r.urgentie > 1
    ]
    urgentie: ColumnElement[Any] = case(*raising, else_=literal(1)) if raising else literal(1)
    ranked = select(
        g,
        urgentie.label("urgentie"),
        *(case((f, 1), else_=0).label(f"r_{i}") for i, f in enumerate(fired)),
    )
    conditions: list[ColumnElement[Any]] = []
    if filt.bron is not None:
        conditions.append(g.c.f_bron == 1)
    if filt.domein is not None:
        conditions.append(g.c[f"d_{filt.domein}"] == 1)
    if filt.regel is not None:
        conditions += [f for f, r in zip(fired, regels, strict=True) if r.code == filt.regel] or [
            false()
        ]
    return ranked.where(*conditions).subquery("ranked")


# Built statements by what shapes them (the rules, the sources' kinds, the filter, the
# database): building one costs more than running it on a small queue.
_STATEMENTS: dict[Any, Any] = {}


def _statement(regels: list[CombinatieRegel], filt: Filter) -> tuple[Any, Any]:
    """The ranked groups with the counts per urgency (windows), as a subquery; and its shape
    (the key it is kept under)."""
    soorten = _bron_soorten()
    dialect = session.get_bind().dialect.name
    key = (
        tuple((r.id, r.code, json.dumps(r.voorwaarde, sort_keys=True), r.urgentie) for r in regels),
        tuple(sorted((k, tuple(v)) for k, v in soorten.items())),
        filt,
        dialect,
    )
    windowed = _STATEMENTS.get(key)
    if windowed is None:
        ranked = _groepen_sql(regels, filt, soorten, dialect)
        per_urgentie = {
            u: func.sum(case((ranked.c.urgentie == u, 1), else_=0)).over() for u in URGENTIES
        }
        windowed = select(
            ranked,
            *(expr.label(f"u_{u}") for u, expr in per_urgentie.items()),
        ).subquery("w")
        if len(_STATEMENTS) > 256:
            _STATEMENTS.clear()
        _STATEMENTS[key] = windowed
    return key, windowed


def werkvoorraad(
    filt: Filter | None = None, pagina: int = 1, per_pagina: int = PER_PAGINA
) -> Pagina:
    """One page of the queue: open signals (not deleted, not in a finished case) grouped per
    person and household (and per delivered BSN or address before a person is known), with
    the rules that fired; reopened cases first, then urgency, then the newest signal. The
    order is stable (the group's key last), so paging is complete and without overlap."""
    filt = filt or Filter()
    if session.get_bind().dialect.name == "postgresql":
        # For this transaction: the planner misjudges the recursive CTE by orders of magnitude
        # and would spend seconds compiling the statement (JIT) to save milliseconds; and the
        # grouping of every open signal fits in memory instead of spilling to disk.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    regels = actieve_regels()
    shape, windowed = _statement(regels, filt)
    order = [
        windowed.c.heropend.desc(),
        windowed.c.urgentie.desc(),
        windowed.c.nieuwste.desc(),
        windowed.c.key,
    ]
    if session.get_bind().dialect.name == "postgresql":
        return _uit_alle(alle_groepen(shape, windowed, order), filt, pagina, per_pagina, regels)
    page = (
        select(
            windowed,
            func.count().over().label("totaal"),
            func.sum(windowed.c.aantal).over().label("signalen"),
        )
        .where(*([windowed.c.urgentie == filt.urgentie] if filt.urgentie is not None else []))
        .order_by(*order)
        .limit(per_pagina)
        .offset((pagina - 1) * per_pagina)
        .execution_options(audit_internal=True)  # counts and keys; the view logs what it shows
    )
    rows = session.execute(page).mappings().all()
    totals = _totals_only(windowed, filt) if not rows and pagina > 1 else None
    groepen = [_groep(row, regels) for row in rows]
    first = rows[0] if rows else None
    if totals is not None:
        totaal, signalen, per_u = totals
    elif first is not None:
        totaal, signalen = int(first["totaal"]), int(first["signalen"] or 0)
        per_u = {u: int(first[f"u_{u}"] or 0) for u in URGENTIES}
    else:
        totaal, signalen, per_u = 0, 0, dict.fromkeys(URGENTIES, 0)
    return Pagina(groepen, pagina, per_pagina, totaal, signalen, per_u)


def _uit_alle(
    alle: list[Any], filt: Filter, pagina: int, per_pagina: int, regels: list[CombinatieRegel]
) -> Pagina:
    """One page and the totals from every group of the queue (in order; see
    :mod:`app.signalen.werkvoorraad_cache`): as the paged statement gives them."""
    rows = [r for r in alle if filt.urgentie is None or r["urgentie"] == filt.urgentie]
    start = (pagina - 1) * per_pagina
    per_u = {u: int(alle[0][f"u_{u}"] or 0) if alle else 0 for u in URGENTIES}
    groepen = [_groep(row, regels) for row in rows[start : start + per_pagina]]
    signalen = sum(int(r["aantal"]) for r in rows)
    return Pagina(groepen, pagina, per_pagina, len(rows), signalen, per_u)


def _totals_only(windowed: Any, filt: Filter) -> tuple[int, int, dict[int, int]]:
    """Totals for a page beyond the last (so the view can say how many pages there are)."""
    row = session.execute(
        select(
            func.count(),
            func.sum(windowed.c.aantal),
            *(func.max(windowed.c[f"u_{u}"]) for u in URGENTIES),
        )
        .where(*([windowed.c.urgentie == filt.urgentie] if filt.urgentie is not None else []))
        .execution_options(audit_internal=True)
    ).one()
    return int(row[0]), int(row[1] or 0), {u: int(row[2 + i] or 0) for i, u in enumerate(URGENTIES)}


def _groep(row: Any, regels: list[CombinatieRegel]) -> Groep:
    person_ids = sorted({int(x) for x in (row["personen"] or "").split(",") if x})
    return Groep(
        person_ids=person_ids,
        aantal=int(row["aantal"]),
        aantal_bronnen=int(row["bronnen"]),
        domeinen=[d for d in LEEFGEBIEDEN if row[f"d_{d}"]],
        nieuwste=row["nieuwste"],
        urgentie=int(row["urgentie"]),
        regels=[r for i, r in enumerate(regels) if row[f"r_{i}"]],
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
