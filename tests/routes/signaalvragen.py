"""Questions from the signal team to organisations (issue 13, item 3): the regisseur of the
signal team asks on the afweging's page; the hulpverleners of the organisation asked (hulp1,
Schuldhulp) read and answer it on /vragen/. A hulpverlener of another organisation gets 404 on
that question (it is not for them); other roles 403."""

from __future__ import annotations

from tests.routes.signalen import REGISSEURS, team
from tests.routes.spec import Case, Line, RouteSpec

HULPVERLENERS = {"hulp1", "hulp_jeugd", "hulp_ggz"}
ASKED = "hulp1"  # the world's question dirk_schuldhulp is for Schuldhulp
BETROKKENHEID = frozenset({"betrokkenheid"})
QUESTION_READ = frozenset({"betrokkenheid", "bsn", "naw"})


def case_denied(c: Case) -> int:
    # A regisseur outside the team who may not know the case exists: 404; other roles: 403.
    return 404 if c.user in REGISSEURS else 403


def hulpverlener(c: Case) -> bool:
    return c.user in HULPVERLENERS


def asked(c: Case) -> bool:
    return c.user == ASKED


def other_organisation_404(c: Case) -> int:
    # A hulpverlener of another organisation: the question is not for them (404); others 403.
    return 404 if c.user in HULPVERLENERS else 403


def _vraag(w, c) -> str:  # type: ignore[no-untyped-def]
    return f"/vragen/{w.dat_vragen['dirk_schuldhulp']}"


ANSWERED = [
    Line("dirk", "update", BETROKKENHEID),
    Line("dirk", "receive", BETROKKENHEID, kind="uitwisseling"),
]

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "signaalvragen.stellen",
        "POST",
        lambda w, c: f"/signalen/afweging/{w.afwegingen['dirk']}/organisatievraag",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=case_denied,
        mutates=True,
        body=lambda w, c: {"organisatie": str(w.orgs["jeugdhulp"])},
        lines=lambda w, c: [
            Line("dirk", "create", BETROKKENHEID),
            Line("dirk", "send", frozenset({"bsn", "naw"}), kind="uitwisseling"),
        ],
    ),
    RouteSpec(
        "signaalvragen.inbox",
        "GET",
        lambda w, c: "/vragen/",
        has_object=False,
        allowed=hulpverlener,
        denied_status=403,
        # Only Schuldhulp has an open question (about Dirk): one line, what the question gave.
        lines=lambda w, c: [Line("dirk", "view", QUESTION_READ)] if c.user == ASKED else [],
        must_show=lambda w, c: (
            ["Vragen aan mijn organisatie", "Dirk"]
            if c.user == ASKED
            else ["Er staan geen vragen open voor uw organisatie."]
        ),
        must_not_show=lambda w, c: [] if c.user == ASKED else ["Dirk"],
    ),
    RouteSpec(
        "signaalvragen.vraag",
        "GET",
        _vraag,
        has_object=False,
        allowed=asked,
        denied_status=other_organisation_404,
        lines=lambda w, c: [Line("dirk", "view", QUESTION_READ)],
        must_show=lambda w, c: ["Is deze inwoner bij uw organisatie bekend", "Antwoord versturen"],
    ),
    RouteSpec(
        "signaalvragen.vraag",
        "POST",
        _vraag,
        has_object=False,
        allowed=asked,
        ok_status=302,
        denied_status=other_organisation_404,
        mutates=True,
        body=lambda w, c: {"bekend": "ja"},
        lines=lambda w, c: ANSWERED,
    ),
    RouteSpec(
        "signaalvragen.weigeren",
        "POST",
        lambda w, c: f"/vragen/{w.dat_vragen['dirk_schuldhulp']}/weigeren",
        has_object=False,
        allowed=asked,
        ok_status=302,
        denied_status=other_organisation_404,
        mutates=True,
        body=lambda w, c: {"reden": "De cliënt gaf geen toestemming om dit te delen."},
        lines=lambda w, c: ANSWERED,
    ),
]
