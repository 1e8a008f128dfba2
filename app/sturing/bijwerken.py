"""``flask sturing bijwerken``: recompute every aggregate of the management information.

Reads the source tables as bare columns (``audit_internal``: counts that show nothing about a
person, so no logboek lines) and replaces the rows of ``sturing_cijfer`` in one transaction:
idempotent, safe from cron, and the pages never scan a source table. What each figure counts
is described in docs/sturing.md (and restated in tests/test_sturing_cijfers.py).

Every fact is counted for its team (the organisation of the regisseur) and for the whole
municipality (team 0), once without a slice and once per value of each dimension it has
(organisatie, domein, bron): a filter reads exactly one stored row per cell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import delete, func, insert, literal_column, select

from app.clock import TZ, now, today
from app.db import session
from app.plans.models import Activity, Betrokkenheid, Plan
from app.privacy.models import BeoordeeldeRegel, Beoordeling, LogboekVraag
from app.signalen.models import (
    Afweging,
    AfwegingStap,
    DatInformatieVraag,
    SignaalBron,
    Vroegsignaal,
)
from app.signalen.uitstel import Uitstel
from app.sturing.models import SturingBijwerking, SturingCijfer
from app.users.models import User
from audit.schema import log_line

# The dimensions a fact can be sliced by (one at a time).
DIMENSIES = ("organisatie", "domein", "bron")
# A signal typed in by a melder (no source system) counts under this source code.
MELDER_BRON = "melder"
# Removed by the term (app/signalen/vergeten.py).
TERMIJN_REDEN = "bewaartermijn"
# Open plans per regisseur, as a distribution (never a name): the buckets.
LAST_GRENZEN = ((1, 9), (10, 19), (20, 29), (30, 39), (40, 10**9))
# Organisations involved per open plan: 0, 1, 2, 3, 4, 5 or more.
MAX_ORGANISATIES = 5


def maand_van(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(TZ).date()
    return f"{moment.year:04d}-{moment.month:02d}"


@cache
def volgende_maand(maand: str) -> str:
    jaar, m = int(maand[:4]), int(maand[5:7])
    return f"{jaar + m // 12:04d}-{m % 12 + 1:02d}"


def maanden(van: str, tot: str) -> list[str]:
    out = []
    m = van
    while m <= tot:
        out.append(m)
        m = volgende_maand(m)
    return out


@cache
def einde(maand: str) -> dt.datetime:
    """The first moment after the month (local time), as an aware datetime."""
    v = volgende_maand(maand)
    return dt.datetime(int(v[:4]), int(v[5:7]), 1, tzinfo=TZ)


@cache
def laatste_dag(maand: str) -> dt.date:
    return einde(maand).date() - dt.timedelta(days=1)


def dagen(van: dt.datetime, tot: dt.datetime) -> int:
    return max(0, (tot - van).days)


def last_emmer(aantal: int) -> str:
    for lo, hi in LAST_GRENZEN:
        if lo <= aantal <= hi:
            return f"{lo}-{hi}" if hi < 10**9 else f"{lo}+"
    return "0"


Dims = dict[str, set[str]]


@dataclass
class Kubus:
    """The counts being built: (maand, figuur, team, dim, dim_waarde, sleutel, sleutel2,
    waarde) → aantal."""

    tel: Counter[tuple[str, str, int, str, str, str, str, int]] = field(default_factory=Counter)

    def voeg(
        self,
        maand: str,
        figuur: str,
        team: int | None,
        dims: Dims | tuple[tuple[str, str], ...],
        sleutel: str = "",
        sleutel2: str = "",
        waarde: int = 0,
    ) -> None:
        paren = dims if isinstance(dims, tuple) else plakken(dims)
        tel = self.tel
        for t in (0, team) if team else (0,):
            for dim, w in paren:
                tel[(maand, figuur, t, dim, w, sleutel, sleutel2, waarde)] += 1


def plakken(dims: Dims) -> tuple[tuple[str, str], ...]:
    """The slices a fact is counted in: none, and each value of each dimension."""
    return (("", ""), *((d, w) for d, waarden in dims.items() for w in sorted(waarden)))


def _rows(stmt: Any) -> list[Any]:
    return list(session.execute(stmt.execution_options(audit_internal=True)))


@dataclass
class Bron:
    """What the aggregation reads, as bare columns (ids only link rows to each other)."""

    org_van: dict[int, int | None]
    bronnen: dict[int, tuple[str, int | None]]
    signalen: list[Any]
    afwegingen: dict[int, Any]
    stappen: dict[int, list[Any]]
    plannen: list[Any]
    betrokken: dict[int, list[Any]]
    activiteiten: dict[int, list[Any]]
    vragen: list[Any]


def lees() -> Bron:
    org_van = {r.id: r.organisation_id for r in _rows(select(User.id, User.organisation_id))}
    bronnen = {
        r.id: (r.code, r.organisation_id)
        for r in _rows(select(SignaalBron.id, SignaalBron.code, SignaalBron.organisation_id))
    }
    signalen = _rows(
        select(
            Vroegsignaal.bron_id,
            Vroegsignaal.melder_id,
            Vroegsignaal.categorie,
            Vroegsignaal.domeinen,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.afweging_id,
            Vroegsignaal.verwijderd_op,
            Vroegsignaal.verwijder_reden,
        )
    )
    afwegingen = {
        r.id: r
        for r in _rows(
            select(
                Afweging.id,
                Afweging.regisseur_id,
                Afweging.plan_id,
                Afweging.geopend_op,
                Afweging.heropend_op,
            )
        )
    }
    stappen: dict[int, list[Any]] = defaultdict(list)
    for r in _rows(
        select(
            AfwegingStap.afweging_id,
            AfwegingStap.stap,
            AfwegingStap.antwoord,
            AfwegingStap.besloten_op,
        )
    ):
        stappen[r.afweging_id].append(r)
    plannen = _rows(
        select(
            Plan.id,
            Plan.basis,
            Plan.status,
            Plan.regisseur_id,
            Plan.afweging_id,
            Plan.created_at,
            Plan.closed_at,
        )
    )
    betrokken: dict[int, list[Any]] = defaultdict(list)
    for r in _rows(
        select(
            Betrokkenheid.plan_id,
            Betrokkenheid.organisation_id,
            Betrokkenheid.start_date,
            Betrokkenheid.end_date,
        )
    ):
        betrokken[r.plan_id].append(r)
    activiteiten: dict[int, list[Any]] = defaultdict(list)
    for r in _rows(
        select(
            Activity.plan_id,
            Activity.organisation_id,
            Activity.created_at,
            Activity.end_date,
            Activity.afgerond,
            Activity.afgerond_op,
        )
    ):
        activiteiten[r.plan_id].append(r)
    vragen = _rows(
        select(
            DatInformatieVraag.afweging_id,
            DatInformatieVraag.organisation_id,
            DatInformatieVraag.gevraagd_op,
            DatInformatieVraag.uiterlijk_op,
            DatInformatieVraag.beantwoord_op,
        )
    )
    return Bron(
        org_van, bronnen, signalen, afwegingen, stappen, plannen, betrokken, activiteiten, vragen
    )


def _signaal_dims(bron: Bron, s: Any) -> tuple[str, int | None, list[str]]:
    """A signal's source code, the organisation that sent it, its domains."""
    if s.bron_id is not None and s.bron_id in bron.bronnen:
        code, org = bron.bronnen[s.bron_id]
    else:
        code, org = MELDER_BRON, bron.org_van.get(s.melder_id) if s.melder_id else None
    return code, org, [d for d in (s.domeinen or "").split(",") if d]


