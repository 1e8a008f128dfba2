"""The route guard: every route goes through it, and it keeps its promises.

The matrix (tests/test_matrix.py) proves what each route does for every user and object; this
module proves the shape around it: no route without a guard (a new route cannot be written
without deciding who may use it), nothing in the access layer aborts, no access fact travels
through ``flask.g``, and the guard's own steps in the order its docstring promises.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from app.access.guard import AFWEGING, INKIJK_PLAN, PLAN, PLAN_KERN, Guard, guard
from app.access.plans import PlanToegang
from app.domain import Rol
from tests.conftest import login
from tests.support.world import World

ROOT = Path(__file__).resolve().parent.parent


def _guards(app: Flask) -> dict[str, Guard | None]:
    return {
        endpoint: getattr(fn, "__guard__", None)
        for endpoint, fn in app.view_functions.items()
        if endpoint != "static"
    }


def test_every_route_has_a_guard(app: Flask) -> None:
    unguarded = sorted(e for e, g in _guards(app).items() if g is None)
    assert unguarded == [], f"routes without @guard/@public/@source_system: {unguarded}"


def test_public_routes_are_only_the_ones_without_personal_data(app: Flask) -> None:
    """A public route declares no processing activity and resolves nothing: if it showed
    personal data, the ledger would refuse it for lack of a declaration."""
    for endpoint, spec in _guards(app).items():
        assert spec is not None
        if spec.public:
            assert spec.verwerking is None, endpoint
            assert spec.resolve is None, endpoint
            assert not spec.roles, endpoint


def test_routes_that_resolve_a_plan_or_case_declare_why(app: Flask) -> None:
    """Resolving a plan or a weighing loads personal data: the route must say under which
    processing activity (a resolver that only checks a permission, such as the privacy
    officer's logboek access, may go without)."""
    personal = {PLAN, PLAN_KERN, INKIJK_PLAN, AFWEGING}
    guards = _guards(app)
    resolving = [e for e, spec in guards.items() if spec and spec.resolve in personal]
    assert len(resolving) > 20  # the plan, berichten, inkijk, API and signal routes
    for endpoint in resolving:
        spec = guards[endpoint]
        assert spec is not None and spec.verwerking is not None, endpoint


def test_the_access_layer_never_aborts_and_nothing_uses_flask_g_for_access() -> None:
    access = ROOT / "app" / "access"
    for path in access.rglob("*.py"):
        assert "abort(" not in path.read_text(), path
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bg\.acting", text), path
        assert not re.search(r"g\.get\(\s*[\"']acting", text), path


def test_old_role_decorators_are_gone() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text()
        for name in ("roles_required", "plan_roles", "burger_required", "def _team("):
            assert name not in text, f"{path}: {name}"


def _without_nonces(body: bytes) -> bytes:
    """The page without what differs per response anyway (CSP nonces, CSRF tokens)."""
    body = re.sub(rb'nonce="[^"]*"', b"", body)
    return re.sub(rb'name="csrf_token"[^>]*value="[^"]*"', b"", body)


def test_a_wrong_role_is_refused_before_the_object_is_looked_up(
    app: Flask, client, world: World
) -> None:
    """Step 2 before step 4: a melder asking for a plan that exists and one that does not gets
    the same 403 (the role says nothing about any object)."""
    login(client, "melder1")
    existing = client.get(f"/plannen/{world.plans['a']}")
    missing = client.get("/plannen/999999")
    assert existing.status_code == missing.status_code == 403
    assert _without_nonces(existing.get_data()) == _without_nonces(missing.get_data())


def test_an_object_the_user_may_not_know_is_404_like_one_that_does_not_exist(
    app: Flask, client, world: World
) -> None:
    login(client, "hulp1")
    hidden = client.get(f"/plannen/{world.plans['b']}")
    missing = client.get("/plannen/999999")
    assert hidden.status_code == missing.status_code == 404
    assert _without_nonces(hidden.get_data()) == _without_nonces(missing.get_data())


@pytest.mark.parametrize("path", ["/plannen", "/mijn/"])
def test_anonymous_users_are_sent_to_their_login(app: Flask, client, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 302
    expected = "/mijn/inloggen" if path.startswith("/mijn") else "/inloggen"
    assert resp.headers["Location"].split("?")[0].endswith(expected)


def test_the_guard_records_the_acting_role_on_the_ledger(app: Flask, world: World) -> None:
    """Step 5, in isolation: the resolved plan's access path lands on the ledger explicitly."""
    from app.db import session
    from app.logboek import current_ledger, unit_of_work
    from app.users.models import User

    seen: dict[str, object] = {}

    @guard(
        roles=[Rol.REGISSEUR, Rol.HULPVERLENER], verwerking="regie-multiproblematiek", resolve=PLAN
    )
    def view(plan_id: int, toegang: PlanToegang) -> str:
        ledger = current_ledger()
        seen["role"] = ledger.acting_role
        seen["path"] = ledger.access_path
        seen["plan"] = toegang.plan.id
        return "ok"

    with app.test_request_context():
        from flask_login import login_user

        with unit_of_work(session, "regie-multiproblematiek", name="test"):
            user = session.get(User, world.users["hulp1"])
            assert user is not None
            login_user(user)
            assert view(plan_id=world.plans["a"]) == "ok"
    assert seen == {"role": "hulpverlener", "path": "hulpverlener", "plan": world.plans["a"]}
