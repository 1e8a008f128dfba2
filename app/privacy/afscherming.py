"""The privacy officer's review of the safety marks (afscherming, :mod:`app.plans.afscherming`):
``/privacy/afschermingen`` lists every active mark — on a gezinslink or on a person, set when,
by whom and why — and the latest 100 lifted ones, with who lifted them, when and why. No names of the persons are shown; reading the marks is one view line per
person concerned (``toezicht-logboek``, category ``gezin``), as the ledger writes for any load.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from app import access
from app.access import guard
from app.domain import Rol, Verwerkingsactiviteit
from app.plans.afscherming import actieve_afschermingen, opgeheven_afschermingen
from app.privacy.views import _logboek, bp


@bp.route("/afschermingen")
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=Verwerkingsactiviteit.TOEZICHT,
    name="privacy.afschermingen",
    resolve=_logboek,
)
def afschermingen(toegang: access.LogboekToegang) -> Any:
    return render_template(
        "privacy/afschermingen.html",
        afschermingen=actieve_afschermingen(),
        opgeheven=opgeheven_afschermingen(),
    )
