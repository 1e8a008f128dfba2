"""Login, logout, start page and the user's own account pages."""

from __future__ import annotations

from tests.routes.facts import REGISSEURS
from tests.routes.spec import RouteSpec

STAFF = lambda c: c.user != "anoniem"  # noqa: E731  (anyone logged in, citizens too)
CITIZENS = {"anna", "truus"}
NOT_CITIZEN = lambda c: c.user != "anoniem" and c.user not in CITIZENS  # noqa: E731
EVERYONE = lambda c: True  # noqa: E731

# The later steps of signing in need a login in progress: without one (the matrix calls them
# cold) they send you back to the start, or home when you are logged in already.
LOGIN_STEPS = [
    ("auth.code", "/inloggen/code", {"code": "123456"}),
    ("auth.tweestapsverificatie", "/inloggen/tweestapsverificatie", {"code": "123456"}),
    ("auth.nieuw_wachtwoord", "/inloggen/nieuw-wachtwoord", {"password": "x", "confirm": "x"}),
]

ROUTES = [
    RouteSpec(
        "auth.index",
        "GET",
        lambda w, c: "/",
        has_object=False,
        allowed=lambda c: True,
        ok_status=302,
    ),
    RouteSpec(
        "auth.login",
        "GET",
        lambda w, c: "/inloggen",
        has_object=False,
        allowed=lambda c: True,
        ok_status=lambda c: 200 if c.user == "anoniem" else 302,  # type: ignore[arg-type]
        query={"next": ("/plannen", "/account/")},
    ),
    RouteSpec(
        "auth.login",
        "POST",
        lambda w, c: "/inloggen",
        has_object=False,
        body=lambda w, c: {"username": "reg1", "password": "fout-wachtwoord"},
        allowed=lambda c: True,
        ok_status=lambda c: 401 if c.user == "anoniem" else 302,  # type: ignore[arg-type]
        must_not_show=lambda w, c: ["Regina"] if c.user == "anoniem" else [],
    ),
    RouteSpec(
        "auth.logout",
        "POST",
        lambda w, c: "/uitloggen",
        has_object=False,
        allowed=STAFF,
        ok_status=302,
        body=lambda w, c: {},
    ),
    *[
        RouteSpec(
            endpoint,
            method,
            (lambda p: lambda w, c: p)(path),
            has_object=False,
            allowed=EVERYONE,
            ok_status=302,
            body=(lambda b: lambda w, c: b)(body) if method == "POST" else None,
        )
        for endpoint, path, body in LOGIN_STEPS
        for method in ("GET", "POST")
    ],
    # SSO is off unless OIDC_STAFF_ISSUER is set (it is not in the matrix): 404 for everyone.
    # tests/test_security_sso.py runs it against a real OIDC provider.
    RouteSpec(
        "auth.sso",
        "GET",
        lambda w, c: "/inloggen/sso",
        has_object=False,
        allowed=EVERYONE,
        ok_status=404,
        query={"next": ("/plannen",)},
    ),
    RouteSpec(
        "auth.sso_terug",
        "GET",
        lambda w, c: "/inloggen/sso/terug?code=x&state=y",
        has_object=False,
        allowed=EVERYONE,
        ok_status=404,
    ),
    RouteSpec(
        "account.wachtwoord",
        "GET",
        lambda w, c: "/account/wachtwoord",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # staff sign-in settings; citizens sign in with DigiD
        must_show=lambda w, c: ["Huidig wachtwoord"],
    ),
    RouteSpec(
        "account.wachtwoord",
        "POST",
        lambda w, c: "/account/wachtwoord",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # staff sign-in settings; citizens sign in with DigiD
        body=lambda w, c: {"current": "", "password": "", "confirm": ""},
        ok_status=422,
    ),
    RouteSpec(
        "account.beveiliging",
        "GET",
        lambda w, c: "/account/beveiliging",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # staff sign-in settings; citizens sign in with DigiD
        must_show=lambda w, c: ["Overal uitloggen", "dit apparaat"],
    ),
    RouteSpec(
        "account.overal_uitloggen",
        "POST",
        lambda w, c: "/account/beveiliging/overal-uitloggen",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # staff sign-in settings; citizens sign in with DigiD
        body=lambda w, c: {},
        ok_status=302,
        mutates=True,
    ),
    RouteSpec(
        "account.herstelcodes",
        "POST",
        lambda w, c: "/account/beveiliging/herstelcodes",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # staff sign-in settings; citizens sign in with DigiD
        body=lambda w, c: {"code": ""},
        ok_status=422,
    ),
    # Issue 16 item 2: the regisseur's own contact details (staff data: no logboek lines).
    RouteSpec(
        "account.contactgegevens",
        "GET",
        lambda w, c: "/account/contactgegevens",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Mijn contactgegevens", "Eerdere wijzigingen"],
    ),
    RouteSpec(
        "account.contactgegevens",
        "POST",
        lambda w, c: "/account/contactgegevens",
        has_object=False,
        allowed=lambda c: c.user in REGISSEURS,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {"phone": "020-7654321", "email": "regie@teststad.example"},
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "account.overzicht",
        "GET",
        lambda w, c: "/account/",
        has_object=False,
        allowed=STAFF,
        must_show=lambda w, c: ["Mijn account"],
    ),
    RouteSpec(
        "account.tokens",
        "GET",
        lambda w, c: "/account/tokens",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,  # API tokens are for staff
        must_not_show=lambda w, c: [
            t for u, t in w.tokens.items()
        ],  # plain tokens are never shown again
    ),
    RouteSpec(
        "account.tokens",
        "POST",
        lambda w, c: "/account/tokens",
        has_object=False,
        allowed=NOT_CITIZEN,
        denied_status=403,
        body=lambda w, c: {"name": "Koppeling"},
        ok_status=201,
        mutates=True,
        must_show=lambda w, c: ["ep_"],
    ),
    RouteSpec(
        "account.token_intrekken",
        "POST",
        lambda w, c: f"/account/tokens/{w.token_ids['reg1']}/intrekken",
        has_object=False,
        allowed=lambda c: c.user == "reg1",
        ok_status=302,
        denied_status=404,
        body=lambda w, c: {},
        mutates=True,
    ),
]
