"""Indicators (aandachtspunten) that point at possible misuse, for the privacy officer to review.

Computed from logboek lines, with the application's own facts of the moment of viewing:

* ``buiten-betrokkenheid`` — a staff member opened a plan while their organisation was not
  involved in it (hulpverlener) or while it was not in their caseload (regisseur), on the day
  and at the time of viewing;
* ``buiten-kantoortijd`` — staff viewed personal data outside office hours (weekends, and on
  weekdays before/after the configured hours);
* ``veel-personen`` — one staff member viewed the data of many different persons in a short
  time (lists that show many plans at once do not count: a request that touched more than one
  plan is a list); a burst belongs to the period it starts in and is followed past its end
  (midnight: :mod:`app.privacy.indicatoren_opslag`);
* ``noodtoegang`` — emergency access (lines with ``emergency``; a stand-in gives a reason).

"A request" is the lines of one actor with the same trace id *and* span id: the span id is
Eenplan's own, new for every request, so no caller can make its requests look like one (a
trace id can come from a trusted caller, or from an untrusted one in lines written before
``app/security/tracing.py``). Counting persons uses the lines themselves: actor, subject, time.

Nothing here shows anything about a person: the facts used (betrokkenheid periods, who held a
plan when) are read with ``audit_internal`` queries and only turned into "yes, an indicator".
The lines themselves are shown (and that reading logged) on the case page.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import TZ, as_utc
from app.db import session
from app.logboek import current_logboek
from app.organisations.models import Organisation
from app.plans.models import Betrokkenheid, Plan, PlanGebeurtenis
from app.privacy.regels import Regels
from audit import LineFilter

SOORTEN = {
    "buiten-betrokkenheid": _l("Inzage buiten betrokkenheid of caseload"),
    "buiten-kantoortijd": _l("Inzage buiten kantoortijden"),
    "veel-personen": _l("Veel personen in korte tijd"),
    "noodtoegang": _l("Noodtoegang"),
}
SOORT_UITLEG = {
    "buiten-betrokkenheid": _l(
        "Iemand opende een plan terwijl de eigen organisatie er op dat moment "
        "niet bij betrokken was, of (als regisseur) terwijl het plan niet in de eigen caseload zat."
    ),
    "buiten-kantoortijd": _l("Inzage in het weekend of op een werkdag buiten kantoortijden."),
    "veel-personen": _l(
        "Iemand bekeek in korte tijd de gegevens van veel verschillende personen "
        "(lijsten tellen niet mee)."
    ),
    "noodtoegang": _l(
        "Iemand gebruikte noodtoegang, bijvoorbeeld als waarnemer; de opgegeven reden "
        "staat bij de regels."
    ),
}

# The columns an indicator needs (never the whole line).
COLUMNS = (
    "seq",
    "occurred_at",
    "kind",
    "action",
    "actor_type",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_organisation",
    "object_type",
    "object_id",
    "data_subject_id",
    "emergency",
    "reason",
    "trace_id",
    "span_id",
)
VIEWING = ("view", "export")
SCAN_LIMIT_DEFAULT = 100_000


@dataclass
class Aandachtspunt:
    soort: str
    actor_id: str | None
    actor_name: str | None
    actor_role: str | None
    actor_organisation: str | None
    start: dt.datetime
    end: dt.datetime
    seqs: Sequence[int]  # computed: a list; stored: Regels (ascending)
    personen: int
    toelichting: str
    beoordeling: Any = None  # the newest Beoordeling that covers every line, if any
    deels_beoordeeld: bool = False

    @property
    def label(self) -> str:
        return SOORTEN[self.soort]

    @property
    def regels_param(self) -> str:
        if isinstance(self.seqs, Regels):
            return self.seqs.tekst
        return ",".join(str(s) for s in sorted(self.seqs))

    @property
    def eerste_seq(self) -> int:
        return self.seqs.eerste if isinstance(self.seqs, Regels) else min(self.seqs)

    @property
    def laatste_seq(self) -> int:
        return self.seqs.laatste if isinstance(self.seqs, Regels) else max(self.seqs)


@dataclass
class Instellingen:
    kantoor_van: int = 7  # hour, local time
    kantoor_tot: int = 19
    veel_personen: int = 30  # more than this many different persons…
    veel_minuten: int = 60  # …within this many minutes
    scan_limit: int = SCAN_LIMIT_DEFAULT

    @property
    def venster(self) -> dt.timedelta:
        """The window of "veel personen"."""
        return dt.timedelta(minutes=self.veel_minuten)

    @property
    def sleutel(self) -> str:
        """What the stored indicators depend on (not the scan limit: the command has none)."""
        return f"{self.kantoor_van}-{self.kantoor_tot}-{self.veel_personen}-{self.veel_minuten}"

    @classmethod
    def uit_config(cls) -> Instellingen:
        cfg = current_app.config
        return cls(
            kantoor_van=int(cfg.get("LOGBOEK_KANTOOR_VAN", 7)),
            kantoor_tot=int(cfg.get("LOGBOEK_KANTOOR_TOT", 19)),
            veel_personen=int(cfg.get("LOGBOEK_VEEL_PERSONEN", 30)),
            veel_minuten=int(cfg.get("LOGBOEK_VEEL_MINUTEN", 60)),
            scan_limit=int(cfg.get("LOGBOEK_SCAN_MAX", SCAN_LIMIT_DEFAULT)),
        )


@dataclass
class Resultaat:
    aandachtspunten: list[Aandachtspunt]
    bekeken_regels: int
    afgekapt: bool  # the period held more lines than were examined
    per_soort: dict[str, int] = field(default_factory=dict)


def _local(moment: dt.datetime) -> dt.datetime:
    return as_utc(moment).astimezone(TZ)


def buiten_kantoortijd(moment: dt.datetime, inst: Instellingen) -> bool:
    local = _local(moment)
    if local.weekday() >= 5:
        return True
    return not (inst.kantoor_van <= local.hour < inst.kantoor_tot)


def buiten_kantoor_vensters(
    dag: dt.date, inst: Instellingen
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts [begin, end) of a (local) day outside office hours, in UTC: the moments of
    that day for which :func:`buiten_kantoortijd` holds, so a query can ask for them."""

    def at(hour: int) -> dt.datetime:
        if hour >= 24:
            return dt.datetime.combine(dag + dt.timedelta(days=1), dt.time(), TZ).astimezone(dt.UTC)
        return dt.datetime.combine(dag, dt.time(max(hour, 0)), TZ).astimezone(dt.UTC)

    if dag.weekday() >= 5 or inst.kantoor_van >= inst.kantoor_tot:
        return [(at(0), at(24))]
    return [
        (b, e) for b, e in ((at(0), at(inst.kantoor_van)), (at(inst.kantoor_tot), at(24))) if b < e
    ]