def _afweging_dims(bron: Bron) -> tuple[dict[int, Dims], dict[int, dt.datetime]]:
    """Per afweging: the union of its signals' dimensions, and its first signal's arrival."""
    dims: dict[int, Dims] = defaultdict(lambda: {d: set() for d in DIMENSIES})
    eerste: dict[int, dt.datetime] = {}
    for s in bron.signalen:
        if s.afweging_id is None:
            continue
        code, org, domeinen = _signaal_dims(bron, s)
        d = dims[s.afweging_id]
        d["bron"].add(code)
        d["domein"].update(domeinen)
        if org:
            d["organisatie"].add(str(org))
        if s.afweging_id not in eerste or s.ontvangen_op < eerste[s.afweging_id]:
            eerste[s.afweging_id] = s.ontvangen_op
    return dims, eerste


def _signalen(kubus: Kubus, bron: Bron, afw_dims: dict[int, Dims]) -> None:
    for s in bron.signalen:
        code, org, domeinen = _signaal_dims(bron, s)
        afw = bron.afwegingen.get(s.afweging_id) if s.afweging_id else None
        team = bron.org_van.get(afw.regisseur_id) if afw else None
        dims: Dims = {"bron": {code}, "domein": set(domeinen)}
        if org:
            dims["organisatie"] = {str(org)}
        m = maand_van(s.ontvangen_op)
        kubus.voeg(m, "signaal_ontvangen", team, dims, code, s.categorie)
        kubus.voeg(m, "trechter", team, dims, "ontvangen")
        if s.afweging_id is not None:
            kubus.voeg(m, "trechter", team, dims, "gekoppeld")
        if s.verwijderd_op is not None and s.verwijder_reden == TERMIJN_REDEN:
            kubus.voeg(maand_van(s.verwijderd_op), "signaal_termijn", team, dims, code)
    for a in bron.afwegingen.values():
        team = bron.org_van.get(a.regisseur_id)
        dims = afw_dims.get(a.id, {})
        m = maand_van(a.geopend_op)
        stappen = bron.stappen.get(a.id, [])
        kubus.voeg(m, "trechter", team, dims, "afweging")
        if any(st.stap == 2 for st in stappen):
            kubus.voeg(m, "trechter", team, dims, "gewogen")
        if any(st.stap == 2 and st.antwoord for st in stappen):
            kubus.voeg(m, "trechter", team, dims, "stap2_ja")
        if any(st.stap == 3 and st.antwoord for st in stappen):
            kubus.voeg(m, "trechter", team, dims, "stap3_ja")
        if a.plan_id is not None:
            kubus.voeg(m, "trechter", team, dims, "plan")
        if a.heropend_op is not None:
            kubus.voeg(maand_van(a.heropend_op), "afweging_heropend", team, dims)


