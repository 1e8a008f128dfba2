"""Wie mag wat zien: the citizen decides who sees their plan (inzageniveaus, trusted persons,
consent, beroepsgeheim) and may ask for another regisseur."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import access
from app.access import NotVisible, guard
from app.autorisaties import services as autorisaties
from app.autorisaties import toestemming
from app.autorisaties.models import (
    RELATIES_VERTROUWENSPERSOON,
    Vertrouwenspersoon,
)
from app.clock import today
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.forms import _as_choices
from app.organisations.models import Organisation
from app.plans import services as plan_services
from app.portaal import services, uitleg
from app.portaal.forms import (
    KnopForm,
    NiveauForm,
    RegisseurVerzoekForm,
    VertrouwenspersoonForm,
)
from app.portaal.views.base import (
    EIGEN_PLAN,
    bestaat,
    bp,
    request_user,
    weigering,
)

ZEGGENSCHAP = Verwerkingsactiviteit.ZEGGENSCHAP


def _toegang_page(
    toegang: access.PlanToegang,
    *,
    vp_form: VertrouwenspersoonForm | None = None,
    verzoek_form: RegisseurVerzoekForm | None = None,
    niveau_fout: tuple[int, str] | None = None,
) -> str:
    plan = toegang.plan
    organisaties = autorisaties.involved_organisations(plan)
    zien = {o.id for o in toestemming.organisaties_die_zien(plan)}
    niveaus = {o.id: access.niveau_van(plan.id, o.id) for o in organisaties}
    vp_form = vp_form or VertrouwenspersoonForm()
    vp_form.relatie.choices = _as_choices([("", _("Kies")), *RELATIES_VERTROUWENSPERSOON.items()])
    if request.method == "GET":
        vp_form.geldig_tot.data = today() + dt.timedelta(days=365)
    return render_template(
        "portaal/toegang.html",
        plan=plan,
        toegang=toegang,
        organisaties=organisaties,
        niveaus=niveaus,
        niveau_keuzes=uitleg.NIVEAUS,
        niveau_fout=niveau_fout,
        vertrouwenspersonen=autorisaties.vertrouwenspersonen_van(request_user()),
        relaties=RELATIES_VERTROUWENSPERSOON,
        vp_form=vp_form,
        verzoek_form=verzoek_form or RegisseurVerzoekForm(),
        zien=zien,
        toestemming_stand=None if plan.is_closed else toestemming.stand_van(plan),
        beroepsgeheim=services.beroepsgeheim_items(plan.id),
        knop=KnopForm(),
        today=today(),
    )


@bp.route("/toegang")
@guard(portaal=True, verwerking=ZEGGENSCHAP, name="portaal.toegang", resolve=EIGEN_PLAN)
def toegang_overzicht(toegang: access.PlanToegang | None) -> Any:
    if toegang is None:
        return weigering("geen-plan")
    return _toegang_page(toegang)


@bp.route("/toegang/niveau", methods=["POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.toegang.niveau",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def toegang_niveau(toegang: access.PlanToegang) -> Any:
    form = NiveauForm()
    if not form.validate_on_submit():
        abort(400)
    org_id = int(form.organisation_id.data) if (form.organisation_id.data or "").isdigit() else 0
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        abort(404)
    if toegang.toestemming_is_ingetrokken:
        fout = _("U trok uw toestemming in. Deze organisatie ziet uw plan nu niet.")
        return _toegang_page(toegang, niveau_fout=(org_id, fout)), 422
    try:
        autorisaties.zet_inzageniveau(
            toegang.plan, organisation, form.niveau.data or "", actor=request_user()
        )
    except plan_services.PlanError as exc:
        session.rollback()
        return _toegang_page(toegang, niveau_fout=(org_id, exc.message)), 422
    flash(
        _("Opgeslagen: wat %(organisatie)s ziet, is aangepast.", organisatie=organisation.name),
        "ok",
    )
    return redirect(url_for("portaal.toegang_overzicht", _anchor="niveaus"))


@bp.route("/toegang/vertrouwenspersonen", methods=["POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.toegang.vertrouwenspersoon",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def vertrouwenspersoon_nieuw(toegang: access.PlanToegang) -> Any:
    form = VertrouwenspersoonForm()
    form.relatie.choices = _as_choices([("", _("Kies")), *RELATIES_VERTROUWENSPERSOON.items()])
    if form.validate_on_submit():
        try:
            autorisaties.verleen_toegang(
                request_user(),
                bsn=form.bsn.data or "",
                naam=form.naam.data or "",
                relatie=form.relatie.data or "",
                geldig_tot=form.geldig_tot.data,
            )
        except plan_services.PlanError as exc:
            session.rollback()
            field = getattr(form, exc.field or "", None)
            if field is not None:
                field.errors = [*field.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            flash(_("%(naam)s kan nu uw plan lezen (niet wijzigen).", naam=form.naam.data), "ok")
            return redirect(url_for("portaal.toegang_overzicht", _anchor="vertrouwenspersonen"))
    return _toegang_page(toegang, vp_form=form), 422


@bp.route("/toegang/vertrouwenspersonen/<int:grant_id>/intrekken", methods=["POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.toegang.vertrouwenspersoon.intrekken",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def vertrouwenspersoon_intrekken(grant_id: int, toegang: access.PlanToegang) -> Any:
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    grant = session.scalars(
        select(Vertrouwenspersoon).where(
            Vertrouwenspersoon.id == grant_id,
            Vertrouwenspersoon.person_id == request_user().person_id,
        )
    ).first()
    if grant is None:  # not a grant of theirs
        raise NotVisible
    try:
        autorisaties.trek_toegang_in(grant, actor=request_user())
        flash(_("%(naam)s kan uw plan niet meer lezen.", naam=grant.naam), "ok")
    except plan_services.PlanError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("portaal.toegang_overzicht", _anchor="vertrouwenspersonen"))


@bp.route("/toegang/beroepsgeheim/<soort>/<int:object_id>", methods=["POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.beroepsgeheim",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def beroepsgeheim(soort: str, object_id: int, toegang: access.PlanToegang) -> Any:
    items = {(i.object_type, i.object_id): i for i in services.beroepsgeheim_items(toegang.plan.id)}
    item = items.get((soort, object_id))
    if item is None:  # not an item of their plan
        raise NotVisible
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if item.inwoner_gaf_vrij:
            autorisaties.trek_vrijgave_in(soort, object_id, actor=request_user())
            flash(_("U heeft uw toestemming ingetrokken. Het wordt niet meer doorgegeven."), "ok")
        else:
            autorisaties.geef_beroepsgeheim_vrij(soort, object_id, actor=request_user())
            flash(_("U gaf toestemming. Het mag nu worden doorgegeven."), "ok")
    except plan_services.PlanError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("portaal.toegang_overzicht", _anchor="beroepsgeheim"))


@bp.route("/toegang/andere-regisseur", methods=["POST"])
@guard(
    portaal=True,
    verwerking=ZEGGENSCHAP,
    name="portaal.andere-regisseur",
    resolve=EIGEN_PLAN,
    need=bestaat,
)
def andere_regisseur(toegang: access.PlanToegang) -> Any:
    form = RegisseurVerzoekForm()
    if toegang.may_comment and form.validate_on_submit():
        services.vraag_andere_regisseur(
            toegang.plan, actor=request_user(), reden=form.reden.data or ""
        )
        flash(
            _(
                "Uw verzoek is verstuurd. De teamleider besluit erover; het antwoord leest u "
                "bij uw plan."
            ),
            "ok",
        )
        return redirect(url_for("portaal.toegang_overzicht", _anchor="regisseur"))
    if not toegang.may_comment:
        form.form_errors.append(_("Uw plan is afgesloten. Bel de gemeente als u iets wilt vragen."))
    return _toegang_page(toegang, verzoek_form=form), 422
