"""Benchmarks never rot: every script in ``bench/`` runs with ``--smoke`` in the full test run.

Each script is found by itself (a ``.py`` file in ``bench/`` that runs as ``__main__``), so a new
benchmark is in the run from the day it is added, and one without ``--smoke`` fails here. The
smoke run is the real script as a process of its own, with tiny sizes, on a fresh database: on
SQLite (in the test's own folder, ``BENCH_INSTANCE_PATH``) and on PostgreSQL when
``TEST_DATABASE_URL`` is set (a scratch database, ``BENCH_DATABASE_URL``, dropped after). A
non-zero exit fails the test with the end of the script's output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKENDS, _pg_url, drop_database, scratch_database

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SCRIPTS = sorted(
    p.name for p in BENCH.glob("*.py") if 'if __name__ == "__main__":' in p.read_text()
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "BENCH_INSTANCE_PATH": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("BENCH_DATABASE_URL", None)
    return env


def _run(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _tail(done: subprocess.CompletedProcess[str]) -> str:
    lines = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if '"level": "INFO"' not in line  # the request log of the app under test
    ]
    return "\n".join(lines[-40:])


def test_the_benchmarks_are_found() -> None:
    assert {"plan_overhead.py", "logboek_groot.py", "signalen_purge.py"} <= set(SCRIPTS)
    assert "common.py" not in SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_has_a_smoke_mode(script: str, tmp_path: Path) -> None:
    done = _run([str(BENCH / script), "--help"], _env(tmp_path), timeout=60)
    assert done.returncode == 0, _tail(done)
    assert "--smoke" in done.stdout, f"bench/{script} has no --smoke mode (see bench/common.py)"


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_smoke_run(script: str, backend: str, tmp_path: Path) -> None:
    env = _env(tmp_path)
    database = None
    if backend == "postgresql":
        database = scratch_database("eenplan_bench")
        env["BENCH_DATABASE_URL"] = _pg_url(database)
    try:
        done = _run([str(BENCH / script), "--smoke"], env, timeout=300)
    finally:
        if database is not None:
            drop_database(database)
    assert done.returncode == 0, f"bench/{script} --smoke exited {done.returncode}:\n{_tail(done)}"
