"""JSON API v1."""

from __future__ import annotations

from tests.routes.facts import (
    PLAN_FACTS,
    PLAN_PERSON,
    REGISSEURS,
    STAFF_ON_PLANS,
    activity_categories,
    is_regisseur_of,
    is_vervanger,
    may_add_activity,
    may_manage,
    may_open,
    may_work,
    sees_content,
    texts,
)
from tests.routes.plans import (
    ACTIVITY_ORG,
    LINK,
    LINK_OTHER,
    SCHULD_ACTIVITY,
    TODAY,
    change,
    history,
    involved_org,
    may_edit_activity,
    may_load_activity,
    plan_header_lines,
    plan_person,
    role_denied,
    werklijst_lines,
)
from tests.routes.spec import FULL_PERSON, Case, Line, RouteSpec
from tests.support.world import BSN

PLAN_FIELDS = {
    "id",
    "status",
    "basis",
    "wegingOntbreekt",
    "persoon",
    "regisseur",
    "mandaat",
    "afsluitreden",
    "afgeslotenOp",
    "aangemaaktOp",
    "gewijzigdOp",
    "version",
    "_links",
}
ACTIVITY_BUITENKANT = {
    "id",
    "planId",
    "aard",
    "uitvoerderSoort",
    "organisatie",
    "startdatum",
    "einddatum",
    "afgerond",
    "afgerondOp",
    "status",
    "version",
    "_links",
}
ACTIVITY_FULL = ACTIVITY_BUITENKANT | {
    "omschrijving",
    "uitvoerderContact",
    "toelichting",
    "toelichtingBeroepsgeheim",
}
# "Geen inzage": that the plan exists, its status and who the regisseur is.
PLAN_GEEN_INZAGE = {
    "id",
    "status",
    "inzage",
    "persoon",
    "regisseur",
    "mandaat",
    "version",
    "_links",
}
API_DENIED = role_denied(STAFF_ON_PLANS)


def api(path: str):  # type: ignore[no-untyped-def]
    return lambda w, c: "/api/v1" + path.format(plan=w.plans.get(c.plan or "a"))


def person_url(w, c):  # type: ignore[no-untyped-def]
    return f"/api/v1/personen/{w.persons[PLAN_PERSON[c.plan]]}"


