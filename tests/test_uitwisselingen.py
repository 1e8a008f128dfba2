"""Exchanges (uitwisselingen): an export, information asked of and received from an organisation,
a signal received — each logged with sender, recipient, subject, data and purpose."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.db import session
from app.logboek import NoLedger, unit_of_work, verwerking
from app.logboek import exchanges as uitwisselingen
from tests.conftest import head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World


def _route(app: Flask, name: str, fn: Any, activity: str = "regie-multiproblematiek") -> None:
    @verwerking(activity, name=f"test.{name}")
    def view() -> str:
        fn()
        return "klaar"

    app.add_url_rule(f"/test-{name}", f"test_{name}", view, methods=["GET"])


def test_export_is_logged_per_person(app, client, world: World) -> None:
    def do() -> None:
        uitwisselingen.export(
            refs=[("plan", world.plans["a"]), ("person", world.persons["kees"])],
            categories=("naw", "plan", "activiteiten"),
            recipient="Regina Eerste (download)",
            object_type="plan",
            object_id=world.plans["a"],
        )

    _route(app, "export", do)
    login(client, "reg1")
    before = head_seq(app)
    assert client.get("/test-export").status_code == 200
    rows = log_lines(app, before)
    assert {r["data_subject_id"] for r in rows} == {
        pseudonym(app, BSN["anna"]),
        pseudonym(app, BSN["kees"]),
    }
    for r in rows:
        assert (r["kind"], r["action"]) == ("uitwisseling", "export")
        assert r["sender"] == "Gemeente Teststad" and r["recipient"] == "Regina Eerste (download)"
        assert r["data_categories"] == "activiteiten,naw,plan"
        assert r["processing_activity_id"] == "regie-multiproblematiek"
        assert r["processing_activity_version_id"] is not None
        assert r["actor_name"] == "Regina Eerste"
        assert r["object_type"] == "plan" and r["object_id"] == str(world.plans["a"])


def test_information_asked_and_received(app, client, world: World) -> None:
    def do() -> None:
        uitwisselingen.information_asked(
            refs=[("person", world.persons["dirk"])], asked_of="Jeugdhulp Teststad"
        )
        uitwisselingen.information_received(
            refs=[("person", world.persons["dirk"])],
            received_from="Jeugdhulp Teststad",
            categories=("zorg",),
        )

    _route(app, "vraag", do, activity="signalen-afweging")
    login(client, "reg2")
    before = head_seq(app)
    client.get("/test-vraag")
    rows = [
        (r["action"], r["sender"], r["recipient"], r["data_categories"])
        for r in log_lines(app, before)
    ]
    assert rows == [
        ("send", "Gemeente Teststad", "Jeugdhulp Teststad", "bsn,naw"),
        ("receive", "Jeugdhulp Teststad", "Gemeente Teststad", "zorg"),
    ]
    assert {r["processing_activity_id"] for r in log_lines(app, before)} == {"signalen-afweging"}


def test_signal_received_by_a_job(app, world: World) -> None:
    """Outside a request (a job receiving a source's file), in a unit of work."""
    with app.app_context():
        before = head_seq(app)
        with unit_of_work(session, "vroegsignalering-schulden", name="signaal.ontvangen"):
            uitwisselingen.signal_received(
                refs=[("person", world.persons["eva"])],
                source="Belastingdienst",
                categories=("schulden",),
            )
    rows = log_lines(app, before)
    assert len(rows) == 1
    r = rows[0]
    assert (r["kind"], r["action"], r["sender"], r["actor_type"]) == (
        "uitwisseling",
        "receive",
        "Belastingdienst",
        "systeem",
    )
    assert r["data_subject_id"] == pseudonym(app, BSN["eva"])
    assert r["processing_activity_id"] == "vroegsignalering-schulden"
    assert r["object_type"] == "vroegsignaal"


def test_an_exchange_that_rolled_back_is_not_logged(app, world: World) -> None:
    with app.app_context():
        before = head_seq(app)
        with (
            pytest.raises(RuntimeError, match="mislukt"),
            unit_of_work(session, "regie-multiproblematiek"),
        ):
            uitwisselingen.sent_to(
                refs=[("plan", world.plans["a"])], recipient="GGZ Teststad", categories=("naw",)
            )
            raise RuntimeError("verzenden mislukt")
    assert log_lines(app, before) == []


def test_no_exchange_without_a_unit_of_work(app, world: World) -> None:
    with app.app_context(), pytest.raises(NoLedger):
        uitwisselingen.export(
            refs=[("plan", world.plans["a"])], categories=("naw",), recipient="iemand"
        )


def test_an_exchange_names_what_it_carries(app, world: World) -> None:
    with (
        app.app_context(),
        unit_of_work(session, "regie-multiproblematiek"),
        pytest.raises(ValueError, match="categories"),
    ):
        uitwisselingen.sent_to(refs=[("plan", world.plans["a"])], recipient="x", categories=())


def test_plan_shared_with_a_new_organisation_is_an_exchange(app, client, world: World) -> None:
    """The existing use: bringing an organisation into a plan shares the plan with it."""
    from tests.conftest import csrf_token

    login(client, "reg1")
    path = f"/plannen/{world.plans['a']}/betrokkenheden/nieuw"
    token = csrf_token(client, path)
    before = head_seq(app)
    resp = client.post(
        path,
        data={
            "csrf_token": token,
            "organisation_id": str(world.orgs["ggz"]),
            "user_id": "",
            "rol": "Behandeling",
            "start_date": "2026-01-01",
        },
    )
    assert resp.status_code == 302
    sent = [r for r in log_lines(app, before) if r["kind"] == "uitwisseling"]
    assert [(r["action"], r["recipient"], r["data_subject_id"]) for r in sent] == [
        ("send", "GGZ Teststad", pseudonym(app, BSN["anna"]))
    ]
