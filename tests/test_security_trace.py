"""Trace ids are Eenplan's own unless the caller is trusted (issue 20, item 1).

A client that sends the same ``traceparent`` on every request must not be able to make its
requests look like one (a "list"), and so hide from the misuse indicators; a trusted caller (a
configured network, a source system with its token) continues its own trace.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.security import tracing
from audit import TraceContext
from tests.conftest import head_seq, log_lines, login
from tests.support.world import BSN, World
from tests.test_privacy import view
from tests.test_signalen_api import auth as bron_auth
from tests.test_signalen_api import token as bron_token

FIXED_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def traceparent(i: int) -> str:
    return f"00-{FIXED_TRACE}-{i + 1:016x}-01"


def make_bsn(n: int) -> str:
    """A valid (11-proef) synthetic BSN from a number."""
    while True:
        digits = [int(c) for c in f"{n:08d}"]
        check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
        if check < 10:
            return f"{n:08d}{check}"
        n += 1


def create_plans(client: FlaskClient, world: World, user: str, first: int, n: int) -> list[str]:
    urls = []
    for i in range(n):
        resp = client.post(
            "/api/v1/plannen",
            json={
                "bsn": make_bsn(first + 10 * i),
                "basis": "toestemming",
                "toestemming": {
                    "gegevenDoor": "de betrokkene zelf",
                    "gegevenOp": "2020-01-02",
                    "wijze": "mondeling",
                },
                "persoon": {
                    "voornamen": "P",
                    "achternaam": f"Nr{i}",
                    "geboortedatum": "1990-01-01",
                },
            },
            headers={"Authorization": f"Bearer {world.tokens[user]}"},
        )
        assert resp.status_code == 201, resp.get_data(as_text=True)
        urls.append(resp.headers["Location"])
    return urls


def veel_personen_rows(officer: FlaskClient) -> dict[str, str]:
    """The overview's "veel personen" rows: staff member's name -> the row's text."""
    body = officer.get("/privacy/?toon=alle").get_data(as_text=True)
    rows = {}
    for row in body.split('<tr class="utrecht-table__row">')[1:]:
        if "Veel personen in korte tijd" in row:
            cells = re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', row, re.S)
            rows[cells[1].split("<br>")[0]] = re.sub(r"<[^>]+>", " ", row)
    return rows


def test_fixed_traceparent_does_not_hide_many_persons(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """The reproduction: a regisseur sends one fixed trace id on every request while viewing 60
    persons within the hour; a colleague does the same without the header. Both show up."""
    mine = create_plans(client, world, "reg1", 30_000_000, 60)
    theirs = create_plans(client, world, "reg2", 40_000_000, 60)
    for i, url in enumerate(mine):
        resp = client.get(
            url,
            headers={
                "Authorization": f"Bearer {world.tokens['reg1']}",
                "traceparent": traceparent(i),
            },
        )
        assert resp.status_code == 200
        assert FIXED_TRACE not in resp.headers["traceresponse"]
    for url in theirs:
        resp = client.get(url, headers={"Authorization": f"Bearer {world.tokens['reg2']}"})
        assert resp.status_code == 200
    login(client, "privacy1")
    rows = veel_personen_rows(client)
    assert "Regina Eerste" in rows and "Rutger Tweede" in rows, rows.keys()
    assert "60 personen" in rows["Regina Eerste"] and "60 personen" in rows["Rutger Tweede"]


def test_untrusted_traceparent_is_only_a_foreign_reference(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    before = head_seq(app)
    resp = client.get(
        f"/plannen/{world.plans['a']}",
        headers={"traceparent": f"00-{FIXED_TRACE}-00f067aa0ba902b7-01"},
    )
    assert resp.status_code == 200
    rows = log_lines(app, before)
    own = resp.headers["traceresponse"].split("-")[1]
    assert own != FIXED_TRACE and re.fullmatch(r"[0-9a-f]{32}", own)
    # Eenplan's own trace on every line; the caller's span kept as the parent reference.
    assert rows and all(
        r["trace_id"] == own and r["parent_span_id"] == "00f067aa0ba902b7" for r in rows
    )
    assert not any(r["trace_id"] == FIXED_TRACE for r in log_lines(app))


def test_trusted_network_continues_the_trace(app: Flask, client: FlaskClient, world: World) -> None:
    app.config["EENPLAN_TRACE_TRUSTED_NETWORKS"] = ["10.20.0.0/16"]
    tracing.init_app(app)
    login(client, "reg1")
    header = {"traceparent": f"00-{FIXED_TRACE}-00f067aa0ba902b7-01"}
    before = head_seq(app)
    resp = client.get(
        f"/plannen/{world.plans['a']}", headers=header, environ_base={"REMOTE_ADDR": "10.20.3.4"}
    )
    rows = log_lines(app, before)
    assert resp.headers["traceresponse"].startswith(f"00-{FIXED_TRACE}-")
    assert rows and all(
        r["trace_id"] == FIXED_TRACE and r["parent_span_id"] == "00f067aa0ba902b7" for r in rows
    )
    # The same header from outside the network: not continued.
    resp = client.get(
        f"/plannen/{world.plans['a']}", headers=header, environ_base={"REMOTE_ADDR": "10.21.3.4"}
    )
    assert resp.status_code == 200 and FIXED_TRACE not in resp.headers["traceresponse"]


def test_source_system_with_its_token_continues_the_trace(
    app: Flask, client: FlaskClient, world: World
) -> None:
    plain = bron_token(app, "cjib")
    header = {"traceparent": f"00-{FIXED_TRACE}-00f067aa0ba902b7-01"}
    body = {"bsn": BSN["anna"], "bronReferentie": "TRACE-1", "signaaldatum": "2026-01-10"}
    before = head_seq(app)
    resp = client.post(
        "/api/v1/bronnen/cjib/signalen", json=body, headers={**bron_auth(plain), **header}
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.headers["traceresponse"].startswith(f"00-{FIXED_TRACE}-")
    rows = log_lines(app, before)
    assert rows and all(r["trace_id"] == FIXED_TRACE for r in rows)
    # Without a valid token the caller is not trusted.
    refused = client.post(
        "/api/v1/bronnen/cjib/signalen",
        json=body,
        headers={"Authorization": "Bearer nope", **header},
    )
    assert refused.status_code == 401
    assert FIXED_TRACE not in refused.headers.get("traceresponse", "")


def test_invalid_trusted_network_fails_at_start_up() -> None:
    with pytest.raises(ValueError):
        tracing.parse_networks(["10.0.0.0/33"])
    assert [str(n) for n in tracing.parse_networks(["10.1.2.3/8", " ", "::1"])] == [
        "10.0.0.0/8",
        "::1/128",
    ]


def test_the_officers_request_search_does_not_mix_requests_sharing_a_trace(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """Lines of two requests with the same (client-chosen, or trusted) trace id: "Alle regels
    van dit verzoek" on a line shows only its own request's lines."""
    first = TraceContext.new()
    second = TraceContext(first.trace_id, "00000000000000aa")
    mine = view(app, world, "reg1", "a", ("anna", "bram"), trace=first)
    other = view(app, world, "reg2", "b", ("dirk",), trace=second)
    login(client, "privacy1")
    page = client.get(f"/privacy/regels/{mine[0]}").get_data(as_text=True)
    link = re.search(
        r'href="(/privacy/logboek\?[^"]*trace=[^"]*)">Alle regels van dit verzoek', page
    )
    assert link, page
    found = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    shown = {int(s) for s in re.findall(r"regel (\d+)</span>", found)}
    assert shown == set(mine) and not shown & set(other)
