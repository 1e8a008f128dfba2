"""An afweging as the purpose of an inkijk (SPEC rule 14, Startnotitie §3.2 and §7.2).

The regisseur may look into buitenkant basisgegevens as part of a careful weighing, and only
then: the case is still being weighed (open or reopened), the user weighs it (the signal team,
:func:`~app.access.signalen.in_signaalteam`, and may know the case,
:func:`~app.access.signalen.afwegingen_visible_to`), and the case is at step 2 or 3 — step 1
(the signal) answered, step 3 not yet. Anything else is 404: outside such a case there is no
purpose to look for. Doorprikken (details) is never part of a weighing: it needs the plan that
step 4 makes (the route answers 403 with that explanation).

Only ids, the status and the last step are read (``audit_internal``): deciding whether the
purpose holds shows nothing of the case, so it writes no line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.access.errors import NotVisible
from app.access.signalen import afwegingen_visible_to, in_signaalteam
from app.db import session
from app.domain import AFWEGING_LOPEND
from app.signalen.models import Afweging, AfwegingStap
from app.users.models import User

# The steps at which the regisseur may look into the buitenkant (the step being weighed).
INKIJK_STAPPEN = (2, 3)


@dataclass(frozen=True)
class AfwegingKern:
    """The ids of a case being weighed and the step it is at (the next to be answered)."""

    id: int
    person_id: int
    stap: int


def lopende_stap(afweging_id: int) -> int:
    """The step being weighed: one after the last step answered "ja" (2, 3 or 4)."""
    last = session.execute(
        select(func.max(AfwegingStap.stap))
        .where(AfwegingStap.afweging_id == afweging_id, AfwegingStap.antwoord.is_(True))
        .execution_options(audit_internal=True)
    ).scalar()
    return min(4, max(2, (last or 0) + 1))


def inkijk_afweging_for(user: User, afweging_id: int) -> AfwegingKern:
    """The case as the purpose of an inkijk, or 404 (:class:`NotVisible`)."""
    if not in_signaalteam(user):
        raise NotVisible
    visible = afwegingen_visible_to(user).with_only_columns(Afweging.id).scalar_subquery()
    row = session.execute(
        select(Afweging.id, Afweging.person_id, Afweging.status)
        .where(Afweging.id == afweging_id, Afweging.id.in_(visible))
        .execution_options(audit_internal=True)
    ).first()
    if row is None or row.status not in AFWEGING_LOPEND:
        raise NotVisible
    stap = lopende_stap(row.id)
    if stap not in INKIJK_STAPPEN:
        raise NotVisible
    return AfwegingKern(id=row.id, person_id=row.person_id, stap=stap)
