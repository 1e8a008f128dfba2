"""The regisseur's and hulpverlener's screens: werklijst, plan page, and the changes on a plan."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from app import access
from app.auth.decorators import roles_required
from app.clock import today
from app.db import session
from app.domain import PlanStatus, Rol, UitvoerderSoort
from app.logboek import current_ledger, verwerking
from app.organisations.models import Mandaat, Organisation
from app.organisations.services import gemeenten, organisations
from app.people.models import Person
from app.people.services import PersonGegevens, create_person, find_by_bsn, normalise_bsn
from app.plans import services
from app.plans.forms import (
    ActiviteitForm,
    AfrondenForm,
    AfsluitenForm,
    BeeindigenForm,
    BetrokkenheidForm,
    GezinslinkForm,
    OpmerkingForm,
    OverdragenForm,
    PlanBewerkForm,
    PlanNieuwForm,
    VerbrekenForm,
    ZoekForm,
)
from app.plans.models import Activity, Plan
from app.users.models import User, UserRole

bp = Blueprint("plans", __name__)

REGIE = "regie-multiproblematiek"
PAGE_SIZE = 25
STAFF_ON_PLANS = (Rol.REGISSEUR, Rol.HULPVERLENER)


def _user() -> User:
    return current_user._get_current_object()


def _apply_errors(form: Any, exc: services.PlanError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


# --- werklijst ------------------------------------------------------------------------------


@bp.route("/plannen", methods=["GET", "POST"])
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="werklijst.bekijken")
def werklijst() -> str:
    user = _user()
    form = ZoekForm()
    if request.method == "GET":
        form.status.data = request.args.get("status", "")
    stmt = access.plans_visible_to(user)
    searched = False
    if request.method == "POST" and form.validate():
        q = (form.q.data or "").strip()
        if q:
            searched = True
            digits = q.replace(" ", "").replace(".", "")
            if digits.isdigit():
                stmt = stmt.where(Plan.person.has(Person.bsn == digits))
            else:
                like = f"%{q.lower()}%"
                full = func.lower(
                    Person.voornamen
                    + " "
                    + func.coalesce(Person.tussenvoegsel + " ", "")
                    + Person.achternaam
                )
                stmt = stmt.where(
                    Plan.person.has(or_(full.like(like), func.lower(Person.achternaam).like(like)))
                )
    status = form.status.data or ""
    if status in set(PlanStatus):
        stmt = stmt.where(Plan.status == status)
    try:
        page = max(1, int(request.values.get("pagina", "1")))
    except ValueError:
        page = 1
    total = session.execute(
        select(func.count())
        .select_from(stmt.with_only_columns(Plan.id).subquery())
        .execution_options(audit_internal=True)
    ).scalar_one()
    plans = list(
        session.scalars(
            stmt.options(*access.plan_list_options(user))
            .order_by(Plan.updated_at.desc(), Plan.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return render_template(
        "plans/werklijst.html",
        form=form,
        plans=plans,
        verzoeken=_open_regisseurverzoeken(user, [p.id for p in plans]),
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        status=status,
        searched=searched,
    )


def _open_regisseurverzoeken(user: User, plan_ids: list[int]) -> set[int]:
    """Plans (of this page) where the citizen asked for another regisseur and nobody answered
    yet (rule 7): the regisseur sees it in the werklijst. Only the regisseur's own plans."""
    if not plan_ids or not user.has_role(Rol.REGISSEUR):
        return set()
    from sqlalchemy import exists
    from sqlalchemy.orm import aliased

    from app.plans.models import PlanComment

    answer = aliased(PlanComment)
    rows = session.execute(
        select(PlanComment.plan_id)
        .join(Plan, Plan.id == PlanComment.plan_id)
        .where(
            PlanComment.plan_id.in_(plan_ids),
            Plan.regisseur_id == user.id,
            PlanComment.soort == services.SOORT_REGISSEURVERZOEK,
            ~exists().where(answer.reply_to_id == PlanComment.id),
        )
        .execution_options(audit_internal=True)  # a flag on a row the page already shows
    )
    return {r[0] for r in rows}


