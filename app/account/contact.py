"""Mijn account → Contactgegevens: the regisseur keeps their own telephone number and e-mail
address up to date (issue 16 item 2). Citizens and hulpverleners see them on every plan the
regisseur holds, so they must be right: validated, and every change kept (old → new, who, when).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField, ValidationError
from wtforms.validators import Email, Length, Optional

from app.access import guard
from app.account.models import ContactWijziging
from app.account.views import bp
from app.clock import now
from app.db import session
from app.domain import Rol
from app.forms import Form, strip
from app.users.models import User

log = logging.getLogger("eenplan.security")

VELDEN = {"phone": _l("Telefoonnummer"), "email": _l("E-mailadres")}
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")


def _phone(form: Any, field: Any) -> None:
    value = field.data or ""
    if not value:
        return
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value) or not 10 <= digits <= 15:
        raise ValidationError(
            _(
                "Vul een telefoonnummer in met 10 tot 15 cijfers, bijvoorbeeld 020-1234567 of "
                "+31 20 123 4567."
            )
        )


class ContactForm(Form):
    phone = StringField(
        _l("Telefoonnummer"),
        filters=[strip],
        validators=[Optional(), Length(max=40, message=_l("Hooguit 40 tekens.")), _phone],
        description=_l("Inwoners en hulpverleners zien dit nummer bij uw plannen."),
    )
    email = StringField(
        _l("E-mailadres"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("Hooguit 200 tekens.")),
            Email(_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl.")),
        ],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.phone.data or self.email.data):
            self.phone.errors = [
                *self.phone.errors,
                _(
                    "Vul een telefoonnummer of e-mailadres in: inwoners en hulpverleners moeten u "
                    "kunnen bereiken."
                ),
            ]
            return False
        return ok


def wijzig_contactgegevens(user: User, *, phone: str | None, email: str | None, door: User) -> int:
    """Set the user's contact details; one history row per changed field. Flushes, never
    commits (the request's unit of work does). Returns the number of changed fields."""
    changed = 0
    stamp = now()
    for veld, nieuw in (("phone", phone or None), ("email", email or None)):
        oud = getattr(user, veld)
        if oud == nieuw:
            continue
        setattr(user, veld, nieuw)
        session.add(
            ContactWijziging(
                user_id=user.id,
                veld=veld,
                oud=oud,
                nieuw=nieuw,
                gewijzigd_door_id=door.id,
                gewijzigd_op=stamp,
            )
        )
        changed += 1
    session.flush()
    return changed


def geschiedenis(user: User, limit: int = 20) -> list[ContactWijziging]:
    return list(
        session.scalars(
            select(ContactWijziging)
            .where(ContactWijziging.user_id == user.id)
            .order_by(ContactWijziging.gewijzigd_op.desc(), ContactWijziging.id.desc())
            .limit(limit)
        )
    )


@bp.route("/contactgegevens", methods=["GET", "POST"])
@guard(roles=[Rol.REGISSEUR])
def contactgegevens() -> Any:
    user: User = current_user._get_current_object()
    form = ContactForm()
    if request.method == "GET":
        form.phone.data = user.phone
        form.email.data = user.email
    elif form.validate_on_submit():
        changed = wijzig_contactgegevens(
            user, phone=form.phone.data, email=form.email.data, door=user
        )
        if changed:
            log.info("contact details changed", extra={"user_id": user.id, "fields": changed})
            flash(_("Uw contactgegevens zijn opgeslagen."), "ok")
        else:
            flash(_("Er is niets veranderd."), "ok")
        return redirect(url_for("account.contactgegevens"))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "account/contactgegevens.html",
        form=form,
        geschiedenis=geschiedenis(user),
        velden=VELDEN,
    ), status
