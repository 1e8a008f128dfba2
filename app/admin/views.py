"""The functioneel beheerder's screens (/beheer): staff users, organisations, mandates.

Only for the functioneel beheerder (``guard(roles=[BEHEER])``: 403 for every other role). Nothing here shows a resident's
data: the beheerder never sees plan content.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import params
from app.access.guard import guard
from app.admin import services
from app.admin.forms import (
    GebruikerForm,
    GebruikerZoekForm,
    KnopForm,
    MandaatBeeindigenForm,
    MandaatForm,
    OrganisatieForm,
)
from app.clock import today
from app.db import session
from app.domain import Rol
from app.organisations.models import Mandaat, Organisation
from app.organisations.services import gemeenten, organisations
from app.users.models import User

bp = Blueprint("admin", __name__, url_prefix="/beheer")

BEHEER = Rol.FUNCTIONEEL_BEHEERDER


def _user() -> User:
    return current_user._get_current_object()


def _apply(form: Any, exc: services.BeheerError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _organisation_choices() -> list[tuple[str, str]]:
    return [("", _("Kies de organisatie"))] + [(str(o.id), o.name) for o in organisations()]


# --- users ------------------------------------------------------------------------------------


@bp.route("/gebruikers", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def gebruikers() -> Any:
    """The staff users, 50 a page by name; searched by (part of) a name or user name in a POST
    (a name never travels in an address), the next page by the last user's id."""
    if request.method == "GET":
        away = params.out_of_the_address(
            {"zoek": _("Zoek met het formulier: een naam hoort niet in de adresbalk.")},
            "admin.gebruikers",
        )
        if away is not None:
            return away
        form = GebruikerZoekForm(formdata=None)
        zoek, na, status = None, params.integer("na"), 200
    else:
        form = GebruikerZoekForm()
        valid = form.validate()
        zoek = form.zoek.data or None if valid else None
        na = int(form.na.data) if valid and form.na.data else None
        if na is not None and na > params.MAX_ID:  # no such user: the first page
            na = None
        status = 200 if valid else 422
    users, meer = services.staff_page(zoek, na) if status == 200 else ([], False)
    return render_template(
        "admin/gebruikers.html",
        users=users,
        meer=meer,
        zoek=zoek,
        eerste=na is None,
        form=form,
        knop=KnopForm(),
    ), status


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def gebruiker_nieuw() -> Any:
    form = GebruikerForm()
    del form.stamp
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        try:
            user, password = services.create_user(
                username=form.username.data or "",
                name=form.name.data or "",
                email=form.email.data,
                phone=form.phone.data,
                organisation_id=_int(form.organisation_id.data),
                roles=form.roles.data or [],
            )
            return render_template(
                "admin/gebruiker_aangemaakt.html", user=user, password=password
            ), 201
        except services.BeheerError as exc:
            _apply(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("admin/gebruiker_form.html", form=form, user=None), status


def _staff_or_404(user_id: int) -> User:
    user = services.staff_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def gebruiker_bewerken(user_id: int) -> Any:
    user = _staff_or_404(user_id)
    form = GebruikerForm(obj=None if request.method == "POST" else user)
    del form.username
    form.organisation_id.choices = _organisation_choices()
    if request.method == "GET":
        form.stamp.data = services.user_stamp(user)
        form.organisation_id.data = str(user.organisation_id or "")
        form.roles.data = sorted(r.value for r in user.roles)
    conflict = False
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                actor=_user(),
                expected_stamp=form.stamp.data or None,
                name=form.name.data or "",
                email=form.email.data,
                phone=form.phone.data,
                organisation_id=_int(form.organisation_id.data),
                roles=form.roles.data or [],
            )
            flash(_("%(name)s is opgeslagen.", name=user.name), "ok")
            return _page_of(user)
        except services.Verouderd:
            conflict = True
            form.stamp.data = services.user_stamp(user)
        except services.BeheerError as exc:
            _apply(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template(
        "admin/gebruiker_form.html", form=form, user=user, conflict=conflict, knop=KnopForm()
    ), status


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["POST"])
@guard(roles=[BEHEER])
def gebruiker_deactiveren(user_id: int) -> Any:
    user = _staff_or_404(user_id)
    if not KnopForm().validate_on_submit():
        abort(400)
    try:
        services.deactivate_user(user, actor=_user())
        flash(_("%(name)s kan niet meer inloggen.", name=user.name), "ok")
    except services.BeheerError as exc:
        session.rollback()
        flash(exc.message, "error")
    return _page_of(user)


