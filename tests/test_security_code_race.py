"""The second factor's lockout and replay check hold when attempts arrive together (review:
TOTP lockout race): real parallel requests against a real threaded server, on every backend."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.auth import mfa
from app.auth.models import LoginState
from app.db import session
from app.users.models import User
from tests.conftest import base_config, get_database_engine
from tests.support.world import PASSWORD, World, totp_secret

WRONG_CODE = "000000"


@pytest.fixture
def server(db_url: str, _tmp_root: Path) -> Iterator[tuple[Flask, str]]:
    config = base_config(_tmp_root, db_url)
    config["MFA_REPLAY_PROTECTION"] = True
    app = create_app(config)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=5)
        get_database_engine(app).dispose()


class _Events(logging.Handler):
    """The security log's events, in the order the server wrote them."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.events.append(str(getattr(record, "event", "")))


@pytest.fixture
def events() -> Iterator[_Events]:
    handler = _Events()
    logger = logging.getLogger("eenplan.security")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _csrf(page: httpx.Response) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert m, page.text[:500]
    return m.group(1)


def _at_code_step(url: str, username: str) -> tuple[httpx.Client, str]:
    """A browser of its own that passed the password step: on the code page."""
    client = httpx.Client(base_url=url, timeout=60, trust_env=False, follow_redirects=False)
    token = _csrf(client.get("/inloggen"))
    r = client.post(
        "/inloggen", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/inloggen/code", r.status_code
    return client, _csrf(client.get("/inloggen/code"))


def _race(url: str, username: str, codes: list[str]) -> list[httpx.Response]:
    browsers = [_at_code_step(url, username) for _ in codes]
    start = threading.Barrier(len(codes))

    def attempt(i: int) -> httpx.Response:
        client, token = browsers[i]
        start.wait()
        return client.post("/inloggen/code", data={"code": codes[i], "csrf_token": token})

    with ThreadPoolExecutor(len(codes)) as pool:
        answers = list(pool.map(attempt, range(len(codes))))
    for client, _token in browsers:
        client.close()
    return answers


def _logged_in(r: httpx.Response) -> bool:
    return r.status_code == 302 and not r.headers["Location"].startswith("/inloggen")


def _code_now(app: Flask, username: str) -> str:
    with app.app_context():
        return mfa.current_code(totp_secret(username))


def test_parallel_codes_never_log_in_past_the_limit(
    server: tuple[Flask, str], world: World, events: _Events
) -> None:
    """One failure short of the limit, then wrong codes and the right one at once: the first
    wrong code counted locks the account, and no code decided after that logs in."""
    app, url = server
    limit = int(app.config["LOGIN_MAX_FAILURES"])
    with app.app_context():
        state = session.get(LoginState, world.users["reg1"])
        if state is None:
            state = LoginState(user_id=world.users["reg1"], failed_attempts=0, lockouts=0)
            session.add(state)
        state.failed_attempts = limit - 1
        session.commit()
    codes = [WRONG_CODE] * 10 + [_code_now(app, "reg1")]
    answers = _race(url, "reg1", codes)
    statuses = [r.status_code for r in answers]
    assert 500 not in statuses, statuses
    relevant = [e for e in events.events if e in ("account.locked", "login.success")]
    # Locked exactly once, and no login decided after the lock.
    assert relevant.count("account.locked") == 1, events.events
    assert "login.success" not in relevant[relevant.index("account.locked") :], relevant
    with app.app_context():
        state = session.get(LoginState, world.users["reg1"])
        assert state is not None
        assert state.locked_until is not None, "the wrong codes lock the account"
    assert not any(_logged_in(r) for r in answers[:-1]), statuses


def test_the_same_code_sent_at_once_logs_in_once(server: tuple[Flask, str], world: World) -> None:
    app, url = server
    code = _code_now(app, "hulp1")
    answers = _race(url, "hulp1", [code] * 6)
    statuses = [r.status_code for r in answers]
    assert 500 not in statuses, statuses
    assert sum(_logged_in(r) for r in answers) == 1, [
        (r.status_code, r.headers.get("Location")) for r in answers
    ]


def test_the_same_recovery_code_sent_at_once_logs_in_once(
    server: tuple[Flask, str], world: World
) -> None:
    app, url = server
    with app.app_context():
        user = session.get(User, world.users["reg2"])
        assert user is not None
        code = mfa.new_recovery_codes(user)[0]
        session.commit()
    answers = _race(url, "reg2", [code] * 6)
    statuses = [r.status_code for r in answers]
    assert 500 not in statuses, statuses
    assert sum(_logged_in(r) for r in answers) == 1, [
        (r.status_code, r.headers.get("Location")) for r in answers
    ]
    with app.app_context():
        user = session.get(User, world.users["reg2"])
        assert user is not None
        assert mfa.recovery_codes_left(user) == mfa.RECOVERY_CODES - 1