class Feiten:
    """Who was involved in which plan when, for the plans the lines are about."""

    def __init__(self, plan_ids: Iterable[int]) -> None:
        ids = sorted(set(plan_ids))
        self.betrokken: dict[int, list[tuple[int, int | None, dt.date, dt.date | None]]] = (
            defaultdict(list)
        )
        self.regisseur_nu: dict[int, int] = {}
        self.wissels: dict[int, list[tuple[dt.datetime, int | None]]] = defaultdict(list)
        self.org_ids = {
            name: oid
            for oid, name in session.execute(select(Organisation.id, Organisation.name)).all()
        }
        for chunk in _chunks(ids, 500):
            for plan_id, org_id, user_id, start, end in session.execute(
                select(
                    Betrokkenheid.plan_id,
                    Betrokkenheid.organisation_id,
                    Betrokkenheid.user_id,
                    Betrokkenheid.start_date,
                    Betrokkenheid.end_date,
                )
                .where(Betrokkenheid.plan_id.in_(chunk))
                .execution_options(audit_internal=True)
            ):
                self.betrokken[plan_id].append((org_id, user_id, start, end))
            for plan_id, regisseur_id in session.execute(
                select(Plan.id, Plan.regisseur_id)
                .where(Plan.id.in_(chunk))
                .execution_options(audit_internal=True)
            ):
                self.regisseur_nu[plan_id] = regisseur_id
            for plan_id, at, actor_id in session.execute(
                select(PlanGebeurtenis.plan_id, PlanGebeurtenis.at, PlanGebeurtenis.actor_id)
                .where(PlanGebeurtenis.plan_id.in_(chunk), PlanGebeurtenis.soort == "regisseur")
                .order_by(PlanGebeurtenis.at)
                .execution_options(audit_internal=True)
            ):
                self.wissels[plan_id].append((at, actor_id))

    def regisseur_op(self, plan_id: int, moment: dt.datetime) -> int | None:
        """Who held the plan at ``moment``. A handover is made by the regisseur who hands over
        (the only way Eenplan offers): before it, its actor held the plan; after the last one,
        the current regisseur."""
        for at, actor_id in self.wissels.get(plan_id, []):
            if moment < at:
                return actor_id
        return self.regisseur_nu.get(plan_id)

    def betrokken_op(
        self, plan_id: int, organisation: str | None, user_id: int | None, day: dt.date
    ) -> bool:
        org_id = self.org_ids.get(organisation or "")
        if org_id is None:
            return False
        # The end date is the first day without access, and access stops at once: closing a
        # plan today ends its betrokkenheden today. A view on that day came before the end.
        return any(
            o == org_id
            and (u is None or u == user_id)
            and start <= day
            and (end is None or day <= end)
            for o, u, start, end in self.betrokken.get(plan_id, [])
        )


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _request(r: Any) -> tuple[str | None, str, str]:
    """The request a line was written in (see the module's docstring)."""
    return (r.actor_id, r.trace_id, r.span_id)


