"""The server as scripts/run.sh starts it (``serve.py``): each worker process listens on a socket
of its own, so connections spread over the workers; a port in use (also by another serve.py)
stops it before any worker starts; a worker that dies is replaced and listens again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.test_portaal import portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_live_workers import Workers, workers  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
ESTABLISHED, LISTENING = "01", "0A"


def worker_pids(server: int) -> list[int]:
    """The worker processes of a serve.py parent (not multiprocessing's resource tracker)."""
    with open(f"/proc/{server}/task/{server}/children") as f:
        children = [int(p) for p in f.read().split()]
    out = []
    for pid in children:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"spawn_main" in f.read():
                    out.append(pid)
        except FileNotFoundError:  # ended meanwhile
            continue
    return out


def sockets_per_process(port: int, pids: list[int], state: str) -> Counter[int]:
    """How many TCP sockets on local ``port`` in ``state`` (``01`` established, ``0A``
    listening) each process holds (from /proc)."""
    inodes: dict[str, int] = {}
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    held: Counter[int] = Counter()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cols = line.split()
                local_port = int(cols[1].rsplit(":", 1)[1], 16)
                if local_port == port and cols[3] == state and cols[9] in inodes:
                    held[inodes[cols[9]]] += 1
    return held


def open_clients(url: str, n: int) -> list[httpx.Client]:
    """``n`` browsers arriving at once, each holding its connection open after one page."""
    clients = [httpx.Client(base_url=url, timeout=30, trust_env=False) for _ in range(n)]
    with ThreadPoolExecutor(n) as pool:
        statuses = list(pool.map(lambda client: client.get("/inloggen").status_code, clients))
    assert statuses == [200] * n
    return clients


def test_connections_spread_over_the_workers(workers: Workers) -> None:  # noqa: F811
    port = int(workers.url.rsplit(":", 1)[1])
    pids = worker_pids(workers.proc.pid)
    assert len(pids) == 2
    # a listening socket each (one shared socket would be held by both, and by the parent)
    assert sockets_per_process(port, pids, LISTENING) == {pids[0]: 1, pids[1]: 1}
    assert not sockets_per_process(port, [workers.proc.pid], LISTENING)
    clients = open_clients(workers.url, 40)
    try:
        held = sockets_per_process(port, pids, ESTABLISHED)
        assert sum(held.values()) == 40
        # Spread by a hash of each connection's ports: 40 fall 20/20 on average, and fewer than 8
        # on one worker has a chance of 1 in 24,000. With one shared socket the worker that wakes
        # first accepts every connection waiting: 28:12, 29:11, 35:5 in three tries.
        assert min(held[pid] for pid in pids) >= 8, held
    finally:
        for client in clients:
            client.close()


def test_a_worker_that_dies_is_replaced_and_listens_again(workers: Workers) -> None:  # noqa: F811
    port = int(workers.url.rsplit(":", 1)[1])
    first = worker_pids(workers.proc.pid)
    os.kill(first[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while True:
        now = worker_pids(workers.proc.pid)
        if len(now) == 2 and first[0] not in now:
            clients = open_clients(workers.url, 30)  # every connection answered
            held = sockets_per_process(port, now, ESTABLISHED)
            for client in clients:
                client.close()
            if min(held[pid] for pid in now) > 0:  # the new worker took its share
                break
        assert time.monotonic() < deadline, f"no new worker listening: {now}"
        time.sleep(0.5)


def test_a_port_in_use_stops_it_before_any_worker_starts() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "serve.py", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert done.returncode == 3  # uvicorn's STARTUP_FAILURE
    assert b"Address already in use" in done.stderr
    assert b"Started" not in done.stderr  # no worker


def test_a_second_server_on_the_same_port_does_not_share_it(workers: Workers) -> None:  # noqa: F811
    """SO_REUSEPORT would let a second serve.py take half the connections (another release,
    another database): it must fail as on any port in use."""
    port = workers.url.rsplit(":", 1)[1]
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "serve.py", "--port", port, "--workers", "2"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert b"Address already in use" in done.stderr
