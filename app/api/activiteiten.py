"""``/plannen/{planId}/activiteiten``: a plan's activities as the user may see them."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _

from app import access
from app.access import PLAN, NotVisible, guard
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, V1, bp
from app.api.schemas import Activiteit, Activiteiten, ActiviteitNieuw, ActiviteitWijziging
from app.api.serialisers import activity_json, with_etag
from app.api.validation import IF_MATCH, conflict, expected_version, plan_error, unprocessable
from app.contract import ETAG_HEADER, Answer, request_body
from app.db import session
from app.domain import UitvoerderSoort
from app.logboek import current_ledger
from app.organisations.models import Organisation
from app.plans import betrokken, services
from app.plans.models import Activity


@V1.route(
    bp,
    "/plannen/<int:plan_id>/activiteiten",
    "GET",
    operation_id="listActiviteiten",
    ok={
        200: Answer(
            "Activiteiten die u mag zien; bij geen inzage alleen die van uw eigen organisatie.",
            Activiteiten,
        )
    },
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.activiteiten.lijst",
    resolve=PLAN,
)
def activiteiten(plan_id: int, toegang: access.PlanToegang) -> Any:
    current_ledger().set_context("plan", plan_id)
    items = [activity_json(a, mode, toegang.day) for a, mode in toegang.activities()]
    return jsonify({"_embedded": {"activiteiten": items}})


def _activity_input(
    data: ActiviteitNieuw | ActiviteitWijziging, t: access.PlanToegang, base: Activity | None = None
) -> services.ActiviteitGegevens:
    """The activity as the client sent it; in a change, what it did not send stays."""
    sent = data.model_fields_set

    def pick(name: str, attr: str, default: Any = None) -> Any:
        if name in sent or base is None:
            value = getattr(data, name)
            return default if value is None and name not in sent else value
        return getattr(base, attr)

    aard = pick("aard", "aard")
    omschrijving = pick("omschrijving", "omschrijving")
    start = pick("startdatum", "start_date")
    end = pick("einddatum", "end_date")
    soort = pick("uitvoerder_soort", "uitvoerder_soort", UitvoerderSoort.ORGANISATIE)
    org_id = pick("organisatie_id", "organisation_id")
    afgerond = pick("afgerond", "afgerond", False)
    contact = pick("uitvoerder_contact", "uitvoerder_contact")
    toelichting = pick("toelichting", "toelichting")
    # Well-formed; now the rules that depend on the data and on who asks (422).
    assert start is not None
    if end is not None and end < start:
        raise unprocessable("einddatum", _("De einddatum ligt voor de startdatum."), "dateRange")
    if not t.is_regisseur:
        if org_id is not None and org_id != t.user.organisation_id:
            raise unprocessable(
                "organisatieId", _("U legt alleen activiteiten van uw eigen organisatie vast.")
            )
        org_id = t.user.organisation_id
    if soort == UitvoerderSoort.ORGANISATIE and (
        org_id is None or session.get(Organisation, org_id) is None
    ):
        raise unprocessable("organisatieId", _("Kies een bestaande organisatie."), "required")
    geheim = data.toelichting_beroepsgeheim
    if geheim is not None and not t.may_mark_beroepsgeheim:
        raise unprocessable(
            "toelichtingBeroepsgeheim",
            _("Alleen een hulpverlener van de uitvoerende organisatie bepaalt dit."),
        )
    return services.ActiviteitGegevens(
        aard=aard,
        omschrijving=omschrijving or "",
        start_date=start,
        end_date=end,
        uitvoerder_soort=soort,
        organisation_id=org_id,
        uitvoerder_contact=contact or None,
        toelichting=toelichting or None,
        afgerond=bool(afgerond),
        toelichting_beroepsgeheim=geheim,
    )


@V1.route(
    bp,
    "/plannen/<int:plan_id>/activiteiten",
    "POST",
    operation_id="createActiviteit",
    body=ActiviteitNieuw,
    ok={201: Answer("Toegevoegd.", Activiteit, ETAG_HEADER)},
    errors=("415", "422"),
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.activiteit.toevoegen",
    resolve=PLAN,
    need=lambda t: t.may_add_activity,
)
def activiteit_toevoegen(plan_id: int, toegang: access.PlanToegang) -> Any:
    data = request_body(ActiviteitNieuw)
    betrek = data.betrek_organisatie
    if betrek and not toegang.is_regisseur:
        raise unprocessable("betrekOrganisatie", _("Alleen de regisseur betrekt organisaties."))
    gegevens = _activity_input(data, toegang)
    try:
        org = betrokken.niet_betrokken(plan_id, gegevens.uitvoerder_soort, gegevens.organisation_id)
        if org is not None and betrek:  # in the same transaction as the activity
            services.bring_in(
                toegang.plan,
                organisation=org,
                user=None,
                rol=betrokken.rol_voor(gegevens.aard),
                start_date=toegang.day,
                actor=toegang.user,
            )
        a = services.add_activity(toegang.plan, gegevens, actor=toegang.user)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    resp = jsonify(activity_json(a, access.VOL, toegang.day))
    resp.status_code = 201
    resp.headers["Location"] = url_for("api.activiteit", plan_id=plan_id, activity_id=a.id)
    return with_etag(resp, a.version)


@V1.route(
    bp,
    "/plannen/<int:plan_id>/activiteiten/<int:activity_id>",
    "GET",
    operation_id="getActiviteit",
    ok={200: Answer("De activiteit.", Activiteit, ETAG_HEADER)},
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.activiteit.bekijken",
    resolve=PLAN,
)
def activiteit(plan_id: int, activity_id: int, toegang: access.PlanToegang) -> Any:
    a = toegang.activity(activity_id)
    return with_etag(jsonify(activity_json(a, access.VOL, toegang.day)), a.version)


@V1.route(
    bp,
    "/plannen/<int:plan_id>/activiteiten/<int:activity_id>",
    "PATCH",
    operation_id="updateActiviteit",
    body=ActiviteitWijziging,
    headers=(IF_MATCH,),
    ok={200: Answer("Gewijzigd.", Activiteit, ETAG_HEADER)},
    errors=("415", "422", "412", "428"),
)
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.activiteit.wijzigen",
    resolve=PLAN,
)
def activiteit_wijzigen(plan_id: int, activity_id: int, toegang: access.PlanToegang) -> Any:
    a = toegang.activity(activity_id)
    if not toegang.may_edit_activity(a):
        raise NotVisible
    data = request_body(ActiviteitWijziging)
    gegevens = _activity_input(data, toegang, base=a)
    expected = expected_version(data.version)
    try:
        services.update_activity(a, gegevens, actor=toegang.user, expected_version=expected)
    except services.Conflict as exc:
        return conflict(exc.current)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return with_etag(jsonify(activity_json(a, access.VOL, toegang.day)), a.version)
