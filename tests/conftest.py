"""Test infrastructure.

Every test that needs the application runs once per database backend: always SQLite, and also
PostgreSQL when ``TEST_DATABASE_URL`` is set. A template database (migrated with Alembic, register
seeded, the test world loaded) is made once per backend and worker; each test gets its own copy
(a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so tests that go through
real HTTP servers or several connections stay isolated.
"""

from __future__ import annotations

import os

os.environ.setdefault("EENPLAN_ARGON2_PROFILE", "test")

import contextlib
import datetime as dt
import hashlib
import itertools
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import clock, create_app, migrate
from app.db import get_database, make_engine, session
from app.logboek import SYSTEM_ACTOR, Ledger
from app.logboek.ledger import install_ledger
from audit import TraceContext
from tests.support.world import PASSWORD, World, build_world, totp_secret

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
_counter = itertools.count()


@contextlib.contextmanager
def _unwritten_ledger() -> Iterator[None]:
    """The test world is the state before the tests, not anyone's processing: its logboek is
    what ``tests.support.world.seed_logboek`` writes, nothing else. It is built on a ledger that is
    deliberately never written, because the logboek's explicit paths (a citizen's decision,
    an exchange) refuse to run without one."""
    install_ledger(session, Ledger(trace=TraceContext.new(), actor=SYSTEM_ACTOR))
    try:
        yield
    finally:
        session.info.pop("ledger", None)


def _worker() -> str:
    # Unique per process: test runs in parallel (several checkouts) share one PostgreSQL server.
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def scratch_database(prefix: str) -> str:
    """Create an empty PostgreSQL database for one test; returns its name."""
    name = f"{prefix}_{_worker()}_{next(_counter)}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def drop_database(name: str) -> None:
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_url(dbname: str) -> str:
    base = urlsplit(os.environ["TEST_DATABASE_URL"])
    return urlunsplit(base._replace(path="/" + dbname))


