"""A day still going on: the scheduled ``flask privacy indicatoren`` adds the lines written since
its last run to what it stored, instead of computing the day whole every few minutes.

What it leaves stored is what :func:`indicatoren_opslag.bereken_dag` would store at that moment
(``tests/test_privacy_indicatoren_aanvullen.py`` drives random days and compares), and a run
reads the new lines and about two windows of "veel personen" before them, not the day:

* every indicator is one staff member's;
* *per request* (noodtoegang) and *per request and plan* (buiten betrokkenheid): a request's
  lines are written at one moment, so a group the new lines can join ended at most
  ``LIJST_MARGE`` before their first line; those few are computed again from their own lines
  and the new ones, the older ones stay;
* *per person and day* (buiten kantoortijd): the new lines join the one stored for that staff
  member — their line numbers appended, the times widened, and the persons counted by asking
  the database which of the new lines' persons the earlier lines outside office hours are about
  (each once; on a weekend day, when every line counts, reading those lines themselves was
  most of a run's time in the city bench);
* *veel personen* is a scan along each staff member's lines that starts afresh after every
  burst: it goes again from the window before their first new line (at least ``LIJST_MARGE``:
  a request's later line about another plan makes it a list), or from the start of a stored
  burst that reaches into that window and may still grow; earlier bursts stay. A burst that
  reaches in but is over (the new lines come after its window, and more than ``LIJST_MARGE``
  after its last line) stays too, and the scan starts right after it: a staff member in one
  burst after another is read back to the start of the one still growing, not of the one
  before it as well.

A staff line without a staff member's id (the logboek allows it; Eenplan always writes one)
makes the run compute the day whole.

Not the same, until the day is computed whole after it ended: a line judged "buiten
betrokkenheid" or not is judged by the case facts of when it was added (a betrokkenheid added
later that day with that day as its start, or ended with an earlier date, does not change the
verdict on its earlier lines, as a computation of the whole day would).

A run holds the day's lock (PostgreSQL, ``indicatoren_opslag._vergrendel``), so two runs at
once add each line once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from app.clock import as_utc, now
from app.db import session
from app.logboek import current_logboek
from app.privacy import indicators
from app.privacy.indicatoren_opslag import (
    DAG,
    _volledig,
    al_geteld,
    begin_van,
    bereken_dag,
    opslaan,
)
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from audit import LineFilter

# The kinds counted per request, and per request and plan.
PER_VERZOEK = ("noodtoegang", "buiten-betrokkenheid")
# Longer than any request takes: its lines are all at most this far apart.
LIJST_MARGE = dt.timedelta(minutes=5)


def aanvulbaar(dag: dt.date, inst: indicators.Instellingen) -> IndicatorDag | None:
    """The stored row of ``dag`` when the lines since its run can be added to it (the caller
    holds the day's lock, ``indicatoren_opslag._vergrendel``): the
    day is still going on, was computed with the same settings, and the day before was complete
    before that run (the bursts it carried past midnight, which this day does not count again,
    no longer change). None: compute the day whole."""
    rij = session.get(IndicatorDag, dag, populate_existing=True)  # as the run before left it
    if rij is None or rij.instellingen != inst.sleutel or now() >= begin_van(dag + DAG):
        return None
    vorige = session.get(IndicatorDag, dag - DAG)
    if (
        vorige is None
        or not _volledig(vorige, inst)
        or as_utc(vorige.berekend_op) > as_utc(rij.berekend_op)
    ):
        return None
    return rij


def _opgeslagen(
    dag: dt.date, soorten: tuple[str, ...], actors: set[str], *, met_regels: bool = False
) -> list[Any]:
    """The stored cases of these kinds and staff members; their line numbers read with them
    (``met_regels``), else only when asked for."""
    stmt = select(OpgeslagenAandachtspunt).where(
        OpgeslagenAandachtspunt.dag == dag,
        OpgeslagenAandachtspunt.soort.in_(soorten),
        OpgeslagenAandachtspunt.actor_id.in_(sorted(actors)),
    )
    if met_regels:
        stmt = stmt.options(undefer(OpgeslagenAandachtspunt.regels))
    # As the last run left them (counts are added to): not as this session may still hold them.
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def _scan(dag: dt.date, **narrower: Any) -> list[Any]:
    """The day's lines, narrowed (fields of :class:`audit.LineFilter`)."""
    return indicators.lines(begin_van(dag), begin_van(dag + DAG), limit=10**9, **narrower)


def _regels_van(dag: dt.date, punten: list[Any]) -> list[Any]:
    """The lines of stored indicators (the columns the indicators read), by their seqs."""
    seqs = sorted({s for p in punten for s in indicators.Regels(p.regels)})
    out: list[Any] = []
    for i in range(0, len(seqs), 1000):
        out += _scan(dag, seqs=tuple(seqs[i : i + 1000]))
    return out


def _per_verzoek(
    dag: dt.date, inst: indicators.Instellingen, staff: list[Any], nieuw: list[Any]
) -> None:
    paren = {(p.soort, p.actor_id) for p in nieuw if p.soort in PER_VERZOEK and p.actor_id}
    if not paren:
        return
    eerste: dict[str, dt.datetime] = {}
    for r in staff:
        eerste[r.actor_id] = min(r.occurred_at, eerste.get(r.actor_id, r.occurred_at))
    oud = [
        p
        for p in _opgeslagen(dag, PER_VERZOEK, {a for _, a in paren if a}, met_regels=True)
        if (p.soort, p.actor_id) in paren and as_utc(p.eind) >= eerste[p.actor_id] - LIJST_MARGE
    ]
    punten = indicators.punten_uit(_regels_van(dag, oud) + staff, inst) if oud else nieuw
    for p in oud:
        session.delete(p)
    session.flush()
    opslaan(dag, (p for p in punten if (p.soort, p.actor_id) in paren))


def _buiten_kantoortijd(
    dag: dt.date, inst: indicators.Instellingen, staff: list[Any], punten: list[Any]
) -> None:
    nieuw = [p for p in punten if p.soort == "buiten-kantoortijd"]
    if not nieuw:
        return
    opgeslagen = {
        p.actor_id: p
        for p in _opgeslagen(
            dag, ("buiten-kantoortijd",), {p.actor_id for p in nieuw if p.actor_id}
        )
    }
    per_seq = {r.seq: r for r in staff}
    toevoegen = []
    for p in nieuw:
        oud = opgeslagen.get(p.actor_id)
        if oud is None:
            toevoegen.append(p)
            continue
        personen = {per_seq[s].data_subject_id for s in p.seqs} - {None}
        # The new lines' persons seen before in this person's lines outside office hours (each
        # person once: the database answers which, not every line about them). Those lines are
        # the stored case's, so they lie between its first and last line: bounded by those
        # numbers, the database reads that stretch of this staff member's lines (the index on
        # staff member and line number), not every line of the hours outside office time (on a
        # weekend the whole day's, of every staff member).
        gezien: set[str] = set()
        for begin, eind in indicators.buiten_kantoor_vensters(dag, inst) if personen else ():
            gezien |= current_logboek().subjects(
                session.connection(),
                LineFilter(
                    since=begin,
                    until=eind,
                    after_seq=oud.eerste_seq - 1,
                    through_seq=oud.laatste_seq,
                    actor_id=p.actor_id,
                    actor_type="medewerker",
                    actions=indicators.VIEWING,
                    data_subject_ids=tuple(sorted(personen)),
                ),
            )
        # The new lines come after every stored one (after the last run's line): appended in
        # the database, so a staff member's Sunday of 27,000 lines is not read to add a few.
        oud.regels = OpgeslagenAandachtspunt.regels + "," + p.regels_param
        oud.aantal += len(p.seqs)
        oud.laatste_seq = p.laatste_seq
        oud.begin = min(as_utc(oud.begin), p.start)
        oud.eind = max(as_utc(oud.eind), p.end)
        oud.personen += len(personen - gezien)
    session.flush()
    opslaan(dag, toevoegen)


def _af(b: OpgeslagenAandachtspunt, eerste: dt.datetime, inst: indicators.Instellingen) -> bool:
    """Whether stored burst ``b`` stays as it is whatever the staff member's new lines (the
    first at ``eerste``): they come after its window (the scan gives a burst every counted line
    within a window after its first), and more than a request's length after its last line (a
    request's later line makes its earlier lines a list's, which a burst does not count)."""
    return eerste > as_utc(b.begin) + inst.venster and eerste - LIJST_MARGE > as_utc(b.eind)


def _veel_personen(dag: dt.date, inst: indicators.Instellingen, staff: list[Any]) -> None:
    # Any new line, not only a view of someone: a request's later line about another plan makes
    # its earlier lines (at most LIJST_MARGE before) a list, which a stored burst may hold.
    terug = max(inst.venster, LIJST_MARGE)
    eerste: dict[str | None, dt.datetime] = {}
    for r in staff:
        eerste[r.actor_id] = min(r.occurred_at, eerste.get(r.actor_id, r.occurred_at))
    if not eerste:
        return
    vanaf = {a: max(t - terug, begin_van(dag)) for a, t in eerste.items()}
    bursts = sorted(
        _opgeslagen(dag, ("veel-personen",), {a for a in vanaf if a}),
        key=lambda p: as_utc(p.eind),
        reverse=True,
    )
    for b in bursts:  # newest first: one that reaches in moves the start back…
        if as_utc(b.eind) < vanaf[b.actor_id]:
            continue
        if _af(b, eerste[b.actor_id], inst):
            # …unless no new line can change it: the scan starts afresh after it, and every
            # counted line up to its last moment is its own (it takes all within its window;
            # the staff member's older bursts end before it, so they no longer reach in).
            vanaf[b.actor_id] = as_utc(b.eind) + dt.timedelta(microseconds=1)
            continue
        vanaf[b.actor_id] = min(vanaf[b.actor_id], as_utc(b.begin))
        session.delete(b)
    session.flush()
    # A few minutes before: every line of a request that began just before the start (a
    # request about several plans is a list, and does not count).
    rows = sorted(
        (
            r
            for r in indicators.lines(
                max(min(vanaf.values()) - LIJST_MARGE, begin_van(dag)),
                begin_van(dag + DAG),
                limit=10**9,
            )
            if r.actor_type == "medewerker"
        ),
        key=lambda r: r.seq,
    )
    if not rows:
        return
    geteld = al_geteld(dag, inst, na_seq=rows[0].seq - 1)
    opslaan(
        dag, indicators.veel_personen([r for r in rows if r.seq not in geteld], inst, vanaf=vanaf)
    )


def aanvullen(rij: IndicatorDag, inst: indicators.Instellingen) -> int:
    """Add the lines written since the last run to a day still going on (see
    :func:`aanvulbaar`). Returns the day's indicators. The caller commits."""
    dag = rij.dag
    head = current_logboek().head_seq(session.connection())
    nieuw = indicators.lines(
        begin_van(dag), begin_van(dag + DAG), limit=10**9, after_seq=rij.tot_seq
    )
    tot_seq = max((r.seq for r in nieuw), default=max(head, rij.tot_seq))
    staff = sorted((r for r in nieuw if r.actor_type == "medewerker"), key=lambda r: r.seq)
    if any(r.actor_id is None for r in staff):  # stored cases are found by staff member
        session.expunge(rij)
        return bereken_dag(dag, inst)
    if staff:
        # The new lines' own cases (their "veel personen" is not used: see below).
        nieuw = indicators.punten_uit(staff, inst)
        _per_verzoek(dag, inst, staff, nieuw)
        _buiten_kantoortijd(dag, inst, staff, nieuw)
        _veel_personen(dag, inst, staff)
        session.flush()
    rij.per_soort = {
        soort: int(n)
        for soort, n in session.execute(
            select(OpgeslagenAandachtspunt.soort, func.count())
            .where(OpgeslagenAandachtspunt.dag == dag)
            .group_by(OpgeslagenAandachtspunt.soort)
        )
    }
    rij.regels += len(staff)
    rij.tot_seq = tot_seq
    rij.berekend_op = now()
    session.flush()
    return sum(rij.per_soort.values())


__all__ = ["LIJST_MARGE", "PER_VERZOEK", "aanvulbaar", "aanvullen"]
