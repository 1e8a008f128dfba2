"""Mijn Eenplan for someone on a phone in a vulnerable moment (issue 19): the log page explains
each processing activity once (not on every line), the citizen's pages carry no jargon, and the
download is also a readable document, logged as the JSON download is."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.conftest import head_seq, log_lines, login
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_logboek import write_line

PURPOSE = "samenhangend helpen"  # from the register's purpose of regie-multiproblematiek
JARGON = ["multiproblematiek", "multiprobleem", "buitenkant", "leefgebied", "integrale aanpak"]
PAGES = [
    "/mijn/",
    "/mijn/logboek",
    "/mijn/uitwisselingen",
    "/mijn/signalen",
    "/mijn/toegang",
    "/mijn/berichten",
    "/mijn/basisgegevens",
    "/mijn/gegevens",
]


def _visible(html: str) -> str:
    """The page's own text: not the folded official register texts (<details>), not what
    staff wrote, quoted as it is (<q>)."""
    html = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    html = re.sub(r"<q class=\"ep-citaat\">.*?</q>", "", html, flags=re.S)  # staff words, quoted
    return re.sub(r"<[^>]+>", " ", html)


def test_log_page_explains_each_processing_activity_once(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    for _ in range(3):
        write_line(portaal_app, "anna")
    client = as_citizen(portaal_app, oidc_provider, "anna")
    html = client.get("/mijn/logboek").get_data(as_text=True)
    regels = html.count('class="ep-logregel"')
    assert regels >= 4
    assert html.count(PURPOSE) == 1  # once, in the expandable explanation
    assert html.count('<details class="ep-details" id="verwerking-') >= 1
    # Every line links to its explanation, and every link reaches one.
    anchors = set(re.findall(r'href="#(verwerking-\d+)"', html))
    assert anchors and all(f'id="{a}"' in html for a in anchors)
    assert len(re.findall(r'href="#verwerking-\d+"', html)) == regels
    assert "Uw plan" in html and "één vaste regisseur" in html  # plain words first


def test_citizen_pages_have_no_jargon(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    found = {}
    for path in PAGES:
        resp = client.get(path)
        assert resp.status_code == 200, path
        text = _visible(resp.get_data(as_text=True)).lower()
        hits = [w for w in JARGON if w in text]
        if hits:
            found[path] = hits
    assert found == {}


def test_download_as_a_readable_document_is_logged_like_the_json(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    assert 'action="/mijn/gegevens/document"' in page
    token = form_token(page)
    before = head_seq(portaal_app)
    resp = client.post("/mijn/gegevens/document", data={"csrf_token": token})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    assert "Mijn gegevens in Eenplan" in html and BSN["anna"] in html
    assert "Regina Eerste" in html  # the regisseur
    lines = log_lines(portaal_app, before)
    export = [r for r in lines if r["action"] == "export"]
    assert len(export) == 1 and export[0]["kind"] == "uitwisseling"
    json_before = head_seq(portaal_app)
    client.post("/mijn/gegevens/download", data={"csrf_token": token})
    json_lines = log_lines(portaal_app, json_before)
    # The same lines (categories, kinds, subjects) as the JSON download writes.
    shape = lambda rows: sorted(  # noqa: E731
        (r["kind"], r["action"], r["data_categories"], r["data_subject_id"]) for r in rows
    )
    assert shape(lines) == shape(json_lines)
    # Without the CSRF token: refused, nothing logged.
    before = head_seq(portaal_app)
    assert client.post("/mijn/gegevens/document").status_code == 400
    assert log_lines(portaal_app, before) == []
    staff = portaal_app.test_client()
    login(staff, "reg1")
    assert staff.post("/mijn/gegevens/document").status_code in (400, 403)
