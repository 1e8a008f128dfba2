"""Application logs are structured (JSON) and pseudonymous: the log output of representative
requests — every registered route, failed logins, bad input, a crash — holds no BSN, no name,
no SQL and no stack trace, and every line can be traced (trace id, user id)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.security.logs import make_handler, scrub
from tests.conftest import base_config, get_database_engine
from tests.routes import ROUTES
from tests.routes.facts import PERSON_NAME
from tests.support.world import BSN, STAFF, World
from tests.test_security_web import _client_for, _csrf, call


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = make_handler("json", stream)
    loggers = [logging.getLogger("eenplan"), logging.getLogger("app")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield stream
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def forbidden_texts(world: World) -> list[str]:
    names = list(PERSON_NAME.values())
    names += [n.split()[0] for n in PERSON_NAME.values()]  # first names alone too
    names += [name for name, _roles, _org in STAFF.values()]
    emails = [f"{u}@test.example" for u in STAFF]
    return [*BSN.values(), *names, *emails, *world.tokens.values()]


def test_scrub_replaces_only_numbers_that_pass_the_11_proef() -> None:
    assert scrub("bsn 111222333 en 123456789 en 1112223334") == (
        "bsn [bsn] en 123456789 en 1112223334"
    )


@pytest.mark.slow
def test_the_logs_of_representative_requests_hold_no_personal_data(
    db_url: str, _tmp_root: Path, world: World, log_output: io.StringIO
) -> None:
    app: Flask = create_app(base_config(_tmp_root, db_url))

    def boom() -> str:
        raise ValueError(f"kapot bij {BSN['anna']} (Anna Aalders): SELECT bsn FROM person")

    app.add_url_rule("/_test/boom", "boom", boom)
    cache: dict[str, Any] = {}
    ordered = sorted(
        ROUTES, key=lambda s: s.endpoint in ("auth.logout", "account.overal_uitloggen")
    )
    for spec in ordered:
        for user in ("anoniem", "reg1", "hulp1"):
            call(app, world, spec, user, cache)
    anon = _client_for(app, world, "anoniem", {})
    token = world.tokens["reg1"]
    api = {"Authorization": f"Bearer {token}"}
    # Failed logins with a BSN or a name typed as username.
    for username in (BSN["anna"], "Anna Aalders", "reg1"):
        anon.post(
            "/inloggen",
            data={"username": username, "password": BSN["bram"], "csrf_token": _csrf(anon)},
        )
    # Bad and good BSNs in API bodies; unknown paths with a BSN in them.
    anon.post("/api/v1/personen/_zoek", json={"bsn": BSN["anna"]}, headers=api)
    anon.post("/api/v1/personen/_zoek", json={"bsn": "12345678"}, headers=api)
    anon.post("/api/v1/plannen", json={"bsn": BSN["nieuw"], "basis": "x"}, headers=api)
    anon.get(f"/personen/{BSN['kees']}", headers=api)
    anon.get("/_test/boom")
    get_database_engine(app).dispose()

    lines = [line for line in log_output.getvalue().splitlines() if line.strip()]
    assert len(lines) > 100
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    text = log_output.getvalue()
    for forbidden in forbidden_texts(world):
        assert forbidden not in text, f"the log contains {forbidden!r}"
    for leak in ("SELECT", "INSERT", "Traceback", 'File "', "kapot"):
        assert leak not in text, f"the log contains {leak!r}"

    requests = [r for r in records if r.get("event") == "request"]
    assert requests and all(r.get("trace_id") and r.get("level") == "INFO" for r in requests)
    assert all(r["route"] is None or "<" in r["route"] or "?" not in r["route"] for r in requests)
    logged_in = [r for r in requests if r.get("user_id") is not None]
    assert {r["user_id"] for r in logged_in} >= {world.users["reg1"], world.users["hulp1"]}
    crash = [r for r in records if r.get("level") == "ERROR"]
    assert crash and crash[0]["message"].startswith("unhandled ValueError")
    failed = [r for r in records if r.get("event") == "login.failed"]
    assert len(failed) >= 3 and all("username" not in r for r in failed)


def test_an_exception_logged_with_its_trace_becomes_class_and_place(
    log_output: io.StringIO,
) -> None:
    log = logging.getLogger("eenplan.test")
    try:
        raise KeyError(f"persoon {BSN['eva']} Eva Evers")
    except KeyError:
        log.exception("iets ging mis met %s", BSN["eva"])
    record = json.loads(log_output.getvalue().strip().splitlines()[-1])
    assert record["exception"] == "KeyError"
    assert (
        record["where"].startswith("tests/test_security_logs.py:")
        or "test_security_logs" in record["where"]
    )
    assert record["message"] == "iets ging mis met [bsn]"
    assert "Eva" not in log_output.getvalue() and "exc_info" not in record
