"""How a route is described for the matrix: how to call it, who may, what they get, what is logged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.world import World

# Users the matrix runs as ("anoniem" is not logged in).
USERS = [
    "anoniem",
    "reg1",
    "reg2",
    "reg3",
    "noord1",
    "hulp1",
    "hulp_jeugd",
    "hulp_ggz",
    "melder1",
    "privacy1",
    "beheer1",
    "teamleider1",
    "beleid1",
    # Citizens (a user with a person); they log in through the portal, see tests/support/citizens.py.
    "anna",
    "truus",
]

# Which world plan is, for each user, their own / someone else's / one they no longer are part of.
# Besides eigen/ander/voormalig, some users have a scenario for one autorisatie rule.
SCENARIO_PLANS: dict[str, dict[str, str]] = {
    # c was handed over to reg2; e is reg1's, on basis toestemming, and the consent was revoked
    "reg1": {"eigen": "a", "ander": "b", "voormalig": "c", "ingetrokken": "e"},
    "reg2": {"eigen": "b", "ander": "a"},
    # a colleague: stands in on a (with a reason), not on b; the stand-in on c expired
    "reg3": {"vervanging": "a", "ander": "b", "voormalig": "c"},
    # Regie Noord holds the regietaak by mandate: plan d; plan a is the municipality's own
    "noord1": {"eigen": "d", "ander": "a"},
    # Schuldhulp: own part in a (others as buitenkant), only buitenkant in d, ended in c
    "hulp1": {"eigen": "a", "buitenkant": "d", "ander": "b", "voormalig": "c"},
    # Jeugdhulp: Anna chose "volledig" for them in a; plan e's consent was revoked
    "hulp_jeugd": {"eigen": "b", "volledig": "a", "ingetrokken": "e", "ander": "c"},
    # GGZ: Gijs chose "geen inzage" for them in d
    "hulp_ggz": {"geen": "d", "ander": "a"},
    "melder1": {"ander": "a"},
    "privacy1": {"ander": "a"},
    "beheer1": {"ander": "a"},
    # Gemeente's teamleider: plan a (reg1's, Anna asks for another regisseur in the world) is of
    # their organisation; plan d is Regie Noord's
    "teamleider1": {"eigen": "a", "ander": "d"},
    # Beleid sees figures of the whole municipality, never a plan
    "beleid1": {"ander": "a"},
    "anoniem": {"ander": "a"},
    "anna": {"eigen": "a", "ander": "b"},
    # Truus: Anna trusts her (plan a); Dirk did not (b); Eva's grant was revoked (c)
    "truus": {"eigen": "a", "ander": "b", "voormalig": "c"},
}

FULL_PERSON = frozenset({"bsn", "naw", "contact"})


@dataclass(frozen=True)
class Line:
    """An expected logboek line: about whom (world person key), what action, which categories."""

    person: str
    action: str
    categories: frozenset[str]
    kind: str = "inzage"
    emergency: bool = False


@dataclass
class Case:
    user: str
    scenario: str  # "eigen", "ander", "voormalig", or "-" for routes without an object
    plan: str | None  # world plan key


@dataclass
class RouteSpec:
    endpoint: str
    method: str
    path: Callable[[World, Case], str]
    kind: str = "html"  # html | api
    # Who may (user, scenario); everything else is denied.
    allowed: Callable[[Case], bool] = lambda c: False
    ok_status: int | Callable[[Case], int] = 200
    # Status when denied for a logged-in user: 404 when the object may not be known, else 403.
    denied_status: int | Callable[[Case], int] = 404
    body: Callable[[World, Case], dict[str, Any]] | None = None
    # Expected logboek lines when allowed (None: the route shows no personal data).
    lines: Callable[[World, Case], list[Line]] | None = None
    # Texts that must (or must not) be in an allowed response.
    must_show: Callable[[World, Case], list[str]] = lambda w, c: []
    must_not_show: Callable[[World, Case], list[str]] = lambda w, c: []
    # For API responses: exactly these top-level keys (or per item for lists).
    api_fields: Callable[[Case], set[str]] | None = None
    # The reason the lines carry (e.g. a drill-down's typed reason); None: no reason.
    reason: Callable[[World, Case], str | None] | None = None
    mutates: bool = False
    has_object: bool = True
    users: list[str] = field(default_factory=lambda: list(USERS))
    # The query parameters the route reads, each with valid example values: the HTML fuzz test
    # (tests/test_html_fuzz.py) sends these and hostile ones, tests/test_query_params.py checks
    # that every parameter the code reads is declared here.
    query: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def expected_status(self, case: Case) -> int:
        if case.user == "anoniem" and not self.allowed(case):
            return 401 if self.kind == "api" else 302
        if self.allowed(case):
            return self.ok_status(case) if callable(self.ok_status) else self.ok_status
        return self.denied_status(case) if callable(self.denied_status) else self.denied_status

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"

    def cases(self) -> list[Case]:
        out = []
        for user in self.users:
            if self.has_object:
                for scenario, plan in SCENARIO_PLANS[user].items():
                    out.append(Case(user, scenario, plan))
            else:
                out.append(Case(user, "-", None))
        return out