@bp.route("/gebruikers/<int:user_id>/activeren", methods=["POST"])
@guard(roles=[BEHEER])
def gebruiker_activeren(user_id: int) -> Any:
    user = _staff_or_404(user_id)
    if not KnopForm().validate_on_submit():
        abort(400)
    services.activate_user(user)
    flash(_("%(name)s kan weer inloggen.", name=user.name), "ok")
    return _page_of(user)


def _page_of(user: User) -> Any:
    """Back to the list, on a page that begins with ``user`` (the change is in sight)."""
    return redirect(url_for("admin.gebruikers", na=services.na_voor(user)))


# --- organisations ------------------------------------------------------------------------------


@bp.route("/organisaties")
@guard(roles=[BEHEER])
def organisaties() -> str:
    return render_template("admin/organisaties.html", orgs=organisations(active_only=False))


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def organisatie_nieuw() -> Any:
    form = OrganisatieForm()
    del form.stamp
    del form.active
    if form.validate_on_submit():
        try:
            org = services.create_organisation(name=form.name.data or "", kind=form.kind.data or "")
            flash(_("%(name)s is toegevoegd.", name=org.name), "ok")
            return redirect(url_for("admin.organisaties"))
        except services.BeheerError as exc:
            _apply(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template("admin/organisatie_form.html", form=form, org=None), status


@bp.route("/organisaties/<int:org_id>", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def organisatie_bewerken(org_id: int) -> Any:
    org = session.get(Organisation, org_id)
    if org is None:
        abort(404)
    form = OrganisatieForm(obj=None if request.method == "POST" else org)
    if request.method == "GET":
        form.stamp.data = services.organisation_stamp(org)
    conflict = False
    if form.validate_on_submit():
        try:
            services.update_organisation(
                org,
                expected_stamp=form.stamp.data or None,
                name=form.name.data or "",
                kind=form.kind.data or "",
                active=bool(form.active.data),
            )
            flash(_("%(name)s is opgeslagen.", name=org.name), "ok")
            return redirect(url_for("admin.organisaties"))
        except services.Verouderd:
            conflict = True
            form.stamp.data = services.organisation_stamp(org)
        except services.BeheerError as exc:
            _apply(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template(
        "admin/organisatie_form.html", form=form, org=org, conflict=conflict
    ), status


# --- mandates -----------------------------------------------------------------------------------


@bp.route("/mandaten")
@guard(roles=[BEHEER])
def mandaten() -> str:
    return render_template(
        "admin/mandaten.html", mandaten=services.mandaten(), status=services.mandaat_status
    )


@bp.route("/mandaten/nieuw", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def mandaat_nieuw() -> Any:
    form = MandaatForm()
    form.organisation_id.choices = [("", _("Kies de organisatie"))] + [
        (str(o.id), o.name) for o in organisations() if not o.is_gemeente
    ]
    form.gemeente_id.choices = [("", _("Kies de gemeente"))] + [
        (str(o.id), o.name) for o in gemeenten()
    ]
    if request.method == "GET":
        form.valid_from.data = today()
    if form.validate_on_submit():
        try:
            services.create_mandaat(
                organisation_id=_int(form.organisation_id.data),
                gemeente_id=_int(form.gemeente_id.data),
                valid_from=form.valid_from.data,
                valid_until=form.valid_until.data,
                besluit=form.besluit.data or "",
                actor=_user(),
            )
            flash(_("Het mandaat is vastgelegd."), "ok")
            return redirect(url_for("admin.mandaten"))
        except services.BeheerError as exc:
            _apply(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template("admin/mandaat_form.html", form=form), status


@bp.route("/mandaten/<int:mandaat_id>/beeindigen", methods=["GET", "POST"])
@guard(roles=[BEHEER])
def mandaat_beeindigen(mandaat_id: int) -> Any:
    m = session.get(Mandaat, mandaat_id)
    if m is None:
        abort(404)
    form = MandaatBeeindigenForm()
    if request.method == "GET":
        form.end_date.data = today()
    if form.validate_on_submit():
        try:
            services.end_mandaat(m, end_date=form.end_date.data)
            flash(_("Het mandaat is beëindigd."), "ok")
            return redirect(url_for("admin.mandaten"))
        except services.BeheerError as exc:
            _apply(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template("admin/mandaat_beeindigen.html", form=form, m=m), status
