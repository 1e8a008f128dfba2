"""Deferred disclosure (issue 13 #7, gedwongen kader): the form on a signal for its regisseur
and the privacy officer, and the privacy officer's review. Every line about the person has the
signal as its object, so the citizen sees it only when the deferral ends."""

from __future__ import annotations

import datetime as dt

from app.clock import today
from tests.routes.logboek import no_citizen_data
from tests.routes.signalen import TEAM
from tests.routes.spec import Case, Line, RouteSpec
from tests.support.world import BSN

SIGNALEN = frozenset({"signalen"})


def team_or_privacy(c: Case) -> bool:
    """A signal not in a case: the signal team, and the privacy officer."""
    return c.user in TEAM or c.user == "privacy1"


def case_regisseur_or_privacy(c: Case) -> bool:
    """A signal in reg1's case: reg1, and the privacy officer (other team members: 403)."""
    return c.user in ("reg1", "privacy1")


def privacy(c: Case) -> bool:
    return c.user == "privacy1"


def uitstel_body(w, c):  # type: ignore[no-untyped-def]
    return {
        "tot": (today() + dt.timedelta(days=14)).isoformat(),
        "reden": "veiligheid",
        "toelichting": "Eerst de veiligheid van de kinderen regelen.",
    }


ROUTES: list[RouteSpec] = [
    RouteSpec(
        "signalen.uitstel",
        "GET",
        lambda w, c: f"/signalen/signaal/{w.signalen['kees_melding']}/uitstel",
        has_object=False,
        allowed=team_or_privacy,
        denied_status=403,
        # The signal's outside only (source, kind, domains, dates).
        lines=lambda w, c: [Line("kees", "view", SIGNALEN)],
        must_show=lambda w, c: ["Signaal later tonen aan de inwoner", "Schoolverzuim"],
        must_not_show=lambda w, c: ["geen geld is voor eten", "Mees Melder", BSN["kees"]],
    ),
    RouteSpec(
        "signalen.uitstel",
        "POST",
        lambda w, c: f"/signalen/signaal/{w.signalen['kees_melding']}/uitstel",
        has_object=False,
        allowed=team_or_privacy,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=uitstel_body,
        lines=lambda w, c: [Line("kees", "create", SIGNALEN)],
    ),
    # A signal in reg1's case: only its regisseur (and the privacy officer) defers it.
    RouteSpec(
        "signalen.uitstel",
        "GET",
        lambda w, c: f"/signalen/signaal/{w.signalen['dirk_cjib']}/uitstel",
        has_object=False,
        allowed=case_regisseur_or_privacy,
        denied_status=403,
        lines=lambda w, c: [Line("dirk", "view", SIGNALEN)],
        must_show=lambda w, c: ["CJIB", "Politie onderzoekt de situatie thuis nog."],
        must_not_show=lambda w, c: [BSN["dirk"], "420"],
    ),
    RouteSpec(
        "signalen.uitstel",
        "POST",
        lambda w, c: f"/signalen/signaal/{w.signalen['dirk_cjib']}/uitstel",
        has_object=False,
        allowed=case_regisseur_or_privacy,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=uitstel_body,
        lines=lambda w, c: [Line("dirk", "create", SIGNALEN)],
    ),
    RouteSpec(
        "privacy.uitstel_lijst",
        "GET",
        lambda w, c: "/privacy/uitstel",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [Line("dirk", "view", SIGNALEN)],
        must_show=lambda w, c: [
            "Uitstel van inzage",
            "Politie onderzoekt de situatie thuis nog.",
            "Nog niet zichtbaar voor de inwoner",
        ],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.uitstel_beoordelen",
        "GET",
        lambda w, c: f"/privacy/uitstel/{w.uitstel['dirk_cjib']}",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [Line("dirk", "view", SIGNALEN)],
        must_show=lambda w, c: ["beoordelen", "Politie onderzoekt de situatie thuis nog."],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.uitstel_beoordelen",
        "POST",
        lambda w, c: f"/privacy/uitstel/{w.uitstel['dirk_cjib']}",
        has_object=False,
        allowed=privacy,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=lambda w, c: {"uitkomst": "akkoord", "toelichting": "Terecht uitgesteld."},
        lines=lambda w, c: [Line("dirk", "update", SIGNALEN)],
    ),
]