def _pg_admin() -> Any:
    return make_engine(
        os.environ["TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT", poolclass=None
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres_only run only in their PostgreSQL variant (SQLite lacks the feature),
    tests marked sqlite_only only in their SQLite variant (the scenario is SQLite's own, e.g. a
    database file put back from a copy); tests marked redis only when TEST_REDIS_URL names a Redis server (CI sets it)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec else None
        if (
            item.get_closest_marker("postgres_only")
            and backend != "postgresql"
            or item.get_closest_marker("sqlite_only")
            and backend != "sqlite"
            or item.get_closest_marker("redis")
            and not os.environ.get("TEST_REDIS_URL")
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def base_config(instance: Path, url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        # Errors go through the app's own error handlers, as in production.
        "PROPAGATE_EXCEPTIONS": False,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key",
        "AUDIT_SUBJECT_KEY": "test-subject-key",
        "AUDIT_CHAIN_KEY": "test-chain-key",
        # Anchors belong to one database: each test database has its own store.
        "AUDIT_ANCHOR_STORE": str(
            instance / f"ankers-{hashlib.sha256(url.encode()).hexdigest()[:16]}.jsonl"
        ),
        "EENPLAN_MUNICIPALITY": "Gemeente Teststad",
        "SERVER_NAME": None,
        # The test client's host, and the one the TLS tests use (tests/test_security_hosts.py
        # tests the defaults).
        "EENPLAN_TRUSTED_HOSTS": ["localhost", "127.0.0.1", "eenplan.example"],
        "MFA_KEY": "test-mfa-key",
        # The access matrix logs in thousands of times from one address, as the same users
        # within seconds: per-IP rate limits and the once-only rule for TOTP codes would stop
        # it. Tests of those two (tests/test_security_*.py) switch them on.
        "RATELIMIT_ENABLED": False,
        "MFA_REPLAY_PROTECTION": False,
        # The portal's live event stream ends this quickly in tests that read it whole (the
        # access matrix); tests/test_portaal_logboek.py sets its own.
        "PORTAAL_LIVE_MAX_SECONDS": 0.3,
    }


class Template:
    """A migrated database with the world in it, to copy per test.

    With ``source`` it is a copy of another template, changed once by ``prepare`` (e.g. the
    access matrix's template with every user logged in, see tests/test_matrix.py)."""

    def __init__(
        self,
        backend: str,
        tmp: Path,
        source: Template | None = None,
        prepare: Callable[[Flask], Any] | None = None,
    ) -> None:
        self.backend = backend
        self.tmp = tmp
        self.made = time.monotonic()
        name = f"eenplan_tmpl_{_worker()}" + (f"_{next(_counter)}" if source else "")
        if backend == "sqlite":
            self.path = tmp / f"{name}.sqlite3"
            url = f"sqlite:///{self.path}"
            if source is not None:
                shutil.copyfile(source.path, self.path)
        else:
            self.dbname = name
            admin = _pg_admin()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                like = f' TEMPLATE "{source.dbname}"' if source is not None else ""
                conn.execute(text(f'CREATE DATABASE "{name}"{like}'))
            admin.dispose()
            url = _pg_url(name)
        app = create_app(base_config(tmp, url))
        if source is None:
            migrate.upgrade(app)
            with app.app_context(), _unwritten_ledger():
                self.world = build_world()
        else:
            self.world = source.world
        self.prepared = prepare(app) if prepare is not None else None
        get_database_engine(app).dispose()
        if backend == "sqlite":
            # Fold the WAL into the main file so a plain copy is complete.
            import sqlite3

            c = sqlite3.connect(self.path)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            c.execute("PRAGMA journal_mode=DELETE")
            c.close()

    def copy(self) -> tuple[str, Any]:
        n = next(_counter)
        if self.backend == "sqlite":
            target = self.tmp / f"t{n}.sqlite3"
            shutil.copyfile(self.path, target)
            return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
        name = f"eenplan_t_{_worker()}_{n}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.dbname}"'))
        admin.dispose()

        def drop() -> None:
            a = _pg_admin()
            with a.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            a.dispose()

        return _pg_url(name), drop

    def drop(self) -> None:
        if self.backend == "sqlite":
            self.path.unlink(missing_ok=True)
        else:
            admin = _pg_admin()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)'))
            admin.dispose()


def get_database_engine(app: Flask) -> Any:
    return app.extensions["eenplan_db"].engine


@pytest.fixture(scope="session")
def _tmp_root() -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix="eenplan-tests-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


_templates: dict[str, Template] = {}


@pytest.fixture(scope="session")
def templates(_tmp_root: Path) -> Iterator[dict[str, Template]]:
    yield _templates
    for t in _templates.values():
        t.drop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def template_for(backend: str, templates: dict[str, Template], tmp: Path) -> Template:
    if backend not in templates:
        templates[backend] = Template(backend, tmp)
    return templates[backend]


@pytest.fixture
def db_url(backend: str, templates: dict[str, Template], _tmp_root: Path) -> Iterator[str]:
    url, cleanup = template_for(backend, templates, _tmp_root).copy()
    yield url
    cleanup()


@pytest.fixture(scope="module", params=BACKENDS)
def shared_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def shared_app(
    shared_backend: str, templates: dict[str, Template], _tmp_root: Path
) -> Iterator[Flask]:
    """One database copy for a whole module of tests that change nothing but the logboek."""
    url, cleanup = template_for(shared_backend, templates, _tmp_root).copy()
    application = create_app(base_config(_tmp_root, url))
    yield application
    get_database_engine(application).dispose()
    cleanup()


@pytest.fixture(scope="module")
def shared_world(shared_backend: str, templates: dict[str, Template], shared_app: Flask) -> World:
    return templates[shared_backend].world


@pytest.fixture
def world(backend: str, templates: dict[str, Template], db_url: str) -> World:
    return templates[backend].world


@pytest.fixture
def app(db_url: str, _tmp_root: Path) -> Iterator[Flask]:
    application = create_app(base_config(_tmp_root, db_url))
    yield application
    get_database_engine(application).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _form_token(html: str) -> str:
    import re

    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Log in through the real forms: password, then the TOTP code from the user's
    authenticator (world users have one, see tests.support.world.totp_secret). A user without an
    authenticator (made in a test) sets one up on the way, as a person would: the secret is
    read from the enrolment page."""
    import re

    from app.auth.mfa import current_code

    page = client.get("/inloggen")
    token = _form_token(page.get_data(as_text=True))
    resp = client.post(
        "/inloggen", data={"username": username, "password": password, "csrf_token": token}
    )
    assert resp.status_code == 302, f"login as {username} failed: {resp.status_code}"
    step = urlsplit(resp.headers["Location"]).path
    if step == "/inloggen/code":
        page = client.get(step)
        resp = client.post(
            step,
            data={
                "code": current_code(totp_secret(username)),
                "csrf_token": _form_token(page.get_data(as_text=True)),
            },
        )
        assert resp.status_code == 302, f"second factor for {username} failed: {resp.status_code}"
        assert not resp.headers["Location"].endswith("/inloggen"), f"{username} not logged in"
    elif step == "/inloggen/tweestapsverificatie":
        page = client.get(step)
        html = page.get_data(as_text=True)
        m = re.search(r'class="utrecht-code ep-secret">([A-Z2-7 ]+)<', html)
        assert m, "enrolment page shows no secret"
        resp = client.post(
            step,
            data={
                "code": current_code(m.group(1).replace(" ", "")),
                "csrf_token": _form_token(html),
            },
        )
        assert resp.status_code == 200, f"enrolment for {username} failed: {resp.status_code}"
        assert "herstelcodes" in resp.get_data(as_text=True)
    else:
        raise AssertionError(f"unexpected step after the password: {step}")


def csrf_token(client: FlaskClient, path: str) -> str:
    import re

    page = client.get(path)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert m, f"no CSRF token on {path} ({page.status_code})"
    return m.group(1)


@pytest.fixture
def at_time() -> Iterator[Any]:
    """Move the application's clock (and so the logboek's) to a local moment; back after."""

    def move(local: dt.datetime) -> None:
        target = local.replace(tzinfo=clock.TZ).astimezone(dt.UTC)
        clock.set_offset(dt.timedelta(0))
        clock.set_offset(target - clock.now())

    yield move
    clock.set_offset(dt.timedelta(0))


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    def _login(username: str) -> FlaskClient:
        login(client, username)
        return client

    return _login


def log_lines(app: Flask, after_seq: int = 0) -> list[dict[str, Any]]:
    with app.app_context(), get_database().engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM audit_log_line WHERE seq > :s ORDER BY seq"), {"s": after_seq}
        ).mappings()
        return [dict(r) for r in rows]


def head_seq(app: Flask) -> int:
    with app.app_context(), get_database().engine.connect() as conn:
        return int(conn.execute(text("SELECT seq FROM audit_chain_head WHERE id = 1")).scalar_one())


def pseudonym(app: Flask, bsn: str) -> str:
    from audit import Subject

    return app.extensions["eenplan_logboek"].pseudonymise(Subject("BSN", bsn))  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Any]:
    """A real OpenID Connect provider process (oidc-provider-mock) on a free local port, for
    the whole test session (per worker). See tests/support/oidc_provider.py."""
    from tests.support.oidc_provider import run_provider

    with run_provider() as provider:
        yield provider


@pytest.fixture
def redis_url() -> str:
    return os.environ["TEST_REDIS_URL"]
