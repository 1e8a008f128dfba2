"""The live event streams of Mijn Eenplan, served without a worker thread per stream.

An open "Wie heeft mijn gegevens gezien" or "Met wie is wat uitgewisseld" page keeps one
Server-Sent Events connection open for minutes. In a threaded WSGI server each such connection
holds a worker thread, and a few dozen of them stop the whole site. So Eenplan is served as one
ASGI application (:class:`Site`, ``asgi.py``, run by uvicorn):

* the stream paths (:data:`STREAM_PATHS`) go to :class:`StreamService`: an open stream is a
  coroutine on the event loop — memory, no thread;
* everything else goes to the Flask (WSGI) application through a2wsgi's thread pool, as before.

The stream service decides nothing itself. Whenever it needs to know something — on connect, on
every notification for its citizen, at midnight (when lines with a "visible from" date may come
free) — it calls the Flask view of the same path *in process* (one short WSGI call on a small
thread pool) with a dict in the environ (:data:`app.portaal.views.logboek.STREAM_CHECK`). That
call goes through the same guard, login-session check (idle and absolute timeouts, revocation),
access filter and ledger rules as every page; a refusal (login page, 403, 404…) ends the stream
with that answer. A stream carries only lines that call returned.

Limits (site-wide, over all worker processes): ``PORTAAL_LIVE_MAX_PER_SESSIE`` open streams
per login session, ``PORTAAL_LIVE_MAX_PER_INWONER`` per citizen and ``PORTAAL_LIVE_MAX_STREAMS``
in all; one more gets ``429`` with ``Retry-After`` and the page polls instead. Each process
counts its own streams first (:class:`Limits`, no query), then claims a lease in the database
(:mod:`app.portaal.leases`), renewed every heartbeat and given back when the stream ends. A heartbeat comment every
``PORTAAL_LIVE_HEARTBEAT_SECONDS`` (15) and ``TCP_USER_TIMEOUT`` on the connection
(:class:`HttpProtocol`, ``PORTAAL_LIVE_DEAD_CLIENT_SECONDS``, 40) notice a client that went
away without closing within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi import build_environ
from flask import Flask
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.db import get_database
from app.logboek import live
from app.portaal import leases
from app.portaal.views.logboek import STREAM_CHECK

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

STREAM_PATHS = frozenset({"/mijn/logboek/live", "/mijn/uitwisselingen/live"})

log = logging.getLogger("eenplan.live")


class Limits:
    """Open streams per login session, per citizen and in all (this process)."""

    def __init__(self, per_sessie: int, per_inwoner: int, total: int) -> None:
        self.per_sessie, self.per_inwoner, self.total = per_sessie, per_inwoner, total
        self._sessies: dict[str, int] = {}
        self._inwoners: dict[str, int] = {}
        self.open = 0

    def acquire(self, sessie: str, inwoner: str) -> str | None:
        """None: granted; else why not (for the 429's text)."""
        if self.open >= self.total:
            return leases.ALLES_VOL
        if self._sessies.get(sessie, 0) >= self.per_sessie:
            return leases.SESSIE_VOL
        if self._inwoners.get(inwoner, 0) >= self.per_inwoner:
            return leases.INWONER_VOL
        self._sessies[sessie] = self._sessies.get(sessie, 0) + 1
        self._inwoners[inwoner] = self._inwoners.get(inwoner, 0) + 1
        self.open += 1
        return None

    def release(self, sessie: str, inwoner: str) -> None:
        for counts, key in ((self._sessies, sessie), (self._inwoners, inwoner)):
            counts[key] -= 1
            if counts[key] <= 0:
                del counts[key]
        self.open -= 1


class Check:
    """The answer of one in-process call of the stream's Flask view."""

    def __init__(
        self, status: int, headers: list[tuple[str, str]], body: bytes, found: dict[str, Any]
    ):
        self.status, self.headers, self.body, self.found = status, headers, body, found

    @property
    def ok(self) -> bool:
        return self.status == 204 and "pseudoniem" in self.found


def _event(seq: int, html: str, event_id: str) -> str:
    data = json.dumps({"seq": seq, "html": html})
    return f"id: {event_id}\nevent: regel\ndata: {data}\n\n"


class StreamService:
    """The stream paths, as an ASGI application."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.broker = live.broker(app)
        cfg = app.config
        self.heartbeat = float(cfg.get("PORTAAL_LIVE_HEARTBEAT_SECONDS", 15))
        self.max_seconds = float(cfg.get("PORTAAL_LIVE_MAX_SECONDS", 300))
        per_sessie = int(cfg.get("PORTAAL_LIVE_MAX_PER_SESSIE", 3))
        per_inwoner = int(cfg.get("PORTAAL_LIVE_MAX_PER_INWONER", 6))
        total = int(cfg.get("PORTAAL_LIVE_MAX_STREAMS", 10_000))
        self.limits = Limits(per_sessie, per_inwoner, total)
        with app.app_context():
            engine = get_database().engine
        self.leases = leases.Leases(
            engine,
            per_sessie,
            per_inwoner,
            total,
            float(cfg.get("PORTAAL_LIVE_LEASE_SECONDS", 60)),
        )
        self._renewer: asyncio.Task[None] | None = None
        self.executor = ThreadPoolExecutor(
            max_workers=int(cfg.get("PORTAAL_LIVE_CHECK_THREADS", 4)),
            thread_name_prefix="eenplan-live-check",
        )
        self._feeder: asyncio.Task[None] | None = None

    def start(self) -> None:
        """The broker's feed (database poll, LISTEN) on this loop; once per process."""
        if self._feeder is None or self._feeder.done():
            self._feeder = asyncio.get_running_loop().create_task(live.run(self.app))
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.get_running_loop().create_task(self._renew())

    async def _renew(self) -> None:
        """Every heartbeat (at most a third of a lease's life): this process's leases, renewed
        in one statement — never a query per stream or per event."""
        loop = asyncio.get_running_loop()
        every = max(0.05, min(self.heartbeat, self.leases.seconds / 3))
        while True:
            await asyncio.sleep(every)
            if not self.limits.open:
                continue
            try:
                await loop.run_in_executor(self.executor, self.leases.renew)
            except Exception:  # noqa: BLE001 - the next round tries again; leases outlive a few
                log.warning("live leases not renewed", extra={"event": "live.renew_failed"})

    async def stop(self) -> None:
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._renewer
        if self.limits.open:
            with contextlib.suppress(Exception):
                await asyncio.get_running_loop().run_in_executor(
                    self.executor, self.leases.release_all
                )
        if self._feeder is not None:
            self._feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._feeder
        self.executor.shutdown(wait=False)

    # --- the in-process call --------------------------------------------------------------

    def _call(self, scope: Scope, query: str, last_event_id: str | None) -> Check:
        environ: dict[str, Any] = dict(build_environ(scope, io.BytesIO(b"")))  # type: ignore[arg-type]
        environ["QUERY_STRING"] = query
        environ.pop("HTTP_LAST_EVENT_ID", None)
        if last_event_id:
            environ["HTTP_LAST_EVENT_ID"] = last_event_id
        found: dict[str, Any] = {}
        environ[STREAM_CHECK] = found
        answer: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            answer["status"] = int(status.split(" ", 1)[0])
            answer["headers"] = headers
            return lambda data: None

        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return Check(answer["status"], answer["headers"], body, found)

    async def check(self, scope: Scope, query: str, last_event_id: str | None) -> Check:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._call, scope, query, last_event_id)

    # --- the stream -----------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.start()
        headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin1")
        first = await self.check(scope, query, headers.get("last-event-id"))
        if not first.ok:
            await _plain(send, first.status, first.headers, first.body)
            return
        sessie, inwoner = str(first.found["sessie"]), str(first.found["pseudoniem"])
        loop = asyncio.get_running_loop()
        lease: str | None = None
        refused = self.limits.acquire(sessie, inwoner)  # this process: no query
        if refused is None:
            try:
                lease, refused = await loop.run_in_executor(
                    self.executor, self.leases.claim, sessie, inwoner
                )
            except Exception:  # noqa: BLE001 - no lease, no stream: the page polls
                log.warning("live lease not claimed", extra={"event": "live.claim_failed"})
                refused = leases.ALLES_VOL
            finally:
                if lease is None:
                    self.limits.release(sessie, inwoner)
        if refused is not None:
            log.info(
                "live stream refused", extra={"event": "live.refused", "open": self.limits.open}
            )
            text = f"{refused} De pagina vraagt nu om de paar seconden om nieuwe regels.\n"
            await _plain(
                send,
                429,
                [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "30")],
                text.encode(),
            )
            return
        assert lease is not None
        waiter = live.Waiter(loop)
        self.broker.subscribe(inwoner, waiter)
        closed = asyncio.Event()

        async def watch_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            closed.set()
            waiter.ring(0)

        watcher = loop.create_task(watch_disconnect())
        try:
            await self._serve(scope, send, first, waiter, closed)
        except OSError:
            pass  # the client is gone
        finally:
            watcher.cancel()
            self.broker.unsubscribe(inwoner, waiter)
            self.limits.release(sessie, inwoner)
            try:
                await loop.run_in_executor(self.executor, self.leases.release, lease)
            except Exception:  # noqa: BLE001 - it expires on its own
                log.warning("live lease not released", extra={"event": "live.release_failed"})

    async def _serve(
        self, scope: Scope, send: Send, first: Check, waiter: live.Waiter, closed: asyncio.Event
    ) -> None:
        loop = asyncio.get_running_loop()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache, no-store"),
                    (b"x-accel-buffering", b"no"),
                    *[
                        (k.lower().encode("latin1"), v.encode("latin1"))
                        for k, v in first.headers
                        if k.lower() in _SECURITY_HEADERS
                    ],
                ],
            }
        )
        state = first.found
        last, dag = int(state["laatste"]), str(state["dag"])
        checked = last
        out = [f"retry: 3000\nid: {last}_{dag}\n\n"]
        out += [_event(s, h, f"{last}_{dag}") for s, h in state["regels"]]
        await _chunk(send, "".join(out))
        now = loop.time()
        deadline = now + self.max_seconds
        wake_at = now + float(state["wekker"])
        while not closed.is_set():
            now = loop.time()
            if now >= deadline:
                break
            rung = await waiter.wait(max(0.0, min(self.heartbeat, deadline - now, wake_at - now)))
            if closed.is_set():
                break
            due = loop.time() >= wake_at
            if rung and waiter.seq <= checked and not due:
                continue  # a line already read (the notification came twice)
            if not rung and not due:
                await _chunk(send, ": wacht\n\n")
                continue
            checked = max(checked, waiter.seq)
            answer = await self.check(scope, "", f"{last}_{dag}")
            if not answer.ok:
                break  # the login ended (or access changed): the reconnect gets the answer
            state = answer.found
            last, dag = int(state["laatste"]), str(state["dag"])
            wake_at = loop.time() + float(state["wekker"])
            if state["regels"]:
                await _chunk(
                    send, "".join(_event(s, h, f"{last}_{dag}") for s, h in state["regels"])
                )
        with contextlib.suppress(OSError):
            await send({"type": "http.response.body", "body": b"", "more_body": False})


