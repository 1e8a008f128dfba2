"""The live stream limits hold for the whole site, not per worker process: uvicorn with two
worker processes (as scripts/run.sh runs it) still gives one login session exactly
``PORTAAL_LIVE_MAX_PER_SESSIE`` streams in all, and a lease left by a crashed process stops
counting once it expires (app/portaal/leases.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from sqlalchemy import func, select

from app.db import get_database
from app.portaal import leases
from app.portaal.leases import Leases, StreamLease
from tests.conftest import base_config
from tests.support.citizens import burger_app_config
from tests.support.oidc_provider import free_port
from tests.support.serving import wait_for_listening_workers
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_live import Stream, cookies

ROOT = Path(__file__).resolve().parent.parent


class Workers:
    """``serve.py --workers 2`` (as scripts/run.sh) in a process of its own, on the test's
    database."""

    def __init__(self, config: dict[str, Any]) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "EENPLAN_TEST_APP_CONFIG": json.dumps(config)}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "serve.py",
                "--app",
                "tests.support.live_site:app",
                "--workers",
                "2",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "2",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=self.url, timeout=2, trust_env=False) as client:
            while True:
                assert self.proc.poll() is None, "uvicorn stopped"
                assert time.monotonic() < deadline, "uvicorn did not start"
                try:
                    if client.get("/inloggen").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        wait_for_listening_workers(self.proc.pid, port, 2)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture
def workers(
    portaal_app: Flask,  # noqa: F811
    db_url: str,
    _tmp_root: Path,
    oidc_provider: Any,
) -> Iterator[Workers]:
    config = base_config(_tmp_root, db_url)
    config["OIDC_PROVIDERS"] = {"burger": burger_app_config(oidc_provider)}
    config.update(
        PORTAAL_LIVE_HEARTBEAT_SECONDS=0.5,
        PORTAAL_LIVE_MAX_SECONDS=60,
        PORTAAL_LIVE_POLL_SECONDS=0.5,
        PORTAAL_LIVE_LEASE_SECONDS=10,
    )
    served = Workers(config)
    yield served
    served.close()


def live_leases(app: Flask) -> list[StreamLease]:
    with app.app_context(), get_database().sessionmaker() as db:
        now = dt.datetime.now(dt.UTC)
        return list(db.scalars(select(StreamLease).where(StreamLease.expires_at > now)))


def test_two_worker_processes_give_a_session_its_limit_in_all(
    workers: Workers,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: Any,
) -> None:
    limit = portaal_app.config["PORTAAL_LIVE_MAX_PER_SESSIE"]
    assert limit == 3
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    headers = cookies(citizen, portaal_app)
    url = f"{workers.url}/mijn/logboek/live"
    # Many connections: the two processes each accept some of them.
    streams = [Stream(url, headers) for _ in range(limit + 20)]
    statuses = [s.status for s in streams]
    assert statuses.count(200) == limit, statuses
    assert statuses.count(429) == 20
    refused = next(s for s in streams if s.status == 429)
    assert refused.headers["retry-after"] == "30" and "te vaak" in refused.body
    held = live_leases(portaal_app)
    assert len(held) == limit
    assert len({lease.sessie for lease in held}) == 1  # a hash, not the session id
    assert all("anna" not in lease.pseudoniem for lease in held)
    # Closing one gives its place back, site-wide.
    open_ones = [s for s in streams if s.status == 200]
    open_ones[0].close()
    deadline = time.monotonic() + 10
    while len(live_leases(portaal_app)) >= limit and time.monotonic() < deadline:
        time.sleep(0.1)
    again = Stream(url, headers)
    assert again.status == 200
    assert Stream(url, headers).status == 429
    for s in [*streams, again]:
        s.close()


def _engine(app: Flask) -> Any:
    with app.app_context():
        return get_database().engine


def test_the_limits_hold_across_processes_and_expired_leases_do_not_count(
    portaal_app: Flask,  # noqa: F811
) -> None:
    engine = _engine(portaal_app)
    one = Leases(engine, per_sessie=2, per_inwoner=3, total=4, seconds=0.6)
    two = Leases(engine, per_sessie=2, per_inwoner=3, total=4, seconds=30)
    assert one.proces != two.proces
    first, _ = one.claim("s1", "p-anna")
    assert first is not None and two.claim("s1", "p-anna")[0] is not None
    assert two.claim("s1", "p-anna") == (None, leases.SESSIE_VOL)
    assert one.claim("s2", "p-anna")[0] is not None
    assert two.claim("s3", "p-anna") == (None, leases.INWONER_VOL)
    assert two.claim("s4", "p-dirk")[0] is not None
    assert one.claim("s5", "p-bram") == (None, leases.ALLES_VOL)
    one.release(first)
    assert two.claim("s5", "p-bram")[0] is not None
    # Process one "crashes": it renews nothing. Once its leases expire they count no more, and
    # the next claim removes them.
    two.renew()
    time.sleep(0.8)
    assert one.claim("s2", "p-anna")[0] is not None  # s2's old lease (of one) expired
    with portaal_app.app_context(), get_database().sessionmaker() as db:
        procs = db.scalars(select(StreamLease.proces)).all()
    assert procs.count(one.proces) == 1  # only the new one: the expired ones were removed


def test_renewing_keeps_a_lease_alive(portaal_app: Flask) -> None:  # noqa: F811
    engine = _engine(portaal_app)
    holder = Leases(engine, per_sessie=1, per_inwoner=1, total=10, seconds=0.6)
    other = Leases(engine, per_sessie=1, per_inwoner=1, total=10, seconds=0.6)
    assert holder.claim("s1", "p")[0] is not None
    for _ in range(4):
        time.sleep(0.3)
        holder.renew()
        assert other.claim("s1", "p") == (None, leases.SESSIE_VOL)
    # An expired lease of a process that is gone: ignored in the count.
    with portaal_app.app_context(), get_database().sessionmaker() as db:
        db.add(
            StreamLease(
                id=uuid.uuid4().hex,
                sessie="s9",
                pseudoniem="q",
                proces="dood",
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            )
        )
        db.commit()
        assert other.claim("s9", "q")[0] is not None
        assert db.scalar(select(func.count()).where(StreamLease.proces == "dood")) == 0
