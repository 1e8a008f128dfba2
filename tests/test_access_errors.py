"""The access layer raises NotVisible / NotAllowed; app/errors.py turns them into exactly the
responses abort(404) / abort(403) give: the HTML error page, or problem+json under /api/."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from app.access import NotAllowed, NotVisible
from app.errors import EXPLANATIONS, TITLES
from tests.conftest import login


def _raise(exc: type[Exception]) -> Any:
    def view() -> Any:
        raise exc

    return view


def _abort(status: int) -> Any:
    def view() -> Any:
        abort(status)

    return view


@pytest.fixture
def routed(app: Flask) -> FlaskClient:
    """The app with routes that raise each refusal, and routes that abort() as before."""
    for prefix in ("", "/api/v1"):
        app.add_url_rule(f"{prefix}/_t/not-visible", f"t{prefix}nv", _raise(NotVisible))
        app.add_url_rule(f"{prefix}/_t/not-allowed", f"t{prefix}na", _raise(NotAllowed))
        app.add_url_rule(f"{prefix}/_t/abort-404", f"t{prefix}404", _abort(404))
        app.add_url_rule(f"{prefix}/_t/abort-403", f"t{prefix}403", _abort(403))
    return app.test_client()


@pytest.mark.parametrize(("name", "status"), [("not-visible", 404), ("not-allowed", 403)])
@pytest.mark.parametrize("prefix", ["", "/api/v1"])
def test_refusal_is_the_same_response_as_abort(
    routed: FlaskClient, name: str, status: int, prefix: str
) -> None:
    raised = routed.get(f"{prefix}/_t/{name}")
    aborted = routed.get(f"{prefix}/_t/abort-{status}")
    assert raised.status_code == aborted.status_code == status
    assert raised.mimetype == aborted.mimetype
    assert raised.get_data() == aborted.get_data()
    if prefix:
        assert raised.mimetype == "application/problem+json"
        assert raised.get_json() == {
            "type": "about:blank",
            "title": TITLES[status],
            "status": status,
            "detail": EXPLANATIONS[status],
        }
    else:
        assert raised.mimetype == "text/html"
        assert TITLES[status] in raised.get_data(as_text=True)


def test_plan_not_visible_is_404_page(client: FlaskClient, world: Any) -> None:
    login(client, "hulp1")  # Schuldhulp is not involved in plan b
    resp = client.get(f"/plannen/{world.plans['b']}")
    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert EXPLANATIONS[404] in resp.get_data(as_text=True)


def test_plan_not_visible_is_404_problem(client: FlaskClient, world: Any) -> None:
    resp = client.get(
        f"/api/v1/plannen/{world.plans['b']}",
        headers={"Authorization": f"Bearer {world.tokens['hulp1']}"},
    )
    assert resp.status_code == 404
    assert resp.mimetype == "application/problem+json"
    assert resp.get_json() == {
        "type": "about:blank",
        "title": TITLES[404],
        "status": 404,
        "detail": EXPLANATIONS[404],
    }
