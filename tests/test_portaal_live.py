"""The live streams of Mijn Eenplan, served as in production: the ASGI site (app/portaal/stream.py)
in a real uvicorn server, the Flask app inside it. A regisseur's view, an exchange and a line whose
"visible from" date passes arrive in the citizen's open stream; nothing about others travels;
the limits answer 429 and the site keeps answering everyone else; the WSGI app alone never holds
a worker thread for a stream."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from flask import Flask
from flask.testing import FlaskClient

from app import clock
from app.portaal.stream import HttpProtocol, Site
from tests.conftest import head_seq, log_lines, login
from tests.support.oidc_provider import free_port
from tests.support.world import World
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_logboek import write_line


class Served:
    """The ASGI site in a real uvicorn server (a thread of this process)."""

    def __init__(self, app: Flask) -> None:
        self.site = Site(app, wsgi_threads=8)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            self.site, host="127.0.0.1", port=port, log_level="warning", http=HttpProtocol
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def cookies(client: FlaskClient, app: Flask) -> dict[str, str]:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return {"Cookie": f"{cookie.key}={cookie.value}"}


class Stream:
    """An open event stream over a real connection, read in its own thread."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.events: list[dict[str, Any]] = []
        self.ids: list[str] = []
        self.status = 0
        self.headers: dict[str, str] = {}
        self.opened = threading.Event()
        self.error: BaseException | None = None
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=None), trust_env=False)
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self.opened.wait(15), f"stream did not answer: {self.error!r}"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                self.status, self.headers = resp.status_code, dict(resp.headers)
                if resp.status_code != 200:
                    resp.read()
                    self.body = resp.text
                    self.opened.set()
                    return
                fields: dict[str, str] = {}
                for line in resp.iter_lines():
                    self.opened.set()
                    if line == "":
                        if fields.get("event") == "regel":
                            self.events.append(json.loads(fields["data"]))
                            self.ids.append(fields["id"])
                        fields = {}
                    elif ": " in line:
                        key, value = line.split(": ", 1)
                        fields[key] = value
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.opened.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.events

    def close(self) -> None:
        self._client.close()


@pytest.fixture
def served(portaal_app: Flask) -> Iterator[Served]:  # noqa: F811
    portaal_app.config["PORTAAL_LIVE_HEARTBEAT_SECONDS"] = 0.5
    portaal_app.config["PORTAAL_LIVE_MAX_SECONDS"] = 30
    portaal_app.config["PORTAAL_LIVE_POLL_SECONDS"] = 0.2
    server = Served(portaal_app)
    yield server
    server.close()


