"""Mijn Eenplan, the citizen's portal (issue 5).

The matrix runs without a ``burger`` OpenID Connect provider, so the login routes answer 404
there; tests/test_portaal.py runs them against a real provider process. Citizens are logged in
with the session shortcut (tests/support/citizens.py). Anna has a plan (a); Truus has an account (Anna
trusts her) but no plan of her own; staff may not use the portal (403).
"""

from __future__ import annotations

import datetime as dt

from app.clock import today
from tests.routes.facts import CITIZENS
from tests.routes.spec import Case, Line, RouteSpec

EVERYONE = lambda c: True  # noqa: E731
HAS_PLAN = lambda c: c.user == "anna"  # noqa: E731


def staff_403(c: Case) -> int:
    return 404 if c.user in CITIZENS else 403


def household_seen(categories: frozenset[str]) -> list[Line]:
    # Anna's household members are named on her plan page: lines about them.
    return [Line("bram", "view", categories), Line("kees", "view", categories)]


# The activity a citizen marks done: their household's own one in plan a; elsewhere plan b's.
ACTIVITY = {"eigen": "a_huishouden", "ander": "b_jeugd", "voormalig": "c_schuld"}

ROUTES = [
    RouteSpec(
        "portaal.inloggen",
        "GET",
        lambda w, c: "/mijn/inloggen",
        has_object=False,
        allowed=EVERYONE,
        ok_status=lambda c: 302 if c.user in CITIZENS else 200,  # type: ignore[arg-type]
    ),
    # Not configured in the matrix: 404 for everyone (see tests/test_portaal.py).
    RouteSpec(
        "portaal.inloggen_start",
        "GET",
        lambda w, c: "/mijn/inloggen/digid",
        has_object=False,
        allowed=EVERYONE,
        ok_status=404,
    ),
    RouteSpec(
        "portaal.inloggen_terug",
        "GET",
        lambda w, c: "/mijn/inloggen/terug?code=x&state=y",
        has_object=False,
        allowed=EVERYONE,
        ok_status=404,
        query={"error": ("", "access_denied")},
    ),
    RouteSpec(
        "portaal.uitloggen",
        "POST",
        lambda w, c: "/mijn/uitloggen",
        has_object=False,
        allowed=EVERYONE,
        ok_status=302,
        body=lambda w, c: {},
    ),
    RouteSpec(
        "portaal.uitgelogd",
        "GET",
        lambda w, c: "/mijn/uitgelogd",
        has_object=False,
        allowed=EVERYONE,
    ),
    RouteSpec(
        "portaal.plan",
        "GET",
        lambda w, c: "/mijn/",
        has_object=False,
        # Truus has no plan of her own: she sees whose plan she may read (Anna's, by name).
        allowed=lambda c: c.user in CITIZENS,
        denied_status=staff_403,
        lines=lambda w, c: (
            household_seen(frozenset({"naw", "gezin"}))
            if c.user == "anna"
            else [Line("anna", "view", frozenset({"naw", "plan"}))]
        ),
        must_show=lambda w, c: (
            ["Regina Eerste", "Post samen openen", "Bram", "Kees"]
            if c.user == "anna"
            else ["Meekijken", "Plan van Anna Aalders"]
        ),
        must_not_show=lambda w, c: ["Toelichting bij a_schuld", "Beroepsgeheim", "Dirk", "Eva"],
    ),
    # A trusted person reads the plan of someone who gave them access (read-only).
    RouteSpec(
        "portaal.meekijken",
        "GET",
        lambda w, c: f"/mijn/meekijken/{w.plans[c.plan]}",
        allowed=lambda c: c.user == "truus" and c.scenario == "eigen",
        denied_status=staff_403,
        lines=lambda w, c: [
            Line("anna", "view", frozenset({"naw", "plan", "activiteiten", "opmerkingen"}))
        ],
        must_show=lambda w, c: ["Plan van Anna Aalders", "Regina Eerste", "Post samen openen"],
        must_not_show=lambda w, c: ["Toelichting bij a_schuld", "Beroepsgeheim", "Bram", "Kees"],
    ),
    RouteSpec(
        "portaal.reactie",
        "POST",
        lambda w, c: "/mijn/reacties",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"soort": "correctievoorstel", "body": "Mijn adres klopt niet."},
    ),
    RouteSpec(
        "portaal.activiteit_klaar",
        "POST",
        lambda w, c: (
            f"/mijn/activiteiten/{w.activities[ACTIVITY.get(c.scenario, 'b_jeugd')]}/klaar"
        ),
        allowed=lambda c: c.user == "anna" and c.scenario == "eigen",
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {},
    ),
]

