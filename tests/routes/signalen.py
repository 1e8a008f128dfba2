"""Signalen: the source API (source tokens only; no user reaches it) and the screens of the
melder, the signal team's regisseurs and the afwegingskader."""

from __future__ import annotations

from tests.routes.admin import admin
from tests.routes.spec import USERS, Case, Line, RouteSpec
from tests.support.world import BSN

# Everyone, citizens first (routes nobody may use are probed as the last user, who logs in
# with a password: tests/test_security_web.py).
CITIZENS_FIRST = ["anna", "truus", *[u for u in USERS if u not in ("anna", "truus")]]
SIGNAAL = {"bsn": BSN["anna"], "bronReferentie": "M-1", "signaaldatum": "2026-01-10"}

ROUTES: list[RouteSpec] = [
    # Source systems authenticate with an organisation-scoped token; a user's personal token or
    # session is no such token: 401 for everyone (tests/test_signalen_api.py covers the sources).
    RouteSpec(
        "bronnen_api.signaal",
        "POST",
        lambda w, c: "/api/v1/bronnen/cjib/signalen",
        kind="api",
        has_object=False,
        denied_status=401,
        body=lambda w, c: dict(SIGNAAL),
        users=CITIZENS_FIRST,
    ),
    RouteSpec(
        "bronnen_api.levering",
        "POST",
        lambda w, c: "/api/v1/bronnen/cjib/signalen/_bulk",
        kind="api",
        has_object=False,
        denied_status=401,
        body=lambda w, c: dict(SIGNAAL),
        users=CITIZENS_FIRST,
    ),
    RouteSpec(
        "bronnen_api.status",
        "GET",
        lambda w, c: "/api/v1/bronnen/cjib/signalen/CJIB-WORLD-1",
        kind="api",
        has_object=False,
        denied_status=401,
        users=CITIZENS_FIRST,
    ),
]

TEAM = {"reg1", "reg2", "reg3"}  # regisseurs of the municipality: the signal team
REGISSEURS = TEAM | {"noord1"}


def melder(c: Case) -> bool:
    """Who may report (issue 13 item 9): the melder role (external: a school) and the staff of
    every organisation — hulpverleners and regisseurs, involved or not."""
    return c.user in {"melder1", "hulp1", "hulp_jeugd", "hulp_ggz"} | REGISSEURS


def team(c: Case) -> bool:
    return c.user in TEAM


def not_regisseur_403(c: Case) -> int:
    return 403


def case_denied(c: Case) -> int:
    # A regisseur outside the team who may not know the case exists: 404; other roles: 403.
    return 404 if c.user in REGISSEURS else 403


NAW_SIGNALEN = frozenset({"naw", "signalen"})
FULL_SIGNAL = frozenset({"bsn", "naw", "contact", "signalen", "schulden"})
MELDING = {
    "bsn": BSN["frank"],
    "melder_naam": "Mees Melder",
    "melder_contact": "mees@school.example",
    "relatie": "Mentor",
    "aanleiding": "Vaak afwezig",
    "signaal": "Zorgen over het gezin.",
    "categorie": "zorgen",
    "domeinen": ["onderwijs"],
}

ROUTES += [
    RouteSpec(
        "signalen.melden",
        "GET",
        lambda w, c: "/signalen/melden",
        has_object=False,
        allowed=melder,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Signaal melden", "Leefgebieden"],
    ),
    RouteSpec(
        "signalen.melden",
        "POST",
        lambda w, c: "/signalen/melden",
        has_object=False,
        allowed=melder,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=lambda w, c: dict(MELDING),
        lines=lambda w, c: [Line("frank", "create", frozenset({"bsn", "contact", "signalen"}))],
    ),
    RouteSpec(
        "signalen.mijn_meldingen",
        "GET",
        lambda w, c: "/signalen/mijn-meldingen",
        has_object=False,
        allowed=melder,
        denied_status=403,
        # The status of their own report about Kees is sent to them: an exchange line about
        # Kees (as a source asking by its reference); others have reported nothing.
        lines=lambda w, c: (
            [Line("kees", "send", frozenset({"signalen"}), kind="uitwisseling")]
            if c.user == "melder1"
            else []
        ),
        # The melder's own number ("Melding 1"), not the global id; others have reported nothing.
        must_show=lambda w, c: (
            ["Melding 1", "nog niet gewogen"]
            if c.user == "melder1"
            else ["U heeft nog geen signalen gemeld."]
        ),
        must_not_show=lambda w, c: ["Kees", BSN["kees"], "geen geld"],
    ),
    RouteSpec(
        "signalen.werkvoorraad",
        "GET",
        lambda w, c: "/signalen/",
        has_object=False,
        allowed=team,
        denied_status=403,
        lines=lambda w, c: [
            Line("kees", "view", NAW_SIGNALEN),
            Line("dirk", "view", NAW_SIGNALEN),
        ],
        must_show=lambda w, c: ["Kees Aalders", "Dirk Dekker"],
        must_not_show=lambda w, c: ["geen geld", BSN["kees"]],
        query={
            "pagina": ("1",),
            "urgentie": ("", "1", "2", "3"),
            "bron": ("", "melding", "belastingdienst"),
            "regel": ("", "twee-bronnen", "drie-rijksschuldeisers"),
            "domein": ("", "financien", "wonen"),
        },
    ),
    RouteSpec(
        "signalen.persoon",
        "GET",
        lambda w, c: f"/signalen/persoon/{w.persons['kees']}",
        has_object=False,
        allowed=team,
        denied_status=403,
        lines=lambda w, c: [Line("kees", "view", FULL_SIGNAL)],
        must_show=lambda w, c: ["geen geld is voor eten", "Mees Melder"],
    ),
    RouteSpec(
        "signalen.afweging_starten",
        "POST",
        lambda w, c: f"/signalen/persoon/{w.persons['kees']}/afweging",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=403,
        mutates=True,
        lines=lambda w, c: [
            Line("kees", "create", frozenset({"afweging"})),
            Line("kees", "update", frozenset({"signalen"})),
        ],
    ),
    RouteSpec(
        "signalen.afweging",
        "GET",
        lambda w, c: f"/signalen/afweging/{w.afwegingen['dirk']}",
        has_object=False,
        allowed=lambda c: c.user in TEAM,
        denied_status=case_denied,
        lines=lambda w, c: [Line("dirk", "view", FULL_SIGNAL | {"afweging", "betrokkenheid"})],
        must_show=lambda w, c: ["Dirk Dekker", "CJIB", "Schuldhulp Teststad", "Stap 2"],
    ),
    RouteSpec(
        "signalen.afweging_stap",
        "POST",
        lambda w, c: f"/signalen/afweging/{w.afwegingen['dirk']}/stap",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=case_denied,
        mutates=True,
        body=lambda w, c: {"antwoord": "ja", "motivering": "Financiën en opvoeding, bevestigd."},
        # The step (create) and the case it belongs to (update: its steps).
        lines=lambda w, c: [
            Line("dirk", "create", frozenset({"afweging"})),
            Line("dirk", "update", frozenset({"afweging"})),
        ],
    ),
    RouteSpec(
        "signalen.afweging_sluiten",
        "POST",
        lambda w, c: f"/signalen/afweging/{w.afwegingen['dirk']}/sluiten",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=case_denied,
        mutates=True,
        body=lambda w, c: {"reden": "onbereikbaar", "motivering": "Drie keer gebeld, geen gehoor."},
        lines=lambda w, c: [
            Line("dirk", "create", frozenset({"afweging"})),
            Line("dirk", "update", frozenset({"afweging"})),
        ],
    ),
]

