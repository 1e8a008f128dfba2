"""The logged-in user's own page: who am I, my API tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from app.auth.services import create_token, revoke_token
from app.db import session
from app.forms import Form, strip
from app.users.models import ApiToken

bp = Blueprint("account", __name__, url_prefix="/account")


class TokenForm(Form):
    name = StringField(
        "Naam van het token",
        filters=[strip],
        validators=[InputRequired("Geef het token een naam."), Length(max=100)],
        description="Bijvoorbeeld: koppeling met het registratiesysteem van de organisatie.",
    )


class RevokeForm(Form):
    pass


def _tokens() -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == current_user.id)
            .order_by(ApiToken.created_at.desc())
        )
    )


@bp.route("/")
@login_required
def overzicht() -> str:
    return render_template("account/overzicht.html")


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Any:
    if current_user.is_burger:
        abort(403)
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
@login_required
def token_intrekken(token_id: int) -> Any:
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    token = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    ).first()
    if token is None:
        abort(404)
    revoke_token(token)
    flash("Het token is ingetrokken.", "ok")
    return redirect(url_for("account.tokens"))
