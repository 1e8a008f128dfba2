"""Serves Eenplan as ``scripts/run.sh`` runs it: uvicorn, several worker processes, one port.

    .venv/bin/python serve.py --host 127.0.0.1 --port 5000 --workers 2

What ``uvicorn asgi:app --workers N`` does, with one difference: **each worker listens on a
socket of its own** on the same port (``SO_REUSEPORT``), and the kernel spreads new connections
over them evenly (by a hash of each connection's addresses). With uvicorn's one shared socket
the worker whose event loop wakes first accepts every connection then waiting (asyncio accepts
in a loop), so browsers that arrive together mostly land on one worker: 28:12, 29:11 and 35:5 of
40 in ``tests/test_serve.py``; in the city benchmark (``bench/stad.py``, 50 users) one worker ran
1.8 times the Python the other did. A connection stays with its worker (keep-alive), so spreading
connections is what spreads the load.

The parent binds the port first, without sharing and without listening: a port already in
use — also by another ``serve.py``, whose sockets would otherwise share it — fails here with
uvicorn's message, before any worker starts. uvicorn's supervisor (health checks, a dead worker
replaced, ``SIGTERM``/``SIGINT`` end all) runs the workers; each worker binds its socket when it
starts (:class:`OwnSocket`).
The live event streams of Mijn Eenplan do not care which worker holds a page: a worker learns of
new lines from the database (``app/portaal/stream.py``).

What a socket per worker costs: connections waiting in a worker's queue when that worker stops
(it crashed, the supervisor replaced a hung one, ``SIGHUP`` restarts them all) are reset, where
the shared socket let the other worker take them; the browser retries. (Linux ≥ 5.14 can hand
them to another worker: ``sysctl net.ipv4.tcp_migrate_req=1``.) Only Linux spreads connections
over such sockets; elsewhere the load lands as it did. Options beyond these (TLS, a Unix socket,
``--root-path``) belong to the reverse proxy in front, as the README's production set-up has it.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

APP = "asgi:app"
HTTP = "app.portaal.stream:HttpProtocol"

log = logging.getLogger("uvicorn.error")


def bind(host: str, port: int, *, shared: bool = True) -> socket.socket:
    """A TCP socket bound to (host, port); ``shared``: one that other sockets of this user may
    share (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class OwnSocket:
    """A worker's listening socket, made in the worker.

    uvicorn's supervisor hands every worker the sockets it was given (pickled into the spawned
    process). This stands in for one: unpickled in a worker, it becomes a new socket bound to the
    same address there (``__reduce__``), so each worker listens on its own.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return (bind, (self.host, self.port))


def config(host: str, port: int, workers: int, app: str = APP, **options: Any) -> uvicorn.Config:
    """The server configuration ``scripts/run.sh``, the benchmarks and the tests use."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=workers,
        http=HTTP,
        proxy_headers=False,
        server_header=False,
        access_log=False,
        **options,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backlog", type=int, default=2048)
    parser.add_argument("--timeout-keep-alive", type=int, default=5)
    parser.add_argument("--timeout-graceful-shutdown", type=int, default=5)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--app", default=APP, help="what to serve (tests, benchmarks: their own)")
    parser.add_argument("--factory", action="store_true", help="--app names a function")
    args = parser.parse_args(argv)
    cfg = config(
        args.host,
        args.port,
        args.workers,
        args.app,
        factory=args.factory,
        backlog=args.backlog,
        timeout_keep_alive=args.timeout_keep_alive,
        timeout_graceful_shutdown=args.timeout_graceful_shutdown,
        log_level=args.log_level,
    )
    cfg.configure_logging()
    try:
        # First without SO_REUSEPORT: fails when anything holds the port, also another serve.py
        # (whose sockets would otherwise share it: two servers, each getting half the users).
        probe = bind(args.host, args.port, shared=False)
        port = probe.getsockname()[1]
        probe.close()
        reserved = bind(args.host, port)
    except OSError as exc:
        log.error(exc)
        return STARTUP_FAILURE
    shown = f"[{args.host}]" if ":" in args.host else args.host
    log.info("Eenplan on http://%s:%d, %d worker(s), a socket each", shown, port, args.workers)
    if args.workers <= 1:
        uvicorn.Server(cfg).run(sockets=[reserved])
        return 0
    Multiprocess(cfg, sockets=[OwnSocket(args.host, port)]).run()  # type: ignore[list-item]
    reserved.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
