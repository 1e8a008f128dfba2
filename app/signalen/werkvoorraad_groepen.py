"""The queue's summary table: one row per group of open signals, kept up to date in the
transaction of every change (so the page, :func:`app.signalen.werkvoorraad.werkvoorraad`, is an
index scan over it).

A signal's group (see :mod:`app.signalen.werkvoorraad`) is found in two steps:

* its **base key**: matched to a person, the person's household (address: postcode, number and
  addition; without one, the person); not matched, with a delivered BSN: the household of the
  person in Eenplan with that BSN if there is one (a person created later takes their signals
  in at once), else that BSN; without BSN, the address (``adres_sleutel``); else the signal;
* its **group key**: base keys joined by active gezinslinks (between the linked persons'
  households) are one group, keyed by the least key of the component.

Keys are stored hashed (``_hash``): the table holds no BSN or address, and the key never
leaves this module. ``werkvoorraad_lid`` holds, per open signal, its base and group key, so a
change knows which groups it touches: :func:`bijwerken` is given what changed (signals, persons,
afwegingen, BSNs), recomputes the base keys of the signals concerned, closes the set over the
gezinslinks and over the groups those keys were in, and rewrites exactly those groups.
:func:`herbouw` computes everything from scratch (``flask signals werkvoorraad-herbouw``, the
migration, and the test that the kept table always equals it).

Everything here is Core on the transaction's connection: counts and keys, no one's data is
shown (the page writes the logboek lines for what it shows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Connection,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime
from app.domain import AFWEGING_LOPEND, AfwegingStatus
from app.people.models import Person
from app.plans.models import Gezinslink
from app.signalen.bulk import chunks, column_in
from app.signalen.models import Afweging, CombinatieRegel, SignaalBron, Vroegsignaal

MELDING = "melding"  # the "source" of signals from the web form (no source system)
CHUNK = 2000
# PostgreSQL: one transaction at a time rewrites groups (see _lock).
LOCK_KEY = 0x5752_4B56  # "WRKV"


class WerkvoorraadGroep(Base):
    """One row of the queue: a person, household, delivered BSN or address, with what the
    queue sorts and filters on (``,``-framed lists: ``,wonen,financien,``)."""

    __tablename__ = "werkvoorraad_groep"
    __table_args__ = (
        Index("ix_werkvoorraad_groep_volgorde", "heropend", "urgentie", "nieuwste", "sleutel"),
        Index("ix_werkvoorraad_groep_urgentie", "urgentie", "heropend", "nieuwste", "sleutel"),
    )

    sleutel: Mapped[str] = mapped_column(String(32), primary_key=True)
    heropend: Mapped[bool] = mapped_column(Boolean)
    urgentie: Mapped[int] = mapped_column(Integer)
    nieuwste: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    oudste: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    aantal: Mapped[int] = mapped_column(Integer)
    aantal_bronnen: Mapped[int] = mapped_column(Integer)
    ongekoppeld: Mapped[int] = mapped_column(Integer)  # signals not matched to a person
    in_afweging: Mapped[int] = mapped_column(Integer)  # signals in an open afweging
    signaal_id: Mapped[int | None] = mapped_column(Integer)  # the least not matched signal
    bsn_geleverd: Mapped[bool] = mapped_column(Boolean)
    personen: Mapped[str] = mapped_column(Text)  # person ids
    bronnen: Mapped[str] = mapped_column(Text)  # source codes, and MELDING
    regels: Mapped[str] = mapped_column(Text)  # codes of the rules that fired
    domeinen: Mapped[str] = mapped_column(String(200))


class WerkvoorraadLid(Base):
    """An open signal's base and group key (hashed) and person: what a change touches."""

    __tablename__ = "werkvoorraad_lid"

    signaal_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    basis: Mapped[str] = mapped_column(String(32), index=True)
    groep: Mapped[str] = mapped_column(String(32), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)


G = cast(Table, WerkvoorraadGroep.__table__)
L = cast(Table, WerkvoorraadLid.__table__)
V = cast(Table, Vroegsignaal.__table__)
P = cast(Table, Person.__table__)
A = cast(Table, Afweging.__table__)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _household(pid: int, postcode: str | None, nummer: str | None, toev: str | None) -> str:
    """A person's household key: their address, or (without one) themselves (as
    :func:`app.signalen.werkvoorraad.adres_sleutel` reads a free-text address)."""
    pc = (postcode or "").replace(" ", "").upper()
    if pc and (nummer or ""):
        return f"A:{pc}:{nummer}:{(toev or '').upper()}"
    return f"P:{pid}"


