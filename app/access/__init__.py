"""THE place that decides who may see what (SPEC rules 6, 8, 9, 12, 13, 16).

Views never load an object and then ask "may they?". They ask this package for a *query* of what
the user may see, or for a :class:`PlanToegang` that holds only what the user may see of one
plan. What may not be seen is not loaded (``load_only(..., raiseload=True)``), so a template
cannot show it by accident. A user who may not know an object exists gets :class:`NotVisible`
(404); a role that does not allow a page gets :class:`NotAllowed` (403). ``app/errors.py`` maps
both; nothing here calls Flask's ``abort``.

The modules, along the seams of the rules:

* ``paths`` — how a user reaches a plan (:class:`Pad`) and the SQL condition of each path;
* ``plans`` — one plan as one user may see it (:func:`plan_for`), the plans they may know;
* ``kern`` — a plan's ids and the user's role, for berichten and the inkijk;
* ``beroepsgeheim`` — remarks and comments under professional secrecy, exports and shares;
* ``berichten`` — message threads and messages;
* ``logboek`` — which logboek lines a user may read;
* ``signalen`` — signals and the afwegingskader;
* ``loading`` — the columns loaded for each way of seeing a plan, activity or person;
* ``errors`` — :class:`NotVisible` and :class:`NotAllowed`;
* ``guard`` — the route guard every route goes through (:func:`guard`, :func:`public`).

Below is the public API the views use; helpers are imported from their module.
"""

from __future__ import annotations

from app.access.beroepsgeheim import shareable_activities, shareable_comments
from app.access.errors import NotAllowed, NotVisible
from app.access.guard import AFWEGING, INKIJK_PLAN, PLAN, PLAN_KERN, guard, public, source_system
from app.access.kern import PlanKern, inkijk_plan_for, plan_kern_for
from app.access.loading import BUITENKANT, VOL, ZONDER_TOELICHTING, plan_list_options
from app.access.logboek import LogboekToegang, logboek_regels_voor
from app.access.paths import Pad, niveau_van
from app.access.plans import (
    PlanToegang,
    activities_of_organisation,
    may_open,
    overgenomen_feiten,
    persons_visible_to,
    plan_for,
    plans_visible_to,
)
from app.access.signalen import (
    afweging_for,
    afwegingen_visible_to,
    in_signaalteam,
    signalen_visible_to,
)
from app.autorisaties.models import NIVEAU_BUITENKANT, NIVEAU_GEEN, NIVEAU_VOLLEDIG

__all__ = [
    "AFWEGING",
    "INKIJK_PLAN",
    "PLAN",
    "PLAN_KERN",
    "guard",
    "public",
    "source_system",
    "BUITENKANT",
    "NIVEAU_BUITENKANT",
    "NIVEAU_GEEN",
    "NIVEAU_VOLLEDIG",
    "VOL",
    "ZONDER_TOELICHTING",
    "LogboekToegang",
    "NotAllowed",
    "NotVisible",
    "Pad",
    "PlanKern",
    "PlanToegang",
    "activities_of_organisation",
    "afweging_for",
    "afwegingen_visible_to",
    "in_signaalteam",
    "inkijk_plan_for",
    "logboek_regels_voor",
    "may_open",
    "niveau_van",
    "overgenomen_feiten",
    "persons_visible_to",
    "plan_for",
    "plan_kern_for",
    "plan_list_options",
    "plans_visible_to",
    "shareable_activities",
    "shareable_comments",
    "signalen_visible_to",
]