# Headers of the view's answer the stream passes on (the rest is the stream's own).
_SECURITY_HEADERS = frozenset(
    {"content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"}
)


async def _chunk(send: Send, text: str) -> None:
    await send({"type": "http.response.body", "body": text.encode(), "more_body": True})


async def _plain(send: Send, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(k.lower().encode("latin1"), v.encode("latin1")) for k, v in headers],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class Site:
    """Eenplan as one ASGI application: the streams here, everything else the Flask app."""

    def __init__(self, app: Flask, *, wsgi_threads: int | None = None) -> None:
        self.app = app
        self.streams = StreamService(app)
        threads = wsgi_threads or int(app.config["WSGI_THREADS"])
        self.wsgi = WSGIMiddleware(app, workers=threads)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] in STREAM_PATHS and scope["method"] == "GET":
            await self.streams(scope, receive, send)
        else:
            await self.wsgi(scope, receive, send)  # type: ignore[arg-type]

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.streams.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.streams.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol with ``TCP_USER_TIMEOUT``: a connection whose peer stops
    acknowledging (a laptop lid closed, a network gone) is dropped after that many seconds of
    unacknowledged data — the next heartbeat finds it. ``uvicorn --http
    app.portaal.stream:HttpProtocol``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        timeout_ms = int(float(os.environ.get("PORTAAL_LIVE_DEAD_CLIENT_SECONDS", "40")) * 1000)
        option = getattr(socket, "TCP_USER_TIMEOUT", None)
        if sock is not None and option is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, option, timeout_ms)
        super().connection_made(transport)


def open_streams(site: Site) -> int:
    """How many streams this process holds open (tests, the benchmark)."""
    return site.streams.limits.open


__all__ = ["STREAM_PATHS", "HttpProtocol", "Limits", "Site", "StreamService", "open_streams"]