# The citizen's own logboek lines: reading them writes no line (nobody else saw anything).
ROUTES += [
    RouteSpec(
        "portaal.logboek",
        "GET",
        # Filtered to one organisation: the shared world gathers many newer lines about Anna.
        lambda w, c: "/mijn/logboek?organisatie=GGZ+Teststad",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        must_show=lambda w, c: ["Gerda GGZ"] if c.user == "anna" else [],
        query={
            "van": ("", "2026-01-01", "01-02-2026"),
            "tot": ("", "2026-01-01", "01-02-2026"),
            "organisatie": ("", "GGZ Teststad"),
            "soort": ("", "bekeken", "uitgewisseld"),
            "voor": ("", "1", "50"),
        },
        must_not_show=lambda w, c: ["Waarneming", "Rutger"],
    ),
    RouteSpec(
        "portaal.uitwisselingen",
        "GET",
        lambda w, c: "/mijn/uitwisselingen",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        must_show=lambda w, c: ["Schuldhulp Teststad"] if c.user == "anna" else [],
        query={
            "van": ("", "2026-01-01", "01-02-2026"),
            "tot": ("", "2026-01-01", "01-02-2026"),
            "organisatie": ("", "GGZ Teststad"),
            "soort": ("",),
            "voor": ("", "1", "50"),
        },
        must_not_show=lambda w, c: ["Gerda GGZ", "Waarneming"],
    ),
    RouteSpec(
        "portaal.logboek_nieuw",
        "GET",
        lambda w, c: "/mijn/logboek/nieuw?na=0",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        query={"na": ("0", "1", "100"), "dag": ("20200101", "")},
        must_not_show=lambda w, c: ["Waarneming", "Rutger"],
    ),
    RouteSpec(
        "portaal.logboek_live",
        "GET",
        lambda w, c: "/mijn/logboek/live?na=0",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        query={"na": ("0", "1", "100"), "dag": ("20200101", "")},
        must_show=lambda w, c: ["retry: 3000"],
        must_not_show=lambda w, c: ["Waarneming", "Rutger"],
    ),
    RouteSpec(
        "portaal.uitwisselingen_nieuw",
        "GET",
        lambda w, c: "/mijn/uitwisselingen/nieuw?na=0",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        query={"na": ("0", "1", "100"), "dag": ("20200101", "")},
        must_not_show=lambda w, c: ["Waarneming", "Rutger"],
    ),
    RouteSpec(
        "portaal.uitwisselingen_live",
        "GET",
        lambda w, c: "/mijn/uitwisselingen/live?na=0",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        query={"na": ("0", "1", "100"), "dag": ("20200101", "")},
        must_show=lambda w, c: ["retry: 3000"],
        must_not_show=lambda w, c: ["Waarneming", "Rutger"],
    ),
]

# "Wie mag wat zien": the citizen's decisions are logged as lines about themselves.
DECISION = lambda action: [Line("anna", action, frozenset({"instellingen"}))]  # noqa: E731
GRANT = {"eigen": "a_truus", "ander": "c_truus_ingetrokken", "voormalig": "c_truus_ingetrokken"}

ROUTES += [
    RouteSpec(
        "portaal.toegang_overzicht",
        "GET",
        lambda w, c: "/mijn/toegang",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        must_show=lambda w, c: ["Schuldhulp Teststad", "Truus", "Regina Eerste"],
    ),
    RouteSpec(
        "portaal.toegang_niveau",
        "POST",
        lambda w, c: "/mijn/toegang/niveau",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"organisation_id": w.orgs["schuldhulp"], "niveau": "geen"},
        lines=lambda w, c: DECISION("update"),
    ),
    RouteSpec(
        "portaal.vertrouwenspersoon_nieuw",
        "POST",
        lambda w, c: "/mijn/toegang/vertrouwenspersonen",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            "naam": "Bea Bewind",
            "bsn": "100000046",
            "relatie": "bewindvoerder",
            "geldig_tot": (today() + dt.timedelta(days=30)).isoformat(),
        },
        lines=lambda w, c: DECISION("create"),
    ),
    RouteSpec(
        "portaal.vertrouwenspersoon_intrekken",
        "POST",
        lambda w, c: (
            f"/mijn/toegang/vertrouwenspersonen/{w.vertrouwenspersonen[GRANT.get(c.scenario, 'a_truus')]}/intrekken"
        ),
        allowed=lambda c: c.user == "anna" and c.scenario == "eigen",
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {},
        lines=lambda w, c: DECISION("update"),
    ),
    # Anna's plan is not on basis toestemming: the pages say so, the POSTs are refused (422);
    # tests/test_toestemming_portaal.py runs them for Dirk, whose plan is.
    RouteSpec(
        "portaal.toestemming_intrekken",
        "GET",
        lambda w, c: "/mijn/toegang/toestemming/intrekken",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        must_show=lambda w, c: ["U kunt hier nu geen toestemming intrekken"],
        must_not_show=lambda w, c: ["Ja, trek mijn toestemming in"],
    ),
    RouteSpec(
        "portaal.toestemming_geven",
        "GET",
        lambda w, c: "/mijn/toegang/toestemming/geven",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        must_show=lambda w, c: ["U kunt nu geen toestemming geven"],
        must_not_show=lambda w, c: ["Ja, ik geef opnieuw toestemming"],
    ),
    RouteSpec(
        "portaal.toestemming_geven",
        "POST",
        lambda w, c: "/mijn/toegang/toestemming/geven",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=422,
        mutates=True,
        body=lambda w, c: {},
        must_show=lambda w, c: ["Dit plan bestaat niet op basis van toestemming."],
    ),
    RouteSpec(
        "portaal.toestemming_intrekken",
        "POST",
        lambda w, c: "/mijn/toegang/toestemming/intrekken",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=422,  # Anna's plan is not on basis toestemming: refused with a reason
        mutates=True,
        body=lambda w, c: {},
    ),
    RouteSpec(
        "portaal.beroepsgeheim",
        "POST",
        lambda w, c: f"/mijn/toegang/beroepsgeheim/opmerking/{w.comments['a_geheim']}",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=404,  # not released by its author (yet): the citizen may not know it
        mutates=True,
        body=lambda w, c: {},
    ),
    RouteSpec(
        "portaal.andere_regisseur",
        "POST",
        lambda w, c: "/mijn/toegang/andere-regisseur",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"reden": "Het klikt niet."},
    ),
]

