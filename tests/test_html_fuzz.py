"""Fuzzing the query parameters of the HTML routes: no value makes a 500.

For every GET route of the registry (tests/routes/) that declares query parameters
(``RouteSpec.query``), a user who may use the route logs in once, and Hypothesis sends random
and hostile query strings: each declared parameter absent, a valid example, a huge or negative
number, a non-number, unicode (digits that are not ASCII among them), an empty value, a date
beyond any calendar, a long text, control characters, given twice — with unknown parameters
mixed in. Every answer must be below 500 (a 400 or 422 for what the route does not take); the
body is read whole, so an error inside a streamed answer fails the test too.

Each declared parameter also gets a fixed set of sharp values in turn (the others valid), so
the known failures are tried on every run. Bounded: those and ``FUZZ_EXAMPLES`` generated
examples per route (default 25), on each backend, so it runs in CI in about a minute; raise it locally (``FUZZ_EXAMPLES=500 pytest tests/test_html_fuzz.py``).
tests/test_query_params.py checks that the registry declares every parameter the code reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from tests.routes import ROUTES
from tests.routes.facts import CITIZENS
from tests.routes.spec import Case, RouteSpec
from tests.support.citizens import login_citizen
from tests.support.world import World

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "+1",
    "1.5",
    "1e3",
    "0x10",
    " 7",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "9" * 400,
    "１２",  # fullwidth digits
    "²",  # a digit to str.isdigit, not to int()
    "٣",  # Arabic-Indic three
    "0001-01-01",
    "9999-12-31",
    "31-12-9999",
    "2026-02-30",
    "1,2,3",
    "1,,2",
    ",",
    "-1,2",
    "a" * 3000,
    "<script>alert(1)</script>",
    "'; DROP TABLE plan; --",
    "%00",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "//evil.example",
    "/x\\y",
    "null",
    "true",
    "None",
]

# Names of url_for's own arguments and other unknown parameters: ignored, never passed on.
EXTRA_NAMES = ["_external", "_scheme", "_anchor", "_method", "endpoint", "x", "bsn", "seq"]

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBER = st.integers(-(2**80), 2**80).map(str)
DATE = st.dates().flatmap(lambda d: st.sampled_from([d.isoformat(), d.strftime("%d-%m-%Y")]))


def _value(examples: tuple[str, ...]) -> Any:
    return st.one_of(
        st.sampled_from(examples) if examples else st.just(""),
        st.sampled_from(HOSTILE),
        NUMBER,
        DATE,
        TEXT,
    )


@st.composite
def _query(draw: Any, spec: RouteSpec) -> list[tuple[str, str]]:
    """(name, value) pairs: the declared parameters at valid examples (most of them present),
    then one to three of them (or an unknown name) made hostile — replaced or given again —
    so that a bad value also reaches the code behind the checks of the other parameters."""
    names = sorted(spec.query)
    pairs = [(n, draw(st.sampled_from(spec.query[n] or ("",)))) for n in names]
    pairs = [p for p in pairs if draw(st.integers(0, 4))]  # each absent one time in five
    for _ in range(draw(st.integers(1, 3))):
        declared = draw(st.integers(0, 4)) > 0
        name = draw(st.sampled_from(names if declared else EXTRA_NAMES))
        value = draw(_value(spec.query.get(name, ())))
        at = [i for i, (n, _v) in enumerate(pairs) if n == name]
        if at and draw(st.integers(0, 3)):  # replace it, or (one time in four) give it twice
            pairs[at[0]] = (name, value)
        else:
            pairs.append((name, value))
    return pairs


# Every declared parameter in turn gets each of these, the others at a valid example (Hypothesis'
# explicit examples, always run before the generated ones): a value the old code let through to
# the database, int(), date arithmetic or url_for.
SHARP = [
    "99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "²",
    "9999-12-31",
    "a" * 3000,
    "\x00",
]


def _explicit(spec: RouteSpec) -> list[list[tuple[str, str]]]:
    base = [(n, next((v for v in reversed(ex) if v), "")) for n, ex in sorted(spec.query.items())]
    out = []
    for i, (name, value) in enumerate(base):
        out += [[*base[:i], (name, sharp), *base[i + 1 :]] for sharp in SHARP]
        out.append([*base, (name, value)])  # twice
    out.append([*base, ("_external", "1"), ("_scheme", "javascript"), ("endpoint", "x")])
    return out


def _allowed_case(spec: RouteSpec) -> Case:
    """Someone who may use the route: not logged in for the public ones (logging in)."""
    cases = [c for c in spec.cases() if spec.allowed(c)]
    assert cases, f"nobody may use {spec.id}"
    public = [c for c in cases if c.user == "anoniem"]
    return (public or cases)[0]


FUZZED = [s for s in ROUTES if s.method == "GET" and s.kind == "html" and s.query]


@pytest.fixture(scope="module")
def client_for(shared_app: Flask, shared_world: World) -> Callable[[str], FlaskClient]:
    """A logged-in client per user, each logging in once for the whole module."""
    made: dict[str, FlaskClient] = {}

    def _client(user: str) -> FlaskClient:
        if user not in made:
            client = shared_app.test_client()
            if user in CITIZENS:
                login_citizen(shared_app, client, user)
            elif user != "anoniem":
                login(client, user)
            made[user] = client
        return made[user]

    return _client


@pytest.mark.parametrize("spec", FUZZED, ids=[s.endpoint for s in FUZZED])
def test_no_query_string_makes_a_server_error(
    spec: RouteSpec, client_for: Callable[[str], FlaskClient], shared_world: World
) -> None:
    case = _allowed_case(spec)
    client = client_for(case.user)
    path = urlsplit(spec.path(shared_world, case)).path  # the registry's own query replaced

    @given(pairs=_query(spec))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(pairs: list[tuple[str, str]]) -> None:
        url = f"{path}?{urlencode(pairs)}" if pairs else path
        resp = client.get(url)
        body = resp.get_data()  # a streamed answer is read whole: an error in it fails here
        assert resp.status_code < 500, (url, resp.status_code, body[:300])
        if resp.status_code == 400:
            assert b"Het verzoek klopt niet" in body

    for pairs in _explicit(spec):
        fuzz = example(pairs=pairs)(fuzz)
    fuzz()