def _plan_views(rows: Iterable[Any]) -> list[Any]:
    return [
        r
        for r in rows
        if r.actor_type == "medewerker"
        and r.action in VIEWING
        and r.object_type == "plan"
        and _int(r.object_id) is not None
    ]


def buiten_betrokkenheid(row: Any, feiten: Feiten) -> str | None:
    """Why this line is outside the actor's betrokkenheid or caseload, or None."""
    if row.actor_type != "medewerker" or row.action not in VIEWING or row.object_type != "plan":
        return None
    plan_id = _int(row.object_id)
    if plan_id is None:
        return None
    actor_id = _int(row.actor_id)
    if row.actor_role == "Regisseur":
        if feiten.regisseur_op(plan_id, row.occurred_at) == actor_id:
            return None
        return _("Het plan zat op dat moment niet in de caseload van deze regisseur.")
    if row.actor_role == "Hulpverlener":
        day = _local(row.occurred_at).date()
        if feiten.betrokken_op(plan_id, row.actor_organisation, actor_id, day):
            return None
        return _(
            "%(organisatie)s was op die dag niet betrokken bij het plan.",
            organisatie=row.actor_organisation or _("De organisatie"),
        )
    return _("Een %(lower)s opende een plan.", lower=(row.actor_role or "medewerker").lower())


def per_regel(rows: Sequence[Any], inst: Instellingen | None = None) -> dict[int, list[str]]:
    """The indicators each line triggers on its own (for lists of lines): seq → soorten."""
    inst = inst or Instellingen.uit_config()
    feiten = Feiten(int(r.object_id) for r in _plan_views(rows))
    out: dict[int, list[str]] = {}
    for r in rows:
        found = []
        if r.actor_type == "medewerker" and buiten_betrokkenheid(r, feiten):
            found.append("buiten-betrokkenheid")
        if (
            r.actor_type == "medewerker"
            and r.action in VIEWING
            and buiten_kantoortijd(r.occurred_at, inst)
        ):
            found.append("buiten-kantoortijd")
        if r.emergency:
            found.append("noodtoegang")
        if found:
            out[r.seq] = found
    return out


def bereken(
    since: dt.datetime,
    until: dt.datetime,
    inst: Instellingen | None = None,
    *,
    beoordelingen: bool = True,
    after_seq: int | None = None,
    al_geteld: Collection[int] = frozenset(),
) -> Resultaat:
    """Every indicator in the period [since, until), newest first, from the lines themselves
    (at most ``scan_limit`` of them: see :mod:`app.privacy.indicatoren_opslag` for the stored
    results of whole days). A burst of "veel personen" that starts in the period is followed
    past its end; ``al_geteld``: see :func:`punten_uit`."""
    inst = inst or Instellingen.uit_config()
    rows = lines(since, until, limit=inst.scan_limit + 1, after_seq=after_seq)
    afgekapt = len(rows) > inst.scan_limit
    rows = rows[: inst.scan_limit]
    vervolg = lines(until, until + inst.venster, limit=inst.scan_limit, after_seq=after_seq)
    punten = punten_uit(rows, inst, vervolg=vervolg, al_geteld=al_geteld)
    punten.sort(key=lambda p: (p.end, p.laatste_seq), reverse=True)
    if beoordelingen:  # else the caller attaches them to the ones it shows
        _met_beoordelingen(punten)
    per_soort: dict[str, int] = dict.fromkeys(SOORTEN, 0)
    for p in punten:
        per_soort[p.soort] += 1
    return Resultaat(
        punten, len([r for r in rows if r.actor_type == "medewerker"]), afgekapt, per_soort
    )


