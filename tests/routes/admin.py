"""The functioneel beheerder's screens: users, organisations, mandates. No resident's data."""

from __future__ import annotations

from app import clock
from tests.routes.facts import PERSON_NAME
from tests.routes.spec import RouteSpec
from tests.support.world import BSN

BEHEER = lambda c: c.user == "beheer1"  # noqa: E731


def _nothing_personal(w, c):  # type: ignore[no-untyped-def]
    """The beheerder never sees a resident's data."""
    return [*PERSON_NAME.values(), *BSN.values()]


def admin(path: str, method: str = "GET", **kw):  # type: ignore[no-untyped-def]
    endpoint = kw.pop("endpoint")
    return RouteSpec(
        endpoint,
        method,
        path if callable(path) else (lambda w, c, p=path: p),
        has_object=False,
        allowed=BEHEER,
        denied_status=403,
        lines=lambda w, c: [],
        must_not_show=_nothing_personal,
        mutates=method != "GET",
        **kw,
    )


ROUTES = [
    admin(
        "/beheer/gebruikers",
        endpoint="admin.gebruikers",
        # a search text in the address is taken out by a redirect
        query={"na": ("", "1"), "zoek": ("",)},
        must_show=lambda w, c: ["Hanna Schuld"],
    ),
    admin(
        "/beheer/gebruikers",
        "POST",
        endpoint="admin.gebruikers",
        body=lambda w, c: {"zoek": "schuld"},
        must_show=lambda w, c: ["Hanna Schuld"],
    ),
    admin("/beheer/gebruikers/nieuw", endpoint="admin.gebruiker_nieuw"),
    admin(
        "/beheer/gebruikers/nieuw",
        "POST",
        endpoint="admin.gebruiker_nieuw",
        ok_status=201,
        body=lambda w, c: {
            "username": "nieuw.medewerker",
            "name": "Nieuwe Medewerker",
            "email": "nieuw@test.example",
            "phone": "",
            "organisation_id": str(w.orgs["jeugdhulp"]),
            "roles": ["hulpverlener"],
        },
        must_show=lambda w, c: ["Beginwachtwoord", "nieuw.medewerker"],
    ),
    admin(
        lambda w, c: f"/beheer/gebruikers/{w.users['hulp1']}",
        endpoint="admin.gebruiker_bewerken",
        must_show=lambda w, c: ["Hanna Schuld"],
    ),
    admin(
        lambda w, c: f"/beheer/gebruikers/{w.users['hulp1']}",
        "POST",
        endpoint="admin.gebruiker_bewerken",
        ok_status=302,
        body=lambda w, c: {
            "name": "Hanna Schuld-de Vries",
            "email": "hulp1@test.example",
            "phone": "",
            "organisation_id": str(w.orgs["schuldhulp"]),
            "roles": ["hulpverlener"],
        },
    ),
    admin(
        lambda w, c: f"/beheer/gebruikers/{w.users['hulp_ggz']}/deactiveren",
        "POST",
        endpoint="admin.gebruiker_deactiveren",
        ok_status=302,
        body=lambda w, c: {},
    ),
    admin(
        lambda w, c: f"/beheer/gebruikers/{w.users['hulp_ggz']}/activeren",
        "POST",
        endpoint="admin.gebruiker_activeren",
        ok_status=302,
        body=lambda w, c: {},
    ),
    admin(
        "/beheer/organisaties",
        endpoint="admin.organisaties",
        must_show=lambda w, c: ["Regie Noord"],
    ),
    admin("/beheer/organisaties/nieuw", endpoint="admin.organisatie_nieuw"),
    admin(
        "/beheer/organisaties/nieuw",
        "POST",
        endpoint="admin.organisatie_nieuw",
        ok_status=302,
        body=lambda w, c: {"name": "Woonstichting Test", "kind": "woningcorporatie"},
    ),
    admin(
        lambda w, c: f"/beheer/organisaties/{w.orgs['school']}",
        endpoint="admin.organisatie_bewerken",
        must_show=lambda w, c: ["Basisschool Test"],
    ),
    admin(
        lambda w, c: f"/beheer/organisaties/{w.orgs['school']}",
        "POST",
        endpoint="admin.organisatie_bewerken",
        ok_status=302,
        body=lambda w, c: {"name": "Basisschool De Test", "kind": "school", "active": "y"},
    ),
    admin("/beheer/mandaten", endpoint="admin.mandaten", must_show=lambda w, c: ["MB-TEST-1"]),
    admin("/beheer/mandaten/nieuw", endpoint="admin.mandaat_nieuw"),
    admin(
        "/beheer/mandaten/nieuw",
        "POST",
        endpoint="admin.mandaat_nieuw",
        ok_status=302,
        body=lambda w, c: {
            "organisation_id": str(w.orgs["ggz"]),
            "gemeente_id": str(w.orgs["gemeente"]),
            "besluit": "MB-TEST-2",
            "valid_from": "2026-01-01",
            "valid_until": "",
        },
    ),
    admin(
        lambda w, c: f"/beheer/mandaten/{w.mandaat}/beeindigen",
        endpoint="admin.mandaat_beeindigen",
    ),
    admin(
        lambda w, c: f"/beheer/mandaten/{w.mandaat}/beeindigen",
        "POST",
        endpoint="admin.mandaat_beeindigen",
        ok_status=302,
        body=lambda w, c: {"end_date": clock.today().isoformat()},
    ),
]
