"""The lockout counts every wrong attempt exactly once, also when they arrive together
(issue 20, item 4): real parallel requests against a real threaded server, on every backend."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.auth.models import LoginState
from app.db import session
from tests.conftest import base_config, get_database_engine
from tests.support.world import PASSWORD, World

WRONG = "fout-wachtwoord-lang"
PARALLEL = 12


@pytest.fixture
def server(db_url: str, _tmp_root: Path) -> Iterator[tuple[Flask, str]]:
    app = create_app(base_config(_tmp_root, db_url))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
        get_database_engine(app).dispose()


def _browser(url: str) -> tuple[httpx.Client, str]:
    """A browser of its own (cookies, CSRF token) on the login page."""
    client = httpx.Client(base_url=url, timeout=60, trust_env=False, follow_redirects=False)
    page = client.get("/inloggen")
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert m
    return client, m.group(1)


def _race(url: str, passwords: list[str], username: str) -> list[httpx.Response]:
    browsers = [_browser(url) for _ in passwords]
    start = threading.Barrier(len(passwords))

    def attempt(i: int) -> httpx.Response:
        client, token = browsers[i]
        start.wait()
        return client.post(
            "/inloggen",
            data={"username": username, "password": passwords[i], "csrf_token": token},
        )

    with ThreadPoolExecutor(len(passwords)) as pool:
        answers = list(pool.map(attempt, range(len(passwords))))
    for client, _token in browsers:
        client.close()
    return answers


def test_parallel_wrong_passwords_lock_once_and_never_500(
    server: tuple[Flask, str], world: World
) -> None:
    """The reproduction: 11 wrong and 1 right password at once against a 5-failure limit gave
    2 × 500 (two requests inserting the first login_state row) and counted past the limit."""
    app, url = server
    passwords = [WRONG] * (PARALLEL - 1) + [PASSWORD]
    answers = _race(url, passwords, "reg1")
    statuses = [r.status_code for r in answers]
    assert 500 not in statuses, statuses
    assert all(s == 401 for s in statuses[:-1]), statuses
    assert statuses[-1] in (302, 401), statuses
    wrong_bodies = {
        re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "CSRF", r.text) for r in answers[:-1]
    }
    assert len(wrong_bodies) == 1, "every refused attempt gets the same answer"
    with app.app_context():
        state = session.get(LoginState, world.users["reg1"])
        assert state is not None
        # Locked exactly once: the attempts past the limit do not count again (a second lock
        # would double the lock's length).
        assert state.locked_until is not None
        assert state.lockouts == 1, (state.lockouts, state.failed_attempts)
        assert state.failed_attempts == 0
    # Whatever the right password got, the account is locked now: no login at the code step.
    if statuses[-1] == 302:
        assert answers[-1].headers["Location"] == "/inloggen/code"


def test_parallel_first_failures_of_an_account_without_login_state(
    server: tuple[Flask, str], world: World
) -> None:
    """Every attempt is the first failure of an account that has no login_state row yet."""
    app, url = server
    with app.app_context():
        session.query(LoginState).filter_by(user_id=world.users["hulp1"]).delete()
        session.commit()
    answers = _race(url, [WRONG] * 4, "hulp1")
    assert [r.status_code for r in answers] == [401] * 4
    with app.app_context():
        state = session.get(LoginState, world.users["hulp1"])
        assert state is not None
        assert (state.failed_attempts, state.locked_until) == (4, None)


def test_the_right_password_after_the_limit_gets_the_answer_of_a_wrong_one(
    server: tuple[Flask, str], world: World
) -> None:
    _app, url = server
    _race(url, [WRONG] * 5, "reg2")
    answers: list[Any] = _race(url, [WRONG, PASSWORD, WRONG], "reg2")
    assert [r.status_code for r in answers] == [401, 401, 401]
    bodies = {re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "CSRF", r.text) for r in answers}
    assert len(bodies) == 1