@bp.route("/activiteiten")
@roles_required(Rol.HULPVERLENER)
@verwerking(REGIE, name="activiteiten-organisatie.bekijken")
def mijn_activiteiten() -> str:
    user = _user()
    g_acting(Rol.HULPVERLENER)
    show = request.args.get("toon", "open")
    stmt = access.activities_of_organisation(user)
    if show != "alle":
        stmt = stmt.where(Activity.afgerond.is_(False))
    activities = list(
        session.scalars(
            stmt.order_by(Activity.end_date.is_(None), Activity.end_date, Activity.id).limit(200)
        )
    )
    plan_ids = {a.plan_id for a in activities}
    plans = (
        {
            p.id: p
            for p in session.scalars(
                access.plans_visible_to(user, content=True)
                .where(Plan.id.in_(plan_ids))
                .options(*access.plan_list_options(user))
            )
        }
        if plan_ids
        else {}
    )
    return render_template(
        "plans/mijn_activiteiten.html", activities=activities, plans=plans, show=show
    )


def g_acting(role: Rol) -> None:
    from flask import g

    g.acting_role = role


# --- create a plan --------------------------------------------------------------------------


def _mandaat_choices(user: User) -> list[tuple[str, str]]:
    choices = [("", "Geen mandaat: regie door de gemeente zelf")]
    if user.organisation_id is None:
        return choices
    day = today()
    for m in session.scalars(
        select(Mandaat).where(Mandaat.organisation_id == user.organisation_id)
    ):
        if m.active_on(day):
            choices.append((str(m.id), m.label))
    return choices


def _gemeente_for(user: User, mandaat: Mandaat | None) -> Organisation:
    if mandaat is not None:
        return mandaat.gemeente
    if user.organisation is not None and user.organisation.is_gemeente:
        return user.organisation
    found = gemeenten()
    if not found:
        abort(500)
    return found[0]


def _mandaat_from(form_value: str | None, user: User) -> Mandaat | None:
    if not form_value:
        return None
    m = session.get(Mandaat, int(form_value))
    if m is None or m.organisation_id != user.organisation_id:
        return None
    return m


@bp.route("/plannen/nieuw", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="plan.aanmaken")
def nieuw() -> Any:
    user = _user()
    form = PlanNieuwForm()
    form.mandaat.choices = _mandaat_choices(user)
    existing_plan = None
    if form.is_submitted():
        valid = form.validate()
        person, person_ok = _known_or_new_person(form)
        if valid and person_ok:
            try:
                person = person or _create_person_from(form)
                mandaat = _mandaat_from(form.mandaat.data, user)
                toestemming = None
                if form.basis.data == "toestemming":
                    toestemming = services.ToestemmingGegevens(
                        gegeven_door=form.toestemming_gegeven_door.data or "",
                        gegeven_op=form.toestemming_gegeven_op.data,
                        wijze=form.toestemming_wijze.data or "",
                        toelichting=form.toestemming_toelichting.data,
                    )
                plan = services.create_plan(
                    person=person,
                    basis=form.basis.data or "",
                    status=form.status.data or PlanStatus.CONCEPT,
                    regisseur=user,
                    actor=user,
                    gemeente=_gemeente_for(user, mandaat),
                    mandaat=mandaat,
                    toestemming=toestemming,
                )
                flash("Het plan is aangemaakt.", "ok")
                return redirect(url_for("plans.detail", plan_id=plan.id))
            except services.PlanExists as exc:
                existing_plan = exc.plan
                form.bsn.errors = [*form.bsn.errors, exc.message]
            except services.PlanError as exc:
                _apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/nieuw.html", form=form, existing_plan=existing_plan), status


