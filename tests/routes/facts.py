"""What the test world holds, and the rules of "who sees what" restated independently of
app/access/, so the matrix can predict statuses, visible texts and logboek lines.

Keep this a plain restatement of docs/architecture.md ("Who sees what"): if it starts to call
the application's code, the matrix stops proving anything.
"""

from __future__ import annotations

from tests.routes.spec import FULL_PERSON, Case, Line
from tests.support.world import SECRET_COMMENT

PLAN_PERSON = {"a": "anna", "b": "dirk", "c": "eva", "d": "gijs", "e": "ilse"}
USER_ORG: dict[str, str | None] = {
    "reg1": "gemeente",
    "reg2": "gemeente",
    "reg3": "gemeente",
    "noord1": "regie_noord",
    "hulp1": "schuldhulp",
    "hulp_jeugd": "jeugdhulp",
    "hulp_ggz": "ggz",
    "melder1": "school",
    "privacy1": "gemeente",
    "beheer1": "gemeente",
    "teamleider1": "gemeente",
    "beleid1": "gemeente",
    "anna": None,
    "truus": None,
}
REGISSEURS = {"reg1", "reg2", "reg3", "noord1"}
HULPVERLENERS = {"hulp1", "hulp_jeugd", "hulp_ggz"}
CITIZENS = {"anna", "truus"}
STAFF_ON_PLANS = REGISSEURS | HULPVERLENERS
MANDATE_LABEL = "namens Gemeente Teststad (mandaat MB-TEST-1)"
MANDATED = {"noord1"}

PLAN_FACTS: dict[str, dict] = {  # type: ignore[type-arg]
    "a": {
        "regisseur": "reg1",
        "members": ["bram", "kees"],
        "betrokken_active": {"schuldhulp", "jeugdhulp"},
        "betrokken_all": {"schuldhulp", "jeugdhulp"},
        "toestemming": False,
        "ingetrokken": False,
        "niveaus": {"jeugdhulp": "volledig"},
    },
    "b": {
        "regisseur": "reg2",
        "members": ["frank"],
        "betrokken_active": {"jeugdhulp"},
        "betrokken_all": {"jeugdhulp"},
        "toestemming": True,
        "ingetrokken": False,
        "niveaus": {},
    },
    "c": {
        "regisseur": "reg2",
        "members": [],
        "betrokken_active": set(),
        "betrokken_all": {"schuldhulp"},
        "toestemming": False,
        "ingetrokken": False,
        "niveaus": {},
    },
    "d": {
        "regisseur": "noord1",
        "members": [],
        "betrokken_active": {"ggz", "schuldhulp"},
        "betrokken_all": {"ggz", "schuldhulp"},
        "toestemming": False,
        "ingetrokken": False,
        "niveaus": {"ggz": "geen"},
    },
    "e": {
        "regisseur": "reg1",
        "members": [],
        "betrokken_active": {"jeugdhulp"},
        "betrokken_all": {"jeugdhulp"},
        "toestemming": True,
        "ingetrokken": True,
        "niveaus": {},
    },
}
# Active stand-ins: (user, plan). reg3's stand-in on plan c has expired.
VERVANGINGEN = {("reg3", "a")}

# The world's activities: key -> (plan, executing organisation, description, remark secret).
ACTIVITIES = {
    "a_schuld": ("a", "schuldhulp", "Schuldenoverzicht maken", True),
    "a_jeugd": ("a", "jeugdhulp", "Gezinsbegeleiding thuis", False),
    "a_huishouden": ("a", "huishouden", "Post samen openen", False),
    "b_jeugd": ("b", "jeugdhulp", "Begeleiding bij school", False),
    "c_schuld": ("c", "schuldhulp", "Budgetplan afgerond", False),
    "d_ggz": ("d", "ggz", "Behandeling bij GGZ", False),
    "e_jeugd": ("e", "jeugdhulp", "Opvoedondersteuning thuis", False),
}
# (plan, author organisation, text, under beroepsgeheim)
COMMENTS = [
    ("a", "gemeente", "Eerste gesprek gevoerd met Anna.", False),
    ("a", "schuldhulp", "Schuldhulp: aanmelding ontvangen.", False),
    ("a", "schuldhulp", SECRET_COMMENT, True),
]
# (plan, org) -> description; kept for older tests.
ACTIVITY_TEXT = {(p, o): text for _k, (p, o, text, _s) in ACTIVITIES.items()}
PERSON_NAME = {
    "anna": "Anna Aalders",
    "bram": "Bram Aalders",
    "kees": "Kees Aalders",
    "dirk": "Dirk Dekker",
    "eva": "Eva Evers",
    "frank": "Frank Fransen",
    "gijs": "Gijs Groen",
    "ilse": "Ilse Jansen",
    "truus": "Truus Trouw",
}


