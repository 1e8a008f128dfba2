"""The regisseur's and hulpverlener's screens."""

from __future__ import annotations

from app import clock
from tests.routes.facts import (
    ACTIVITIES,
    HULPVERLENERS,
    PERSON_NAME,
    PLAN_FACTS,
    PLAN_PERSON,
    REGISSEURS,
    STAFF_ON_PLANS,
    USER_ORG,
    access,
    ingetrokken,
    is_betrokken,
    is_regisseur_of,
    may_add_activity,
    may_manage,
    may_open,
    may_work,
    page_texts,
    plan_header_lines,
    plan_page_lines,
)
from tests.routes.spec import FULL_PERSON, Case, Line, RouteSpec
from tests.support.world import BSN, World

TODAY = clock.today().isoformat()
PLAN_KEYS = tuple(PLAN_FACTS)


def plan_url(suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w, c: f"/plannen/{w.plans[c.plan]}{suffix}"


def role_denied(*roles: set[str]):  # type: ignore[no-untyped-def]
    """403 for users without the route's role, 404 for those with it but without access."""
    allowed_roles = set().union(*roles)
    return lambda c: 404 if c.user in allowed_roles else 403


ON_PLANS_DENIED = role_denied(STAFF_ON_PLANS)
REGISSEUR_DENIED = role_denied(REGISSEURS)

# Which activity each plan's "Schuldhulp activity" and "Jeugdhulp activity" routes point at.
SCHULD_ACTIVITY = {"a": "a_schuld", "b": "b_jeugd", "c": "c_schuld", "d": "d_ggz", "e": "e_jeugd"}
JEUGD_ACTIVITY = {"a": "a_jeugd", "b": "b_jeugd", "c": "c_schuld", "d": "d_ggz", "e": "e_jeugd"}
ACTIVITY_ORG = {key: org for key, (_p, org, _t, _s) in ACTIVITIES.items()}
# A link of each plan; plans c, d and e have none of their own, so they borrow plan a's (which
# must not work).
LINK = {"a": "a_bram", "b": "b_frank", "c": "a_bram", "d": "a_bram", "e": "a_bram"}
LINK_OTHER = {"a_bram": "bram", "b_frank": "frank"}
# An active betrokkenheid of each plan (c's is ended).
# Gezinslinks are laid and broken by the regisseur and by the hulpverleners involved in the plan
# who see its content (issue 16 item 4): as for comments.
may_link = may_work
BETROKKENHEID = {"a": "a_jeugd", "b": "b_jeugd", "c": "c_schuld", "d": "d_ggz", "e": "e_jeugd"}


def activity_url(which: dict[str, str], suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w, c: (
        f"/plannen/{w.plans[c.plan]}/activiteiten/{w.activities[which[c.plan]]}{suffix}"
    )


def may_load_activity(which: dict[str, str]):  # type: ignore[no-untyped-def]
    """The user sees this activity in full and may open it on its own."""

    def check(c: Case) -> bool:
        if is_regisseur_of(c):
            return True
        # Their own organisation's activity, also under "geen inzage" (issue 16 item 7).
        return is_betrokken(c) and ACTIVITY_ORG[which[c.plan]] == USER_ORG[c.user]  # type: ignore[index]

    return check


def may_edit_activity(which: dict[str, str]):  # type: ignore[no-untyped-def]
    load = may_load_activity(which)
    return lambda c: load(c) and not ingetrokken(c)


def werklijst_lines(w: World, c: Case, search: str | None = None) -> list[Line]:
    """Plans in the user's list: own plans (regisseur) and betrokkenheden (also "geen inzage")."""
    plans = [k for k in PLAN_KEYS if access(Case(c.user, "", k)) in ("regisseur", "hulpverlener")]
    if search:
        plans = [k for k in plans if search.lower() in PERSON_NAME[PLAN_PERSON[k]].lower()]
    return [Line(PLAN_PERSON[k], "view", frozenset({"naw", "plan"})) for k in plans]


def mijn_activiteiten_lines(w: World, c: Case) -> list[Line]:
    org = USER_ORG[c.user]
    plans = [
        k
        for k in PLAN_KEYS
        if may_open(Case(c.user, "", k))
        and any(p == k and o == org for p, o, _t, _s in ACTIVITIES.values())
    ]
    return [Line(PLAN_PERSON[k], "view", frozenset({"naw", "plan", "activiteiten"})) for k in plans]


def involved_org(c: Case) -> str:
    """An organisation involved in the plan (a regisseur may give activities only to those):
    Schuldhulp where it is, else another (issue 16 item 8)."""
    active = PLAN_FACTS[c.plan]["betrokken_active"] if c.plan else set()
    return "schuldhulp" if "schuldhulp" in active or not active else sorted(active)[0]


def activity_form(w: World, c: Case, org_key: str | None = None) -> dict[str, str]:
    org = org_key or USER_ORG.get(c.user) or "gemeente"
    return {
        "aard": "gesprek",
        "omschrijving": "Kennismakingsgesprek",
        "uitvoerder_soort": "organisatie",
        "organisation_id": str(
            w.orgs[involved_org(c) if org in ("gemeente", "regie_noord") else org]
        ),
        "start_date": TODAY,
        "end_date": "",
        "toelichting": "Nieuwe toelichting",
    }


def change(person: str, *cats: str, action: str = "update") -> Line:
    return Line(person, action, frozenset(cats))


def history(person: str) -> Line:
    return Line(person, "create", frozenset({"historie"}))


def plan_person(c: Case) -> str:
    assert c.plan is not None
    return PLAN_PERSON[c.plan]


def transfer_target(c: Case) -> str:
    """A regisseur to hand the case's plan to: not the user, not the plan's regisseur."""
    assert c.plan is not None
    current = PLAN_FACTS[c.plan]["regisseur"]
    return next(u for u in ("reg2", "reg1", "reg3") if u not in (c.user, current))


ROUTES = [
    RouteSpec(
        "plans.werklijst",
        "GET",
        lambda w, c: "/plannen",
        has_object=False,
        allowed=lambda c: c.user in STAFF_ON_PLANS,
        denied_status=403,
        lines=werklijst_lines,
        must_not_show=lambda w, c: [BSN[p] for p in PLAN_PERSON.values()],  # lists show no BSNs
        query={
            "status": ("", "concept", "actief", "afgesloten"),
            "pagina": ("1", "2"),
            "sorteer": (
                "bijgewerkt",
                "verzoek",
                "correctie",
                "verlopen",
                "ongelezen",
                "ingetrokken",
                "vragen",
            ),
        },
    ),
    RouteSpec(
        "plans.werklijst",
        "POST",
        lambda w, c: "/plannen",
        has_object=False,
        allowed=lambda c: c.user in STAFF_ON_PLANS,
        denied_status=403,
        body=lambda w, c: {"q": "Aalders", "status": ""},
        lines=lambda w, c: werklijst_lines(w, c, "Aalders"),
    ),
    RouteSpec(
        "plans.mijn_activiteiten",
        "GET",
        lambda w, c: "/activiteiten",
        has_object=False,
        allowed=lambda c: c.user in HULPVERLENERS,
        denied_status=403,
        lines=mijn_activiteiten_lines,
        query={"toon": ("open", "alle"), "pagina": ("", "1")},
        must_not_show=lambda w, c: [
            t
            for _k, (p, o, t, _s) in ACTIVITIES.items()
            if o != USER_ORG[c.user] or not may_open(Case(c.user, "", p))
        ],
    ),
    RouteSpec(
        "plans.nieuw",
        "GET",
        lambda w, c: "/plannen/nieuw",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "plans.nieuw",
        "POST",
        lambda w, c: "/plannen/nieuw",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "bsn": BSN["nieuw"],
            "voornamen": "Nina",
            "achternaam": "Nieuw",
            "geboortedatum": "1992-02-02",
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
        lines=lambda w, c: [
            Line("nieuw", "create", frozenset({"bsn", "naw", "plan", "historie", "toestemming"}))
        ],
    ),
    RouteSpec(
        "plans.detail",
        "GET",
        plan_url(),
        allowed=may_open,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: plan_page_lines(c),
        must_show=lambda w, c: page_texts(c)[0],
        must_not_show=lambda w, c: page_texts(c)[1],
    ),
    RouteSpec(
        "plans.bewerken",
        "GET",
        plan_url("/bewerken"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.bewerken",
        "POST",
        plan_url("/bewerken"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"status": "concept", "mandaat": ""},
        lines=lambda w, c: [history(plan_person(c)), change(plan_person(c), "plan")],
    ),
    RouteSpec(
        "plans.afsluiten",
        "GET",
        plan_url("/afsluiten"),
        allowed=is_regisseur_of,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.afsluiten",
        "POST",
        plan_url("/afsluiten"),
        allowed=is_regisseur_of,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"reden": "doelen_bereikt", "toelichting": ""},
        lines=lambda w, c: [
            history(plan_person(c)),
            change(
                plan_person(c),
                "plan",
                *(["betrokkenheid"] if PLAN_FACTS[c.plan]["betrokken_active"] else []),
            ),  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "plans.overdragen",
        "GET",
        plan_url("/overdragen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.overdragen",
        "POST",
        plan_url("/overdragen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "regisseur_id": str(w.users[transfer_target(c)]),
            "reden": "Op verzoek",
        },
        lines=lambda w, c: [history(plan_person(c)), change(plan_person(c), "plan")],
    ),
    RouteSpec(
        "plans.activiteit_nieuw",
        "GET",
        plan_url("/activiteiten/nieuw"),
        allowed=may_add_activity,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.activiteit_nieuw",
        "POST",
        plan_url("/activiteiten/nieuw"),
        allowed=may_add_activity,
        denied_status=ON_PLANS_DENIED,
        ok_status=302,
        mutates=True,
        body=activity_form,
        lines=lambda w, c: [change(plan_person(c), "activiteiten", "historie", action="create")],
    ),
    *[
        spec
        for label, which in (("schuld", SCHULD_ACTIVITY), ("jeugd", JEUGD_ACTIVITY))
        for spec in (
            RouteSpec(
                "plans.activiteit_bewerken",
                "GET",
                activity_url(which, "/bewerken"),
                allowed=may_edit_activity(which),
                denied_status=ON_PLANS_DENIED,
                lines=lambda w, c: plan_header_lines(c, frozenset({"activiteiten"})),
            ),
            RouteSpec(
                "plans.activiteit_bewerken",
                "POST",
                activity_url(which, "/bewerken"),
                allowed=may_edit_activity(which),
                denied_status=ON_PLANS_DENIED,
                ok_status=302,
                mutates=True,
                body=lambda w, c, which=which: activity_form(w, c, ACTIVITY_ORG[which[c.plan]]),  # type: ignore[index]
                lines=lambda w, c: [
                    history(plan_person(c)),
                    change(plan_person(c), "activiteiten"),
                ],
            ),
            RouteSpec(
                "plans.activiteit_afronden",
                "POST",
                activity_url(which, "/afronden"),
                allowed=may_edit_activity(which),
                denied_status=ON_PLANS_DENIED,
                ok_status=302,
                mutates=True,
                body=lambda w, c: {},
                lines=lambda w, c: [
                    history(plan_person(c)),
                    change(plan_person(c), "activiteiten-buitenkant"),
                ],
            ),
        )
    ],
    RouteSpec(
        "plans.gezinslink_nieuw",
        "GET",
        plan_url("/gezinslinks/nieuw"),
        allowed=may_link,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: plan_header_lines(c),
        # Confirming a household member's proposal (the regisseur; issue 16 #4).
        query={"voorstel": ("",)},
    ),
    RouteSpec(
        "plans.gezinslink_nieuw",
        "POST",
        plan_url("/gezinslinks/nieuw"),
        allowed=may_link,
        denied_status=ON_PLANS_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "bsn": BSN["extra"],
            "relatie": "ouder_van:a",
            "voornamen": "Xander",
            "achternaam": "Extra",
            "geboortedatum": "2018-08-08",
        },
        lines=lambda w, c: [
            change(plan_person(c), "gezin", "historie", action="create"),
            change("extra", "bsn", "naw", "gezin", action="create"),
        ],
    ),
    RouteSpec(
        "plans.gezinslink_verbreken",
        "GET",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/verbreken",
        allowed=lambda c: may_link(c) and c.plan in ("a", "b"),
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: [
            Line(plan_person(c), "view", frozenset(FULL_PERSON | {"plan", "gezin"})),
            Line(LINK_OTHER[LINK[c.plan]], "view", frozenset({"naw", "gezin"})),  # type: ignore[index]
        ],
        query={"voorstel": ("",)},
    ),
    RouteSpec(
        "plans.gezinslink_verbreken",
        "POST",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/verbreken",
        allowed=lambda c: may_link(c) and c.plan in ("a", "b"),
        denied_status=ON_PLANS_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"reden": "Verhuisd"},
        lines=lambda w, c: [
            history(plan_person(c)),
            change(plan_person(c), "gezin"),
            change(LINK_OTHER[LINK[c.plan]], "gezin"),  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "plans.persoon_afschermen",
        "GET",
        plan_url("/afschermen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.persoon_afschermen",
        "POST",
        plan_url("/afschermen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"reden": "Huiselijk geweld"},
        lines=lambda w, c: [change(plan_person(c), "gezin", "historie", action="create")],
    ),
    RouteSpec(
        "plans.gezinslink_afschermen",
        "GET",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/afschermen",
        allowed=lambda c: may_manage(c) and c.plan in ("a", "b"),
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [
            Line(plan_person(c), "view", frozenset(FULL_PERSON | {"plan", "gezin"})),
            Line(LINK_OTHER[LINK[c.plan]], "view", frozenset({"naw", "gezin"})),  # type: ignore[index]
        ],
        query={"voorstel": ("",)},
    ),
    RouteSpec(
        "plans.gezinslink_afschermen",
        "POST",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/afschermen",
        allowed=lambda c: may_manage(c) and c.plan in ("a", "b"),
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"reden": "Huiselijk geweld"},
        lines=lambda w, c: [
            change(plan_person(c), "gezin", "historie", action="create"),
            change(LINK_OTHER[LINK[c.plan]], "gezin", action="create"),  # type: ignore[index]
        ],
    ),
    # Lifting a mark: the same rule as setting it. The matrix world has no mark, so a POST is
    # refused (422, nothing changed: "Er is geen afscherming om op te heffen."); lifting an
    # existing mark, its lines and history: tests/test_afscherming.py.
    RouteSpec(
        "plans.gezinslink_afscherming_opheffen",
        "GET",
        lambda w, c: (
            f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/afscherming-opheffen"
        ),
        allowed=lambda c: may_manage(c) and c.plan in ("a", "b"),
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [
            Line(plan_person(c), "view", frozenset(FULL_PERSON | {"plan", "gezin"})),
            Line(LINK_OTHER[LINK[c.plan]], "view", frozenset({"naw", "gezin"})),  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "plans.gezinslink_afscherming_opheffen",
        "POST",
        lambda w, c: (
            f"/plannen/{w.plans[c.plan]}/gezinslinks/{w.links[LINK[c.plan]]}/afscherming-opheffen"
        ),
        allowed=lambda c: may_manage(c) and c.plan in ("a", "b"),
        denied_status=REGISSEUR_DENIED,
        ok_status=422,
        body=lambda w, c: {"reden": "Situatie veilig"},
        lines=lambda w, c: [
            Line(plan_person(c), "view", frozenset(FULL_PERSON | {"plan", "gezin"})),
            Line(LINK_OTHER[LINK[c.plan]], "view", frozenset({"naw", "gezin"})),  # type: ignore[index]
        ],
    ),
    RouteSpec(
        "plans.persoon_afscherming_opheffen",
        "GET",
        plan_url("/afscherming-opheffen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.persoon_afscherming_opheffen",
        "POST",
        plan_url("/afscherming-opheffen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=422,
        body=lambda w, c: {"reden": "Situatie veilig"},
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.betrokkenheid_nieuw",
        "GET",
        plan_url("/betrokkenheden/nieuw"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c),
    ),
    RouteSpec(
        "plans.betrokkenheid_nieuw",
        "POST",
        plan_url("/betrokkenheden/nieuw"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "organisation_id": str(w.orgs["ggz"]),
            "user_id": "",
            "rol": "GGZ-behandeling",
            "start_date": TODAY,
        },
        lines=lambda w, c: [
            change(plan_person(c), "betrokkenheid", "historie", action="create"),
            Line(
                plan_person(c),
                "send",
                frozenset({"bsn", "naw", "contact", "plan", "activiteiten"}),
                kind="uitwisseling",
            ),
        ],
    ),
    RouteSpec(
        "plans.betrokkenheid_beeindigen",
        "GET",
        lambda w, c: (
            f"/plannen/{w.plans[c.plan]}/betrokkenheden/{w.betrokkenheden[BETROKKENHEID[c.plan]]}/beeindigen"
        ),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: plan_header_lines(c, frozenset({"betrokkenheid"})),
    ),
    RouteSpec(
        "plans.betrokkenheid_beeindigen",
        "POST",
        lambda w, c: (
            f"/plannen/{w.plans[c.plan]}/betrokkenheden/{w.betrokkenheden[BETROKKENHEID[c.plan]]}/beeindigen"
        ),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"end_date": TODAY, "reden": "Klaar"},
        lines=lambda w, c: [history(plan_person(c)), change(plan_person(c), "betrokkenheid")],
    ),
    RouteSpec(
        "plans.opmerking",
        "POST",
        plan_url("/opmerkingen"),
        allowed=may_work,
        denied_status=ON_PLANS_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"body": "Een nieuwe opmerking."},
        lines=lambda w, c: [change(plan_person(c), "opmerkingen", action="create")],
    ),
]
