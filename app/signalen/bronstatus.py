"""The status of a source's own delivery, asked by its own reference (``bronReferentie``).

Like the melder's *Mijn meldingen* (:func:`app.signalen.status.mijn_meldingen`), a source learns
only what became of the signal it delivered — received, being weighed, done, removed — never the
case, the plan or the person (``audit_internal``: status columns only, nothing the source did not
give, so no logboek line). Scoped to one source: another source's reference is not found.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.db import session
from app.domain import AFWEGING_LOPEND
from app.signalen.models import Afweging, Vroegsignaal
from app.signalen.status import status_label

# The machine-readable status codes of the source API, with their Dutch text.
STATUS_CODES = ("ontvangen", "inBehandeling", "afgerond", "verwijderd")


def status_code(verwijderd: bool, afweging_status: str | None) -> str:
    if verwijderd:
        return "verwijderd"
    if afweging_status is None:
        return "ontvangen"
    if afweging_status in AFWEGING_LOPEND:
        return "inBehandeling"
    return "afgerond"


def levering_status(bron_id: int, bron_referentie: str) -> dict[str, Any] | None:
    """The status of the signal this source delivered under this reference, or None."""
    row = session.execute(
        select(
            Vroegsignaal.bron_referentie,
            Vroegsignaal.signaaldatum,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Afweging.status,
        )
        .outerjoin(Afweging, Afweging.id == Vroegsignaal.afweging_id)
        .where(Vroegsignaal.bron_id == bron_id, Vroegsignaal.bron_referentie == bron_referentie)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        return None
    ref, signaaldatum, ontvangen_op, verwijderd_op, afweging_status = row
    verwijderd = verwijderd_op is not None
    return {
        "bronReferentie": ref,
        "signaaldatum": signaaldatum.isoformat(),
        "ontvangenOp": ontvangen_op.isoformat(),
        "status": status_code(verwijderd, afweging_status),
        "statusOmschrijving": status_label(verwijderd, afweging_status),
        "verwijderdOp": verwijderd_op.isoformat() if verwijderd_op else None,
    }
