"""The status of a source's own delivery, asked by its own reference (``bronReferentie``).

A source learns only what became of the signal it delivered — received, being weighed, done,
removed — never the case, the plan or the person. Scoped to one source: another source's
reference is not found. That status is still something about the person (that the municipality
is weighing their situation, or finished): each answer is an exchange line in the logboek —
sent by the municipality to the source, about the BSN the source delivered, categories
``signalen`` (and ``afweging`` once a case exists), processing activity ``signalen-afweging``
(whose recipients include "de melder (alleen de status)"). A
removed signal's tombstone has no BSN left: its answer ("verwijderd") is about nobody.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import session
from app.domain import AFWEGING_LOPEND
from app.signalen.models import Afweging, SignaalBron, Vroegsignaal
from app.signalen.status import log_status_verzonden, status_label

# The machine-readable status codes of the source API.
STATUS_CODES = ("ontvangen", "inBehandeling", "afgerond", "verwijderd")


def status_code(verwijderd: bool, afweging_status: str | None) -> str:
    if verwijderd:
        return "verwijderd"
    if afweging_status is None:
        return "ontvangen"
    if afweging_status in AFWEGING_LOPEND:
        return "inBehandeling"
    return "afgerond"


def levering_status(b: SignaalBron, bron_referentie: str) -> dict[str, Any] | None:
    """The status of the signal this source delivered under this reference, or None."""
    row = session.execute(
        select(
            Vroegsignaal.id,
            Vroegsignaal.bsn,
            Vroegsignaal.bron_referentie,
            Vroegsignaal.signaaldatum,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Afweging.status,
        )
        .outerjoin(Afweging, Afweging.id == Vroegsignaal.afweging_id)
        .where(Vroegsignaal.bron_id == b.id, Vroegsignaal.bron_referentie == bron_referentie)
        .execution_options(audit_internal=True)  # logged below, as what is sent
    ).first()
    if row is None:
        return None
    signal_id, bsn, ref, signaaldatum, ontvangen_op, verwijderd_op, afweging_status = row
    verwijderd = verwijderd_op is not None
    if bsn:
        log_status_verzonden(
            "signalen.status", b.naam, signal_id, bsn, with_case=afweging_status is not None
        )
    return {
        "bronReferentie": ref,
        "signaaldatum": signaaldatum.isoformat(),
        "ontvangenOp": ontvangen_op.isoformat(),
        "status": status_code(verwijderd, afweging_status),
        "statusOmschrijving": status_label(verwijderd, afweging_status),
        "verwijderdOp": verwijderd_op.isoformat() if verwijderd_op else None,
    }
