"""Shared by the benchmark scripts: an application on a database of its own.

The database comes from ``BENCH_DATABASE_URL`` (e.g. ``postgresql://postgres@127.0.0.1:5432/
eenplan_bench``); without it, an SQLite file under ``instance/bench/`` (``BENCH_INSTANCE_PATH``
moves that folder, and the application's instance folder with it). A PostgreSQL database that
does not exist yet is created. Keys are fixed bench keys, so a generated log can be reused
between runs.

Every script has ``--smoke`` (:func:`add_smoke`): tiny sizes, a few seconds, a fresh database
(``_smoke`` after its name), and a non-zero exit when anything fails — the full test run runs
them all (tests/test_bench_smoke.py), so a change that breaks a benchmark fails CI.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EENPLAN_ARGON2_PROFILE", "test")

BENCH_KEYS = {
    "SECRET_KEY": "bench-secret-key",
    "AUDIT_SUBJECT_KEY": "bench-subject-key",
    "AUDIT_CHAIN_KEY": "bench-chain-key",
}


SMOKE_HELP = (
    "tiny sizes, a few seconds, a fresh database: checks that the benchmark still works "
    "(exits non-zero when it does not); its figures mean nothing"
)


def add_smoke(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)


def smoke_failed(message: str) -> NoReturn:
    """End a run whose result is wrong (not merely slow): exit status 1."""
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def instance_path() -> Path:
    folder = Path(os.environ.get("BENCH_INSTANCE_PATH") or ROOT / "instance" / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url(name: str, *, smoke: bool = False) -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{instance_path() / (name + ('_smoke' if smoke else '') + '.sqlite3')}"


def ensure_postgres_database(url: str, *, fresh: bool) -> None:
    from sqlalchemy import text

    from app.db import make_engine

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = make_engine(urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def make_app(url: str, *, fresh: bool = False, **config: Any) -> Any:
    """An application on ``url``, migrated (and emptied first when ``fresh``)."""
    from app import create_app, migrate

    if url.startswith("postgresql"):
        ensure_postgres_database(url, fresh=fresh)
    elif fresh:
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance_path()),
            "PROPAGATE_EXCEPTIONS": False,
            # A line per request on stderr would bury the figures (the requests a benchmark
            # makes in process, e.g. logboek_groot.py's read API lookups).
            "LOG_LEVEL": "WARNING",
            **BENCH_KEYS,
            **config,
        }
    )
    migrate.upgrade(app)
    return app


def log_line_indexes(engine: Any) -> list[tuple[str, str]]:
    """The logboek's secondary indexes as (name, CREATE INDEX …) in the engine's own dialect, as
    the schema declares them (on PostgreSQL with their INCLUDE columns): what a benchmark drops
    before loading lines with COPY and builds again after."""
    from sqlalchemy.schema import CreateIndex

    from audit import schema

    return [
        (ix.name, str(CreateIndex(ix).compile(dialect=engine.dialect)))
        for ix in schema.log_line.indexes
        if ix.name is not None
    ]


def bsn_from(n: int) -> str:
    """The first valid BSN (11-proef) from ``n`` on: synthetic residents for the benchmarks."""
    while True:
        digits = [int(c) for c in f"{n:08d}"]
        check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
        if check < 10:
            return f"{n:08d}{check}"
        n += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def describe(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 50):.2f} ms, p95 {percentile(values, 95):.2f} ms, "
        f"p99 {percentile(values, 99):.2f} ms, mean {statistics.fmean(values):.2f} ms"
    )


def start_uvicorn(
    url: str,
    port: int,
    workers: int,
    *,
    target: str = "asgi:app",
    log_name: str,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``serve.py`` (uvicorn) serving ``target`` as ``scripts/run.sh`` starts it (``workers``
    processes, the streaming protocol), in a process group of its own, on the bench's database
    and keys; returns once ``/inloggen`` answers 200 and every worker listens. Its output goes
    to ``instance/bench/<log_name>``. Stop it with :func:`stop_server`."""
    import httpx

    environment = {
        **os.environ,
        **BENCH_KEYS,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance_path()),
        "MFA_KEY": "bench-mfa-key",
        "EENPLAN_ARGON2_PROFILE": "test",
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "SESSION_IDLE_MINUTES": "600",
        **(env or {}),
    }
    out = open(instance_path() / log_name, "wb")  # noqa: SIM115 - lives with the process
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed modules
        [sys.executable, "serve.py", "--app", target, "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", str(workers), *extra],
        env=environment,
        cwd=ROOT,
        stdout=out,
        stderr=out,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            smoke_failed(f"uvicorn stopped ({proc.returncode}); see {out.name}")
        try:
            resp = httpx.get(f"http://127.0.0.1:{port}/inloggen", timeout=2, trust_env=False)
            # Every worker listening (a socket each): users who connect while only the first
            # does would all land on it, and stay there.
            if resp.status_code == 200 and listening_sockets(port) >= workers:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    smoke_failed("uvicorn did not start")


def listening_sockets(port: int) -> int:
    """How many TCP sockets listen on ``port`` on this machine (Linux; elsewhere: as many as
    asked, so the caller does not wait)."""
    from tests.support.serving import LISTENING, tcp_sockets

    try:
        return len(tcp_sockets(port, LISTENING))
    except FileNotFoundError:
        return 1_000


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server from :func:`start_uvicorn` and its workers (the whole process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