ROUTES = [
    RouteSpec(
        "api.openapi",
        "GET",
        lambda w, c: "/api/v1/openapi.json",
        kind="api",
        has_object=False,
        allowed=lambda c: True,
    ),
    RouteSpec(
        "ldv.openapi",
        "GET",
        lambda w, c: "/api/ldv/v1/openapi.json",
        kind="api",
        has_object=False,
        allowed=lambda c: True,
        must_show=lambda w, c: ["processing-activities"],
    ),
    RouteSpec(
        "verwerkingsregister_api.openapi",
        "GET",
        lambda w, c: "/api/verwerkingsregister/v1/openapi.json",
        kind="api",
        has_object=False,
        allowed=lambda c: True,
        must_show=lambda w, c: ["verwerkingsactiviteiten"],
    ),
    # The register of processing activities, read-only JSON (no personal data, no login).
    RouteSpec(
        "verwerkingsregister_api.lijst",
        "GET",
        lambda w, c: "/api/verwerkingsregister/v1/verwerkingsactiviteiten",
        kind="api",
        has_object=False,
        allowed=lambda c: True,
        must_show=lambda w, c: ["regie-multiproblematiek", "grondslag"],
    ),
    RouteSpec(
        "verwerkingsregister_api.activiteit",
        "GET",
        lambda w, c: "/api/verwerkingsregister/v1/verwerkingsactiviteiten/regie-multiproblematiek",
        kind="api",
        has_object=False,
        allowed=lambda c: True,
        must_show=lambda w, c: ["regie-multiproblematiek", "versies"],
    ),
    RouteSpec(
        "verwerkingsregister_api.versie",
        "GET",
        lambda w, c: (
            "/api/verwerkingsregister/v1/verwerkingsactiviteiten/regie-multiproblematiek/versies/1"
        ),
        kind="api",
        has_object=False,
        allowed=lambda c: True,
        must_show=lambda w, c: ["regie-multiproblematiek", "bewaartermijn"],
    ),
    RouteSpec(
        "api.plannen",
        "GET",
        lambda w, c: "/api/v1/plannen",
        kind="api",
        denied_status=API_DENIED,
        has_object=False,
        allowed=lambda c: c.user in STAFF_ON_PLANS,
        lines=werklijst_lines,
    ),
    RouteSpec(
        "api.plan_aanmaken",
        "POST",
        lambda w, c: "/api/v1/plannen",
        kind="api",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        ok_status=201,
        mutates=True,
        body=lambda w, c: {
            "bsn": BSN["nieuw"],
            "basis": "toestemming",
            "toestemming": {
                "gegevenDoor": "de betrokkene zelf",
                "gegevenOp": "2020-01-02",
                "wijze": "mondeling",
            },
            "persoon": {"voornamen": "Nina", "achternaam": "Nieuw", "geboortedatum": "1992-02-02"},
        },
        # The response shows the new plan: its person's data was created and is shown back.
        lines=lambda w, c: [
            Line("nieuw", "create", frozenset({"bsn", "naw", "plan", "historie", "toestemming"}))
        ],
        api_fields=lambda c: PLAN_FIELDS,
    ),
    RouteSpec(
        "api.plan",
        "GET",
        api("/plannen/{plan}"),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_open,
        lines=lambda w, c: plan_header_lines(c),
        api_fields=lambda c: PLAN_FIELDS if sees_content(c) else PLAN_GEEN_INZAGE,
        must_not_show=lambda w, c: [] if sees_content(c) else [BSN[plan_person(c)], "Teststraat"],
    ),
    RouteSpec(
        "api.plan_wijzigen",
        "PATCH",
        api("/plannen/{plan}"),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_manage,
        mutates=True,
        body=lambda w, c: {"status": "concept", "version": w.versions[f"plan:{c.plan}"]},
        lines=lambda w, c: [
            *plan_header_lines(c),
            history(plan_person(c)),
            change(plan_person(c), "plan"),
        ],
        api_fields=lambda c: PLAN_FIELDS,
    ),
    RouteSpec(
        "api.plan_afsluiten",
        "POST",
        api("/plannen/{plan}/afsluiten"),
        kind="api",
        denied_status=API_DENIED,
        allowed=is_regisseur_of,
        mutates=True,
        body=lambda w, c: {"reden": "doelen_bereikt", "version": w.versions[f"plan:{c.plan}"]},
        lines=lambda w, c: [
            *plan_header_lines(c, _active_betrokkenheid(c)),
            history(plan_person(c)),
            change(plan_person(c), "plan", *_active_betrokkenheid(c)),
        ],
        api_fields=lambda c: PLAN_FIELDS,
    ),
    RouteSpec(
        "api.activiteiten",
        "GET",
        api("/plannen/{plan}/activiteiten"),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_open,
        lines=lambda w, c: plan_header_lines(c, activity_categories(c)),
        must_show=lambda w, c: texts(c, comments=False)[0],
        must_not_show=lambda w, c: texts(c, comments=False)[1],
    ),
    RouteSpec(
        "api.activiteit_toevoegen",
        "POST",
        api("/plannen/{plan}/activiteiten"),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_add_activity,
        ok_status=201,
        mutates=True,
        body=lambda w, c: {
            "aard": "gesprek",
            "omschrijving": "Kennismaking",
            "startdatum": TODAY,
            "uitvoerderSoort": "organisatie",
            "organisatieId": w.orgs[involved_org(c) if c.user in REGISSEURS else _user_org(c)],
        },
        lines=lambda w, c: [
            *plan_header_lines(c),
            change(plan_person(c), "activiteiten", "historie", action="create"),
        ],
        api_fields=lambda c: ACTIVITY_FULL,
    ),
    RouteSpec(
        "api.activiteit",
        "GET",
        lambda w, c: (
            f"/api/v1/plannen/{w.plans[c.plan]}/activiteiten/{w.activities[SCHULD_ACTIVITY[c.plan]]}"
        ),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_load_activity(SCHULD_ACTIVITY),
        lines=lambda w, c: plan_header_lines(c, frozenset({"activiteiten"})),
        api_fields=lambda c: ACTIVITY_FULL,
    ),
    RouteSpec(
        "api.activiteit_wijzigen",
        "PATCH",
        lambda w, c: (
            f"/api/v1/plannen/{w.plans[c.plan]}/activiteiten/{w.activities[SCHULD_ACTIVITY[c.plan]]}"
        ),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_edit_activity(SCHULD_ACTIVITY),
        mutates=True,
        body=lambda w, c: {
            "toelichting": "Bijgewerkt via de API",
            "version": w.versions[f"activity:{SCHULD_ACTIVITY[c.plan]}"],
        },
        lines=lambda w, c: [
            *plan_header_lines(c, frozenset({"activiteiten"})),
            history(plan_person(c)),
            change(plan_person(c), "activiteiten"),
        ],
        api_fields=lambda c: ACTIVITY_FULL,
    ),
    RouteSpec(
        "api.gezinslinks",
        "GET",
        api("/plannen/{plan}/gezinslinks"),
        kind="api",
        denied_status=API_DENIED,
        allowed=is_regisseur_of,
        lines=lambda w, c: [
            Line(
                plan_person(c),
                "view",
                frozenset(FULL_PERSON | {"plan"} | ({"gezin"} if _has_links(c) else set())),
            ),
            *[Line(m, "view", frozenset({"naw", "gezin"})) for m in PLAN_FACTS[c.plan]["members"]],  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "api.gezinslink_leggen",
        "POST",
        api("/plannen/{plan}/gezinslinks"),
        kind="api",
        denied_status=API_DENIED,
        allowed=may_work,  # the regisseur and involved hulpverleners (issue 16 item 4)
        ok_status=201,
        mutates=True,
        body=lambda w, c: {
            "bsn": BSN["extra"],
            "relatie": "ouder_van",
            "persoon": {
                "voornamen": "Xander",
                "achternaam": "Extra",
                "geboortedatum": "2018-08-08",
            },
        },
        lines=lambda w, c: [
            *plan_header_lines(c),
            change(plan_person(c), "gezin", "historie", action="create"),
            change("extra", "bsn", "naw", "gezin", action="create"),
        ],
    ),
    RouteSpec(
        "api.gezinslink_wijzigen",
        "PATCH",
        lambda w, c: f"/api/v1/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}",
        kind="api",
        denied_status=API_DENIED,
        allowed=lambda c: may_work(c) and c.plan in ("a", "b"),
        mutates=True,
        body=lambda w, c: {"actief": False, "reden": "Verhuisd"},
        lines=lambda w, c: [
            Line(plan_person(c), "view", frozenset(FULL_PERSON | {"plan", "gezin"})),
            Line(LINK_OTHER[LINK[c.plan]], "view", frozenset({"naw", "gezin"})),  # type: ignore[index]
            history(plan_person(c)),
            change(plan_person(c), "gezin"),
            change(LINK_OTHER[LINK[c.plan]], "gezin"),  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "api.persoon",
        "GET",
        person_url,
        kind="api",
        denied_status=API_DENIED,
        allowed=lambda c: sees_content(c) and not is_vervanger(c),
        lines=lambda w, c: [Line(plan_person(c), "view", FULL_PERSON)],
    ),
    RouteSpec(
        "api.persoon_zoeken",
        "POST",
        lambda w, c: "/api/v1/personen/_zoek",
        kind="api",
        denied_status=API_DENIED,
        allowed=lambda c: sees_content(c) and not is_vervanger(c),
        body=lambda w, c: {"bsn": BSN[PLAN_PERSON[c.plan]]},  # type: ignore[index]
        lines=lambda w, c: [Line(plan_person(c), "view", FULL_PERSON)],
    ),
]


def _active_betrokkenheid(c: Case) -> frozenset[str]:
    return frozenset({"betrokkenheid"}) if PLAN_FACTS[c.plan]["betrokken_active"] else frozenset()  # type: ignore[index]


def _user_org(c: Case) -> str:
    from tests.routes.facts import USER_ORG

    return USER_ORG.get(c.user) or "gemeente"


def _has_links(c: Case) -> bool:
    """Plans a and b have household links (b's also ended ones after a test; not in this world)."""
    return bool(PLAN_FACTS[c.plan]["members"])  # type: ignore[index]


__all__ = ["ACTIVITY_ORG", "ROUTES"]
