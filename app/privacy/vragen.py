"""The citizen's questions about a logboek line (issue 16 #11) and the privacy officer's queue
of follow-up (#12): domain operations, callable without a request's view.

A question points at one line (``seq``) the citizen may see — decided by the same access filter
as "Wie heeft mijn gegevens gezien" (:class:`app.access.LogboekToegang`); a line about someone
else, or one not yet disclosed, does not exist for them. Asking is logged as a line about the
citizen (``create``, category ``logboek``); the officer's reading and answering likewise
(``view``/``update``, ``toezicht-logboek``), with the question as the line's object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import access
from app.auth.identity import actor_for_current_user
from app.clock import now, today
from app.db import session
from app.domain import Gegevenscategorie, Verwerkingsactiviteit
from app.logboek import current_ledger, current_logboek
from app.privacy.models import STATUSSEN, Beoordeling, LogboekVraag
from app.privacy.services import BeoordelingError, beoordeel
from app.users.models import User
from audit import Entry, LineFilter, LogLine, Subject

MAX_VRAAG = 2000
MAX_ANTWOORD = 5000
LOGBOEK = Gegevenscategorie.LOGBOEK


class VraagError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def termijn_dagen() -> int:
    return int(current_app.config.get("PRIVACY_VRAAG_TERMIJN_DAGEN", 14))


def regel_van_inwoner(toegang: access.LogboekToegang, seq: int) -> LogLine | None:
    """Line ``seq`` as the citizen sees it on their page, or ``None`` (not theirs, not yet
    disclosed, hidden by a deferral, or no such line)."""
    narrowed = toegang.filter(LineFilter())
    if narrowed is None or seq < 1:
        return None
    page = current_logboek().page(session.connection(), narrowed, limit=1, before_seq=seq + 1)
    if not page.lines or page.lines[0].seq != seq:
        return None
    return toegang.toon(page.lines)[0]


def _entry(action: str, name: str, onderwerp: str, vraag_id: int, verwerking: str) -> None:
    ledger = current_ledger()
    ledger.record(
        Entry(
            kind="inzage",
            action=action,
            name=name,
            actor=actor_for_current_user(),
            subjects=(Subject.pseudonymous("BSN", onderwerp),),
            processing_activity=verwerking,
            data_categories=(str(LOGBOEK),),
            trace=ledger.trace,
            object_type="logboekvraag",
            object_id=str(vraag_id),
        )
    )


def stel_vraag(toegang: access.LogboekToegang, seq: int, vraag: str, door: User) -> LogboekVraag:
    """The citizen asks about line ``seq`` (which they may see: the caller checked)."""
    tekst = (vraag or "").strip()
    if not tekst:
        raise VraagError(_("Schrijf uw vraag op."), "vraag")
    if len(tekst) > MAX_VRAAG:
        raise VraagError(
            _("Uw vraag is te lang: hooguit %(MAX_VRAAG)s tekens.", MAX_VRAAG=MAX_VRAAG), "vraag"
        )
    assert toegang.eigen_pseudoniem is not None
    v = LogboekVraag(
        seq=seq,
        onderwerp=toegang.eigen_pseudoniem,
        gesteld_door_id=door.id,
        vraag=tekst,
        gesteld_op=now(),
        termijn=today() + dt.timedelta(days=termijn_dagen()),
        status="open",
    )
    session.add(v)
    session.flush()
    _entry(
        "create",
        "portaal.logboekvraag",
        v.onderwerp,
        v.id,
        Verwerkingsactiviteit.INZAGE_BETROKKENE,
    )
    return v


def vragen_per_regel(onderwerp: str | None, seqs: Iterable[int]) -> dict[int, list[LogboekVraag]]:
    """The citizen's own questions about these lines (oldest first)."""
    wanted = sorted(set(seqs))
    if onderwerp is None or not wanted:
        return {}
    out: dict[int, list[LogboekVraag]] = {}
    for v in session.scalars(
        select(LogboekVraag)
        .where(LogboekVraag.onderwerp == onderwerp, LogboekVraag.seq.in_(wanted))
        .order_by(LogboekVraag.gesteld_op, LogboekVraag.id)
    ):
        out.setdefault(v.seq, []).append(v)
    return out


