"""Issue 16 #11/#12: the citizen's question about a logboek line, and the privacy officer's
queue (questions and reviews in follow-up). A citizen may ask only about a line on their own
page (Anna: ``ggz_anna``); another person's line (``nood_dirk``) does not exist for them (404).
Asking is a ``create`` line about the citizen; the officer's reading a ``view`` and answering an
``update`` line about the citizen, category ``logboek``."""

from __future__ import annotations

from tests.routes.facts import CITIZENS
from tests.routes.logboek import no_citizen_data
from tests.routes.spec import Case, Line, RouteSpec

LOGBOEK = frozenset({"logboek"})


def anna(c: Case) -> bool:
    return c.user == "anna"


def nobody(c: Case) -> bool:
    return False


def privacy(c: Case) -> bool:
    return c.user == "privacy1"


def citizen_404(c: Case) -> int:
    return 404 if c.user in CITIZENS else 403


VRAAG = {"vraag": "Ik ken deze medewerker niet."}

ROUTES = [
    RouteSpec(
        "portaal.logboekvraag",
        "GET",
        lambda w, c: f"/mijn/logboek/regels/{w.logboek_seqs['ggz_anna']}/vraag",
        has_object=False,
        allowed=anna,
        denied_status=citizen_404,
        lines=lambda w, c: [],  # the citizen's own line: nobody else saw anything
        must_show=lambda w, c: ["Herkent u dit niet", "Gerda GGZ", "Waarom keek zij"],
    ),
    # Dirk's line: nobody may ask about it from the portal (Anna and Truus: 404).
    RouteSpec(
        "portaal.logboekvraag",
        "GET",
        lambda w, c: f"/mijn/logboek/regels/{w.logboek_seqs['nood_dirk']}/vraag",
        has_object=False,
        allowed=nobody,
        denied_status=citizen_404,
    ),
    RouteSpec(
        "portaal.logboekvraag",
        "POST",
        lambda w, c: f"/mijn/logboek/regels/{w.logboek_seqs['ggz_anna']}/vraag",
        has_object=False,
        allowed=anna,
        ok_status=302,
        denied_status=citizen_404,
        mutates=True,
        body=lambda w, c: VRAAG,
        lines=lambda w, c: [Line("anna", "create", LOGBOEK)],
    ),
    RouteSpec(
        "portaal.logboekvraag",
        "POST",
        lambda w, c: f"/mijn/logboek/regels/{w.logboek_seqs['nood_dirk']}/vraag",
        has_object=False,
        allowed=nobody,
        denied_status=citizen_404,
        mutates=True,
        body=lambda w, c: VRAAG,
    ),
    RouteSpec(
        "privacy.werkvoorraad",
        "GET",
        lambda w, c: "/privacy/werkvoorraad",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [Line("anna", "view", LOGBOEK)],
        query={"status": ("", "open", "in_onderzoek", "afgerond"), "toegewezen": ("", "1")},
        must_show=lambda w, c: [
            "Werkvoorraad",
            "Ik ken deze GGZ-medewerker niet",
            "Te laat",
            "Navragen of de deling",
        ],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.vraag",
        "GET",
        lambda w, c: f"/privacy/vragen/{w.logboekvragen['anna_ggz']}",
        has_object=False,
        allowed=privacy,
        denied_status=403,
        lines=lambda w, c: [Line("anna", "view", LOGBOEK)],
        must_show=lambda w, c: ["Ik ken deze GGZ-medewerker niet", "Gerda GGZ", "Te laat"],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.vraag",
        "POST",
        lambda w, c: f"/privacy/vragen/{w.logboekvragen['anna_ggz']}",
        has_object=False,
        allowed=privacy,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=lambda w, c: {
            "status": "afgerond",
            "antwoord": "Zij keek per ongeluk; dat is met haar besproken.",
            "toegewezen": "",
        },
        lines=lambda w, c: [Line("anna", "update", LOGBOEK)],
    ),
]

ROUTES.append(
    # A review "nader onderzoek" gets a state, an owner and a due date (no person data).
    RouteSpec(
        "privacy.beoordeling_opvolgen",
        "POST",
        lambda w, c: f"/privacy/beoordelingen/{w.logboekvragen['onderzoek_deling']}/opvolgen",
        has_object=False,
        allowed=privacy,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=lambda w, c: {"status": "afgerond", "toegewezen": "", "termijn": "2026-12-31"},
        lines=lambda w, c: [],
    )
)
