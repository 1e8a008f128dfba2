"""What the portal pages share: the blueprint, the refusal page, and the resolvers of the
citizen's own plan and logboek for the route guard (``guard(portaal=True, resolve=EIGEN_PLAN)``:
a citizen's page; anonymous users go to the portal's login, staff get 403)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import access
from app.access import NotVisible
from app.domain import Verwerkingsactiviteit
from app.logboek import current_ledger
from app.portaal import services, uitleg
from app.users.models import User

bp = Blueprint("portaal", __name__, url_prefix="/mijn")


@bp.context_processor
def _voor_inwoner() -> dict[str, Any]:
    """The staff screens' words in plain words for the citizen (app/portaal/uitleg.py)."""
    return {"voor_inwoner": uitleg}


REGIE = Verwerkingsactiviteit.REGIE
INZAGE = Verwerkingsactiviteit.INZAGE_BETROKKENE

WEIGERING = {
    # reden: (status, title, text)
    "token": (
        401,
        _l("Inloggen is niet gelukt"),
        _l(
            "Wij konden niet controleren dat u het echt bent. Er is niets opgeslagen. "
            "Probeer het opnieuw."
        ),
    ),
    "geweigerd": (
        401,
        _l("Inloggen is gestopt"),
        _l("U heeft het inloggen afgebroken. Er is niets opgeslagen. U kunt opnieuw inloggen."),
    ),
    "bsn-ontbreekt": (
        400,
        _l("Wij kregen uw burgerservicenummer niet"),
        _l(
            "Bij het inloggen kregen wij uw burgerservicenummer (BSN) niet mee. Daarom kunt u "
            "nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente."
        ),
    ),
    "bsn-ongeldig": (
        400,
        _l("Wij kregen een burgerservicenummer dat niet klopt"),
        _l(
            "Het burgerservicenummer (BSN) dat wij bij het inloggen kregen, klopt niet. Daarom "
            "kunt u nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente."
        ),
    ),
    "geen-plan": (
        404,
        _l("Er is geen plan voor u"),
        _l(
            "U bent ingelogd, maar er is bij de gemeente geen plan voor u. Daarom is er hier "
            "niets te zien. Denkt u dat dit niet klopt, of wilt u hulp? Bel dan de gemeente."
        ),
    ),
    "geen-toegang": (
        403,
        _l("U kunt Mijn Eenplan nu niet gebruiken"),
        _l("Uw toegang tot Mijn Eenplan is gestopt. Bel de gemeente als u wilt weten waarom."),
    ),
    "niet-beschikbaar": (
        503,
        _l("Inloggen lukt nu niet"),
        _l("Inloggen lukt op dit moment niet. Probeer het later opnieuw."),
    ),
}


def request_user() -> User:
    return current_user._get_current_object()


def weigering(reden: str) -> tuple[str, int]:
    status, title, text = WEIGERING[reden]
    return render_template("portaal/weigering.html", title=title, text=text, reden=reden), status


# --- resolvers for the route guard: (user, route arguments) → what the view gets as ``toegang``


def EIGEN_PLAN(user: User, args: dict[str, Any]) -> access.PlanToegang | None:  # noqa: N802
    """The citizen's access to their own plan (:func:`plan_for`), the plan named on the page's
    lines; ``None`` when there is no plan for them."""
    plan_id = services.eigen_plan_id(user)
    if plan_id is None:
        return None
    toegang = access.plan_for(user, plan_id)
    current_ledger().set_context("plan", plan_id)
    return toegang


def EIGEN_PLAN_KERN(user: User, args: dict[str, Any]) -> access.PlanKern | None:  # noqa: N802
    """The ids of the citizen's own plan and their role on it (:func:`plan_kern_for`);
    ``None`` when there is no plan for them."""
    plan_id = services.eigen_plan_id(user)
    if plan_id is None:
        return None
    return access.plan_kern_for(user, plan_id)


def EIGEN_PLAN_ID(user: User, args: dict[str, Any]) -> int | None:  # noqa: N802
    """Only the id of the citizen's own plan (pages that show other data of theirs, but only
    while there is a plan); ``None`` when there is none."""
    return services.eigen_plan_id(user)


def EIGEN_LOGBOEK(user: User, args: dict[str, Any]) -> access.LogboekToegang:  # noqa: N802
    """The logboek lines about the citizen (:func:`logboek_regels_voor`)."""
    toegang = access.logboek_regels_voor(user)
    if toegang is None or toegang.eigen_pseudoniem is None:  # pragma: no cover - citizens only
        raise NotVisible
    return toegang


def bestaat(toegang: object) -> bool:
    """``need=``: the resolver found something (else 404, as if the page did not exist)."""
    return toegang is not None