# --- the privacy officer ----------------------------------------------------------------------


def note_gelezen(vragen: Iterable[LogboekVraag]) -> None:
    """The officer saw these questions: a view line about each citizen."""
    ledger = current_ledger()
    for v in vragen:
        ledger.note_subject_view(
            Subject.pseudonymous("BSN", v.onderwerp),
            categories=(str(LOGBOEK),),
            object_type="logboekvraag",
            object_id=v.id,
            processing_activity=Verwerkingsactiviteit.TOEZICHT,
        )


def werkvoorraad(
    *, status: str | None = None, toegewezen_aan: int | None = None, limit: int = 200
) -> tuple[list[LogboekVraag], list[Beoordeling]]:
    """The queue: citizens' questions and reviews that need follow-up (not ``afgerond``
    unless asked for), oldest due date first."""
    vq = select(LogboekVraag)
    bq = select(Beoordeling).where(Beoordeling.status != "afgerond")
    if status:
        vq = vq.where(LogboekVraag.status == status)
        bq = select(Beoordeling).where(Beoordeling.status == status)
        if status == "afgerond":
            bq = bq.where(Beoordeling.conclusie == "nader_onderzoek")
    else:
        vq = vq.where(LogboekVraag.status != "afgerond")
    if toegewezen_aan is not None:
        vq = vq.where(LogboekVraag.toegewezen_aan_id == toegewezen_aan)
        bq = bq.where(Beoordeling.toegewezen_aan_id == toegewezen_aan)
    vragen = list(session.scalars(vq.order_by(LogboekVraag.termijn, LogboekVraag.id).limit(limit)))
    beoordelingen = list(
        session.scalars(bq.order_by(Beoordeling.termijn, Beoordeling.id).limit(limit))
    )
    return vragen, beoordelingen


def te_laat(termijn: dt.date | None, status: str) -> bool:
    return termijn is not None and status != "afgerond" and termijn < today()


def behandel(
    v: LogboekVraag,
    *,
    status: str,
    antwoord: str,
    toegewezen_aan: User | None,
    door: User,
    onderzoek_starten: bool = False,
) -> LogboekVraag:
    """The officer's handling: state, assignee, the answer the citizen sees, and optionally a
    review of the line (``nader onderzoek``, in the same queue)."""
    if status not in STATUSSEN:
        raise VraagError(_("Kies een status."), "status")
    tekst = (antwoord or "").strip()
    if len(tekst) > MAX_ANTWOORD:
        raise VraagError(
            _(
                "Het antwoord is te lang: hooguit %(MAX_ANTWOORD)s tekens.",
                MAX_ANTWOORD=MAX_ANTWOORD,
            ),
            "antwoord",
        )
    if status == "afgerond" and not tekst:
        raise VraagError(_("Schrijf een antwoord voor de inwoner voordat u afrondt."), "antwoord")
    v.status = status
    v.toegewezen_aan_id = toegewezen_aan.id if toegewezen_aan else None
    if tekst and tekst != (v.antwoord or ""):
        v.antwoord = tekst
        v.beantwoord_op = now()
        v.beantwoord_door_id = door.id
    if onderzoek_starten and v.beoordeling_id is None:
        try:
            b = beoordeel(
                [v.seq],
                conclusie="nader_onderzoek",
                toelichting=f"Vraag van de inwoner (vraag {v.id}): onderzoek gestart.",
                door=door,
            )
        except BeoordelingError as exc:  # pragma: no cover - the line exists
            raise VraagError(exc.message) from exc
        b.toegewezen_aan_id = v.toegewezen_aan_id or door.id
        b.termijn = v.termijn
        v.beoordeling_id = b.id
        if v.status == "open":
            v.status = "in_onderzoek"
    session.flush()
    _entry(
        "update",
        "logboekcontrole.vraag.behandelen",
        v.onderwerp,
        v.id,
        Verwerkingsactiviteit.TOEZICHT,
    )
    return v
