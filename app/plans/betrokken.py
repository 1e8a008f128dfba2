"""Activities only for involved organisations (issue 16 item 8).

An activity carried out by an organisation is visible to that organisation's hulpverleners only
through an active betrokkenheid in the plan (app/access/paths.py). An activity for an
organisation that is not involved would be accepted and then invisible to the very people who
carry it out; so it is refused, unless the regisseur brings the organisation in in the same step
(the same transaction: both or neither).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from app.clock import today
from app.db import session
from app.domain import ACTIVITEIT_AARDEN, UitvoerderSoort
from app.organisations.models import Organisation
from app.plans.models import Betrokkenheid

NIET_BETROKKEN = _l(
    "{naam} is niet betrokken bij dit plan en zou deze activiteit niet zien. "
    "Kies een betrokken organisatie, of betrek {naam} bij het plan."
)


def betrokken_organisaties(plan_id: int) -> set[int]:
    """The ids of the organisations with an active betrokkenheid today (ids only, not logged)."""
    rows = session.execute(
        select(Betrokkenheid.organisation_id)
        .where(Betrokkenheid.plan_id == plan_id, Betrokkenheid.active_on(today()))
        .execution_options(audit_internal=True)
    )
    return {r[0] for r in rows}


def is_betrokken(plan_id: int, organisation_id: int) -> bool:
    return bool(
        session.execute(
            select(
                exists().where(
                    Betrokkenheid.plan_id == plan_id,
                    Betrokkenheid.organisation_id == organisation_id,
                    Betrokkenheid.active_on(today()),
                )
            ).execution_options(audit_internal=True)
        ).scalar()
    )


def niet_betrokken(
    plan_id: int, uitvoerder_soort: str, organisation_id: int | None
) -> Organisation | None:
    """The organisation chosen for an activity when it is not involved in the plan (else None)."""
    if uitvoerder_soort != UitvoerderSoort.ORGANISATIE or organisation_id is None:
        return None
    if is_betrokken(plan_id, organisation_id):
        return None
    return session.get(Organisation, organisation_id)


def fout(organisation: Organisation) -> str:
    return NIET_BETROKKEN.format(naam=organisation.name)


def rol_voor(aard: str) -> str:
    """What the organisation does in the plan, when brought in for an activity."""
    return _("Voert een activiteit uit: %(lower)s", lower=ACTIVITEIT_AARDEN.get(aard, aard).lower())