def contact_text(key: str) -> str:
    return f"Contactpersoon {key} 020-1234567"


def remark_text(key: str) -> str:
    return f"Toelichting bij {key}"


# --- the rules ---------------------------------------------------------------------------------


def access(c: Case) -> str | None:
    """How a staff user reaches the case's plan: regisseur, vervanger, hulpverlener, or not."""
    if c.plan is None or c.user not in STAFF_ON_PLANS:
        return None
    facts = PLAN_FACTS[c.plan]
    if c.user == facts["regisseur"]:
        return "regisseur"
    if (c.user, c.plan) in VERVANGINGEN and not facts["ingetrokken"]:
        return "vervanger"
    if (
        c.user in HULPVERLENERS
        and USER_ORG[c.user] in facts["betrokken_active"]
        and not facts["ingetrokken"]
    ):
        return "hulpverlener"
    return None


def niveau(c: Case) -> str:
    """How much of other organisations' work the user sees (hulpverleners: the citizen's choice)."""
    if access(c) != "hulpverlener":
        return "volledig"
    assert c.plan is not None
    return PLAN_FACTS[c.plan]["niveaus"].get(USER_ORG[c.user], "buitenkant")  # type: ignore[no-any-return]


def is_regisseur_of(c: Case) -> bool:
    """The plan's regisseur, or a colleague standing in."""
    return access(c) in ("regisseur", "vervanger")


def is_vervanger(c: Case) -> bool:
    return access(c) == "vervanger"


def is_betrokken(c: Case) -> bool:
    return access(c) == "hulpverlener"


def may_open(c: Case) -> bool:
    return access(c) is not None


def sees_content(c: Case) -> bool:
    return may_open(c) and niveau(c) != "geen"


def ingetrokken(c: Case) -> bool:
    return c.plan is not None and bool(PLAN_FACTS[c.plan]["ingetrokken"])


def may_manage(c: Case) -> bool:
    return is_regisseur_of(c) and not ingetrokken(c)


def may_work(c: Case) -> bool:
    """Add comments."""
    return may_manage(c) or (is_betrokken(c) and sees_content(c))


def may_add_activity(c: Case) -> bool:
    """Add activities: also a hulpverlener under "geen inzage", for their own organisation
    (issue 16 item 7: the level hides what others do, not their own work)."""
    return may_manage(c) or is_betrokken(c)


def activity_mode(c: Case, key: str) -> str | None:
    """vol, zonder-toelichting, buitenkant, or None (not shown at all)."""
    plan, org, _text, secret = ACTIVITIES[key]
    if plan != c.plan or not may_open(c):
        return None
    if is_regisseur_of(c):
        return "vol"
    lvl = niveau(c)
    if org == USER_ORG[c.user]:
        return "vol"  # their own organisation's work, at every level
    if lvl == "geen":
        return None
    if lvl == "volledig":
        return "zonder-toelichting" if secret else "vol"
    return "buitenkant"


def comment_visible(c: Case, org: str) -> bool:
    if is_regisseur_of(c):
        return True
    return sees_content(c) and org == USER_ORG[c.user]


