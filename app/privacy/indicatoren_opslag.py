"""The indicators per day, stored: a year of lines counts, and the overview stays fast.

``flask privacy indicatoren`` (scheduled every few minutes and nightly; idempotent)
computes every (local) day of the last year that is not complete yet — never computed, or
computed before the day ended — from *all* of that day's lines (no scan limit), and replaces
that day's stored indicators in one transaction. The privacy overview reads complete days from
the store (the counts per kind stored on each day row, the newest indicators a batch at a time),
and a day still going on as the last run left it while that run is recent
(``LOGBOEK_INDICATOREN_VERS_MINUTEN``); it computes only the other days, and a day whose last run
is older, from the lines (:func:`indicators.bereken`).

Midnight. Office hours are per (local) day, and the other indicators per request, anyway;
"veel personen" (more than N persons within M minutes) is a window that may cross midnight: a
burst from 23:50 to 00:10 belongs to the day it **starts** in. A day is computed from its own
lines and the lines of the M minutes after it (``vervolg``: the burst is followed past
midnight, whole), and the lines of the bursts stored for the day before (those that went on past
midnight) do not count again for the next day (``al_geteld``) — so a burst is found once, by one
day, and never cut in two. A day is therefore complete only once computed M minutes after it
ended; the days are computed oldest first, so the day before is
stored when the next one is. A day before a day that is not stored is computed from the lines
for that purpose (:func:`al_geteld`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, delete, func, insert, select

from app.clock import TZ, as_utc, now, today
from app.db import session
from app.logboek import current_logboek
from app.privacy import indicators
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from app.privacy.services import MAX_REGELS_PER_ZAAK
from app.vernietiging.indicatoren import laatste_dag, vernietigd_voor

JAAR = 366  # days the command keeps computed, and the longest period the overview reads
BATCH = 500
DAG = dt.timedelta(days=1)


def begin_van(dag: dt.date) -> dt.datetime:
    return dt.datetime.combine(dag, dt.time(), TZ).astimezone(dt.UTC)


def _volledig(rij: IndicatorDag, inst: indicators.Instellingen) -> bool:
    """Computed once the day and the window of "veel personen" after it had passed."""
    return as_utc(rij.berekend_op) >= begin_van(rij.dag + dt.timedelta(days=1)) + inst.venster


def _opgeslagen_bursts(dag: dt.date, na_seq: int | None) -> set[int]:
    """The lines of the "veel personen" bursts stored for ``dag`` (after line ``na_seq``: a
    burst whose last line is not after it is not parsed at all)."""
    out: set[int] = set()
    stmt = select(OpgeslagenAandachtspunt.regels).where(
        OpgeslagenAandachtspunt.dag == dag,
        OpgeslagenAandachtspunt.soort == "veel-personen",
    )
    if na_seq is not None:
        stmt = stmt.where(OpgeslagenAandachtspunt.laatste_seq > na_seq)
    for tekst in session.scalars(stmt):
        if not tekst:  # never written so; nothing to count
            continue
        out.update(s for s in indicators.Regels(tekst) if na_seq is None or s > na_seq)
    return out


def _vers(rij: IndicatorDag) -> bool:
    """Computed recently enough to be read as is (see ``LOGBOEK_INDICATOREN_VERS_MINUTEN``)."""
    minuten = int(current_app.config.get("LOGBOEK_INDICATOREN_VERS_MINUTEN", 15))
    return minuten > 0 and now() - as_utc(rij.berekend_op) <= dt.timedelta(minutes=minuten)


def al_geteld(
    dag: dt.date,
    inst: indicators.Instellingen,
    *,
    limit: int = 10**9,
    na_seq: int | None = None,
) -> set[int]:
    """The lines of the "veel personen" bursts that started the day before ``dag``: stored, or
    (that day not stored) computed from that day's lines and the window after it. ``na_seq``:
    the caller looks only at lines after this one, so only those are returned."""
    vorige = dag - dt.timedelta(days=1)
    if session.get(IndicatorDag, vorige) is not None:
        return _opgeslagen_bursts(vorige, na_seq)
    middernacht = begin_van(dag)
    rows = indicators.lines(begin_van(vorige), middernacht, limit=limit)
    vervolg = indicators.lines(middernacht, middernacht + inst.venster, limit=limit)
    punten = indicators.punten_uit(rows, inst, vervolg=vervolg)
    return {
        s
        for p in punten
        if p.soort == "veel-personen"
        for s in p.seqs
        if na_seq is None or s > na_seq
    }


def bereken_dag(dag: dt.date, inst: indicators.Instellingen | None = None) -> int:
    """Compute and store one day (replacing what was stored); returns the indicators found.
    The caller commits."""
    inst = inst or indicators.Instellingen.uit_config()
    head = current_logboek().head_seq(session.connection())
    eind = begin_van(dag + dt.timedelta(days=1))
    rows = indicators.lines(begin_van(dag), eind, limit=10**9)
    # Lines commit in seq order (one chain head), so every line up to the newest one read was
    # read: the overview adds only the day's lines after it (of a day still going on).
    head = max((r.seq for r in rows), default=head)
    vervolg = indicators.lines(eind, eind + inst.venster, limit=10**9)
    punten = indicators.punten_uit(rows, inst, vervolg=vervolg, al_geteld=al_geteld(dag, inst))
    session.execute(delete(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.dag == dag))
    session.execute(delete(IndicatorDag).where(IndicatorDag.dag == dag))
    opslaan(dag, punten)
    staff = sum(1 for r in rows if r.actor_type == "medewerker")
    per_soort: dict[str, int] = {}
    for p in punten:
        per_soort[p.soort] = per_soort.get(p.soort, 0) + 1
    session.add(
        IndicatorDag(
            dag=dag,
            berekend_op=now(),
            regels=staff,
            tot_seq=head,
            per_soort=per_soort,
            instellingen=inst.sleutel,
        )
    )
    session.flush()
    return len(punten)


def opslaan(dag: dt.date, punten: Iterable[indicators.Aandachtspunt]) -> None:
    rows = [
        {
            "dag": dag,
            "soort": p.soort,
            "actor_id": p.actor_id,
            "actor_name": p.actor_name,
            "actor_role": p.actor_role,
            "actor_organisation": p.actor_organisation,
            "begin": p.start,
            "eind": p.end,
            "regels": p.regels_param,
            "aantal": len(p.seqs),
            "eerste_seq": p.eerste_seq,
            "laatste_seq": p.laatste_seq,
            "personen": p.personen,
            "toelichting": p.toelichting,
        }
        for p in punten
    ]
    if rows:
        session.execute(insert(OpgeslagenAandachtspunt), rows)


def te_berekenen(tot: dt.date | None = None, dagen: int = JAAR) -> list[dt.date]:
    """The days from ``dagen`` before ``tot`` (default today) up to and including it that are
    not complete: ``tot`` itself always (a day still going on is stored as far as it went).
    Never a day whose lines retention has (partly) destroyed: ``flask retention run`` destroys
    what was stored for those days (:mod:`app.vernietiging.indicatoren`), and with a log term
    under a year each run of this command would otherwise store them again."""
    tot = tot or today()
    van = tot - dt.timedelta(days=dagen)
    if (voor := vernietigd_voor()) is not None:
        van = max(van, laatste_dag(voor) + dt.timedelta(days=1))
    inst = indicators.Instellingen.uit_config()
    klaar = {
        r.dag
        for r in session.scalars(
            select(IndicatorDag).where(IndicatorDag.dag >= van, IndicatorDag.dag <= tot)
        )
        if _volledig(r, inst)
    }
    days = (van + dt.timedelta(days=i) for i in range((tot - van).days + 1))
    return [d for d in days if d not in klaar]


# PostgreSQL advisory locks of this command: (this class, the day's ordinal).
SLOT = 0x1D1C


def _vergrendel(dag: dt.date) -> None:
    """One run at a time per day (PostgreSQL; SQLite has one writer anyway), until the day's
    transaction ends: two runs at once — a slow one overlapping the next, or two hosts — would
    otherwise both compute a day without a row yet and both store it (the second failed on the
    day's key). A run that waited finds what the first stored."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(SLOT, dag.toordinal())))


def bij_te_werken(dagen: int = JAAR) -> Iterator[tuple[dt.date, int]]:
    """Compute every incomplete day of the last ``dagen``, one transaction per day: whole, or
    a day still going on by adding the lines since the last run
    (:mod:`app.privacy.indicatoren_aanvullen`)."""
    # cycle: that module builds on this one's helpers.
    from app.privacy import indicatoren_aanvullen as aanvullen

    inst = indicators.Instellingen.uit_config()
    for dag in te_berekenen(dagen=dagen):
        _vergrendel(dag)
        rij = aanvullen.aanvulbaar(dag, inst)
        n = bereken_dag(dag, inst) if rij is None else aanvullen.aanvullen(rij, inst)
        session.commit()
        yield dag, n


@dataclass
class Overzicht:
    punten: list[indicators.Aandachtspunt]  # newest first, filtered by ``toon``, max + 1
    per_soort: dict[str, int]
    bekeken_regels: int
    afgekapt: bool  # a day computed from the lines held more than the scan limit
    opgeslagen_dagen: int
    berekend_op: dt.datetime | None  # the oldest computation of the stored days read
    # A day still going on read from the store as is (computed recently): the time of that
    # computation (the oldest, if two); the lines after it come with the next run.
    stand_van: dt.datetime | None = None
    uit_regels: bool = False  # some day of the period was computed from the lines on this load


def _regels(r: OpgeslagenAandachtspunt, kort: str | None) -> indicators.Regels:
    """A stored case's line numbers: the text when the query read it (``kort``: a case small
    enough to link to), else read when asked for (a review covers one of its lines)."""
    if kort is not None:
        return indicators.Regels(kort)
    id_ = r.id

    def laden() -> str:
        # The job may have replaced the case since the batch query (a run commits apart from
        # the page): then no numbers, and the case shows as open until the page is loaded again.
        tekst = session.scalar(
            select(OpgeslagenAandachtspunt.regels).where(OpgeslagenAandachtspunt.id == id_)
        )
        return tekst or ""

    return indicators.Regels.opgeslagen(r.aantal, r.eerste_seq, r.laatste_seq, laden)


def _punt(r: OpgeslagenAandachtspunt, kort: str | None) -> indicators.Aandachtspunt:
    return indicators.Aandachtspunt(
        soort=r.soort,
        actor_id=r.actor_id,
        actor_name=r.actor_name,
        actor_role=r.actor_role,
        actor_organisation=r.actor_organisation,
        start=as_utc(r.begin),
        end=as_utc(r.eind),
        seqs=_regels(r, kort),
        personen=r.personen,
        toelichting=r.toelichting,
    )


def overzicht(van: dt.date, tot: dt.date, *, alleen_open: bool, maximum: int) -> Overzicht:
    """The indicators of [van, tot] (local days): stored days from the store, other days from
    the lines. ``punten`` holds at most ``maximum + 1`` (one more says "there are more")."""
    inst = indicators.Instellingen.uit_config()
    rijen = session.scalars(
        select(IndicatorDag).where(IndicatorDag.dag >= van, IndicatorDag.dag <= tot)
    ).all()
    opgeslagen = {r.dag: r for r in rijen}
    per_soort: dict[str, int] = dict.fromkeys(indicators.SOORTEN, 0)
    regels = sum(r.regels for r in opgeslagen.values())
    afgekapt = False
    live: list[indicators.Aandachtspunt] = []
    berekend_uit_regels = False

    def uit_regels(eerste: dt.date, laatste: dt.date, after_seq: int | None = None) -> None:
        nonlocal regels, afgekapt, berekend_uit_regels
        berekend_uit_regels = True
        # Only lines after ``after_seq`` are read, so only those of the bursts counted before
        # matter: a stored burst that ends before it is not even parsed.
        geteld = al_geteld(eerste, inst, limit=inst.scan_limit, na_seq=after_seq)
        if after_seq is not None:  # the bursts stored for the day so far count already
            geteld |= _opgeslagen_bursts(eerste, after_seq)
        uitkomst = indicators.bereken(
            begin_van(eerste),
            begin_van(laatste + dt.timedelta(days=1)),
            inst,
            beoordelingen=False,
            after_seq=after_seq,
            al_geteld=geteld,
        )
        live.extend(uitkomst.aandachtspunten)
        regels += uitkomst.bekeken_regels
        afgekapt = afgekapt or uitkomst.afgekapt
        for soort, n in uitkomst.per_soort.items():
            per_soort[soort] += n

    # Days not stored: from the lines, a run of consecutive days at a time. A stored day still
    # going on (today): as the command left it when that run is recent (the scheduled command
    # keeps it fresh; ``stand_van`` tells the page how fresh), else its stored indicators and
    # from the lines what came after.
    stand_van: dt.datetime | None = None
    dag = van
    while dag <= tot:
        rij = opgeslagen.get(dag)
        if rij is not None:
            if _volledig(rij, inst):
                pass
            elif _vers(rij):
                op = as_utc(rij.berekend_op)
                stand_van = op if stand_van is None else min(stand_van, op)
            else:
                uit_regels(dag, dag, after_seq=rij.tot_seq)
            dag += dt.timedelta(days=1)
            continue
        eind = dag
        while eind + dt.timedelta(days=1) <= tot and eind + dt.timedelta(days=1) not in opgeslagen:
            eind += dt.timedelta(days=1)
        uit_regels(dag, eind)
        dag = eind + dt.timedelta(days=1)

    dagen = sorted(opgeslagen)
    for rij in opgeslagen.values():  # counted when stored (a year: 366 rows, not 137,000)
        for soort, n in rij.per_soort.items():
            per_soort[soort] = per_soort.get(soort, 0) + int(n)

    # Reviews only for the indicators that may be shown: newest first, a batch at a time.
    live.sort(key=lambda p: (p.end, p.laatste_seq), reverse=True)
    punten: list[indicators.Aandachtspunt] = []
    for i in range(0, len(live), BATCH):
        if len(punten) > maximum:
            break
        batch = live[i : i + BATCH]
        indicators.met_beoordelingen(batch)
        punten.extend(p for p in batch if not alleen_open or p.beoordeling is None)
    # Stored days, newest first, a batch at a time until they alone would fill the page (keyset
    # on eind, id): the merge with the ones from the lines below keeps the newest.
    grens: tuple[dt.datetime, int] | None = None
    uit_opslag: list[indicators.Aandachtspunt] = []
    while dagen and len(uit_opslag) <= maximum:
        # No more than the page can still show; when reviewed ones are skipped, a batch the
        # size of the page each time (shrinking it would mean a query per reviewed row).
        n = min(BATCH, maximum + 1 - (0 if alleen_open else len(uit_opslag)))
        stmt = (
            # The line numbers only of the cases the page links to by them (at most
            # MAX_REGELS_PER_ZAAK): a burst's text is up to hundreds of KB.
            select(
                OpgeslagenAandachtspunt,
                case(
                    (
                        OpgeslagenAandachtspunt.aantal <= MAX_REGELS_PER_ZAAK,
                        OpgeslagenAandachtspunt.regels,
                    ),
                    else_=None,
                ),
            )
            .where(
                OpgeslagenAandachtspunt.eind >= begin_van(dagen[0]),
                # A burst that starts on the last day may end after its midnight.
                OpgeslagenAandachtspunt.eind
                < begin_van(dagen[-1] + dt.timedelta(days=1)) + inst.venster,
                # Only stored days have stored indicators (written and destroyed with their
                # day row): a range, which the planner reads along (eind, id), not a list of
                # up to 366 days, which it misjudged and sorted 137,000 rows for.
                OpgeslagenAandachtspunt.dag.between(dagen[0], dagen[-1]),
            )
            .order_by(OpgeslagenAandachtspunt.eind.desc(), OpgeslagenAandachtspunt.id.desc())
            .limit(n)
        )
        if grens is not None:
            stmt = stmt.where(
                (OpgeslagenAandachtspunt.eind < grens[0])
                | (
                    (OpgeslagenAandachtspunt.eind == grens[0])
                    & (OpgeslagenAandachtspunt.id < grens[1])
                )
            )
        rows = session.execute(stmt).all()
        if not rows:
            break
        grens = (rows[-1][0].eind, rows[-1][0].id)
        nieuw = [_punt(r, kort) for r, kort in rows]
        indicators.met_beoordelingen(nieuw)
        uit_opslag.extend(p for p in nieuw if not alleen_open or p.beoordeling is None)
        if len(rows) < n:
            break
    punten.extend(uit_opslag)
    punten.sort(key=lambda p: (p.end, p.laatste_seq), reverse=True)
    berekend = min((r.berekend_op for r in opgeslagen.values()), default=None)
    return Overzicht(
        punten=punten[: maximum + 1],
        per_soort=per_soort,
        bekeken_regels=regels,
        afgekapt=afgekapt,
        opgeslagen_dagen=len(opgeslagen),
        berekend_op=berekend,
        stand_van=stand_van,
        uit_regels=berekend_uit_regels,
    )
