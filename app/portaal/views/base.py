"""What the portal pages share: the blueprint, who may open them (a citizen), the refusal page,
and the citizen's own plan."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from app import access
from app.logboek import current_ledger
from app.portaal import services
from app.users.models import User

bp = Blueprint("portaal", __name__, url_prefix="/mijn")

F = TypeVar("F", bound=Callable[..., Any])

REGIE = "regie-multiproblematiek"
INZAGE = "inzage-betrokkene"

WEIGERING = {
    # reden: (status, title, text)
    "token": (
        401,
        "Inloggen is niet gelukt",
        "Wij konden niet controleren dat u het echt bent. Er is niets opgeslagen. "
        "Probeer het opnieuw.",
    ),
    "geweigerd": (
        401,
        "Inloggen is gestopt",
        "U heeft het inloggen afgebroken. Er is niets opgeslagen. U kunt opnieuw inloggen.",
    ),
    "bsn-ontbreekt": (
        400,
        "Wij kregen uw burgerservicenummer niet",
        "Bij het inloggen kregen wij uw burgerservicenummer (BSN) niet mee. Daarom kunt u "
        "nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente.",
    ),
    "bsn-ongeldig": (
        400,
        "Wij kregen een burgerservicenummer dat niet klopt",
        "Het burgerservicenummer (BSN) dat wij bij het inloggen kregen, klopt niet. Daarom "
        "kunt u nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente.",
    ),
    "geen-plan": (
        404,
        "Er is geen plan voor u",
        "U bent ingelogd, maar er is bij de gemeente geen plan voor u. Daarom is er hier "
        "niets te zien. Denkt u dat dit niet klopt, of wilt u hulp? Bel dan de gemeente.",
    ),
    "geen-toegang": (
        403,
        "U kunt Mijn Eenplan nu niet gebruiken",
        "Uw toegang tot Mijn Eenplan is gestopt. Bel de gemeente als u wilt weten waarom.",
    ),
    "niet-beschikbaar": (
        503,
        "Inloggen lukt nu niet",
        "Inloggen lukt op dit moment niet. Probeer het later opnieuw.",
    ),
}


def request_user() -> User:
    return current_user._get_current_object()


def burger_required(fn: F) -> F:
    """Logged in as a citizen (a user with a person); staff get 403, anonymous go to login."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("portaal.inloggen"))
        if not current_user.is_burger:
            abort(403)
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def weigering(reden: str) -> tuple[str, int]:
    status, title, text = WEIGERING[reden]
    return render_template("portaal/weigering.html", title=title, text=text, reden=reden), status


def eigen_toegang() -> access.PlanToegang | None:
    """The citizen's access to their own plan (None when there is no plan for them)."""
    plan_id = services.eigen_plan_id(request_user())
    if plan_id is None:
        return None
    toegang = access.plan_for(request_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
    return toegang


def eigen_toegang_of_404() -> access.PlanToegang:
    toegang = eigen_toegang()
    if toegang is None:
        abort(404)
    return toegang