def _known_or_new_person(form: Any) -> tuple[Person | None, bool]:
    """The person with the form's BSN when known (that load is logged), else None.

    For an unknown person, the name fields are required: errors are added to the ones missing.
    Returns (person, ok).
    """
    if form.bsn.errors or not form.bsn.data:
        return None, False
    person = find_by_bsn(normalise_bsn(form.bsn.data))
    if person is not None:
        return person, True
    missing = [f for f in (form.voornamen, form.achternaam, form.geboortedatum) if not f.data]
    for f in missing:
        f.errors = [*f.errors, "Deze persoon is nog niet bekend: vul dit in."]
    return None, not missing


def _create_person_from(form: Any) -> Person:
    def value(name: str) -> Any:
        field = getattr(form, name, None)
        return field.data if field is not None else None

    return create_person(
        PersonGegevens(
            bsn=normalise_bsn(form.bsn.data),
            voornamen=form.voornamen.data or "",
            tussenvoegsel=form.tussenvoegsel.data,
            achternaam=form.achternaam.data or "",
            geboortedatum=form.geboortedatum.data,
            straat=value("straat"),
            huisnummer=value("huisnummer"),
            huisnummer_toevoeging=value("huisnummer_toevoeging"),
            postcode=value("postcode"),
            woonplaats=value("woonplaats"),
            telefoon=value("telefoon"),
            email=value("email"),
        )
    )


# --- the plan page --------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>")
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="plan.bekijken")
def detail(plan_id: int) -> str:
    toegang = access.plan_for(_user(), plan_id)
    return render_plan(toegang)


def render_plan(toegang: access.PlanToegang, **extra: Any) -> str:
    plan = toegang.plan
    current_ledger().set_context("plan", plan.id)
    if not toegang.sees_content:
        # "Geen inzage": only that the plan exists and who the regisseur is.
        return render_template("plans/detail_geen_inzage.html", toegang=toegang, plan=plan)
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for act, mode in toegang.activities():
        if act.uitvoerder_soort == UitvoerderSoort.HUISHOUDEN:
            key, label = "huishouden", "Het huishouden zelf"
        else:
            key = f"org-{act.organisation_id}"
            label = act.organisation.name if act.organisation else "Onbekende organisatie"
        group = groups.setdefault(key, {"label": label, "items": []})
        group["items"].append((act, mode))
    household = toegang.household()
    member_ids = {link.other(plan.person_id).id for link in household if link.actief}
    member_plans: dict[int, int] = {}
    if member_ids:
        for p in session.scalars(
            access.plans_visible_to(toegang.user).where(Plan.person_id.in_(member_ids))
        ):
            member_plans[p.person_id] = p.id
    comment_form = extra.pop("comment_form", None) or OpmerkingForm()
    if not toegang.may_mark_beroepsgeheim:
        del comment_form.beroepsgeheim
    return render_template(
        "plans/detail.html",
        toegang=toegang,
        plan=plan,
        groups=groups,
        household=household,
        member_plans=member_plans,
        betrokkenheden=toegang.betrokkenheden(),
        niveaus=toegang.niveaus(),
        comments=toegang.comments(),
        history=toegang.history(),
        toestemmingen=toegang.toestemmingen(),
        overgenomen_feiten=access.overgenomen_feiten(toegang),
        comment_form=comment_form,
        afronden_form=AfrondenForm(),
        **extra,
    )


