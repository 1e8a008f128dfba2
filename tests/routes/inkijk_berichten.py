"""Inkijk (only the plan's regisseur) and berichten (everyone on the plan) — issue 7."""

from __future__ import annotations

from tests.routes.facts import (
    PERSON_NAME,
    PLAN_FACTS,
    PLAN_PERSON,
    REGISSEURS,
    STAFF_ON_PLANS,
    USER_ORG,
    access,
    is_regisseur_of,
    may_manage,
    may_open,
    sees_content,
)
from tests.routes.spec import Case, Line, RouteSpec
from tests.support.world import World
from tests.support.world_berichten import TEKST

REGISSEUR_DENIED = lambda c: 404 if c.user in REGISSEURS else 403  # noqa: E731
ON_PLANS_DENIED = lambda c: 404 if c.user in STAFF_ON_PLANS else 403  # noqa: E731

# Who may be looked into under each plan: its person and the household (active gezinslinks).
HOUSEHOLD = {
    "a": ["anna", "bram", "kees"],
    "b": ["dirk", "frank"],
    "c": ["eva"],
    "d": ["gijs"],
    "e": ["ilse"],
}
# A household member per plan; plans without one borrow Anna (which must not work).
MEMBER = {"a": "bram", "b": "frank", "c": "anna", "d": "anna", "e": "anna"}
# What the BRP shows besides the person: partner, children and parents (not huisgenoten).
BRP_RELATED = {"anna": ["bram", "kees"], "dirk": [], "eva": [], "gijs": [], "ilse": []}
ALL_SOURCES = frozenset({"naw", "gezin", "inkomen", "schulden", "onderwijs", "zorg"})
REDEN = "Nodig om de betalingsregeling in het plan af te spreken."

# The threads in the world (tests/support/world_berichten.py); plans d and e have none.
THREAD_PLANS = {"a", "b", "c"}


def person(c: Case) -> str:
    assert c.plan is not None
    return PLAN_PERSON[c.plan]


def inkijk_url(suffix: str = "", who=None):  # type: ignore[no-untyped-def]
    def url(w: World, c: Case) -> str:
        key = who(c) if who else person(c)
        return f"/inkijk/plan/{w.plans[c.plan]}/personen/{w.persons[key]}{suffix}"

    return url