# Mijn gegevens downloaden: the download is an exchange to the citizen, logged about her; the
# household members named in it are seen, as on the plan page.
EXPORT_CATEGORIES = frozenset(
    {
        "bsn",
        "naw",
        "contact",
        "plan",
        "activiteiten",
        "opmerkingen",
        "gezin",
        "instellingen",
        "signalen",
        "logboek",
    }
)

ROUTES += [
    RouteSpec(
        "portaal.gegevens",
        "GET",
        lambda w, c: "/mijn/gegevens",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        ok_status=lambda c: 200 if c.user == "anna" else 404,  # type: ignore[arg-type]
        denied_status=403,
    ),
    RouteSpec(
        "portaal.gegevens_download",
        "POST",
        lambda w, c: "/mijn/gegevens/download",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        body=lambda w, c: {},
        lines=lambda w, c: [
            Line("anna", "export", EXPORT_CATEGORIES, kind="uitwisseling"),
            *household_seen(frozenset({"naw", "gezin"})),
        ],
        must_show=lambda w, c: ["Regina Eerste", "eenplan-inzage/1", "Post samen openen"],
        must_not_show=lambda w, c: ["Waarneming"],
    ),
    # The same data as a readable (printable) page: logged as the JSON download is.
    RouteSpec(
        "portaal.gegevens_document",
        "POST",
        lambda w, c: "/mijn/gegevens/document",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        body=lambda w, c: {},
        lines=lambda w, c: [
            Line("anna", "export", EXPORT_CATEGORIES, kind="uitwisseling"),
            *household_seen(frozenset({"naw", "gezin"})),
        ],
        must_show=lambda w, c: ["Mijn gegevens in Eenplan", "Regina Eerste", "Post samen openen"],
        must_not_show=lambda w, c: ["Waarneming"],
    ),
]

# Berichten (with the regisseur) and the citizen's own inkijk: her own data, no lines.
ROUTES += [
    RouteSpec(
        "portaal.berichten",
        "GET",
        lambda w, c: "/mijn/berichten",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        ok_status=lambda c: 200 if c.user == "anna" else 404,  # type: ignore[arg-type]
        denied_status=403,
    ),
    RouteSpec(
        "portaal.berichten",
        "POST",
        lambda w, c: "/mijn/berichten",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"met": "inwoner", "body": "Kunnen we bellen?"},
    ),
    RouteSpec(
        "portaal.basisgegevens",
        "GET",
        lambda w, c: "/mijn/basisgegevens",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        ok_status=lambda c: 200 if c.user == "anna" else 404,  # type: ignore[arg-type]
        denied_status=403,
        must_not_show=lambda w, c: ["Dirk", "Bram"],
    ),
]

# Signalen over mij (rule 13): their own signals, no line; never those about Kees or Dirk.
ROUTES += [
    RouteSpec(
        "portaal.signalen",
        "GET",
        lambda w, c: "/mijn/signalen",
        has_object=False,
        allowed=lambda c: c.user in CITIZENS,
        denied_status=403,
        must_show=lambda w, c: ["Signalen over mij", "De gemeente heeft geen signalen over u."],
        must_not_show=lambda w, c: ["geen geld is voor eten", "Mees Melder", "CJIB"],
    ),
]

# E-mailmeldingen (issue 16 #13): the citizen's opt-in choice; reading their own choice writes
# no line, every change is their own decision line (settings and the address).
ROUTES += [
    RouteSpec(
        "portaal.meldingen_kiezen",
        "GET",
        lambda w, c: "/mijn/meldingen",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        must_show=lambda w, c: ["E-mailmeldingen", "Standaard staat dit uit."],
    ),
    RouteSpec(
        "portaal.meldingen_kiezen",
        "POST",
        lambda w, c: "/mijn/meldingen",
        has_object=False,
        allowed=HAS_PLAN,
        denied_status=staff_403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"bericht": "y", "email": "anna@thuis.example"},
        lines=lambda w, c: [Line("anna", "create", frozenset({"instellingen", "contact"}))],
    ),
]
