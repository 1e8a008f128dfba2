"""Reviews of logboek lines (beoordelingen): domain operations, callable without a request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.clock import now, today
from app.db import session
from app.privacy.indicators import SOORTEN
from app.privacy.models import CONCLUSIES, STATUSSEN, BeoordeeldeRegel, Beoordeling
from app.users.models import User
from audit import schema as audit_schema

MAX_REGELS_PER_ZAAK = 500


class BeoordelingError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def bestaande_regels(seqs: Iterable[int]) -> set[int]:
    """Which of these positions exist in the logboek (nothing about their content)."""
    wanted = sorted(set(seqs))
    found: set[int] = set()
    ll = audit_schema.log_line
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found.update(session.execute(select(ll.c.seq).where(ll.c.seq.in_(chunk))).scalars())
    return found


def beoordeel(
    seqs: Iterable[int],
    *,
    conclusie: str,
    toelichting: str,
    door: User,
    aandachtspunt: str | None = None,
) -> Beoordeling:
    """Record a review of one line (``regel``) or of a case of several (``zaak``)."""
    wanted = sorted(set(seqs))
    if not wanted:
        raise BeoordelingError(_("Er zijn geen regels om te beoordelen."))
    if len(wanted) > MAX_REGELS_PER_ZAAK:
        raise BeoordelingError(
            _(
                "Beoordeel hooguit %(MAX_REGELS_PER_ZAAK)s regels tegelijk; kies een kortere periode.",
                MAX_REGELS_PER_ZAAK=MAX_REGELS_PER_ZAAK,
            )
        )
    if conclusie not in CONCLUSIES:
        raise BeoordelingError(_("Kies een conclusie."), "conclusie")
    if not toelichting.strip():
        raise BeoordelingError(_("Licht uw conclusie toe."), "toelichting")
    if aandachtspunt is not None and aandachtspunt not in SOORTEN:
        raise BeoordelingError(_("Onbekend soort aandachtspunt."))
    missing = set(wanted) - bestaande_regels(wanted)
    if missing:
        raise BeoordelingError(_("Een of meer regels bestaan niet in het logboek."))
    b = Beoordeling(
        soort="zaak" if aandachtspunt is not None or len(wanted) > 1 else "regel",
        aandachtspunt=aandachtspunt,
        conclusie=conclusie,
        toelichting=toelichting.strip(),
        beoordeeld_door_id=door.id,
        beoordeeld_door_naam=door.name,
        beoordeeld_op=now(),
        # "Nader onderzoek" is not the end: it stays in the queue, with an owner and a date.
        status="in_onderzoek" if conclusie == "nader_onderzoek" else "afgerond",
        toegewezen_aan_id=door.id if conclusie == "nader_onderzoek" else None,
        termijn=today()
        + dt.timedelta(days=int(current_app.config.get("PRIVACY_VRAAG_TERMIJN_DAGEN", 14)))
        if conclusie == "nader_onderzoek"
        else None,
    )
    b.regels = [BeoordeeldeRegel(seq=s) for s in wanted]
    session.add(b)
    session.flush()
    return b


def volg_op(
    b: Beoordeling, *, status: str, toegewezen_aan: User | None, termijn: dt.date | None
) -> Beoordeling:
    """Follow-up of a review: its state, owner and due date."""
    if status not in STATUSSEN:
        raise BeoordelingError(_("Kies een status."), "status")
    b.status = status
    b.toegewezen_aan_id = toegewezen_aan.id if toegewezen_aan else None
    b.termijn = termijn
    session.flush()
    return b


def _nieuwste_per_regel(
    waar: Any, out: dict[int, Beoordeling], keep: set[int] | None = None
) -> None:
    """Into ``out``, for each reviewed line matching ``waar`` (and in ``keep``, if given): the
    newest review that covers it."""
    for seq, b in session.execute(
        select(BeoordeeldeRegel.seq, Beoordeling)
        .join(Beoordeling, Beoordeling.id == BeoordeeldeRegel.beoordeling_id)
        .where(waar)
        .order_by(Beoordeling.beoordeeld_op, Beoordeling.id)
    ):
        if keep is None or seq in keep:
            out[seq] = b  # ordered: the newest wins


def beoordelingen_in_bereiken(bereiken: Iterable[tuple[int, int]]) -> dict[int, Beoordeling]:
    """For each reviewed line in any of these (first, last) seq ranges: the newest review that
    covers it (the ranges merged where they touch; an index range scan each)."""
    merged: list[list[int]] = []
    for eerste, laatste in sorted(bereiken):
        if merged and eerste <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], laatste)
        else:
            merged.append([eerste, laatste])
    out: dict[int, Beoordeling] = {}
    for i in range(0, len(merged), 100):
        chunk = merged[i : i + 100]
        _nieuwste_per_regel(or_(*(BeoordeeldeRegel.seq.between(a, z) for a, z in chunk)), out)
    return out


def beoordelingen_per_regel(seqs: Iterable[int]) -> dict[int, Beoordeling]:
    """For each line: the newest review that covers it."""
    wanted = sorted(set(seqs))
    out: dict[int, Beoordeling] = {}
    if len(wanted) > 500:
        # Many lines (the indicators of a busy day): reviews are few, so read the reviewed lines
        # in their range (index on seq) and keep the wanted ones, instead of long IN lists.
        _nieuwste_per_regel(
            BeoordeeldeRegel.seq.between(wanted[0], wanted[-1]), out, keep=set(wanted)
        )
        return out
    for i in range(0, len(wanted), 500):
        _nieuwste_per_regel(BeoordeeldeRegel.seq.in_(wanted[i : i + 500]), out)
    return out


def beoordelingen_van_regel(seq: int) -> list[Beoordeling]:
    return list(
        session.scalars(
            select(Beoordeling)
            .join(BeoordeeldeRegel)
            .where(BeoordeeldeRegel.seq == seq)
            .order_by(Beoordeling.beoordeeld_op.desc(), Beoordeling.id.desc())
        )
    )


def recente_beoordelingen(limit: int = 100) -> list[Beoordeling]:
    return list(
        session.scalars(
            select(Beoordeling)
            .order_by(Beoordeling.beoordeeld_op.desc(), Beoordeling.id.desc())
            .limit(limit)
        )
    )


def aantal_beoordelingen() -> int:
    return int(session.execute(select(func.count(Beoordeling.id))).scalar_one())