def _plan_dims(bron: Bron, p: Any, afw_dims: dict[int, Dims]) -> Dims:
    d = afw_dims.get(p.afweging_id) if p.afweging_id else None
    dims: Dims = {"domein": set(d["domein"]), "bron": set(d["bron"])} if d else {}
    dims["organisatie"] = {str(b.organisation_id) for b in bron.betrokken.get(p.id, [])}
    return dims


def _open_op(p: Any, grens: dt.datetime) -> bool:
    return p.created_at < grens and (p.closed_at is None or p.closed_at >= grens)


def _plannen(
    kubus: Kubus,
    bron: Bron,
    afw_dims: dict[int, Dims],
    eerste: dict[int, dt.datetime],
    tot: str,
) -> None:
    last: dict[tuple[str, int], int] = Counter()
    for p in bron.plannen:
        team = bron.org_van.get(p.regisseur_id)
        dims = _plan_dims(bron, p, afw_dims)
        plan_plakken = plakken(dims)
        acts = [
            (
                a,
                plakken(
                    {
                        **dims,
                        "organisatie": {str(a.organisation_id)} if a.organisation_id else set(),
                    }
                ),
            )
            for a in bron.activiteiten.get(p.id, [])
        ]
        kubus.voeg(maand_van(p.created_at), "plan_nieuw", team, dims, p.basis)
        if p.closed_at is not None:
            kubus.voeg(
                maand_van(p.closed_at),
                "plan_gesloten",
                team,
                dims,
                p.basis,
                waarde=dagen(p.created_at, p.closed_at),
            )
        laatste = min(tot, maand_van(p.closed_at)) if p.closed_at is not None else tot
        for m in maanden(maand_van(p.created_at), laatste):
            grens = einde(m)
            if not _open_op(p, grens):
                continue
            kubus.voeg(m, "plan_open", team, plan_plakken, p.basis)
            last[(m, p.regisseur_id)] += 1
            dag = laatste_dag(m)
            orgs = {
                b.organisation_id
                for b in bron.betrokken.get(p.id, [])
                if b.start_date <= dag and (b.end_date is None or b.end_date > dag)
            }
            n_orgs = str(min(len(orgs), MAX_ORGANISATIES))
            kubus.voeg(m, "plan_organisaties", team, plan_plakken, n_orgs)
            for a, a_plakken in acts:
                if a.created_at >= grens:
                    continue
                klaar = a.afgerond and (a.afgerond_op is None or a.afgerond_op <= dag)
                if klaar:
                    continue
                kubus.voeg(m, "activiteit_open", team, a_plakken)
                if a.end_date is not None and a.end_date < dag:
                    kubus.voeg(m, "activiteit_verlopen", team, a_plakken)
        # Time to help, from the first signal (or the opening of the afweging).
        a = bron.afwegingen.get(p.afweging_id) if p.afweging_id else None
        if a is not None:
            start = eerste.get(a.id, a.geopend_op)
            kubus.voeg(
                maand_van(p.created_at),
                "tijd",
                team,
                dims,
                "plan",
                waarde=dagen(start, p.created_at),
            )
            gemaakt = [x.created_at for x in bron.activiteiten.get(p.id, [])]
            if gemaakt:
                eerst = min(gemaakt)
                kubus.voeg(
                    maand_van(eerst), "tijd", team, dims, "activiteit", waarde=dagen(start, eerst)
                )
    for (m, regisseur_id), n in last.items():
        kubus.voeg(m, "regisseur_last", bron.org_van.get(regisseur_id), {}, last_emmer(n))


def _tijd_stap(kubus: Kubus, bron: Bron, afw_dims: dict[int, Dims], eerste: dict[int, Any]) -> None:
    for a in bron.afwegingen.values():
        stappen = bron.stappen.get(a.id, [])
        if not stappen:
            continue
        stap = min(st.besloten_op for st in stappen)
        start = eerste.get(a.id, a.geopend_op)
        kubus.voeg(
            maand_van(stap),
            "tijd",
            bron.org_van.get(a.regisseur_id),
            afw_dims.get(a.id, {}),
            "stap",
            waarde=dagen(start, stap),
        )


