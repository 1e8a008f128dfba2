"""Who is acting: the logboek's actor for the current user."""

from __future__ import annotations

from flask_login import current_user

from app.db import session
from app.domain import ROL_LABELS, Rol
from app.logboek import SYSTEM_ACTOR, get_ledger
from app.organisations.services import active_mandate_label
from audit import Actor

# When a user has several roles and the access layer did not say which one it used.
ROLE_PRIORITY = (
    Rol.REGISSEUR,
    Rol.HULPVERLENER,
    Rol.PRIVACY_OFFICER,
    Rol.FUNCTIONEEL_BEHEERDER,
    Rol.TEAMLEIDER,
    Rol.BELEID,
    Rol.MELDER,
    Rol.BURGER,
)


def acting_role(user: object) -> Rol | None:
    """The role the user acts in: what the route guard recorded on the request's ledger, else
    the first of the user's roles in :data:`ROLE_PRIORITY`."""
    ledger = get_ledger(session)
    if ledger is not None and ledger.acting_role is not None:
        return Rol(ledger.acting_role)
    roles: frozenset[Rol] = getattr(user, "roles", frozenset())
    for role in ROLE_PRIORITY:
        if role in roles:
            return role
    return None


def actor_for_current_user() -> Actor:
    user = current_user
    if not getattr(user, "is_authenticated", False):
        return Actor(type="systeem", id=None, name="niet ingelogd", role=None)
    # The access layer names a more precise role where it matters (a stand-in, a trusted person).
    ledger = get_ledger(session)
    label = ledger.acting_label if ledger is not None else None
    if user.is_burger:
        return Actor(
            type="burger", id=str(user.id), name=user.name, role=label or ROL_LABELS[Rol.BURGER]
        )
    role = acting_role(user)
    org = user.organisation
    return Actor(
        type="medewerker",
        id=str(user.id),
        name=user.name,
        role=label or (ROL_LABELS[role] if role else None),
        organisation=org.name if org else None,
        mandate=(
            active_mandate_label(org.id)
            if org and role in (Rol.REGISSEUR, Rol.TEAMLEIDER)
            else None
        ),
    )


def own_person_id() -> int | None:
    user = current_user
    if getattr(user, "is_authenticated", False):
        return user.person_id
    return None


__all__ = ["SYSTEM_ACTOR", "actor_for_current_user", "acting_role", "own_person_id"]
