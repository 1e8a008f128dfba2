"""The regisseur's and hulpverlener's screens: werklijst, plan page, and the changes on a plan.

One blueprint (``plans``, in :mod:`.base`); each module registers the routes of one page group.
"""

from app.plans.views import (  # noqa: F401 - importing a module registers its routes
    activiteiten,
    afscherming,
    beroepsgeheim,
    detail,
    huishouden,
    opmerkingen,
    plannen,
    werklijst,
)
from app.plans.views.base import bp

__all__ = ["bp"]