@bp.route("/plannen/<int:plan_id>/bewerken", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="plan.wijzigen")
def bewerken(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_manage:
        abort(404)
    plan = toegang.plan
    form = PlanBewerkForm(obj=None if request.method == "POST" else plan)
    form.mandaat.choices = _mandaat_choices(user)
    if request.method == "GET":
        form.version.data = str(plan.version)
        form.mandaat.data = str(plan.mandaat_id or "")
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_plan(
                plan,
                actor=user,
                expected_version=_int(form.version.data),
                status=form.status.data,
                mandaat=_mandaat_from(form.mandaat.data, user),
            )
            flash("Het plan is opgeslagen.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id))
        except services.Conflict:
            conflict = _reload(Plan, plan.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template("plans/bewerken.html", form=form, plan=plan, conflict=conflict), status


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _reload(model: Any, object_id: int) -> Any:
    session.rollback()
    session.expire_all()
    obj = session.get(model, object_id, populate_existing=True)
    if obj is None:
        abort(404)
    return obj


@bp.route("/plannen/<int:plan_id>/afsluiten", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="plan.afsluiten")
def afsluiten(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_close:
        abort(404)
    plan = toegang.plan
    form = AfsluitenForm()
    if request.method == "GET":
        form.version.data = str(plan.version)
        if toegang.toestemming_is_ingetrokken:
            form.reden.data = "toestemming_ingetrokken"
    conflict = None
    if form.validate_on_submit():
        try:
            services.close_plan(
                plan,
                actor=user,
                reason=form.reden.data or "",
                note=form.toelichting.data,
                expected_version=_int(form.version.data),
            )
            flash("Het plan is afgesloten.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan.id))
        except services.Conflict:
            conflict = _reload(Plan, plan.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template("plans/afsluiten.html", form=form, plan=plan, conflict=conflict), status


@bp.route("/plannen/<int:plan_id>/overdragen", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="plan.overdragen")
def overdragen(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_manage:
        abort(404)
    form = OverdragenForm()
    candidates = [
        u
        for u in session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Rol.REGISSEUR, User.active.is_(True), User.id != user.id)
            .order_by(User.name)
        )
    ]
    form.regisseur_id.choices = [("", "Kies de nieuwe regisseur")] + [
        (str(u.id), f"{u.name} ({u.organisation.name if u.organisation else '-'})")
        for u in candidates
    ]
    if form.validate_on_submit():
        new = next((u for u in candidates if str(u.id) == form.regisseur_id.data), None)
        try:
            if new is None:
                raise services.PlanError("Kies de nieuwe regisseur.", "regisseur_id")
            services.transfer_plan(
                toegang.plan, new_regisseur=new, actor=user, reason=form.reden.data
            )
            flash(f"Het plan is overgedragen aan {new.name}.", "ok")
            return redirect(url_for("plans.werklijst"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/overdragen.html", form=form, plan=toegang.plan), status


# --- activities -----------------------------------------------------------------------------


def _organisation_choices(toegang: access.PlanToegang) -> list[tuple[str, str]]:
    if toegang.is_regisseur:
        return [("", "Kies de organisatie")] + [(str(o.id), o.name) for o in organisations()]
    org = toegang.user.organisation
    return [(str(org.id), org.name)] if org else []


def _activity_data(
    form: ActiviteitForm, toegang: access.PlanToegang
) -> services.ActiviteitGegevens:
    org_id = _int(form.organisation_id.data)
    if not toegang.is_regisseur:
        # A hulpverlener records activities of their own organisation (or of the household).
        org_id = toegang.user.organisation_id
    return services.ActiviteitGegevens(
        aard=form.aard.data or "",
        omschrijving=form.omschrijving.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        uitvoerder_soort=form.uitvoerder_soort.data or "",
        organisation_id=org_id,
        uitvoerder_contact=form.uitvoerder_contact.data,
        toelichting=form.toelichting.data,
        afgerond=bool(form.afgerond.data),
        toelichting_beroepsgeheim=bool(form.toelichting_beroepsgeheim.data)
        if toegang.may_mark_beroepsgeheim
        else None,
    )


def _end_before_start(form: ActiviteitForm) -> bool:
    if form.start_date.data and form.end_date.data and form.end_date.data < form.start_date.data:
        form.end_date.errors = [*form.end_date.errors, "De einddatum ligt voor de startdatum."]
        return True
    return False


@bp.route("/plannen/<int:plan_id>/activiteiten/nieuw", methods=["GET", "POST"])
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="activiteit.toevoegen")
def activiteit_nieuw(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_add_activity:
        abort(404)
    form = ActiviteitForm()
    form.organisation_id.choices = _organisation_choices(toegang)
    if not toegang.may_mark_beroepsgeheim:
        del form.toelichting_beroepsgeheim
    if request.method == "GET":
        form.start_date.data = today()
        if not toegang.is_regisseur and user.organisation_id:
            form.organisation_id.data = str(user.organisation_id)
    valid = form.validate_on_submit()
    if valid and not _end_before_start(form):
        try:
            services.add_activity(toegang.plan, _activity_data(form, toegang), actor=user)
            flash("De activiteit is toegevoegd.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="activiteiten"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/activiteit_form.html", form=form, plan=toegang.plan, activity=None, conflict=None
    ), status


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>/bewerken", methods=["GET", "POST"])
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="activiteit.wijzigen")
def activiteit_bewerken(plan_id: int, activity_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        abort(404)
    form = ActiviteitForm(obj=None if request.method == "POST" else activity)
    form.organisation_id.choices = _organisation_choices(toegang)
    if not toegang.may_mark_beroepsgeheim:
        del form.toelichting_beroepsgeheim
    if request.method == "GET":
        form.version.data = str(activity.version)
        form.organisation_id.data = str(activity.organisation_id or "")
    conflict = None
    valid = form.validate_on_submit()
    if valid and not _end_before_start(form):
        try:
            services.update_activity(
                activity,
                _activity_data(form, toegang),
                actor=user,
                expected_version=_int(form.version.data),
            )
            flash("De activiteit is opgeslagen.", "ok")
            return redirect(
                url_for("plans.detail", plan_id=plan_id, _anchor=f"activiteit-{activity_id}")
            )
        except services.Conflict:
            conflict = _reload(Activity, activity.id)
            form.version.data = str(conflict.version)
        except services.PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else (409 if conflict else 422)
    return render_template(
        "plans/activiteit_form.html",
        form=form,
        plan=toegang.plan,
        activity=activity,
        conflict=conflict,
    ), status


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>/afronden", methods=["POST"])
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="activiteit.afronden")
def activiteit_afronden(plan_id: int, activity_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        abort(404)
    form = AfrondenForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.complete_activity(activity, actor=user, expected_version=_int(form.version.data))
        flash("De activiteit is afgerond.", "ok")
    except services.Conflict:
        session.rollback()
        flash(
            "Iemand anders heeft deze activiteit intussen gewijzigd. Bekijk de nieuwe versie en probeer het opnieuw.",
            "warning",
        )
    return redirect(url_for("plans.detail", plan_id=plan_id, _anchor=f"activiteit-{activity_id}"))


# --- gezinslinks ----------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/gezinslinks/nieuw", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="gezinslink.leggen")
def gezinslink_nieuw(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_manage:
        abort(404)
    form = GezinslinkForm()
    if form.is_submitted():
        valid = form.validate()
        other, person_ok = _known_or_new_person(form)
        if valid and person_ok:
            try:
                other = other or _create_person_from(form)
                relatie, _, side = (form.relatie.data or "").partition(":")
                services.lay_link(
                    plan=toegang.plan,
                    other=other,
                    relatie=relatie,
                    plan_person_is_a=(side != "b"),
                    actor=user,
                )
                flash("Het gezinslid is gekoppeld.", "ok")
                return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
            except services.PlanError as exc:
                _apply_errors(form, exc)
                session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/gezinslink_form.html", form=form, plan=toegang.plan), status


@bp.route("/plannen/<int:plan_id>/gezinslinks/<int:link_id>/verbreken", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="gezinslink.verbreken")
def gezinslink_verbreken(plan_id: int, link_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    link = toegang.gezinslink(link_id)
    form = VerbrekenForm()
    if form.validate_on_submit():
        try:
            services.break_link(link, plan=toegang.plan, actor=user, reason=form.reden.data)
            flash("De gezinslink is verbroken. De geschiedenis blijft bewaard.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="huishouden"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/gezinslink_verbreken.html", form=form, plan=toegang.plan, link=link
    ), status


# --- betrokkenheid --------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/betrokkenheden/nieuw", methods=["GET", "POST"])
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="betrokkenheid.aangaan")
def betrokkenheid_nieuw(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_manage:
        abort(404)
    form = BetrokkenheidForm()
    orgs = [o for o in organisations() if not o.is_gemeente]
    form.organisation_id.choices = [("", "Kies de organisatie")] + [
        (str(o.id), o.name) for o in orgs
    ]
    helpers = list(
        session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Rol.HULPVERLENER, User.active.is_(True))
            .order_by(User.name)
        )
    )
    form.user_id.choices = [("", "Alle hulpverleners van de organisatie")] + [
        (str(u.id), f"{u.name} ({u.organisation.name if u.organisation else '-'})") for u in helpers
    ]
    if request.method == "GET":
        form.start_date.data = today()
    if form.validate_on_submit():
        org = session.get(Organisation, _int(form.organisation_id.data) or 0)
        helper = session.get(User, _int(form.user_id.data) or 0) if form.user_id.data else None
        try:
            if org is None:
                raise services.PlanError("Kies de organisatie.", "organisation_id")
            from app.logboek.exchanges import plan_shared_with

            b = services.bring_in(
                toegang.plan,
                organisation=org,
                user=helper,
                rol=form.rol.data or "",
                start_date=form.start_date.data,
                actor=user,
            )
            plan_shared_with(toegang.plan, b)
            flash(f"{org.name} is betrokken bij het plan.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="betrokkenen"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template("plans/betrokkenheid_form.html", form=form, plan=toegang.plan), status


@bp.route(
    "/plannen/<int:plan_id>/betrokkenheden/<int:betrokkenheid_id>/beeindigen",
    methods=["GET", "POST"],
)
@roles_required(Rol.REGISSEUR)
@verwerking(REGIE, name="betrokkenheid.beeindigen")
def betrokkenheid_beeindigen(plan_id: int, betrokkenheid_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    b = toegang.betrokkenheid(betrokkenheid_id)
    form = BeeindigenForm()
    if request.method == "GET":
        form.end_date.data = today()
    if form.validate_on_submit():
        try:
            services.end_betrokkenheid(
                b,
                plan=toegang.plan,
                actor=user,
                end_date=form.end_date.data,
                reason=form.reden.data,
            )
            flash("De betrokkenheid is beëindigd.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="betrokkenen"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
            session.rollback()
    status = 200 if request.method == "GET" else 422
    return render_template(
        "plans/betrokkenheid_beeindigen.html", form=form, plan=toegang.plan, b=b
    ), status


# --- comments -------------------------------------------------------------------------------


@bp.route("/plannen/<int:plan_id>/opmerkingen", methods=["POST"])
@roles_required(*STAFF_ON_PLANS)
@verwerking(REGIE, name="opmerking.plaatsen")
def opmerking(plan_id: int) -> Any:
    user = _user()
    toegang = access.plan_for(user, plan_id)
    if not toegang.may_comment:
        abort(404)
    form = OpmerkingForm()
    if form.validate_on_submit():
        try:
            reply_id = form.reply_to.data or ""
            reply_to = None
            if reply_id.isdigit():  # only a comment this user sees on this plan
                reply_to = next((c for c in toegang.comments() if c.id == int(reply_id)), None)
            services.add_comment(
                toegang.plan,
                actor=user,
                body=form.body.data or "",
                beroepsgeheim=toegang.may_mark_beroepsgeheim and bool(form.beroepsgeheim.data),
                reply_to=reply_to,
            )
            flash("Uw opmerking is geplaatst.", "ok")
            return redirect(url_for("plans.detail", plan_id=plan_id, _anchor="opmerkingen"))
        except services.PlanError as exc:
            _apply_errors(form, exc)
    return render_plan(toegang, comment_form=form), 422
