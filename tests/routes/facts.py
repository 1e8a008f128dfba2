"""What the test world holds, as the matrix needs it to predict logboek lines and visible text."""

from __future__ import annotations

from tests.routes.spec import FULL_PERSON, Case, Line

PLAN_PERSON = {"a": "anna", "b": "dirk", "c": "eva"}
USER_ORG = {
    "reg1": "gemeente",
    "reg2": "gemeente",
    "hulp1": "schuldhulp",
    "hulp_jeugd": "jeugdhulp",
    "hulp_ggz": "ggz",
    "melder1": "school",
    "privacy1": "gemeente",
    "beheer1": "gemeente",
}
REGISSEURS = {"reg1", "reg2"}
HULPVERLENERS = {"hulp1", "hulp_jeugd", "hulp_ggz"}
STAFF_ON_PLANS = REGISSEURS | HULPVERLENERS

PLAN_FACTS: dict[str, dict] = {  # type: ignore[type-arg]
    "a": {
        "regisseur": "reg1",
        "members": ["bram", "kees"],
        "comments_by": {"gemeente", "schuldhulp"},
        "activities_by": {"schuldhulp", "jeugdhulp", "huishouden"},
        "betrokken_active": {"schuldhulp", "jeugdhulp"},
        "betrokken_all": {"schuldhulp", "jeugdhulp"},
        "toestemming": False,
    },
    "b": {
        "regisseur": "reg2",
        "members": ["frank"],
        "comments_by": set(),
        "activities_by": {"jeugdhulp"},
        "betrokken_active": {"jeugdhulp"},
        "betrokken_all": {"jeugdhulp"},
        "toestemming": True,
    },
    "c": {
        "regisseur": "reg2",
        "members": [],
        "comments_by": set(),
        "activities_by": {"schuldhulp"},
        "betrokken_active": set(),
        "betrokken_all": {"schuldhulp"},
        "toestemming": False,
    },
}

# Texts of the world's activities: (plan, org) -> description, so tests can check who sees what.
ACTIVITY_TEXT = {
    ("a", "schuldhulp"): "Schuldenoverzicht maken",
    ("a", "jeugdhulp"): "Gezinsbegeleiding thuis",
    ("a", "huishouden"): "Post samen openen",
    ("b", "jeugdhulp"): "Begeleiding bij school",
    ("c", "schuldhulp"): "Budgetplan afgerond",
}
PERSON_NAME = {
    "anna": "Anna Aalders",
    "bram": "Bram Aalders",
    "kees": "Kees Aalders",
    "dirk": "Dirk Dekker",
    "eva": "Eva Evers",
    "frank": "Frank Fransen",
}


def is_regisseur_of(c: Case) -> bool:
    return c.plan is not None and c.user == PLAN_FACTS[c.plan]["regisseur"]


def is_betrokken(c: Case) -> bool:
    """An active betrokkenheid of the user's organisation on the case's plan."""
    return (
        c.plan is not None
        and c.user in HULPVERLENERS
        and USER_ORG[c.user] in PLAN_FACTS[c.plan]["betrokken_active"]
    )


def may_open(c: Case) -> bool:
    return is_regisseur_of(c) or is_betrokken(c)


def plan_page_lines(c: Case, extra: frozenset[str] = frozenset()) -> list[Line]:
    """What opening the plan page logs for this user."""
    assert c.plan is not None
    facts = PLAN_FACTS[c.plan]
    person = PLAN_PERSON[c.plan]
    cats = set(FULL_PERSON | {"plan"} | extra)
    if is_regisseur_of(c):
        cats |= {"activiteiten", "historie"}
        if facts["betrokken_all"]:
            cats.add("betrokkenheid")
        if facts["comments_by"]:
            cats.add("opmerkingen")
        if facts["toestemming"]:
            cats.add("toestemming")
        if facts["members"]:
            cats.add("gezin")
        lines = [Line(person, "view", frozenset(cats))]
        lines += [Line(m, "view", frozenset({"naw", "gezin"})) for m in facts["members"]]
        return lines
    org = USER_ORG[c.user]
    if org in facts["activities_by"]:
        cats.add("activiteiten")
    if org in facts["betrokken_all"]:
        cats.add("betrokkenheid")
    if org in facts["comments_by"]:
        cats.add("opmerkingen")
    return [Line(person, "view", frozenset(cats))]


def plan_header_lines(c: Case, extra: frozenset[str] = frozenset()) -> list[Line]:
    """A form page about one plan: the plan and its person are loaded."""
    assert c.plan is not None
    return [Line(PLAN_PERSON[c.plan], "view", frozenset(FULL_PERSON | {"plan"} | extra))]
