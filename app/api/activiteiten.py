"""``/plannen/{planId}/activiteiten``: a plan's activities as the user may see them."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _

from app import access
from app.access import PLAN, NotVisible, guard
from app.api.blueprint import PLAN_ROLES, PLAN_ROLES_FORBIDDEN, REGIE, bp
from app.api.serialisers import activity_json, with_etag
from app.api.validation import (
    conflict,
    date_field,
    enum_field,
    expected_version,
    int_field,
    invalid,
    json_body,
    plan_error,
    text_field,
    unprocessable,
)
from app.db import session
from app.domain import ACTIVITEIT_AARDEN, UitvoerderSoort
from app.logboek import current_ledger
from app.organisations.models import Organisation
from app.plans import betrokken, services
from app.plans.models import Activity


@bp.route("/plannen/<int:plan_id>/activiteiten", methods=["GET"])
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
    data: dict[str, Any], t: access.PlanToegang, base: Activity | None = None
) -> services.ActiviteitGegevens:
    def pick(name: str, attr: str) -> Any:
        return data[name] if name in data else (getattr(base, attr) if base is not None else None)

    aard = enum_field(data, "aard", list(ACTIVITEIT_AARDEN)) if "aard" in data else None
    aard = aard or (base.aard if base else None)
    if aard is None:
        raise invalid("aard", _("Verplicht veld."), "required")
    omschrijving = (
        text_field(data, "omschrijving", required=True, max_len=2000)
        if "omschrijving" in data or base is None
        else base.omschrijving
    )
    if "startdatum" in data or base is None:
        start = date_field(data, "startdatum", required=True)
    else:
        start = base.start_date
    end = (
        date_field(data, "einddatum") if "einddatum" in data else (base.end_date if base else None)
    )
    soort = (
        enum_field(data, "uitvoerderSoort", [u.value for u in UitvoerderSoort])
        if "uitvoerderSoort" in data
        else None
    ) or (base.uitvoerder_soort if base else UitvoerderSoort.ORGANISATIE)
    org_id = (
        int_field(data, "organisatieId")
        if "organisatieId" in data
        else (base.organisation_id if base else None)
    )
    afgerond = pick("afgerond", "afgerond")
    if afgerond is not None and not isinstance(afgerond, bool):
        raise invalid("afgerond", _("true of false."), "boolean")
    contact = (
        text_field(data, "uitvoerderContact", max_len=300)
        if "uitvoerderContact" in data
        else (base.uitvoerder_contact if base else None)
    )
    toelichting = (
        text_field(data, "toelichting")
        if "toelichting" in data
        else (base.toelichting if base else None)
    )
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
    geheim = data.get("toelichtingBeroepsgeheim")
    if geheim is not None and not isinstance(geheim, bool):
        raise invalid("toelichtingBeroepsgeheim", _("true of false."), "boolean")
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
        uitvoerder_contact=contact,
        toelichting=toelichting,
        afgerond=bool(afgerond),
        toelichting_beroepsgeheim=geheim,
    )


@bp.route("/plannen/<int:plan_id>/activiteiten", methods=["POST"])
@guard(
    roles=PLAN_ROLES,
    forbidden=PLAN_ROLES_FORBIDDEN,
    verwerking=REGIE,
    name="api.activiteit.toevoegen",
    resolve=PLAN,
    need=lambda t: t.may_add_activity,
)
def activiteit_toevoegen(plan_id: int, toegang: access.PlanToegang) -> Any:
    data = json_body()
    betrek = data.get("betrekOrganisatie", False)
    if not isinstance(betrek, bool):
        raise invalid("betrekOrganisatie", _("true of false."), "boolean")
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


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>", methods=["GET"])
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


@bp.route("/plannen/<int:plan_id>/activiteiten/<int:activity_id>", methods=["PATCH"])
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
    data = json_body()
    gegevens = _activity_input(data, toegang, base=a)
    expected = expected_version(data)
    try:
        services.update_activity(a, gegevens, actor=toegang.user, expected_version=expected)
    except services.Conflict as exc:
        return conflict(exc.current)
    except services.PlanError as exc:
        raise plan_error(exc) from None
    return with_etag(jsonify(activity_json(a, access.VOL, toegang.day)), a.version)
