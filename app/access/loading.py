"""What the access layer loads of a plan, activity or person: the columns a viewer may see.

What may not be seen is not loaded (``load_only(..., raiseload=True)``), so a template cannot
show it by accident.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload, load_only

from app.domain import Rol
from app.people.models import Person
from app.plans.models import Activity, Plan
from app.users.models import User

# What the household section shows of each member: name and date of birth, not BSN or address.
HOUSEHOLD_PERSON = (
    Person.id,
    Person.voornamen,
    Person.tussenvoegsel,
    Person.achternaam,
    Person.geboortedatum,
)

# What anyone who only knows that a plan exists sees of the plan itself ("geen inzage"):
# no basis (it would say multiproblematiek was established), no closing reason.
PLAN_BESTAAT = (
    Plan.id,
    Plan.person_id,
    Plan.status,
    Plan.gemeente_id,
    Plan.regisseur_id,
    Plan.mandaat_id,
    Plan.updated_at,
    Plan.version,
)

# An activity seen in full except its remark (the remark is under beroepsgeheim).
ACTIVITY_ZONDER_TOELICHTING = tuple(
    c.key
    for c in Activity.__table__.columns
    if c.key not in ("toelichting", "toelichting_beroepsgeheim")
)

# Modes in which an activity is shown.
VOL = "vol"
ZONDER_TOELICHTING = "zonder-toelichting"
BUITENKANT = "buitenkant"


def activity_columns(names: tuple[str, ...]) -> list[Any]:
    return [getattr(Activity, c) for c in names]


def person_names_only() -> Any:
    """Loader option for lists of plans: the person's name and date of birth, not BSN or address."""
    return joinedload(Plan.person).load_only(*HOUSEHOLD_PERSON, raiseload=True)


def plan_list_options(user: User) -> list[Any]:
    """Loader options for a list of plans as this user sees it.

    A regisseur's list shows the plan's basis; anyone else's list shows only that a plan exists,
    its status and its regisseur (a hulpverlener's list may hold plans with "geen inzage").
    """
    opts = [person_names_only()]
    if not user.has_role(Rol.REGISSEUR):
        opts.append(load_only(*PLAN_BESTAAT, raiseload=True))
    return opts


def buitenkant_only() -> Any:
    """Loader option for activities seen from outside: other columns are not loaded."""
    return load_only(*activity_columns(Activity.BUITENKANT), raiseload=True)
