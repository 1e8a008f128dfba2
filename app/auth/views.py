"""Signing in: password, then the second factor (or enrolment), then — when needed — a new
password; or SSO through the municipality's identity provider. Signing out.

Between the steps the cookie holds only a *pending* login (user id, when, which steps are done),
valid for ``LOGIN_PENDING_MINUTES``. The user is logged in — and gets a new session — only when
every step is done (:func:`complete_login`).
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as http_session,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app import i18n, params
from app.access import guard, public
from app.auth import mfa, oidc, password_policy, sessions
from app.auth.external import external_url
from app.auth.forms import CodeForm, EnrolForm, LoginForm, NewPasswordForm
from app.auth.passwords import verify_password
from app.auth.services import (
    authenticate,
    is_locked,
    login_state,
    must_change_password,
    record_failure,
    record_success,
    set_password,
    staff_user_for_sso,
)
from app.clock import now
from app.db import session
from app.domain import Rol
from app.security.ratelimit import login_limit, login_return_limit
from app.users.models import User

bp = Blueprint("auth", __name__)
log = logging.getLogger("eenplan.security")

PENDING = "login_pending"
# On logout the browser drops its cache and storage of this site (ASVS 8.2.3); the cookie is
# replaced by the response itself.
CLEAR_SITE_DATA = '"cache", "storage"'
MSG_WRONG = _l("Onjuiste gebruikersnaam of wachtwoord.")
MSG_WRONG_CODE = _l(
    "Deze code klopt niet. Gebruik de nieuwste code uit de app, of een herstelcode."
)
MSG_LOCKED = _l(
    "Te veel onjuiste pogingen. Uw account is tijdelijk geblokkeerd. Probeer het later opnieuw, "
    "of neem contact op met de functioneel beheerder."
)
MSG_PENDING_EXPIRED = _l("Het inloggen duurde te lang. Log opnieuw in.")
MSG_SSO_FAILED = _l("Inloggen via uw organisatieaccount is niet gelukt. Probeer het opnieuw.")
MSG_SSO_UNKNOWN = _l(
    "Met dit account kunt u Eenplan niet gebruiken. Neem contact op met de functioneel "
    "beheerder van uw organisatie."
)


def home_for(user: object) -> str:
    if getattr(user, "is_burger", False):
        return url_for("portaal.plan")
    roles: frozenset[Rol] = getattr(user, "roles", frozenset())
    if Rol.REGISSEUR in roles or Rol.HULPVERLENER in roles:
        return url_for("plans.werklijst")
    if Rol.FUNCTIONEEL_BEHEERDER in roles:
        return url_for("admin.gebruikers")
    if Rol.PRIVACY_OFFICER in roles:
        return url_for("privacy.overzicht")
    if Rol.BELEID in roles:
        return url_for("sturing.overzicht")
    return url_for("account.overzicht")


# A clean local path: "/" and then only the characters a URL may carry unencoded (RFC 3986),
# no "//" (another host), no backslash, no fragment, no control characters or spaces — a
# target that would break the Location header (CR/LF) or lead elsewhere is dropped.
_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*")


def _next_arg() -> str | None:
    """Where to go after logging in, as the link asked; an unsafe one is ignored (the user's
    home instead), not refused: _safe_next decides."""
    return params.args().get("next")


def _safe_next(target: str | None) -> str | None:
    """``target`` when it is a clean path on this site, else None (the user's home page)."""
    if not target or len(target) > 2000 or not _LOCAL_PATH.fullmatch(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --- the pending login ----------------------------------------------------------------------


def _begin_pending(user: User, method: str, *, mfa_done: bool, next_url: str | None) -> None:
    i18n.clear_session()  # nothing from before the login carries over
    http_session[PENDING] = {
        "uid": user.id,
        "at": now().timestamp(),
        "method": method,
        "mfa": mfa_done,
        "next": next_url,
    }


def _pending() -> tuple[User, dict[str, Any]] | None:
    p = http_session.get(PENDING)
    if not isinstance(p, dict) or not isinstance(p.get("uid"), int):
        return None
    max_age = int(current_app.config["LOGIN_PENDING_MINUTES"]) * 60
    if now().timestamp() - float(p.get("at", 0)) > max_age:
        http_session.pop(PENDING, None)
        flash(str(MSG_PENDING_EXPIRED), "info")
        return None
    user = session.get(User, p["uid"])
    if user is None or not user.active or user.is_burger:
        http_session.pop(PENDING, None)
        return None
    return user, p


def _save_pending(p: dict[str, Any]) -> None:
    http_session[PENDING] = p
    http_session.modified = True


def _next_step(user: User, p: dict[str, Any]) -> Response:
    if not p["mfa"]:
        if mfa.is_enrolled(user):
            return redirect(url_for("auth.code"))
        return redirect(url_for("auth.tweestapsverificatie"))
    if p["method"].startswith("wachtwoord") and must_change_password(user):
        return redirect(url_for("auth.nieuw_wachtwoord"))
    next_url = p.get("next")
    complete_login(user, p["method"])
    return redirect(next_url or home_for(user))


def complete_login(user: User, method: str) -> None:
    """Every step done: a fresh session (new cookie, new server-side token), then log in."""
    record_success(user)
    flashes = http_session.get("_flashes")
    i18n.clear_session()
    if flashes:  # messages for the first page after login survive the new session
        http_session["_flashes"] = flashes
    sessions.start(user, method)
    login_user(user)
    http_session.permanent = True
    log.info("login", extra={"event": "login.success", "user_id": user.id, "method": method})


def _restart() -> Response:
    return redirect(url_for("auth.login"))


# --- routes ---------------------------------------------------------------------------------


@bp.route("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/inloggen", methods=["GET", "POST"])
@login_limit
@public
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            _begin_pending(user, "wachtwoord", mfa_done=False, next_url=_safe_next(_next_arg()))
            return _next_step(user, http_session[PENDING])
        form.password.errors = [MSG_WRONG]
        form.password.data = ""
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template(
        "auth/login.html", form=form, sso=oidc.provider("staff"), next=_next_arg()
    ), status


@bp.route("/inloggen/code", methods=["GET", "POST"])
@login_limit
@public
def code() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    found = _pending()
    if found is None:
        return _restart()
    user, p = found
    if p["mfa"]:
        return _next_step(user, p)
    cred = mfa.credential(user)
    if cred is None or cred.confirmed_at is None:
        return redirect(url_for("auth.tweestapsverificatie"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        # Attempts on one account are decided one at a time: the account's login_state row lock
        # is held from here to the end of the request (as at the password step), and the lock
        # is decided on the latest count before any code is accepted. A locked account gets the
        # answer of a wrong code past the limit, whatever was typed.
        if is_locked(user, for_update=True):
            http_session.pop(PENDING, None)
            flash(str(MSG_LOCKED), "error")
            return _restart()
        typed = form.code.data or ""
        try:
            if mfa.looks_like_recovery_code(typed):
                mfa.use_recovery_code(user, typed)
                p["method"] += "+herstelcode"
                flash(
                    _(
                        "U logde in met een herstelcode. U heeft er nog %(n)d over.",
                        n=mfa.recovery_codes_left(user),
                    ),
                    "warning",
                )
            else:
                mfa.verify_totp(cred, typed)
                p["method"] += "+totp"
        except mfa.MfaError as exc:
            level = logging.WARNING if exc.reason == "code opnieuw gebruikt" else logging.INFO
            log.log(
                level,
                "second factor refused",
                extra={"event": "mfa.failed", "user_id": user.id, "reason": exc.reason},
            )
            record_failure(user, "code")
            if is_locked(user):
                http_session.pop(PENDING, None)
                flash(str(MSG_LOCKED), "error")
                return _restart()
            form.code.errors = [MSG_WRONG_CODE]
            form.code.data = ""
            status = 401
        else:
            p["mfa"] = True
            _save_pending(p)
            return _next_step(user, p)
    elif request.method == "POST":
        status = 422
    return render_template("auth/code.html", form=form), status


@bp.route("/inloggen/tweestapsverificatie", methods=["GET", "POST"])
@login_limit
@public
def tweestapsverificatie() -> Response | tuple[str, int]:
    """First login without an authenticator: set one up (QR code), then get recovery codes."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    found = _pending()
    if found is None:
        return _restart()
    user, p = found
    if p["mfa"] or mfa.is_enrolled(user):
        return _next_step(user, p)
    secret = mfa.start_enrolment(user)
    form = EnrolForm()
    status = 200
    if form.validate_on_submit():
        # One attempt on this account at a time (the login_state row lock, as at the code step);
        # the code itself is accepted once by mfa's conditional UPDATE.
        login_state(user, for_update=True)
        try:
            mfa.confirm_enrolment(user, form.code.data or "")
        except mfa.MfaError:
            form.code.errors = [
                _(
                    "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul "
                    "de nieuwste code in."
                )
            ]
            form.code.data = ""
            status = 422
        else:
            codes = mfa.new_recovery_codes(user)
            log.info("mfa enrolled", extra={"event": "mfa.enrolled", "user_id": user.id})
            p["mfa"] = True
            p["method"] += "+totp"
            _save_pending(p)
            if p["method"].startswith("wachtwoord") and must_change_password(user):
                next_url = url_for("auth.nieuw_wachtwoord")
            else:
                next_url = p.get("next") or home_for(user)
                complete_login(user, p["method"])
            return render_template(
                "auth/herstelcodes.html", codes=codes, next_url=next_url, first_time=True
            ), 200
    elif request.method == "POST":
        status = 422
    uri = mfa.provisioning_uri(user, secret)
    return render_template(
        "auth/tweestapsverificatie.html",
        form=form,
        qr=mfa.qr_svg(uri, _("QR-code om Eenplan toe te voegen aan uw authenticator-app")),
        secret=mfa.format_secret(secret),
        issuer=current_app.config["MFA_ISSUER"],
        username=user.username,
    ), status


@bp.route("/inloggen/nieuw-wachtwoord", methods=["GET", "POST"])
@login_limit
@public
def nieuw_wachtwoord() -> Response | tuple[str, int]:
    """A password someone else chose (new account, reset) is replaced before the first use."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    found = _pending()
    if found is None:
        return _restart()
    user, p = found
    if not p["mfa"] or not must_change_password(user):
        return _next_step(user, p)
    form = NewPasswordForm()
    status = 200
    if form.validate_on_submit():
        new = form.password.data or ""
        problems = password_policy.problems(new, username=user.username, name=user.name)

        if not problems and verify_password(user.password_hash, new):
            problems = [password_policy.MSG_SAME]
        if problems:
            form.password.errors = problems
            status = 422
        else:
            set_password(user, new)
            log.info("password changed", extra={"event": "password.changed", "user_id": user.id})
            flash(_("Uw nieuwe wachtwoord is opgeslagen."), "ok")
            return _next_step(user, p)
    elif request.method == "POST":
        status = 422
    return render_template("auth/nieuw_wachtwoord.html", form=form), status


@bp.route("/inloggen/sso")
@public
def sso() -> Any:
    """Start an SSO login at the municipality's identity provider (404 when not configured)."""
    client = oidc.client("staff")
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    http_session["sso_next"] = _safe_next(_next_arg())
    try:
        return client.authorize_redirect(external_url("auth.sso_terug"))
    except Exception as exc:  # noqa: BLE001 - the provider is unreachable or misconfigured
        log.error(
            "sso unavailable", extra={"event": "sso.unavailable", "error": type(exc).__name__}
        )
        flash(
            _("Inloggen via uw organisatieaccount lukt nu niet. Probeer het later opnieuw."),
            "error",
        )
        return _restart()


@bp.route("/inloggen/sso/terug")
@login_return_limit
@public
def sso_terug() -> Response:
    """The identity provider sends the browser back here with an authorization code."""
    client = oidc.client("staff")
    cfg = oidc.provider("staff")
    assert cfg is not None
    next_url = _safe_next(http_session.pop("sso_next", None))
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
    except Exception as exc:  # noqa: BLE001 - a failed login at the edge: fail closed, say why in the log
        log.warning("sso login failed", extra={"event": "sso.failed", "error": type(exc).__name__})
        flash(str(MSG_SSO_FAILED), "error")
        return _restart()
    user = staff_user_for_sso("staff", cfg, claims)
    if user is None:
        log.info("sso login refused", extra={"event": "sso.refused"})
        flash(str(MSG_SSO_UNKNOWN), "error")
        return _restart()
    if is_locked(user):
        flash(str(MSG_LOCKED), "error")
        return _restart()
    _begin_pending(user, "sso", mfa_done=oidc.mfa_asserted(cfg, claims), next_url=next_url)
    return _next_step(user, http_session[PENDING])


@bp.route("/uitloggen", methods=["POST"])
@guard()  # shows nothing, but ends a login: for whoever is logged in
def logout() -> Response:
    sessions.end_current("uitgelogd")
    log.info("logout", extra={"event": "logout", "user_id": current_user.id})
    logout_user()
    i18n.clear_session()
    flash(_("U bent uitgelogd."), "ok")
    resp = redirect(url_for("auth.login"))
    resp.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return resp
