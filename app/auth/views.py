from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as http_session,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm
from app.auth.services import authenticate
from app.domain import Rol

bp = Blueprint("auth", __name__)


def home_for(user: object) -> str:
    roles: frozenset[Rol] = getattr(user, "roles", frozenset())
    if Rol.REGISSEUR in roles or Rol.HULPVERLENER in roles:
        return url_for("plans.werklijst")
    if Rol.PRIVACY_OFFICER in roles:
        return url_for("privacy.overzicht")
    return url_for("account.overzicht")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is not None and not user.is_burger:
            http_session.clear()  # a fresh session on login
            login_user(user)
            http_session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        form.password.errors = ["Onjuiste gebruikersnaam of wachtwoord."]
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    http_session.clear()
    flash("U bent uitgelogd.", "ok")
    return redirect(url_for("auth.login"))
