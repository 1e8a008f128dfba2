"""Mijn Eenplan: the citizen's portal.

Citizens log in through OpenID Connect (the way a municipality connects DigiD through a
broker): provider ``burger`` (``OIDC_BURGER_*``), the BSN from a configurable claim. No BSN is
typed into a form, there is no password. Everything a page shows is the citizen's own data;
where it shows someone else's (a household member's name) the usual logboek path applies.

One blueprint (``portaal``, in :mod:`.base`); each module registers the routes of one page group.
"""

from app.portaal.views import (  # noqa: F401 - importing a module registers its routes
    berichten,
    gegevens,
    inloggen,
    logboek,
    meldingen,
    plan,
    signalen,
    toegang,
    toestemming,
    vragen,
)
from app.portaal.views.base import bp

__all__ = ["bp"]
