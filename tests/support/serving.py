"""What a test can see of a running ``serve.py`` from /proc: its worker processes and the sockets
each holds on the port."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Collection

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


def tcp_sockets(port: int, state: str, peers: Collection[int] | None = None) -> list[str]:
    """The inodes of the TCP sockets on local ``port`` in ``state`` (``01`` established, ``0A``
    listening), IPv4 and IPv6, from /proc/net (Linux); ``peers``: only those connected from
    these (client) ports."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cols = line.split()
                local, peer = (int(cols[i].rsplit(":", 1)[1], 16) for i in (1, 2))
                if local == port and cols[3] == state and (peers is None or peer in peers):
                    found.append(cols[9])
    return found


def sockets_per_process(
    port: int, pids: list[int], state: str, peers: Collection[int] | None = None
) -> Counter[int]:
    """How many TCP sockets on local ``port`` in ``state`` (``01`` established, ``0A``
    listening) each process holds (from /proc); ``peers``: only connections from these ports."""
    inodes: dict[str, int] = {}
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    return Counter(inodes[i] for i in tcp_sockets(port, state, peers) if i in inodes)


def wait_for_listening_workers(server: int, port: int, workers: int, timeout: float = 60) -> None:
    """Until each of ``workers`` worker processes listens on ``port``: the first worker answers
    before the others have built the app, and with a socket per worker a connection may be
    handed to any of them only once it listens."""
    deadline = time.monotonic() + timeout
    while True:
        pids = worker_pids(server)
        if len(pids) == workers and len(sockets_per_process(port, pids, LISTENING)) == workers:
            return
        assert time.monotonic() < deadline, f"not every worker listens: {pids}"
        time.sleep(0.2)