def test_a_regisseurs_view_arrives_in_the_citizens_stream(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    stream = Stream(f"{served.url}/mijn/logboek/live", cookies(citizen, portaal_app))
    assert stream.status == 200 and stream.headers["content-type"].startswith("text/event-stream")
    assert stream.headers["x-accel-buffering"] == "no"
    staff = portaal_app.test_client()
    login(staff, "reg1")
    before = head_seq(portaal_app)
    assert staff.get(f"/plannen/{world.plans['a']}").status_code == 200
    events = stream.wait_for(1)
    assert events, "no event arrived"
    new = [r["seq"] for r in log_lines(portaal_app, before)]
    assert events[0]["seq"] in new
    assert "Regina Eerste" in events[0]["html"] and "Bekeken" in events[0]["html"]
    stream.close()


def test_a_line_committed_by_another_process_arrives_by_sequence(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No notification at all (as when another process wrote it on SQLite, or a NOTIFY was
    lost): the per-process poll by sequence still brings the line."""
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    stream = Stream(f"{served.url}/mijn/logboek/live", cookies(citizen, portaal_app))
    from app.logboek import events, writer

    monkeypatch.setattr(writer, "announcement", lambda lines: None)  # no NOTIFY
    with events.lines_committed.muted():  # and no in-process signal
        seq = write_line(portaal_app, "anna", reason="Van elders")
    assert [e["seq"] for e in stream.wait_for(1)] == [seq]
    stream.close()


def test_the_stream_carries_nothing_about_others_and_nothing_deferred(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    stream = Stream(f"{served.url}/mijn/logboek/live", cookies(citizen, portaal_app))
    staff = portaal_app.test_client()
    login(staff, "reg2")
    staff.get(f"/plannen/{world.plans['b']}")  # Dirk's plan: not Anna's business
    write_line(
        portaal_app,
        "anna",
        disclose_after=clock.today() + dt.timedelta(days=5),
        deferral_reason="Gedwongen kader",
    )
    visible = write_line(portaal_app, "anna", reason="Zichtbaar")
    events = stream.wait_for(1)
    time.sleep(0.6)  # a poll or two more: nothing else comes
    assert [e["seq"] for e in events] == [visible]
    stream.close()


def test_exchanges_arrive_live_on_their_page(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    assert 'data-live="/mijn/uitwisselingen/live"' in citizen.get("/mijn/uitwisselingen").text
    stream = Stream(f"{served.url}/mijn/uitwisselingen/live", cookies(citizen, portaal_app))
    write_line(portaal_app, "anna", reason="Alleen bekeken")  # no exchange: not on this page
    seq = write_line(
        portaal_app,
        "anna",
        kind="uitwisseling",
        action="export",
        sender="Gemeente Teststad",
        recipient="GGZ Teststad",
    )
    events = stream.wait_for(1)
    time.sleep(0.4)
    assert [e["seq"] for e in events] == [seq]
    assert "GGZ Teststad" in events[0]["html"]
    stream.close()


def test_a_deferred_line_appears_when_its_date_passes(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    """The stream wakes itself at midnight: a line visible from tomorrow arrives then."""
    midnight = dt.datetime.combine(
        clock.today() + dt.timedelta(days=1), dt.time(), clock.TZ
    ).astimezone(dt.UTC)

    def at(before_midnight: float) -> None:
        target = midnight - dt.timedelta(seconds=before_midnight)
        clock.set_offset(target - dt.datetime.now(dt.UTC))

    at(60)
    try:
        citizen = as_citizen(portaal_app, oidc_provider, "anna")
        today = clock.today()
        seq = write_line(
            portaal_app,
            "anna",
            disclose_after=today + dt.timedelta(days=1),
            deferral_reason="Gedwongen kader",
        )
        at(2.5)
        stream = Stream(
            f"{served.url}/mijn/logboek/live?na={seq - 1}&dag={today:%Y%m%d}",
            cookies(citizen, portaal_app),
        )
        early = list(stream.events) if clock.now() < midnight - dt.timedelta(seconds=0.5) else None
        events = stream.wait_for(1, timeout=10)
        assert [e["seq"] for e in events] == [seq]
        assert early in (None, [])  # not before its day
        assert stream.ids[0].endswith((today + dt.timedelta(days=1)).strftime("_%Y%m%d"))
        stream.close()
    finally:
        clock.set_offset(dt.timedelta(0))


def test_too_many_streams_get_429_and_the_site_still_answers_others(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    limit = portaal_app.config["PORTAAL_LIVE_MAX_PER_SESSIE"]
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    headers = cookies(citizen, portaal_app)
    streams = [Stream(f"{served.url}/mijn/logboek/live", headers) for _ in range(limit + 40)]
    statuses = [s.status for s in streams]
    assert statuses.count(200) == limit
    assert statuses.count(429) == 40
    refused = next(s for s in streams if s.status == 429)
    assert refused.headers["retry-after"] == "30" and "te vaak" in refused.body
    # Everyone else is still served, promptly: a login page, another citizen's stream, a page.
    with httpx.Client(base_url=served.url, timeout=5, trust_env=False) as other:
        t0 = time.monotonic()
        assert other.get("/inloggen").status_code == 200
        assert time.monotonic() - t0 < 3
    dirk = as_citizen(portaal_app, oidc_provider, "dirk")
    theirs = Stream(f"{served.url}/mijn/logboek/live", cookies(dirk, portaal_app))
    assert theirs.status == 200
    with httpx.Client(base_url=served.url, timeout=5, trust_env=False) as browser:
        assert browser.get("/mijn/logboek", headers=headers).status_code == 200
        body = browser.get("/mijn/logboek/nieuw?na=0", headers=headers).json()
        assert "regels" in body  # the page's fallback: polling
    for s in [*streams, theirs]:
        s.close()
    # Closed streams are given back: a new one is granted again.
    deadline = time.monotonic() + 10
    while served.site.streams.limits.open and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served.site.streams.limits.open == 0
    again = Stream(f"{served.url}/mijn/logboek/live", headers)
    assert again.status == 200
    again.close()


def test_the_stream_checks_the_login_session_again(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    headers = cookies(citizen, portaal_app)
    stream = Stream(f"{served.url}/mijn/logboek/live", headers)
    assert stream.status == 200
    token = citizen.get("/mijn/").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    citizen.post("/mijn/uitloggen", data={"csrf_token": token})
    write_line(portaal_app, "anna", reason="Na het uitloggen")
    # The next look ends the stream (nothing sent), and a reconnect is refused.
    deadline = time.monotonic() + 10
    while stream._thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stream._thread.is_alive() and stream.events == []
    again = Stream(f"{served.url}/mijn/logboek/live", headers)
    assert again.status in (302, 401)


def test_without_the_stream_service_the_wsgi_route_never_waits(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    """Served by the WSGI app alone, the stream route sends the catch-up and ends: the browser
    comes back after ``retry`` (polling by another name) and no worker thread waits."""
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    seq = write_line(portaal_app, "anna", reason="Al geschreven")
    t0 = time.monotonic()
    resp = citizen.get(f"/mijn/logboek/live?na={seq - 1}")
    assert time.monotonic() - t0 < 2
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and text.startswith("retry: 3000")
    assert f'"seq": {seq}' in text


def test_the_limits_count_per_session_per_citizen_and_in_all() -> None:
    from app.portaal.stream import Limits

    limits = Limits(per_sessie=2, per_inwoner=3, total=5)
    assert limits.acquire("s1", "anna") is None and limits.acquire("s1", "anna") is None
    assert limits.acquire("s1", "anna") == "U heeft deze pagina al te vaak tegelijk open."
    assert limits.acquire("s2", "anna") is None  # another session of hers
    assert limits.acquire("s3", "anna") == "Uw logboek is al te vaak tegelijk open."
    assert limits.acquire("s4", "dirk") is None and limits.acquire("s5", "bram") is None
    assert limits.acquire("s6", "eva") == "Er kijken nu te veel mensen tegelijk live mee."
    limits.release("s1", "anna")
    assert limits.acquire("s6", "eva") is None and limits.open == 5


def test_a_page_brought_up_to_date_yesterday_gets_the_lines_that_came_free_today(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    seq = write_line(
        portaal_app, "anna", disclose_after=clock.today(), deferral_reason="Gedwongen kader"
    )
    newer = write_line(portaal_app, "anna", reason="Daarna")
    yesterday = (clock.today() - dt.timedelta(days=1)).strftime("%Y%m%d")
    today = clock.today().strftime("%Y%m%d")
    # Polling and the stream alike: lines after `na`, and those whose date passed since `dag`.
    body = citizen.get(f"/mijn/logboek/nieuw?na={newer}&dag={yesterday}").get_json()
    assert [r["seq"] for r in body["regels"]] == [seq] and body["dag"] == today
    assert citizen.get(f"/mijn/logboek/nieuw?na={newer}&dag={today}").get_json()["regels"] == []
    stream = citizen.get(f"/mijn/logboek/live?na={newer}&dag={yesterday}").get_data(as_text=True)
    assert f'"seq": {seq}' in stream and f"id: {newer}_{today}" in stream
    resumed = citizen.get("/mijn/logboek/live", headers={"Last-Event-ID": f"{newer}_{yesterday}"})
    assert f'"seq": {seq}' in resumed.get_data(as_text=True)


def test_heartbeats_and_a_kernel_timeout_notice_a_vanished_client(
    served: Served,
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    """A comment line every heartbeat, and TCP_USER_TIMEOUT on the connection: a client that
    stops acknowledging is dropped by the kernel, and the next heartbeat ends the stream."""
    import socket

    citizen = as_citizen(portaal_app, oidc_provider, "anna")
    port = int(served.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        cookie = cookies(citizen, portaal_app)["Cookie"]
        sock.sendall(
            f"GET /mijn/logboek/live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n".encode()
        )
        got = b""
        deadline = time.monotonic() + 5
        while b": wacht" not in got and time.monotonic() < deadline:
            got += sock.recv(4096)
        assert b" 200 " in got.split(b"\r\n", 1)[0] and b": wacht" in got
        timeouts = [
            c.transport.get_extra_info("socket").getsockopt(
                socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT
            )
            for c in served.server.server_state.connections
        ]
        assert timeouts and set(timeouts) == {40_000}


def test_open_streams_hold_no_thread(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    """Four times as many open streams as the server has threads for pages: every page still
    answers at once (under gthread, 32 open streams stopped the whole site)."""
    portaal_app.config.update(
        PORTAAL_LIVE_MAX_PER_SESSIE=40,
        PORTAAL_LIVE_MAX_PER_INWONER=40,
        PORTAAL_LIVE_POLL_SECONDS=1,
        PORTAAL_LIVE_MAX_SECONDS=60,
        PORTAAL_LIVE_HEARTBEAT_SECONDS=1,
    )
    served = Served(portaal_app)  # 8 threads for the pages
    try:
        citizen = as_citizen(portaal_app, oidc_provider, "anna")
        headers = cookies(citizen, portaal_app)
        streams = [Stream(f"{served.url}/mijn/logboek/live", headers) for _ in range(32)]
        assert [s.status for s in streams] == [200] * 32
        assert served.site.streams.limits.open == 32
        with httpx.Client(base_url=served.url, timeout=5, trust_env=False) as other:
            for path in ("/inloggen", "/mijn/inloggen", "/static/js/portaal-live.js"):
                t0 = time.monotonic()
                assert other.get(path).status_code == 200
                assert time.monotonic() - t0 < 2, path
        seq = write_line(portaal_app, "anna", reason="Voor iedereen")
        for s in streams:
            assert [e["seq"] for e in s.wait_for(1)] == [seq]
            s.close()
    finally:
        served.close()