def thread_url(which: dict[str, str], suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w, c: (
        f"/plannen/{w.plans[c.plan]}/berichten/{w.gesprekken[which[c.plan]]}{suffix}"
    )


# A plan's own thread; plans without one borrow plan a's (which must not work).
PLAN_THREAD = {"a": "a_plan", "b": "b_plan", "c": "c_plan", "d": "a_plan", "e": "a_plan"}
DIRECT_HULP1 = dict.fromkeys("abcde", "a_hulp1")
DIRECT_INWONER = dict.fromkeys("abcde", "a_inwoner")


def sees_plan_thread(c: Case) -> bool:
    """The plan's thread: everyone on the plan who sees its content ("geen inzage" does not)."""
    return may_open(c) and sees_content(c)


def reads_plan_thread(c: Case) -> bool:
    return c.plan in THREAD_PLANS and sees_plan_thread(c)


def reads_direct_hulp1(c: Case) -> bool:
    """The direct thread reg1 <-> hulp1 on plan a: its regisseur (or stand-in) and hulp1."""
    return c.plan == "a" and (is_regisseur_of(c) or (c.user == "hulp1" and may_open(c)))


def geheim_visible(c: Case) -> bool:
    """The beroepsgeheim message on plan a: Schuldhulp (its author's organisation) and the
    regisseur (or the colleague standing in)."""
    return is_regisseur_of(c) or USER_ORG.get(c.user) == "schuldhulp"


def plan_thread_texts(c: Case) -> tuple[list[str], list[str]]:
    shown = [t for k, t in TEKST.items() if k.startswith(f"{c.plan}_") and "direct" not in k]
    shown = [t for t in shown if t != TEKST["a_inwoner"]]
    hidden = [TEKST["a_inwoner"], TEKST["a_direct_reg1"]]
    if c.plan == "a" and not geheim_visible(c):
        shown.remove(TEKST["a_geheim"])
        hidden.append(TEKST["a_geheim"])
    return shown, hidden


def inbox_plans(c: Case) -> list[str]:
    """Plans with a thread in the user's inbox. Stand-in plans are not in lists."""
    out = []
    for k in sorted(PLAN_FACTS):
        case = Case(c.user, "", k)
        if access(case) not in ("regisseur", "hulpverlener"):
            continue
        if reads_plan_thread(case) or reads_direct_hulp1(case) or (k == "a" and c.user == "reg1"):
            out.append(k)
    return out


def berichten_page_lines(c: Case) -> list[Line]:
    """The plan's messages page: the person's name, and for the regisseur the hulpverleners
    they can start a thread with (the active betrokkenheden)."""
    facts = PLAN_FACTS[c.plan]  # type: ignore[index]
    cats = {"naw"}
    if is_regisseur_of(c) and facts["betrokken_active"] and not facts["ingetrokken"]:
        cats.add("betrokkenheid")
    return [Line(person(c), "view", frozenset(cats))]


ROUTES = [
    # --- inkijk --------------------------------------------------------------------------
    RouteSpec(
        "inkijk.overzicht",
        "GET",
        lambda w, c: f"/inkijk/plan/{w.plans[c.plan]}",
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [
            Line(p, "view", frozenset({"naw", "gezin"} if len(HOUSEHOLD[c.plan]) > 1 else {"naw"}))  # type: ignore[index]
            for p in HOUSEHOLD[c.plan]  # type: ignore[index]
        ],
        must_show=lambda w, c: [PERSON_NAME[p] for p in HOUSEHOLD[c.plan]],  # type: ignore[index]
    ),
    RouteSpec(
        "inkijk.persoon",
        "GET",
        inkijk_url(),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [Line(person(c), "view", ALL_SOURCES)],
        must_show=lambda w, c: [PERSON_NAME[person(c)], "Schuldhulpverlening", "Doorprikken"],
        # Buitenkant only: no amounts, no names of the household.
        must_not_show=lambda w, c: ["Totale schuld", "Netto per maand", "€"],
    ),
    RouteSpec(
        "inkijk.persoon",
        "GET",
        inkijk_url(who=lambda c: MEMBER[c.plan]),
        allowed=lambda c: may_manage(c) and c.plan in ("a", "b"),
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [Line(MEMBER[c.plan], "view", ALL_SOURCES)],  # type: ignore[index]
    ),
    RouteSpec(
        "inkijk.doorprikken",
        "GET",
        inkijk_url("/doorprikken/schulden"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"naw"}))],
        must_show=lambda w, c: ["Waarom heeft u deze details nodig?"],
    ),
    RouteSpec(
        "inkijk.doorprikken",
        "POST",
        inkijk_url("/doorprikken/schulden"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        body=lambda w, c: {"reden": REDEN},
        reason=lambda w, c: REDEN,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"naw", "schulden"}))],
        must_show=lambda w, c: [REDEN],
    ),
    RouteSpec(
        "inkijk.doorprikken",
        "POST",
        inkijk_url("/doorprikken/brp"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        body=lambda w, c: {"reden": REDEN},
        reason=lambda w, c: REDEN,
        lines=lambda w, c: [
            Line(p, "view", frozenset({"naw", "gezin"}))
            for p in [person(c), *BRP_RELATED[person(c)]]
        ],
        must_show=lambda w, c: [PERSON_NAME[p] for p in BRP_RELATED[person(c)]],
    ),
    RouteSpec(
        "inkijk.overnemen",
        "POST",
        inkijk_url("/overnemen"),
        allowed=may_manage,
        denied_status=REGISSEUR_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"bron": "schulden", "sleutel": "schuldhulp"},
        lines=lambda w, c: [Line(person(c), "create", frozenset({"schulden", "historie"}))],
    ),
    # --- berichten -------------------------------------------------------------------------
    RouteSpec(
        "berichten.overzicht",
        "GET",
        lambda w, c: "/berichten",
        has_object=False,
        allowed=lambda c: c.user in STAFF_ON_PLANS,
        denied_status=403,
        lines=lambda w, c: [
            Line(PLAN_PERSON[k], "view", frozenset({"naw"})) for k in inbox_plans(c)
        ],
    ),
    RouteSpec(
        "berichten.plan",
        "GET",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/berichten",
        allowed=may_open,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: berichten_page_lines(c),
        query={"met": ("", "plan")},
        must_show=lambda w, c: ["Gesprek met iedereen in het plan"] if reads_plan_thread(c) else [],
        must_not_show=lambda w, c: (
            []
            if sees_plan_thread(c)
            else ["Gesprek met iedereen in het plan", "Iedereen in het plan"]
        ),
    ),
    RouteSpec(
        "berichten.plan",
        "POST",
        lambda w, c: f"/plannen/{w.plans[c.plan]}/berichten",
        allowed=may_open,
        denied_status=ON_PLANS_DENIED,
        # "geen inzage": the plan's thread is not on offer, so the form comes back (422).
        ok_status=lambda c: 302 if sees_plan_thread(c) else 422,  # type: ignore[arg-type]
        mutates=True,
        body=lambda w, c: {"met": "plan", "body": "Een nieuw bericht."},
        lines=lambda w, c: (
            [Line(person(c), "create", frozenset({"berichten"}))]
            if sees_plan_thread(c)
            else berichten_page_lines(c)
        ),
    ),
    RouteSpec(
        "berichten.gesprek",
        "GET",
        thread_url(PLAN_THREAD),
        allowed=reads_plan_thread,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"naw", "berichten"}))],
        must_show=lambda w, c: plan_thread_texts(c)[0],
        must_not_show=lambda w, c: plan_thread_texts(c)[1],
    ),
    RouteSpec(
        "berichten.gesprek",
        "GET",
        thread_url(DIRECT_HULP1),
        allowed=reads_direct_hulp1,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"naw", "berichten"}))],
        must_show=lambda w, c: [TEKST["a_direct_reg1"], TEKST["a_direct_hulp1"], "overzicht.pdf"],
    ),
    RouteSpec(
        "berichten.gesprek",
        "GET",
        thread_url(DIRECT_INWONER),
        allowed=lambda c: c.plan == "a" and is_regisseur_of(c),
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"naw", "berichten"}))],
        must_show=lambda w, c: [TEKST["a_inwoner"]],
    ),
    RouteSpec(
        "berichten.gesprek",
        "POST",
        thread_url(PLAN_THREAD),
        allowed=reads_plan_thread,
        denied_status=ON_PLANS_DENIED,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"body": "Een antwoord."},
        lines=lambda w, c: [Line(person(c), "create", frozenset({"berichten"}))],
    ),
    RouteSpec(
        "berichten.bijlage",
        "GET",
        lambda w, c: (
            f"/plannen/{w.plans[c.plan]}/berichten/{w.gesprekken['a_hulp1']}"
            f"/bijlagen/{w.bijlagen['a_pdf']}"
        ),
        allowed=reads_direct_hulp1,
        denied_status=ON_PLANS_DENIED,
        lines=lambda w, c: [Line(person(c), "view", frozenset({"berichten"}))],
    ),
]