def _vragen(kubus: Kubus, bron: Bron, afw_dims: dict[int, Dims]) -> None:
    vandaag = today()
    for v in bron.vragen:
        a = bron.afwegingen.get(v.afweging_id)
        team = bron.org_van.get(a.regisseur_id) if a else None
        dims = dict(afw_dims.get(v.afweging_id, {}))
        dims["organisatie"] = {str(v.organisation_id)}
        if v.beantwoord_op is not None:
            dag = v.beantwoord_op.astimezone(TZ).date()
            status = "op_tijd" if v.uiterlijk_op is None or dag <= v.uiterlijk_op else "te_laat"
        elif v.uiterlijk_op is not None and v.uiterlijk_op < vandaag:
            status = "verlopen"
        else:
            status = "open"
        kubus.voeg(maand_van(v.gevraagd_op), "vraag", team, dims, status)


def _maand_sql(kolom: Any) -> Any:
    # Literal constants, not bound parameters: the GROUP BY must repeat the SELECT's expression
    # exactly (PostgreSQL compares them with their parameters).
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(
            func.timezone(literal_column(f"'{TZ.key}'"), kolom), literal_column("'YYYY-MM'")
        )
    return func.strftime(literal_column("'%Y-%m'"), kolom)


def _privacy(kubus: Kubus) -> None:
    m = _maand_sql(log_line.c.occurred_at)
    for r in _rows(
        select(m.label("m"), log_line.c.processing_activity_id, func.count().label("n")).group_by(
            m, log_line.c.processing_activity_id
        )
    ):
        kubus.tel[(r.m, "logregels", 0, "", "", r.processing_activity_id, "", 0)] += r.n
    for r in _rows(
        select(Beoordeling.beoordeeld_op).join(
            BeoordeeldeRegel, BeoordeeldeRegel.beoordeling_id == Beoordeling.id
        )
    ):
        kubus.voeg(maand_van(r.beoordeeld_op), "logregels_beoordeeld", None, {})
    for r in _rows(select(LogboekVraag.gesteld_op, LogboekVraag.beantwoord_op)):
        if r.beantwoord_op is None:
            kubus.voeg(maand_van(r.gesteld_op), "logvraag", None, {}, "open")
        else:
            kubus.voeg(
                maand_van(r.gesteld_op),
                "logvraag",
                None,
                {},
                "beantwoord",
                waarde=dagen(r.gesteld_op, r.beantwoord_op),
            )
    for r in _rows(select(Uitstel.ingesteld_op, Uitstel.reden)):
        kubus.voeg(maand_van(r.ingesteld_op), "uitstel", None, {}, r.reden)


def bereken() -> Kubus:
    """Every aggregate, from the source tables (nothing is written)."""
    bron = lees()
    kubus = Kubus()
    afw_dims, eerste = _afweging_dims(bron)
    tot = maand_van(today())
    _signalen(kubus, bron, afw_dims)
    _plannen(kubus, bron, afw_dims, eerste, tot)
    _tijd_stap(kubus, bron, afw_dims, eerste)
    _vragen(kubus, bron, afw_dims)
    _privacy(kubus)
    return kubus


def _rijen(kubus: Kubus) -> Iterator[dict[str, Any]]:
    for (maand, figuur, team, dim, dimw, sl, sl2, waarde), n in kubus.tel.items():
        yield {
            "maand": maand,
            "figuur": figuur,
            "team_id": team,
            "dim": dim,
            "dim_waarde": dimw,
            "sleutel": sl,
            "sleutel2": sl2,
            "waarde": waarde,
            "aantal": n,
        }


def _in_stukken(rijen: Iterable[dict[str, Any]], grootte: int) -> Iterator[list[dict[str, Any]]]:
    stuk: list[dict[str, Any]] = []
    for r in rijen:
        stuk.append(r)
        if len(stuk) >= grootte:
            yield stuk
            stuk = []
    if stuk:
        yield stuk


def bijwerken() -> int:
    """Replace the aggregates in one transaction (the caller commits); the number of rows."""
    kubus = bereken()
    session.execute(delete(SturingCijfer))
    for stuk in _in_stukken(_rijen(kubus), 5000):
        session.execute(insert(SturingCijfer), stuk)
    stand = session.get(SturingBijwerking, 1)
    if stand is None:
        stand = SturingBijwerking(id=1)
        session.add(stand)
    stand.bijgewerkt_op = now()
    stand.rijen = len(kubus.tel)
    session.flush()
    return len(kubus.tel)
