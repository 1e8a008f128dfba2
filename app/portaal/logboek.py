"""The citizen's own logboek lines: "Wie heeft mijn gegevens gezien" and "Met wie is wat
uitgewisseld". Reads go through :class:`app.access.LogboekToegang` (only their own pseudonym,
only lines whose "disclose after" date has passed). A citizen reading their own lines writes
no line: nobody else saw anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app.access import LogboekToegang
from app.db import session
from app.logboek import current_logboek
from audit import LineFilter, LinePage, LogLine, schema
from audit.reader import filter_clauses

# The "soort" filter: what was done, in the citizen's words.
SOORTEN = {
    "bekeken": ("inzage", "view", _l("Bekeken")),
    "vastgelegd": ("inzage", "create", _l("Vastgelegd")),
    "gewijzigd": ("inzage", "update", _l("Gewijzigd")),
    "uitgewisseld": ("uitwisseling", None, _l("Uitgewisseld met een andere organisatie")),
}


@dataclass(frozen=True)
class Filter:
    van: dt.date | None = None
    tot: dt.date | None = None
    organisatie: str | None = None
    soort: str | None = None

    @property
    def actief(self) -> bool:
        return any((self.van, self.tot, self.organisatie, self.soort))


def _line_filter(f: Filter, *, alleen_uitwisselingen: bool) -> LineFilter:
    kind, action = (None, None)
    if f.soort in SOORTEN:
        kind, action, _ = SOORTEN[f.soort]
    if alleen_uitwisselingen:
        kind = "uitwisseling"
    since = dt.datetime.combine(f.van, dt.time(), dt.UTC) if f.van else None
    until = dt.datetime.combine(f.tot + dt.timedelta(days=1), dt.time(), dt.UTC) if f.tot else None
    return LineFilter(
        kind=kind,
        action=action,
        since=since,
        until=until,
        actor_organisation=f.organisatie or None,
    )


def regels(
    toegang: LogboekToegang,
    f: Filter,
    *,
    alleen_uitwisselingen: bool = False,
    voor: int | None = None,
    limit: int = 50,
) -> LinePage:
    narrowed = toegang.filter(_line_filter(f, alleen_uitwisselingen=alleen_uitwisselingen))
    if narrowed is None:
        return LinePage([], None)
    page = current_logboek().page(session.connection(), narrowed, limit=limit, before_seq=voor)
    return LinePage(toegang.toon(page.lines), page.next_before)


def _live_filter(toegang: LogboekToegang, alleen_uitwisselingen: bool) -> LineFilter | None:
    narrowed: LineFilter | None = toegang.filter(
        LineFilter(kind="uitwisseling" if alleen_uitwisselingen else None)
    )
    return narrowed


def nieuwe_regels(
    toegang: LogboekToegang,
    na: int,
    *,
    alleen_uitwisselingen: bool = False,
    sinds: dt.date | None = None,
    limit: int = 100,
) -> list[LogLine]:
    """Lines newer than ``na`` the citizen may see now, oldest first (for the live page).

    With ``sinds`` (the day the page was last brought up to date): also the older lines whose
    "disclose after" date passed since that day — they appear by themselves, without a reload.
    Asks again which signals are deferred (a deferral made while the page is open hides its
    lines at once) and shows each line as the citizen may see it (``LogboekToegang.toon``).
    """
    toegang = toegang.ververst()
    narrowed = _live_filter(toegang, alleen_uitwisselingen)
    if narrowed is None:
        return []
    conn = session.connection()
    # Only the positions first (the index on pseudonym and seq), then only those lines: a look
    # of the live stream usually finds one line, or none.
    ll = schema.log_line
    after = conn.execute(
        select(ll.c.seq)
        .where(*filter_clauses(narrowed), ll.c.seq > na)
        .order_by(ll.c.seq.desc())
        .limit(limit)
    )
    seqs_na = [int(r[0]) for r in after]
    nieuw = sorted(current_logboek().lines_by_seq(conn, seqs_na), key=lambda line: line.seq)
    if sinds is None or sinds >= toegang.day or narrowed.data_subject_id is None:
        return toegang.toon(nieuw)
    query = select(ll.c.seq).where(
        ll.c.data_subject_id == narrowed.data_subject_id,
        ll.c.disclose_after > sinds,
        ll.c.disclose_after <= toegang.day,
        ll.c.seq <= na,
    )
    if narrowed.kind:
        query = query.where(ll.c.kind == narrowed.kind)
    seqs = [int(r[0]) for r in conn.execute(query.order_by(ll.c.seq).limit(limit))]
    vrijgegeven = sorted(current_logboek().lines_by_seq(conn, seqs), key=lambda line: line.seq)
    return toegang.toon(vrijgegeven + nieuw)


def laatste_seq(toegang: LogboekToegang, *, alleen_uitwisselingen: bool = False) -> int:
    """The newest line the citizen may see (0: none), where the live page starts."""
    narrowed = _live_filter(toegang, alleen_uitwisselingen)
    if narrowed is None:
        return 0
    page = current_logboek().page(session.connection(), narrowed, limit=1)
    return page.lines[0].seq if page.lines else 0


def organisaties(toegang: LogboekToegang) -> list[str]:
    """The organisations in the citizen's own lines (the filter's choices; not those of lines
    still deferred)."""
    if toegang.eigen_pseudoniem is None:
        return []
    ll = schema.log_line
    hidden = [
        ~and_(ll.c.object_type == t, ll.c.object_id == i)
        for t, i in toegang.verborgen  # a handful per person
    ]
    rows = session.connection().execute(
        select(ll.c.actor_organisation)
        .where(
            ll.c.data_subject_id == toegang.eigen_pseudoniem,
            ll.c.actor_organisation.is_not(None),
            or_(ll.c.disclose_after.is_(None), ll.c.disclose_after <= toegang.day),
            *[or_(ll.c.object_type.is_(None), ll.c.object_id.is_(None), h) for h in hidden],
        )
        .distinct()
    )
    return sorted(r[0] for r in rows if r[0])


_HAAKJES = re.compile(r"\s*\([^)]*\)")


def in_gewone_woorden(legal_basis: str) -> str:
    """The legal basis without the article references, e.g. "Uitvoering van een wettelijke
    taak van de gemeente op het gebied van jeugdhulp." (the full text stays available)."""
    text = _HAAKJES.sub("", legal_basis or "").strip()
    return text or legal_basis