ROUTES += [
    RouteSpec(
        "signalen.koppelen",
        "GET",
        lambda w, c: f"/signalen/signaal/{w.signalen['nieuw_toeslagen']}",
        has_object=False,
        allowed=team,
        denied_status=403,
        # No person yet: the line is about the BSN the source delivered.
        lines=lambda w, c: [Line("nieuw", "view", FULL_SIGNAL)],
        must_show=lambda w, c: ["Dienst Toeslagen", BSN["nieuw"]],
    ),
    RouteSpec(
        "signalen.koppelen",
        "POST",
        lambda w, c: f"/signalen/signaal/{w.signalen['nieuw_toeslagen']}",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=403,
        mutates=True,
        body=lambda w, c: {"bsn": BSN["frank"]},
        # A redirect shows nothing: only the change is logged.
        lines=lambda w, c: [Line("frank", "update", frozenset({"bsn", "signalen"}))],
    ),
    # "Persoon opnemen uit de BRP" (issue 13 item 5): the BRP's name, date of birth and address
    # for the delivered BSN nobody in Eenplan has (the synthetic BRP knows it: it was delivered).
    RouteSpec(
        "signalen.opnemen",
        "GET",
        lambda w, c: f"/signalen/signaal/{w.signalen['nieuw_toeslagen']}/brp",
        has_object=False,
        allowed=team,
        denied_status=403,
        # One line about the delivered BSN: the signal and the BRP's answer (bsn, naw).
        lines=lambda w, c: [Line("nieuw", "view", FULL_SIGNAL)],
        must_show=lambda w, c: ["Persoon opnemen uit de BRP", "Geboortedatum", "Amsterdam"],
    ),
    RouteSpec(
        "signalen.opnemen",
        "POST",
        lambda w, c: f"/signalen/signaal/{w.signalen['nieuw_toeslagen']}/brp",
        has_object=False,
        allowed=team,
        ok_status=302,
        denied_status=403,
        mutates=True,
        # The person recorded and the signal matched; the redirect shows nothing.
        lines=lambda w, c: [
            Line("nieuw", "create", frozenset({"bsn", "naw"})),
            Line("nieuw", "update", frozenset({"signalen"})),  # matched: the BSN stays
        ],
    ),
]


ROUTES += [
    # The functioneel beheerder keeps the sources (configuration; no resident's data).
    admin(
        "/beheer/signaalbronnen/",
        endpoint="signaalbronnen.lijst",
        must_show=lambda w, c: ["CJIB", "Achterstand bij 3 of meer overheidsschuldeisers"],
    ),
    admin(
        lambda w, c: f"/beheer/signaalbronnen/{w.bronnen['cjib']}",
        endpoint="signaalbronnen.bewerken",
        must_show=lambda w, c: [
            "Signaalbron CJIB",
            "Vroegsignalering van achterstanden bij rijksschuldeisers",
        ],
    ),
    admin(
        lambda w, c: f"/beheer/signaalbronnen/{w.bronnen['cjib']}",
        "POST",
        endpoint="signaalbronnen.bewerken",
        ok_status=302,
        body=lambda w, c: {
            "naam": "CJIB",
            "processing_activity": "vroegsignalering-rijksschuldeisers",
            "velden": ["bedrag", "schuldeiser"],
            "bewaartermijn_dagen": "120",
            "actief": "y",
        },
    ),
]
