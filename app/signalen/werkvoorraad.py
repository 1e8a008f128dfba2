"""The signal team's queue: open signals grouped per person and household, with the
combination rules that fired (data, see ``regel_vuurt``); most urgent first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from app.db import session
from app.domain import AFWEGING_LOPEND, AfwegingStatus
from app.people.models import Person
from app.plans.models import Gezinslink
from app.signalen.bulk import CHUNK, chunks
from app.signalen.models import Afweging, CombinatieRegel, Vroegsignaal


@dataclass
class Groep:
    """A person or household in the queue, with their open signals."""

    key: str
    person_ids: list[int]
    signalen: list[Vroegsignaal]
    regels: list[CombinatieRegel] = field(default_factory=list)
    heropend: bool = False

    @property
    def bronnen(self) -> set[str]:
        return {s.bron.code if s.bron else f"melder:{s.melder_id}" for s in self.signalen}

    @property
    def domeinen(self) -> set[str]:
        return {d for s in self.signalen for d in s.domein_lijst}

    @property
    def nieuwste(self) -> dt.datetime:
        return max(s.ontvangen_op for s in self.signalen)

    @property
    def urgentie(self) -> int:
        return max([r.urgentie for r in self.regels] + [1])


def regel_vuurt(regel: CombinatieRegel, signalen: list[Vroegsignaal]) -> bool:
    """Evaluate one rule (data) on a group's signals. The vocabulary of conditions:

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


def _household_keys(person_ids: set[int]) -> dict[int, int]:
    """Union of people linked by an active gezinslink or living at the same address."""
    parent = {p: p for p in person_ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    ids = list(person_ids)
    for chunk in chunks(ids, CHUNK):
        links = session.execute(
            select(Gezinslink.person_a_id, Gezinslink.person_b_id)
            .where(
                Gezinslink.verbroken_op.is_(None),
                or_(Gezinslink.person_a_id.in_(chunk), Gezinslink.person_b_id.in_(chunk)),
            )
            .execution_options(audit_internal=True)
        ).all()
        for a, b in links:
            if a in parent and b in parent:
                union(a, b)
        addresses = session.execute(
            select(Person.id, Person.postcode, Person.huisnummer, Person.huisnummer_toevoeging)
            .where(Person.id.in_(chunk))
            .execution_options(audit_internal=True)
        ).all()
        by_address: dict[tuple[str, str, str], int] = {}
        for pid, postcode, nummer, toevoeging in addresses:
            if not postcode or not nummer:
                continue
            key = (postcode.replace(" ", "").upper(), nummer, toevoeging or "")
            if key in by_address:
                union(pid, by_address[key])
            else:
                by_address[key] = pid
    return {p: find(p) for p in person_ids}


def werkvoorraad(limit: int = 200, options: list[Any] | None = None) -> list[Groep]:
    """The signal team's queue: open signals (not deleted, not in a finished case) grouped per
    person and household, with the combination rules that fired; most urgent first, then newest.
    Cases reopened by a new signal are marked."""
    open_cases = select(Afweging.id).where(Afweging.status.in_(AFWEGING_LOPEND))
    signals = session.scalars(
        select(Vroegsignaal)
        .where(
            Vroegsignaal.verwijderd_op.is_(None),
            or_(Vroegsignaal.afweging_id.is_(None), Vroegsignaal.afweging_id.in_(open_cases)),
        )
        .options(*(options or []))
        .order_by(Vroegsignaal.ontvangen_op.desc())
    ).all()
    person_ids = {s.person_id for s in signals if s.person_id is not None}
    households = _household_keys(person_ids)
    reopened = set(
        session.execute(
            select(Afweging.person_id)
            .where(Afweging.status == AfwegingStatus.HEROPEND)
            .execution_options(audit_internal=True)
        ).scalars()
    )
    groups: dict[str, Groep] = {}
    for s in signals:
        pid = s.person_id
        key = f"signaal:{s.id}" if pid is None else f"huishouden:{households[pid]}"
        g = groups.setdefault(key, Groep(key=key, person_ids=[], signalen=[]))
        g.signalen.append(s)
        if s.person_id is not None and s.person_id not in g.person_ids:
            g.person_ids.append(s.person_id)
    regels = session.scalars(
        select(CombinatieRegel)
        .where(CombinatieRegel.actief.is_(True))
        .order_by(CombinatieRegel.urgentie.desc(), CombinatieRegel.id)
    ).all()
    for g in groups.values():
        g.regels = [r for r in regels if regel_vuurt(r, g.signalen)]
        g.heropend = any(p in reopened for p in g.person_ids)
    ordered = sorted(
        groups.values(), key=lambda g: (g.heropend, g.urgentie, g.nieuwste), reverse=True
    )
    return ordered[:limit]