def lines(
    since: dt.datetime,
    until: dt.datetime,
    *,
    limit: int,
    after_seq: int | None = None,
    **narrower: Any,
) -> list[Any]:
    """The newest ``limit`` lines of [since, until) (after line ``after_seq``; ``narrower``:
    more fields of :class:`audit.LineFilter`), only the columns the indicators need."""
    return current_logboek().scan(
        session.connection(),
        LineFilter(since=since, until=until, after_seq=after_seq, **narrower),
        COLUMNS,
        limit=limit,
    )


def _punt(soort: str, lines: list[Any], toelichting: str) -> Aandachtspunt:
    first = lines[0]
    return Aandachtspunt(
        soort=soort,
        actor_id=first.actor_id,
        actor_name=first.actor_name,
        actor_role=first.actor_role,
        actor_organisation=first.actor_organisation,
        start=min(r.occurred_at for r in lines),
        end=max(r.occurred_at for r in lines),
        seqs=[r.seq for r in lines],
        personen=len({r.data_subject_id for r in lines if r.data_subject_id}),
        toelichting=toelichting,
    )


def punten_uit(
    all_rows: Sequence[Any],
    inst: Instellingen,
    *,
    vervolg: Sequence[Any] = (),
    al_geteld: Collection[int] = frozenset(),
) -> list[Aandachtspunt]:
    """The indicators in these lines (staff lines only count), in no particular order.

    "Veel personen" crosses the end of the period: a burst belongs to the period it *starts*
    in, and ``vervolg`` holds the lines of the ``veel_minuten`` after the period, so a burst from
    23:50 to 00:10 is found whole by the day it starts in (a burst that starts in ``vervolg`` is
    the next period's). ``al_geteld``: the lines of the bursts that started in the period
    before and went on into this one; they are not counted again."""
    rows = sorted((r for r in all_rows if r.actor_type == "medewerker"), key=lambda r: r.seq)
    punten: list[Aandachtspunt] = []
    punt = _punt

    # Emergency access: one case per request.
    by_request: dict[tuple[str | None, str, str], list[Any]] = defaultdict(list)
    for r in rows:
        if r.emergency:
            by_request[_request(r)].append(r)
    for lines in by_request.values():
        reason = next((r.reason for r in lines if r.reason), None)
        punten.append(
            punt(
                "noodtoegang",
                lines,
                _("Reden: %(reason)s", reason=reason) if reason else _("Geen reden opgegeven."),
            )
        )

    # Outside betrokkenheid or caseload: one case per request and plan.
    feiten = Feiten(int(r.object_id) for r in _plan_views(rows))
    outside: dict[tuple[tuple[str | None, str, str], str], list[Any]] = defaultdict(list)
    why: dict[tuple[tuple[str | None, str, str], str], str] = {}
    for r in _plan_views(rows):
        reden = buiten_betrokkenheid(r, feiten)
        if reden:
            key = (_request(r), r.object_id)
            outside[key].append(r)
            why[key] = reden
    for key, lines in outside.items():
        punten.append(punt("buiten-betrokkenheid", lines, why[key]))

    # Outside office hours: one case per person and (local) day.
    late: dict[tuple[str | None, dt.date], list[Any]] = defaultdict(list)
    for r in rows:
        if r.action in VIEWING and buiten_kantoortijd(r.occurred_at, inst):
            late[(r.actor_id, _local(r.occurred_at).date())].append(r)
    for (_actor, day), lines in late.items():
        weekend = day.weekday() >= 5
        punten.append(
            punt(
                "buiten-kantoortijd",
                lines,
                _("In het weekend.")
                if weekend
                else _(
                    "Buiten %(kantoor_van)s:00–%(kantoor_tot)s:00 uur.",
                    kantoor_van=inst.kantoor_van,
                    kantoor_tot=inst.kantoor_tot,
                ),
            )
        )

    na = sorted((r for r in vervolg if r.actor_type == "medewerker"), key=lambda r: r.seq)
    punten.extend(
        veel_personen([r for r in rows + na if r.seq not in al_geteld], inst, {r.seq for r in na})
    )
    return punten