def activity_categories(c: Case) -> frozenset[str]:
    modes = {activity_mode(c, k) for k in ACTIVITIES}
    if modes & {"vol", "zonder-toelichting"}:
        return frozenset({"activiteiten"})
    if "buitenkant" in modes:
        return frozenset({"activiteiten-buitenkant"})
    return frozenset()


def texts(c: Case, comments: bool = True) -> tuple[list[str], list[str]]:
    """(shown, hidden) texts of the case's plan page (and, without comments, of the activities
    API) for this user."""
    shown: list[str] = []
    hidden: list[str] = []
    for key, (_plan, _org, text, _secret) in ACTIVITIES.items():
        mode = activity_mode(c, key)
        parts = [text, contact_text(key), remark_text(key)]
        if mode == "vol":
            shown += parts
        elif mode == "zonder-toelichting":
            shown += parts[:2]
            hidden.append(parts[2])
        else:
            hidden += parts
    for plan, org, text, _secret in COMMENTS:
        visible = comments and plan == c.plan and comment_visible(c, org)
        (shown if visible else hidden).append(text)
    return shown, hidden


def page_texts(c: Case) -> tuple[list[str], list[str]]:
    """Texts of the plan page: the activities and comments, the person, the household."""
    shown, hidden = texts(c)
    assert c.plan is not None
    facts = PLAN_FACTS[c.plan]
    person = PLAN_PERSON[c.plan]
    shown.append(PERSON_NAME[person])
    if sees_content(c):
        from tests.support.world import BSN

        shown.append(BSN[person])
    else:
        from tests.support.world import BSN

        hidden += [BSN[person], "Teststraat"]
        shown.append("alleen ziet dát er een plan is")
    members = [PERSON_NAME[m] for m in facts["members"]]
    (shown if is_regisseur_of(c) else hidden).extend(members)
    if is_vervanger(c):
        shown.append("U opent dit plan als vervanger")
    if is_regisseur_of(c) and ingetrokken(c):
        shown += ["De toestemming voor dit plan is ingetrokken", "Volgende stap:"]
    return shown, hidden


# --- expected logboek lines ----------------------------------------------------------------------


def plan_page_lines(c: Case, extra: frozenset[str] = frozenset()) -> list[Line]:
    """What opening the plan page logs for this user."""
    assert c.plan is not None
    facts = PLAN_FACTS[c.plan]
    person = PLAN_PERSON[c.plan]
    if not sees_content(c):  # "geen inzage": names, and their own organisation's activities
        return [Line(person, "view", frozenset({"naw", "plan"}) | activity_categories(c))]
    cats = set(FULL_PERSON | {"plan"} | extra) | activity_categories(c)
    if is_regisseur_of(c):
        cats |= {"activiteiten", "historie"}
        if facts["betrokken_all"]:
            cats.add("betrokkenheid")
        if any(p == c.plan for p, *_ in COMMENTS):
            cats.add("opmerkingen")
        if facts["toestemming"]:
            cats.add("toestemming")
        if facts["members"]:
            cats.add("gezin")
        if facts["niveaus"]:
            cats.add("instellingen")
        lines = [Line(person, "view", frozenset(cats))]
        lines += [Line(m, "view", frozenset({"naw", "gezin"})) for m in facts["members"]]
        return lines
    org = USER_ORG[c.user]
    if org in facts["betrokken_all"]:
        cats.add("betrokkenheid")
    if any(p == c.plan and o == org for p, o, *_ in COMMENTS):
        cats.add("opmerkingen")
    return [Line(person, "view", frozenset(cats))]


def plan_header_lines(c: Case, extra: frozenset[str] = frozenset()) -> list[Line]:
    """A form page about one plan: the plan and its person are loaded."""
    assert c.plan is not None
    if not sees_content(c):
        acts = extra & {"activiteiten", "activiteiten-buitenkant"}  # their own activities
        return [Line(PLAN_PERSON[c.plan], "view", frozenset({"naw", "plan"}) | acts)]
    return [Line(PLAN_PERSON[c.plan], "view", frozenset(FULL_PERSON | {"plan"} | extra))]
