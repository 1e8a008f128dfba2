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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.support.serving import ESTABLISHED, LISTENING, sockets_per_process, worker_pids
from tests.test_portaal import portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_live_workers import Workers, workers  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent


def open_clients(url: str, n: int) -> tuple[list[httpx.Client], set[int]]:
    """``n`` browsers arriving at once, each holding its connection open after one page; and
    the (client) ports of their connections, so that only these are counted (not one another
    test's client happens to hold to a port number used again)."""
    clients = [httpx.Client(base_url=url, timeout=30, trust_env=False) for _ in range(n)]
    with ThreadPoolExecutor(n) as pool:
        responses = list(pool.map(lambda client: client.get("/inloggen"), clients))
    assert [r.status_code for r in responses] == [200] * n
    ports = {r.extensions["network_stream"].get_extra_info("client_addr")[1] for r in responses}
    assert len(ports) == n
    return clients, ports


def test_connections_spread_over_the_workers(workers: Workers) -> None:  # noqa: F811
    port = int(workers.url.rsplit(":", 1)[1])
    pids = worker_pids(workers.proc.pid)
    assert len(pids) == 2
    # a listening socket each (one shared socket would be held by both, and by the parent)
    assert sockets_per_process(port, pids, LISTENING) == {pids[0]: 1, pids[1]: 1}
    assert not sockets_per_process(port, [workers.proc.pid], LISTENING)
    clients, ports = open_clients(workers.url, 40)
    try:
        held = sockets_per_process(port, pids, ESTABLISHED, ports)
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
            clients, ports = open_clients(workers.url, 30)  # every connection answered
            held = sockets_per_process(port, now, ESTABLISHED, ports)
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
