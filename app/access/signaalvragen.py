"""Questions from the signal team to organisations (``app/signalen/vragen.py``): who may read
and answer them.

A question is for its organisation: the active hulpverleners of that (active) organisation see
it and may answer or decline it, while its afweging is open. Nobody else reaches it through
these routes — a hulpverlener of another organisation gets 404 (the question's existence is
not revealed); other roles 403 at the guard. The signal team sees the questions on the
afweging's page (``app/access/signalen.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, select
from sqlalchemy.sql import Select

from app.access.errors import NotVisible
from app.db import session
from app.domain import AFWEGING_LOPEND, Rol
from app.signalen.models import Afweging, DatInformatieVraag
from app.users.models import User


def vragen_visible_to(user: User) -> Select[Any]:
    """The questions to the user's organisation (any state); none for other users."""
    org = user.organisation
    stmt = select(DatInformatieVraag)
    if not (user.has_role(Rol.HULPVERLENER) and org is not None and org.active):
        return stmt.where(false())
    return stmt.where(DatInformatieVraag.organisation_id == org.id)


def open_vragen_visible_to(user: User) -> Select[Any]:
    """The questions still to be answered: not answered or declined, within an open afweging."""
    return vragen_visible_to(user).where(
        DatInformatieVraag.beantwoord_op.is_(None),
        DatInformatieVraag.afweging_id.in_(
            select(Afweging.id).where(Afweging.status.in_(AFWEGING_LOPEND))
        ),
    )


def vraag_for(user: User, vraag_id: int) -> DatInformatieVraag:
    """The question, or 404 when it is not for the user's organisation."""
    found = session.scalars(
        vragen_visible_to(user).where(DatInformatieVraag.id == vraag_id)
    ).first()
    if found is None:
        raise NotVisible
    return found


def VRAAG(user: User, args: dict[str, Any]) -> DatInformatieVraag:  # noqa: N802 - a resolver
    """The guard's resolver for the ``vraag_id`` argument."""
    return vraag_for(user, args["vraag_id"])
