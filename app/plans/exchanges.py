"""Exchanges of plan data with other parties, noted for the logboek (SPEC: the logboek)."""

from __future__ import annotations

from app.db import session
from app.inzage import get_ledger
from app.plans.models import Betrokkenheid, Plan

# What a newly involved organisation receives access to.
SHARED_WITH_BETROKKENE = (
    "naw",
    "bsn",
    "contact",
    "plan",
    "activiteiten",
    "activiteiten-buitenkant",
)


def plan_shared_with(plan: Plan, betrokkenheid: Betrokkenheid) -> None:
    ledger = get_ledger(session)
    if ledger is None:
        return
    ledger.note_exchange(
        refs=[("plan", plan.id)],
        categories=SHARED_WITH_BETROKKENE,
        sender=plan.gemeente.name,
        recipient=betrokkenheid.organisation.name,
        action="send",
        object_type="plan",
        object_id=plan.id,
    )