@dataclass
class _Bron:
    code: str
    soort: str | None


@dataclass
class _Sig:
    """What the rules (:func:`app.signalen.werkvoorraad.regel_vuurt`) and the row need."""

    id: int
    person_id: int | None  # matched, or (not matched) the person with the delivered BSN
    gekoppeld: bool
    bsn: bool
    bron: _Bron | None
    melder_id: int | None
    categorie: str
    domein_lijst: list[str]
    ontvangen_op: dt.datetime
    in_afweging: bool
    basis: str


def regel_vuurt(regel: Any, signalen: list[Any]) -> bool:
    """Evaluate one rule (data: a :class:`CombinatieRegel` or a row of it) on a group's
    signals (a :class:`Vroegsignaal` or :class:`_Sig` each). The vocabulary of conditions:

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


def _signals(conn: Connection, where: Any) -> tuple[list[_Sig], set[int]]:
    """The open signals matching ``where`` with their base keys; and the ids of those matched
    by ``where`` that are not open (any more)."""
    pb = P.alias("pb")
    bronnen = {
        i: _Bron(c, s)
        for i, c, s in conn.execute(select(SignaalBron.id, SignaalBron.code, SignaalBron.soort))
    }
    stmt = (
        select(
            V.c.id,
            V.c.person_id,
            V.c.bsn,
            V.c.adres_sleutel,
            V.c.bron_id,
            V.c.melder_id,
            V.c.categorie,
            V.c.domeinen,
            V.c.ontvangen_op,
            V.c.afweging_id,
            V.c.verwijderd_op,
            A.c.status,
            P.c.postcode,
            P.c.huisnummer,
            P.c.huisnummer_toevoeging,
            pb.c.id,
            pb.c.postcode,
            pb.c.huisnummer,
            pb.c.huisnummer_toevoeging,
        )
        .select_from(
            V.outerjoin(P, P.c.id == V.c.person_id)
            .outerjoin(pb, and_(V.c.person_id.is_(None), pb.c.bsn == V.c.bsn))
            .outerjoin(A, A.c.id == V.c.afweging_id)
        )
        .where(where)
    )
    out: list[_Sig] = []
    closed: set[int] = set()
    for r in conn.execute(stmt):
        (sid, pid, bsn, adres, bron_id, melder, cat, doms, ontv, afw, weg, status) = r[:12]
        if weg is not None or (afw is not None and status not in AFWEGING_LOPEND):
            closed.add(sid)
            continue
        person = pid
        if pid is not None:
            raw = _household(pid, r[12], r[13], r[14])
        elif bsn is not None and r[15] is not None:
            person = r[15]
            raw = _household(r[15], r[16], r[17], r[18])
        elif bsn is not None:
            raw = f"B:{bsn}"
        elif adres is not None:
            raw = adres
        else:
            raw = f"S:{sid}"
        out.append(
            _Sig(
                id=sid,
                person_id=person,
                gekoppeld=pid is not None,
                bsn=bsn is not None,
                bron=bronnen.get(bron_id) if bron_id is not None else None,
                melder_id=melder,
                categorie=cat,
                domein_lijst=[d for d in (doms or "").split(",") if d],
                ontvangen_op=ontv,
                in_afweging=afw is not None,
                basis=_hash(raw),
            )
        )
    return out, closed


class _Links:
    """The households joined by active gezinslinks: each base key in a link's component maps
    to the component's least key (union-find over the few keys the links connect)."""

    def __init__(self, conn: Connection) -> None:
        pa, pb = P.alias("pa"), P.alias("pb")
        gl = Gezinslink.__table__
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        rows = conn.execute(
            select(
                pa.c.id,
                pa.c.postcode,
                pa.c.huisnummer,
                pa.c.huisnummer_toevoeging,
                pb.c.id,
                pb.c.postcode,
                pb.c.huisnummer,
                pb.c.huisnummer_toevoeging,
            )
            .select_from(
                gl.join(pa, pa.c.id == gl.c.person_a_id).join(pb, pb.c.id == gl.c.person_b_id)
            )
            .where(gl.c.verbroken_op.is_(None))
        )
        for r in rows:
            x, y = find(_hash(_household(*r[:4]))), find(_hash(_household(*r[4:])))
            if x != y:
                parent[max(x, y)] = min(x, y)
        self.root = {k: find(k) for k in list(parent)}
        self.members: dict[str, set[str]] = defaultdict(set)
        for k, root in self.root.items():
            self.members[root].add(k)

    def of(self, key: str) -> str:
        return self.root.get(key, key)

    def component(self, keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for k in keys:
            r = self.root.get(k)
            out |= self.members[r] if r is not None else {k}
        return out


def _rows(sigs: list[_Sig], links: _Links, conn: Connection) -> list[dict[str, Any]]:
    """The summary rows of these signals' groups (every open signal of each group given)."""
    cr = CombinatieRegel.__table__
    regels = conn.execute(
        select(cr.c.code, cr.c.voorwaarde, cr.c.urgentie)
        .where(cr.c.actief.is_(True))
        .order_by(cr.c.urgentie.desc(), cr.c.id)
    ).all()
    per_groep: dict[str, list[_Sig]] = defaultdict(list)
    for s in sigs:
        per_groep[links.of(s.basis)].append(s)
    persons = {s.person_id for s in sigs if s.person_id is not None}
    heropend: set[int] = set()
    for chunk in chunks(sorted(persons), CHUNK):
        heropend.update(
            conn.execute(
                select(A.c.person_id).where(
                    column_in(conn, A.c.person_id, chunk), A.c.status == AfwegingStatus.HEROPEND
                )
            ).scalars()
        )
    out = []
    for key, group in per_groep.items():
        fired = [r for r in regels if regel_vuurt(r, group)]
        people = sorted({s.person_id for s in group if s.person_id is not None})
        loose = [s for s in group if not s.gekoppeld]
        codes = {s.bron.code if s.bron else MELDING for s in group}
        bronnen = {s.bron.code if s.bron else f"melder:{s.melder_id}" for s in group}
        domeinen = sorted({d for s in group for d in s.domein_lijst})
        out.append(
            {
                "sleutel": key,
                "heropend": any(p in heropend for p in people),
                "urgentie": max([r.urgentie for r in fired] + [1]),
                "nieuwste": max(s.ontvangen_op for s in group),
                "oudste": min(s.ontvangen_op for s in group),
                "aantal": len(group),
                "aantal_bronnen": len(bronnen),
                "ongekoppeld": len(loose),
                "in_afweging": sum(1 for s in group if s.in_afweging),
                "signaal_id": min((s.id for s in loose), default=None),
                "bsn_geleverd": any(s.bsn for s in loose),
                "personen": _frame(str(p) for p in people),
                "bronnen": _frame(sorted(codes)),
                "regels": _frame(r.code for r in fired),
                "domeinen": _frame(domeinen),
            }
        )
    return out


def _frame(items: Iterable[str]) -> str:
    return "," + "".join(f"{i}," for i in items)


def _write(conn: Connection, sigs: list[_Sig], links: _Links) -> int:
    rows = _rows(sigs, links, conn)
    for chunk in chunks(rows, CHUNK):
        conn.execute(insert(G), chunk)
    members = [
        {"signaal_id": s.id, "basis": s.basis, "groep": links.of(s.basis), "person_id": s.person_id}
        for s in sigs
    ]
    for chunk in chunks(members, CHUNK):
        conn.execute(insert(L), chunk)
    return len(rows)


def _lock(conn: Connection) -> None:
    """PostgreSQL: wait until no other transaction is rewriting groups, and hold that until
    this one ends. Without it two transactions touching one group both delete its row and
    both insert it again (the second fails on the key), or the later one writes it from
    signals read before the earlier committed (a row that no longer tells the truth). Holding
    it, every statement after it sees what the previous holder committed. (The logboek's chain
    head is taken after the last flush, so the order is always this lock, then that one.)
    SQLite has one writer at a time already (``BEGIN IMMEDIATE``)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


def herbouw(conn: Connection) -> int:
    """The whole summary from the signals (idempotent); returns the number of groups."""
    _lock(conn)
    conn.execute(delete(G))
    conn.execute(delete(L))
    open_ = and_(
        V.c.verwijderd_op.is_(None),
        or_(
            V.c.afweging_id.is_(None),
            V.c.afweging_id.in_(select(A.c.id).where(A.c.status.in_(AFWEGING_LOPEND))),
        ),
    )
    sigs, _closed = _signals(conn, open_)
    return _write(conn, sigs, _Links(conn))


def _keys_of(conn: Connection, column: Any, wanted: Iterable[Any], result: Any) -> set[Any]:
    out: set[Any] = set()
    items = sorted(set(wanted))
    for chunk in chunks(items, CHUNK):
        out.update(conn.execute(select(result).where(column_in(conn, column, chunk))).scalars())
    return out


def bijwerken(
    conn: Connection,
    *,
    signalen: Iterable[int] = (),
    personen: Iterable[int] = (),
    afwegingen: Iterable[int] = (),
    bsns: Iterable[str] = (),
    huishoudens: Iterable[tuple[int, str | None, str | None, str | None]] = (),
) -> None:
    """Rewrite the groups that what changed touches: these signals, the signals of these
    persons and afwegingen, the signals not matched delivered with these BSNs, and the
    households of these persons (a gezinslink laid or broken, an address changed), and these
    households (person id, postcode, number, addition: a person's address before it changed)."""
    ids = set(signalen)
    personen, afwegingen, bsns = set(personen), set(afwegingen), set(bsns)
    huishoudens = set(huishoudens)
    if not (ids or personen or afwegingen or bsns or huishoudens):
        return
    _lock(conn)
    ids |= _keys_of(conn, V.c.person_id, personen, V.c.id)
    ids |= _keys_of(conn, L.c.person_id, personen, L.c.signaal_id)
    ids |= _keys_of(conn, V.c.afweging_id, afwegingen, V.c.id)
    for chunk in chunks(sorted(bsns), CHUNK):
        ids.update(
            conn.execute(
                select(V.c.id).where(
                    column_in(conn, V.c.bsn, chunk),
                    V.c.person_id.is_(None),
                    V.c.verwijderd_op.is_(None),
                )
            ).scalars()
        )
    # The households of the persons themselves (a link's ends may have no signal).
    keys = {_hash(_household(*h)) for h in huishoudens}
    for chunk in chunks(sorted(personen), CHUNK):
        for r in conn.execute(
            select(P.c.id, P.c.postcode, P.c.huisnummer, P.c.huisnummer_toevoeging).where(
                column_in(conn, P.c.id, chunk)
            )
        ):
            keys.add(_hash(_household(*r)))
    if not ids and not keys:
        return
    groepen: set[str] = set()
    for chunk in chunks(sorted(ids), CHUNK):
        for basis, groep in conn.execute(
            select(L.c.basis, L.c.groep).where(column_in(conn, L.c.signaal_id, chunk))
        ):
            keys.add(basis)
            groepen.add(groep)
        sigs, _closed = _signals(conn, column_in(conn, V.c.id, chunk))
        keys |= {s.basis for s in sigs}
        conn.execute(delete(L).where(column_in(conn, L.c.signaal_id, chunk)))
        if sigs:
            conn.execute(
                insert(L),
                [
                    {
                        "signaal_id": s.id,
                        "basis": s.basis,
                        "groep": s.basis,
                        "person_id": s.person_id,
                    }
                    for s in sigs
                ],
            )
    links = _Links(conn)
    # Close over the links and over the groups the keys were (and will be) in.
    while True:
        keys = links.component(keys)
        groepen |= {links.of(k) for k in keys}
        groepen |= _keys_of(conn, L.c.basis, keys, L.c.groep)
        more = keys | _keys_of(conn, L.c.groep, groepen, L.c.basis)
        if more == keys:
            break
        keys = more
    for chunk in chunks(sorted(groepen), CHUNK):
        conn.execute(delete(G).where(column_in(conn, G.c.sleutel, chunk)))
    member_ids = sorted(_keys_of(conn, L.c.basis, keys, L.c.signaal_id))
    sigs = []
    for chunk in chunks(member_ids, CHUNK):
        conn.execute(delete(L).where(column_in(conn, L.c.signaal_id, chunk)))
        sigs += _signals(conn, column_in(conn, V.c.id, chunk))[0]
    _write(conn, sigs, links)


__all__ = [
    "MELDING",
    "WerkvoorraadGroep",
    "WerkvoorraadLid",
    "bijwerken",
    "herbouw",
    "regel_vuurt",
]