def veel_personen(
    rows: list[Any],
    inst: Instellingen,
    vervolg: Collection[int] = frozenset(),
    *,
    vanaf: Mapping[str | None, dt.datetime] | None = None,
) -> list[Aandachtspunt]:
    """Sliding window per actor: more than N different persons (subjects of the lines) within
    M minutes. A request (actor, trace and Eenplan's own span) about several plans is a list and
    does not count; the trace id alone never decides that. A burst that starts in a line of
    ``vervolg`` (after the period) is left to the next period.

    ``vanaf``: only these actors, each from this moment on (the rest of their day is stored;
    see ``indicatoren_opslag.aanvullen``); ``rows`` then also holds the lines just before it,
    so that a list is still known as a list."""
    plans_per_request: dict[tuple[str | None, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r.object_type == "plan" and r.object_id:
            plans_per_request[_request(r)].add(r.object_id)
    per_actor: dict[str | None, list[Any]] = defaultdict(list)
    for r in rows:
        if (
            r.action in VIEWING
            and r.data_subject_id
            and len(plans_per_request.get(_request(r), ())) <= 1
            and (vanaf is None or (r.actor_id in vanaf and r.occurred_at >= vanaf[r.actor_id]))
        ):
            per_actor[r.actor_id].append(r)
    window = inst.venster
    out = []
    for lines in per_actor.values():
        lines.sort(key=lambda r: (r.occurred_at, r.seq))
        counts: dict[str, int] = defaultdict(int)
        left = 0
        right = 0
        while right < len(lines):
            counts[lines[right].data_subject_id] += 1
            while lines[right].occurred_at - lines[left].occurred_at > window:
                subject = lines[left].data_subject_id
                counts[subject] -= 1
                if not counts[subject]:
                    del counts[subject]
                left += 1
            if len(counts) > inst.veel_personen:
                end = right
                while (
                    end + 1 < len(lines)
                    and lines[end + 1].occurred_at - lines[left].occurred_at <= window
                ):
                    end += 1
                chunk = lines[left : end + 1]
                if chunk[0].seq in vervolg:  # starts after the period: the next one's
                    break
                n = len({r.data_subject_id for r in chunk})
                out.append(
                    _punt(
                        "veel-personen",
                        chunk,
                        _(
                            "%(n)s verschillende personen binnen %(veel_minuten)s minuten.",
                            n=n,
                            veel_minuten=inst.veel_minuten,
                        ),
                    )
                )
                counts.clear()
                left = right = end + 1
                continue
            right += 1
    return out


def _met_beoordelingen(punten: list[Aandachtspunt]) -> None:
    """Attach the newest review when every line of the indicator has been reviewed. The reviews
    are read by the indicators' seq ranges (reviews are few), and an indicator's own lines are
    looked at only when a reviewed line falls in its range."""
    # cycle: app.privacy.services imports app.privacy.indicators (SOORTEN).
    from app.privacy.services import beoordelingen_in_bereiken

    if not punten:
        return
    reviews = beoordelingen_in_bereiken([(p.eerste_seq, p.laatste_seq) for p in punten])
    reviewed = sorted(reviews)
    for p in punten:
        i = bisect_left(reviewed, p.eerste_seq)
        if i == len(reviewed) or reviewed[i] > p.laatste_seq:
            continue  # no reviewed line in its range: open
        covering = [reviews.get(s) for s in p.seqs]
        if covering and all(covering):  # none: a stored case replaced since (indicatoren_opslag)
            p.beoordeling = max(covering, key=lambda b: (b.beoordeeld_op, b.id))  # type: ignore[union-attr]
        else:
            p.deels_beoordeeld = any(covering)


met_beoordelingen = _met_beoordelingen
