"""Learning whether a person has a plan is an inzage, on every path (issue 20, item 3).

``POST /api/v1/plannen`` used to answer 409 with the existing plan's URL (also for a plan the
caller may not open) and 422 "nog niet bekend" for an unknown person, without a logboek line.
Now the API logs exactly what the form "Nieuw plan" logs, and reveals no more than it does: the
regisseur's contact, the plan's address only to whoever may open it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World

UNKNOWN = "100000101"  # valid (11-proef), nobody in the world has it


def api_post(client: FlaskClient, world: World, user: str, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/plannen", json=body, headers={"Authorization": f"Bearer {world.tokens[user]}"}
    )


def form_post(client: FlaskClient, user: str, data: dict[str, str]) -> Any:
    login(client, user)
    token = csrf_token(client, "/plannen/nieuw")
    return client.post("/plannen/nieuw", data={**data, "csrf_token": token})


def what(rows: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    """The lines without what differs between the two paths by nature (name, trace, time)."""
    return {
        (
            r["kind"],
            r["action"],
            r["actor_type"],
            r["actor_id"],
            r["actor_role"],
            r["actor_organisation"],
            r["data_subject_id"],
            r["object_type"],
            r["object_id"],
            r["data_categories"],
            r["processing_activity_id"],
            r["emergency"],
        )
        for r in rows
    }


def test_existing_plan_is_logged_like_the_form_and_shows_only_the_contact(
    app: Flask, client: FlaskClient, world: World
) -> None:
    # reg1 asks about Dirk, who has a plan with reg2 (reg1 may not open it).
    before = head_seq(app)
    resp = api_post(
        client,
        world,
        "reg1",
        {
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming": {
                "gegevenDoor": "de betrokkene zelf",
                "gegevenOp": "2020-01-02",
                "wijze": "mondeling",
            },
        },
    )
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["regisseur"]["naam"] == "Rutger Tweede"
    assert "existingPlan" not in body
    assert "/plannen/" not in resp.get_data(as_text=True)
    api_lines = log_lines(app, before)
    assert pseudonym(app, BSN["dirk"]) in {r["data_subject_id"] for r in api_lines}
    assert all(r["action"] == "view" for r in api_lines)

    before = head_seq(app)
    page = form_post(
        client,
        "reg1",
        {
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Er is al een plan voor deze persoon" in html and "Rutger Tweede" in html
    assert f'href="/plannen/{world.plans["b"]}"' not in html
    form_lines = log_lines(app, before)
    assert api_lines and what(api_lines) == what(form_lines)


def test_the_plans_own_regisseur_gets_the_address(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before = head_seq(app)
    resp = api_post(
        client,
        world,
        "reg2",
        {
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming": {
                "gegevenDoor": "de betrokkene zelf",
                "gegevenOp": "2020-01-02",
                "wijze": "mondeling",
            },
        },
    )
    assert resp.status_code == 409
    assert resp.get_json()["existingPlan"] == f"/api/v1/plannen/{world.plans['b']}"
    assert pseudonym(app, BSN["dirk"]) in {r["data_subject_id"] for r in log_lines(app, before)}
    page = form_post(
        client,
        "reg2",
        {
            "bsn": BSN["dirk"],
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
    )
    assert f'href="/plannen/{world.plans["b"]}"' in page.get_data(as_text=True)


def test_unknown_person_is_logged_on_both_paths(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before = head_seq(app)
    resp = api_post(
        client,
        world,
        "reg1",
        {
            "bsn": UNKNOWN,
            "basis": "toestemming",
            "toestemming": {
                "gegevenDoor": "de betrokkene zelf",
                "gegevenOp": "2020-01-02",
                "wijze": "mondeling",
            },
        },
    )
    assert resp.status_code == 422
    assert resp.get_json()["invalidParams"][0]["name"] == "persoon"
    api_lines = log_lines(app, before)
    assert [(r["data_subject_id"], r["action"], r["data_categories"]) for r in api_lines] == [
        (pseudonym(app, UNKNOWN), "view", "bsn")
    ]
    before = head_seq(app)
    page = form_post(
        client,
        "reg1",
        {
            "bsn": UNKNOWN,
            "basis": "toestemming",
            "toestemming_gegeven_door": "de betrokkene zelf",
            "toestemming_gegeven_op": "2020-01-02",
            "toestemming_wijze": "mondeling",
            "status": "concept",
        },
    )
    assert page.status_code == 422 and "nog niet bekend" in page.get_data(as_text=True)
    assert what(log_lines(app, before)) == what(api_lines)


def test_unknown_household_member_is_logged_too(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """The same answer ("nog niet bekend") when linking a household member by BSN."""
    before = head_seq(app)
    resp = client.post(
        f"/api/v1/plannen/{world.plans['a']}/gezinslinks",
        json={"bsn": UNKNOWN, "relatie": "huisgenoot"},
        headers={"Authorization": f"Bearer {world.tokens['reg1']}"},
    )
    assert resp.status_code == 422
    lines = log_lines(app, before)
    assert (pseudonym(app, UNKNOWN), "view", "bsn") in {
        (r["data_subject_id"], r["action"], r["data_categories"]) for r in lines
    }
