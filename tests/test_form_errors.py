"""Every form's error summary links reach their field, and no page repeats an id.

Every HTML POST route of the registry (tests/routes/) is sent empty (only the CSRF token) by a
user who may use it: where the page comes back with an error summary ("Controleer de invoer"),
each of its links ``#x`` must point at an element with ``id="x"`` on that page (issue 19: "Nieuw
plan" linked ``#basis`` while its radio buttons are ``basis-0``/``basis-1``). Every HTML GET
route is fetched and checked for duplicate ids (two forms on one page each had
``id="csrf_token"``, HTML_CodeSniffer F77).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import login
from tests.routes import ROUTES
from tests.routes.facts import CITIZENS
from tests.routes.spec import Case, RouteSpec
from tests.support.citizens import login_citizen
from tests.support.world import World


class _Ids(HTMLParser):
    """The ids on a page, and the links of its error summary (``id="foutmeldingen"``)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.summary_links: list[str] = []
        self._summary_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"] or ""] += 1
        if self._summary_depth and tag not in ("br", "img", "input"):
            self._summary_depth += 1
        if a.get("id") == "foutmeldingen":
            self._summary_depth = 1
        elif self._summary_depth and tag == "a" and (a.get("href") or "").startswith("#"):
            self.summary_links.append((a.get("href") or "")[1:])

    def handle_endtag(self, tag: str) -> None:
        if self._summary_depth:
            self._summary_depth -= 1


def parse(html: str) -> _Ids:
    p = _Ids()
    p.feed(html)
    return p


def _allowed_case(spec: RouteSpec) -> Case | None:
    cases = [c for c in spec.cases() if spec.allowed(c) and c.user != "anoniem"]
    return cases[0] if cases else None


@pytest.fixture(scope="module")
def client_for(shared_app: Flask, shared_world: World) -> Callable[[str], FlaskClient]:
    made: dict[str, FlaskClient] = {}

    def _client(user: str) -> FlaskClient:
        if user not in made:
            client = shared_app.test_client()
            if user in CITIZENS:
                login_citizen(shared_app, client, user)
            else:
                login(client, user)
            made[user] = client
        return made[user]

    return _client


def _csrf(client: FlaskClient) -> str:
    """The session's CSRF token, from the logout form in the header of any page."""
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m, "no CSRF token"
    return m.group(1)


# Logging in and out (and ending every session) would end the test's own sessions.
SESSION_ROUTES = {
    "auth.login",
    "auth.logout",
    "auth.code",
    "auth.tweestapsverificatie",
    "auth.nieuw_wachtwoord",
    "account.overal_uitloggen",
    "portaal.uitloggen",
}
HTML_POSTS = [
    s
    for s in ROUTES
    if s.method == "POST"
    and s.kind == "html"
    and s.endpoint not in SESSION_ROUTES
    and _allowed_case(s)
]
HTML_GETS = [s for s in ROUTES if s.method == "GET" and s.kind == "html" and _allowed_case(s)]


def test_every_error_summary_link_reaches_its_field(
    client_for: Callable[[str], FlaskClient], shared_world: World
) -> None:
    summaries: dict[str, list[str]] = {}
    broken: list[str] = []
    for spec in HTML_POSTS:
        case = _allowed_case(spec)
        assert case is not None
        client = client_for(case.user)
        path = spec.path(shared_world, case)
        resp = client.post(path, data={"csrf_token": _csrf(client)})
        if 300 <= resp.status_code < 400 or "text/html" not in resp.content_type:
            continue
        page = parse(resp.get_data(as_text=True))
        if not page.summary_links:
            continue
        summaries[spec.id] = page.summary_links
        broken += [f"{spec.id}: #{t}" for t in page.summary_links if page.ids[t] == 0]
    assert broken == []
    # The test reaches the forms it is about (a change that stops the summaries fails here).
    assert "POST plans.nieuw" in summaries
    assert "basis-0" in summaries["POST plans.nieuw"]
    assert len(summaries) >= 20, sorted(summaries)


def test_no_page_repeats_an_id(
    client_for: Callable[[str], FlaskClient], shared_world: World
) -> None:
    repeated: dict[str, Any] = {}
    seen = 0
    for spec in HTML_GETS:
        case = _allowed_case(spec)
        assert case is not None
        resp = client_for(case.user).get(spec.path(shared_world, case))
        if resp.status_code != 200 or "text/html" not in resp.content_type:
            continue
        seen += 1
        ids = parse(resp.get_data(as_text=True)).ids
        twice = sorted(i for i, n in ids.items() if n > 1)
        if twice:
            repeated[spec.id] = twice
    assert repeated == {}
    assert seen >= 40


def test_consent_fields_of_a_new_plan_are_not_called_optional(
    client_for: Callable[[str], FlaskClient],
) -> None:
    """A new plan is always on the basis of consent, so its consent fields are required: their
    labels do not say "(niet verplicht)" (issue 19); the explanation stays optional."""
    html = client_for("reg1").get("/plannen/nieuw").get_data(as_text=True)
    for field in ("toestemming_gegeven_door", "toestemming_gegeven_op", "toestemming_wijze"):
        label = re.search(rf'<label[^>]*for="{field}"[^>]*>(.*?)</label>', html, re.S)
        assert label and "niet verplicht" not in label.group(1), field
    toelichting = re.search(r'<label[^>]*for="toestemming_toelichting"[^>]*>(.*?)</label>', html)
    assert toelichting and "niet verplicht" in toelichting.group(1)
