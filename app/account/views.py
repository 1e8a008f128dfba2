"""The logged-in user's own page: who am I, my API tokens, my password, sessions and second
factor."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from app import i18n
from app.access import NotVisible, guard
from app.auth import mfa, password_policy, sessions
from app.auth.forms import ChangePasswordForm, ConfirmWithCodeForm, EmptyForm
from app.auth.passwords import verify_password
from app.auth.services import (
    create_token,
    login_state,
    record_failure,
    revoke_token,
    set_password,
)
from app.auth.views import CLEAR_SITE_DATA
from app.db import session
from app.forms import Form, strip
from app.security.ratelimit import login_limit
from app.users.models import ApiToken, User

bp = Blueprint("account", __name__, url_prefix="/account")
log = logging.getLogger("eenplan.security")


class TokenForm(Form):
    name = StringField(
        _l("Naam van het token"),
        filters=[strip],
        validators=[InputRequired(_l("Geef het token een naam.")), Length(max=100)],
        description=_l("Bijvoorbeeld: koppeling met het registratiesysteem van de organisatie."),
    )


class RevokeForm(Form):
    pass


def _staff(user: User) -> bool:
    """Staff sign-in settings and tokens; citizens sign in with DigiD (403)."""
    return not user.is_burger


def _tokens() -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == current_user.id)
            .order_by(ApiToken.created_at.desc())
        )
    )


@bp.route("/")
@guard()
def overzicht() -> str:
    return render_template("account/overzicht.html")


@bp.route("/tokens", methods=["GET", "POST"])
@guard(allow=_staff)
def tokens() -> Any:
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _token, new_token = create_token(current_user, form.name.data or "")
        form = TokenForm(formdata=None)
    return render_template(
        "account/tokens.html",
        form=form,
        tokens=_tokens(),
        new_token=new_token,
        revoke_form=RevokeForm(),
    ), (201 if new_token else 200)


@bp.route("/tokens/<int:token_id>/intrekken", methods=["POST"])
@guard()
def token_intrekken(token_id: int) -> Any:
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    token = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    ).first()
    if token is None:  # not there, or someone else's
        raise NotVisible
    revoke_token(token)
    flash(_("Het token is ingetrokken."), "ok")
    return redirect(url_for("account.tokens"))


# --- password, sessions, second factor --------------------------------------------------------


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_limit
@guard(allow=_staff)
def wachtwoord() -> Any:
    """Change the password: the current one first. Other sessions end; this one is renewed."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current.data or ""):
            record_failure(user, "wachtwoord-wijzigen")
            form.current.errors = [_("Dit is niet uw huidige wachtwoord.")]
            status = 422
        else:
            problems = password_policy.problems(
                form.password.data or "",
                username=user.username,
                name=user.name,
                current_password=form.current.data,
            )
            if problems:
                form.password.errors = problems
                status = 422
            else:
                set_password(user, form.password.data or "")
                ended = sessions.end_all(user, "wachtwoord-gewijzigd", except_current=True)
                sessions.rotate(user, "wachtwoord-gewijzigd")
                log.info(
                    "password changed", extra={"event": "password.changed", "user_id": user.id}
                )
                flash(
                    _("Uw wachtwoord is gewijzigd.")
                    + (
                        " "
                        + ngettext(
                            "U bent uitgelogd op %(num)d ander apparaat.",
                            "U bent uitgelogd op %(num)d andere apparaten.",
                            ended,
                        )
                        if ended
                        else ""
                    ),
                    "ok",
                )
                return redirect(url_for("account.beveiliging"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "account/wachtwoord.html", form=form, has_password=user.password_hash is not None
    ), status


@bp.route("/beveiliging")
@guard(allow=_staff)
def beveiliging() -> Any:
    """Where and how I am logged in; log out everywhere; recovery codes."""
    user = current_user._get_current_object()
    current = sessions.current()
    return render_template(
        "account/beveiliging.html",
        sessies=sessions.active_sessions(user),
        current_id=current.id if current else None,
        codes_left=mfa.recovery_codes_left(user),
        logout_form=EmptyForm(),
        codes_form=ConfirmWithCodeForm(),
    )


@bp.route("/beveiliging/overal-uitloggen", methods=["POST"])
@guard(allow=_staff)
def overal_uitloggen() -> Any:
    """End every session of this user, on every device, this one included."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    n = sessions.end_all(user, "overal-uitgelogd")
    log.info("logout everywhere", extra={"event": "logout.everywhere", "user_id": user.id})
    logout_user()
    i18n.clear_session()
    flash(_("U bent uitgelogd op alle apparaten (%(n)d).", n=n), "ok")
    resp = redirect(url_for("auth.login"))
    resp.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return resp


@bp.route("/beveiliging/herstelcodes", methods=["POST"])
@login_limit
@guard(allow=_staff)
def herstelcodes() -> Any:
    """New recovery codes (the old ones stop working); needs a code from the app."""
    user = current_user._get_current_object()
    form = ConfirmWithCodeForm()
    cred = mfa.credential(user)
    if form.validate_on_submit() and cred is not None and cred.confirmed_at is not None:
        # One attempt on this account at a time (the login_state row lock, as at login).
        login_state(user, for_update=True)
        try:
            mfa.verify_totp(cred, form.code.data or "")
        except mfa.MfaError as exc:
            record_failure(user, "code")
            log.info(
                "second factor refused",
                extra={"event": "mfa.failed", "user_id": user.id, "reason": exc.reason},
            )
            form.code.errors = [_("Deze code klopt niet. Vul de nieuwste code uit de app in.")]
        else:
            codes = mfa.new_recovery_codes(user)
            log.info("recovery codes renewed", extra={"event": "mfa.codes", "user_id": user.id})
            return render_template(
                "auth/herstelcodes.html",
                codes=codes,
                next_url=url_for("account.beveiliging"),
                first_time=False,
            ), 201
    current = sessions.current()
    return render_template(
        "account/beveiliging.html",
        sessies=sessions.active_sessions(user),
        current_id=current.id if current else None,
        codes_left=mfa.recovery_codes_left(user),
        logout_form=EmptyForm(),
        codes_form=form,
    ), 422