# --- inkijk within a weighing (issue 13 item 4): Dirk's open case, at step 2 ----------------
# Only the signal team (regisseurs of the municipality) weighs, so only they look: buitenkant of
# Dirk and his household (Frank), never doorprikken (403 with the reason, nothing logged).
SIGNAALTEAM = {"reg1", "reg2", "reg3"}
AFWEGING_DENIED = lambda c: 404 if c.user in REGISSEURS else 403  # noqa: E731


def in_team(c: Case) -> bool:
    return c.user in SIGNAALTEAM


def afweging_url(who: str, suffix: str = ""):  # type: ignore[no-untyped-def]
    return lambda w, c: f"/inkijk/afweging/{w.afwegingen['dirk']}/personen/{w.persons[who]}{suffix}"


ROUTES += [
    RouteSpec(
        "inkijk.overzicht",
        "GET",
        lambda w, c: f"/inkijk/afweging/{w.afwegingen['dirk']}",
        has_object=False,
        allowed=in_team,
        denied_status=AFWEGING_DENIED,
        lines=lambda w, c: [
            Line("dirk", "view", frozenset({"naw", "gezin"})),
            Line("frank", "view", frozenset({"naw", "gezin"})),
        ],
        must_show=lambda w, c: ["Dirk Dekker", "Frank Fransen", "de afweging van een signaal"],
        must_not_show=lambda w, c: ["Anna Aalders"],
    ),
    RouteSpec(
        "inkijk.persoon",
        "GET",
        afweging_url("dirk"),
        has_object=False,
        allowed=in_team,
        denied_status=AFWEGING_DENIED,
        lines=lambda w, c: [Line("dirk", "view", ALL_SOURCES)],
        must_show=lambda w, c: ["Dirk Dekker", "stap 2"],
        must_not_show=lambda w, c: ["/doorprikken/", "Overnemen in het plan", "€"],
    ),
    RouteSpec(
        "inkijk.persoon",
        "GET",
        afweging_url("anna"),  # not in Dirk's household: not under this purpose
        has_object=False,
        denied_status=AFWEGING_DENIED,
    ),
    RouteSpec(
        "inkijk.doorprikken",
        "GET",
        afweging_url("dirk", "/doorprikken/schulden"),
        has_object=False,
        allowed=in_team,
        ok_status=403,
        denied_status=AFWEGING_DENIED,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["pas bekijken als er een plan is"],
    ),
    RouteSpec(
        "inkijk.doorprikken",
        "POST",
        afweging_url("dirk", "/doorprikken/schulden"),
        has_object=False,
        allowed=in_team,
        ok_status=403,
        denied_status=AFWEGING_DENIED,
        body=lambda w, c: {"reden": REDEN},
        lines=lambda w, c: [],
        must_not_show=lambda w, c: ["Totale schuld", REDEN],
    ),
    RouteSpec(
        "inkijk.overnemen",
        "POST",
        afweging_url("dirk", "/overnemen"),
        has_object=False,
        allowed=in_team,
        ok_status=403,  # facts go only into a plan
        denied_status=AFWEGING_DENIED,
        body=lambda w, c: {"bron": "schulden", "sleutel": "schuldhulp"},
        lines=lambda w, c: [],
    ),
]

__all__ = ["ROUTES"]
