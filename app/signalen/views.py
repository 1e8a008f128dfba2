"""Screens: the melder's form and status page, the signal team's queue, the afwegingskader.

Access (every route through :func:`app.access.guard`): the melder role files signals and sees
the status of their own; the queue and signals are for the signal team (regisseurs of a
municipality; others 403: ``allow=access.in_signaalteam``); a case is opened through
``resolve=access.AFWEGING`` (404 unless visible), and only the signal team weighs it (403).
Processing activity ``signalen-afweging``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import access
from app.access import NotAllowed, NotVisible, guard
from app.db import session
from app.domain import (
    AFWEGING_LOPEND,
    AFWEGING_SLUITREDENEN,
    AFWEGING_STAPPEN,
    AFWEGING_STATUS_LABELS,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
    AfwegingStatus,
    Rol,
    Verwerkingsactiviteit,
)
from app.forms import Form, _as_choices
from app.logboek import current_ledger, current_logboek
from app.people.models import Person
from app.plans.services import Conflict, PlanError
from app.signalen import werkvoorraad_pagina
from app.signalen.afweging import (
    besluit,
    open_afweging,
    sluit_afweging,
    stap_bericht,
    volgende_stap,
)
from app.signalen.forms import (
    BronForm,
    KoppelForm,
    MeldingForm,
    SluitenForm,
    StapForm,
)
from app.signalen.inrichting import BRON_VELDEN, default_bewaartermijn
from app.signalen.intake import Melding, koppel, meld, zelfde_bsn
from app.signalen.melders import vul_melder_in
from app.signalen.models import (
    Afweging,
    CombinatieRegel,
    SignaalBron,
    Vroegsignaal,
)
from app.signalen.status import mijn_meldingen as meldingen_van  # the view has its name
from app.signalen.validation import SignaalError
from app.signalen.velden import signaalvelden, veld_label
from app.signalen.vragen_pagina import afweging_context
from app.users.models import User

bp = Blueprint("signalen", __name__, url_prefix="/signalen")

AFWEGING = Verwerkingsactiviteit.SIGNALEN_AFWEGING


def _user() -> User:
    return current_user._get_current_object()


@bp.app_template_filter("veld_label")
def _veld_label(naam: str) -> str:
    return veld_label(naam)


@bp.app_template_filter("signaalvelden")
def _signaalvelden(gegevens: dict[str, Any] | None) -> list[tuple[str, str]]:
    return signaalvelden(gegevens)


@bp.app_template_global()
def in_signaalteam() -> bool:
    return bool(current_user.is_authenticated and access.in_signaalteam(_user()))


def _labels() -> dict[str, Any]:
    return {
        "leefgebieden": LEEFGEBIEDEN,
        "categorieen": SIGNAAL_CATEGORIEEN,
        "status_labels": AFWEGING_STATUS_LABELS,
        "stappen": AFWEGING_STAPPEN,
        "sluitredenen": AFWEGING_SLUITREDENEN,
    }


# --- the melder ------------------------------------------------------------------------------


# Who may report: external melders (schools, GPs: the melder role) and the staff of any
# organisation, involved or not — hulpverleners report most, and a regisseur may too.
MELDERS = (Rol.MELDER, Rol.HULPVERLENER, Rol.REGISSEUR)


@bp.route("/melden", methods=["GET", "POST"])
@guard(roles=MELDERS, verwerking=AFWEGING, name="signalen.melden")
def melden() -> Any:
    form = MeldingForm()
    if not form.is_submitted():
        vul_melder_in(form, _user())
    if form.validate_on_submit():
        try:
            signal = meld(
                _user(),
                Melding(
                    bsn=form.bsn.data,
                    naam=form.naam.data,
                    geboortedatum=form.geboortedatum.data,
                    adres=form.adres.data,
                    melder_naam=form.melder_naam.data or "",
                    melder_contact=form.melder_contact.data or "",
                    relatie=form.relatie.data or "",
                    aanleiding=form.aanleiding.data or "",
                    inhoud=form.signaal.data or "",
                    domeinen=list(form.domeinen.data or []),
                    categorie=form.categorie.data or "zorgen",
                ),
            )
        except SignaalError as exc:
            getattr(form, exc.field or "signaal", form.signaal).errors = [exc.message]
        else:
            flash(
                _(
                    "Uw signaal is ontvangen als Melding %(melder_volgnummer)s. Een regisseur van de gemeente weegt het.",
                    melder_volgnummer=signal.melder_volgnummer,
                ),
                "success",
            )
            return redirect(url_for("signalen.mijn_meldingen"))
    return render_template("signalen/melden.html", form=form, **_labels()), (
        400 if form.errors else 200
    )


@bp.route("/mijn-meldingen")
@guard(roles=MELDERS, verwerking=AFWEGING, name="signalen.mijn_meldingen")
def mijn_meldingen() -> Any:
    return render_template("signalen/mijn_meldingen.html", meldingen=meldingen_van(_user()))


# --- the signal team ---------------------------------------------------------------------------


@bp.route("/")
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.werkvoorraad",
    allow=access.in_signaalteam,
)
def werkvoorraad() -> Any:
    return werkvoorraad_pagina.toon()


def _open_signals(person_id: int) -> list[Vroegsignaal]:
    return list(
        session.scalars(
            access.signalen_visible_to(_user())
            .where(Vroegsignaal.person_id == person_id, Vroegsignaal.afweging_id.is_(None))
            .order_by(Vroegsignaal.ontvangen_op.desc(), Vroegsignaal.id.desc())
        )
    )


@bp.route("/persoon/<int:person_id>")
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.persoon",
    allow=access.in_signaalteam,
)
def persoon(person_id: int) -> Any:
    signalen = _open_signals(person_id)
    if not signalen:
        raise NotVisible
    person = session.get(Person, person_id)
    current_ledger().set_context("person", person_id)
    return render_template("signalen/persoon.html", person=person, signalen=signalen, **_labels())


@bp.route("/persoon/<int:person_id>/afweging", methods=["POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.afweging_starten",
    allow=access.in_signaalteam,
)
def afweging_starten(person_id: int) -> Any:
    user = _user()

    if not Form().validate_on_submit():
        abort(400)
    signalen = _open_signals(person_id)
    if not signalen:
        raise NotVisible
    person = session.get(Person, person_id)
    assert person is not None
    afweging = open_afweging(person, regisseur=user, signalen=signalen)
    return redirect(url_for("signalen.afweging", afweging_id=afweging.id))


def _unmatched(signal_id: int) -> Vroegsignaal:
    signal = session.scalars(
        access.signalen_visible_to(_user()).where(
            Vroegsignaal.id == signal_id, Vroegsignaal.person_id.is_(None)
        )
    ).first()
    if signal is None:
        raise NotVisible
    if signal.bsn:
        # No person yet, but a BSN: the line is written about that BSN.
        current_ledger().note_view(
            categories=signal.audit_categories(),
            bsns=[signal.bsn],
            object_type="vroegsignaal",
            object_id=signal.id,
        )
    return signal


@bp.route("/signaal/<int:signal_id>", methods=["GET", "POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.koppelen",
    allow=access.in_signaalteam,
)
def koppelen(signal_id: int) -> Any:
    """A signal not yet matched to a person: what was delivered, and matching it by BSN."""
    signal = _unmatched(signal_id)
    form = KoppelForm()
    if form.validate_on_submit():
        try:
            person = koppel(signal, form.bsn.data or "")
        except SignaalError as exc:
            form.bsn.errors = [exc.message]
        else:
            flash(_("Het signaal is gekoppeld."), "success")
            return redirect(url_for("signalen.persoon", person_id=person.id))
    return render_template(
        "signalen/koppelen.html",
        signal=signal,
        form=form,
        zelfde_bsn=zelfde_bsn(signal),
        **_labels(),
    ), (400 if form.errors else 200)


# --- the afwegingskader ----------------------------------------------------------------------


def _case_page(afweging: Afweging, **forms: Any) -> Any:
    user = _user()
    current_ledger().set_context("afweging", afweging.id)
    person = session.get(Person, afweging.person_id)
    signalen = list(
        session.scalars(
            access.signalen_visible_to(user)
            .where(Vroegsignaal.afweging_id == afweging.id)
            .order_by(Vroegsignaal.ontvangen_op.desc())
        )
    )
    volgende = volgende_stap(afweging)
    vragen = afweging_context(afweging, forms.get("vraag_form"), volgende)
    status = 400 if any(f.errors for f in forms.values()) else 200
    return render_template(
        "signalen/afweging.html",
        afweging=afweging,
        person=person,
        signalen=signalen,
        # The organisations' answers to this step's questions start its motivation.
        stap_form=forms.get("stap_form") or StapForm(motivering=vragen["motivering_voorstel"]),
        sluiten_form=forms.get("sluiten_form") or SluitenForm(),
        volgende=volgende,
        **vragen,
        mag_wegen=access.in_signaalteam(user) and afweging.status in AFWEGING_LOPEND,
        plan_open=bool(afweging.plan_id) and access.may_open(user, afweging.plan_id or 0),
        **_labels(),
    ), status


@bp.route("/afweging/<int:afweging_id>")
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.afweging",
    resolve=access.AFWEGING,
)
def afweging(afweging_id: int, toegang: Afweging) -> Any:
    return _case_page(toegang)


def _weigher() -> User:
    """Who weighs a case: the signal team only (checked after the case was found: a case
    the user may not know is a 404 first)."""
    user = _user()
    if not access.in_signaalteam(user):
        raise NotAllowed
    return user


@bp.route("/afweging/<int:afweging_id>/stap", methods=["POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.afweging_stap",
    resolve=access.AFWEGING,
)
def afweging_stap(afweging_id: int, toegang: Afweging) -> Any:
    user, case = _weigher(), toegang
    form = StapForm()
    if form.validate_on_submit():
        if case.status == AfwegingStatus.HEROPEND:
            case.status = AfwegingStatus.OPEN
        try:
            besluit(
                case,
                volgende_stap(case),
                form.antwoord.data == "ja",
                form.motivering.data or "",
                actor=user,
                verwijzing=form.verwijzing.data,
            )
        except (SignaalError, PlanError) as exc:
            session.rollback()  # nothing of a refused step is written (issue 13)
            field = exc.field if exc.field in ("motivering", "verwijzing") else "antwoord"
            getattr(form, field).errors = [exc.message]
        except Conflict:  # the plan step 4 attaches to changed meanwhile: rolled back
            form.antwoord.errors = [
                _("Het plan van deze inwoner is net gewijzigd. Probeer opnieuw.")
            ]
        else:
            flash(stap_bericht(case), "success")
            return redirect(url_for("signalen.afweging", afweging_id=case.id))
    return _case_page(case, stap_form=form)


@bp.route("/afweging/<int:afweging_id>/sluiten", methods=["POST"])
@guard(
    roles=[Rol.REGISSEUR],
    verwerking=AFWEGING,
    name="signalen.afweging_sluiten",
    resolve=access.AFWEGING,
)
def afweging_sluiten(afweging_id: int, toegang: Afweging) -> Any:
    user, case = _weigher(), toegang
    form = SluitenForm()
    if form.validate_on_submit():
        try:
            sluit_afweging(case, form.reden.data or "", form.motivering.data or "", actor=user)
        except SignaalError as exc:
            form.reden.errors = [exc.message]
        else:
            flash(
                _("De afweging is gesloten. Komt er een nieuw signaal, dan gaat zij weer open."),
                "success",
            )
            return redirect(url_for("signalen.afweging", afweging_id=case.id))
    return _case_page(case, sluiten_form=form)


# --- configuration (functioneel beheerder): sources and rules; no resident's data ------------

beheer_bp = Blueprint("signaalbronnen", __name__, url_prefix="/beheer/signaalbronnen")


def _register() -> dict[str, Any]:
    return {v.key: v for v in current_logboek().register.current(session.connection())}


@beheer_bp.route("/")
@guard(roles=[Rol.FUNCTIONEEL_BEHEERDER])
def lijst() -> Any:
    bronnen = session.scalars(select(SignaalBron).order_by(SignaalBron.naam)).all()
    regels = session.scalars(
        select(CombinatieRegel).order_by(CombinatieRegel.urgentie.desc(), CombinatieRegel.id)
    ).all()
    return render_template(
        "signalen/bronnen.html",
        bronnen=bronnen,
        regels=regels,
        register=_register(),
        default_termijn=default_bewaartermijn(),
    )


@beheer_bp.route("/<int:bron_id>", methods=["GET", "POST"])
@guard(roles=[Rol.FUNCTIONEEL_BEHEERDER])
def bewerken(bron_id: int) -> Any:
    bron = session.get(SignaalBron, bron_id)
    if bron is None:
        abort(404)
    register = _register()
    form = BronForm(obj=bron)
    form.processing_activity.choices = [(k, f"{v.name} ({k})") for k, v in register.items()]
    form.velden.choices = _as_choices([(v, veld_label(v)) for v in BRON_VELDEN])
    if form.validate_on_submit():
        bron.naam = form.naam.data or bron.naam
        bron.processing_activity = form.processing_activity.data or bron.processing_activity
        bron.velden = [v for v in BRON_VELDEN if v in (form.velden.data or [])]
        bron.bewaartermijn_dagen = int(form.bewaartermijn_dagen.data or bron.bewaartermijn_dagen)
        bron.actief = bool(form.actief.data)
        bron.gevoelig = bool(form.gevoelig.data)
        flash(_("%(naam)s is opgeslagen.", naam=bron.naam), "success")
        return redirect(url_for("signaalbronnen.lijst"))
    return render_template("signalen/bron_form.html", bron=bron, form=form), (
        400 if form.errors else 200
    )
