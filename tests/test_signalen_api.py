"""The API for source organisations: organisation-scoped tokens, single signals, bulk delivery in
JSON Lines and CSV with an exact per-row report, no duplicates, one exchange line per signal."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.db import session
from app.signalen import inrichting
from app.signalen.models import Vroegsignaal
from tests.conftest import head_seq, log_lines, pseudonym
from tests.support.world import BSN, World


def token(app: Flask, code: str) -> str:
    with app.app_context():
        bron = inrichting.bron(code)
        assert bron is not None
        _t, plain = inrichting.maak_bron_token(bron, "test")
        session.commit()
    return plain


def auth(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def count(app: Flask) -> int:
    with app.app_context():
        n = session.scalar(
            select(func.count())
            .select_from(Vroegsignaal)
            .where(Vroegsignaal.bron_referentie.is_not(None))
            .where(Vroegsignaal.bron_referentie.not_in(["CJIB-WORLD-1", "TOESLAGEN-WORLD-1"]))
        )
        session.rollback()
    return int(n or 0)


def test_single_signal_stored_once_and_logged(app: Flask, client: FlaskClient) -> None:
    plain = token(app, "cjib")
    body = {
        "bsn": BSN["anna"],
        "bronReferentie": "CJIB-2026-1",
        "signaaldatum": "2026-01-10",
        "bedrag": "120.50",
        "maandenAchterstand": 2,
        "schuldeiser": "CJIB",
    }
    before = head_seq(app)
    resp = client.post("/api/v1/bronnen/cjib/signalen", json=body, headers=auth(plain))
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.json["status"] == "opgeslagen" and isinstance(resp.json["id"], int)
    lines = log_lines(app, before)
    assert len(lines) == 1
    line = lines[0]
    assert (line["kind"], line["action"], line["sender"]) == ("uitwisseling", "receive", "CJIB")
    assert line["data_subject_id"] == pseudonym(app, BSN["anna"])
    assert line["actor_name"] == "CJIB (bronsysteem)"
    assert line["data_categories"] == "bsn,schulden,signalen"
    again = client.post("/api/v1/bronnen/cjib/signalen", json=body, headers=auth(plain))
    assert again.status_code == 200 and again.json["status"] == "dubbel"
    assert count(app) == 1


def test_refusals(app: Flask, client: FlaskClient, world: World) -> None:
    plain = token(app, "cjib")
    ok = {"bsn": BSN["anna"], "bronReferentie": "X", "signaaldatum": "2026-01-10"}
    url = "/api/v1/bronnen/cjib/signalen"
    assert client.post(url, json=ok).status_code == 401
    assert client.post(url, json=ok, headers=auth(world.tokens["reg1"])).status_code == 401
    assert client.post(url, json=ok, headers=auth("ebron_wrong")).status_code == 401
    # A token reaches only its own organisation's sources.
    other = client.post("/api/v1/bronnen/belastingdienst/signalen", json=ok, headers=auth(plain))
    assert other.status_code == 404
    bad = client.post(url, json={**ok, "bsn": "123456789"}, headers=auth(plain))
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert bad.json["invalidParams"][0]["name"] == "bsn"
    not_for_cjib = client.post(url, json={**ok, "verzuimUren": 4}, headers=auth(plain))
    assert not_for_cjib.status_code == 422
    assert not_for_cjib.json["invalidParams"][0]["name"] == "verzuimUren"
    # JSON is camelCase everywhere: the stored snake_case name is no API field.
    snake = client.post(url, json={**ok, "maanden_achterstand": 1}, headers=auth(plain))
    assert snake.status_code == 400
    assert snake.json["invalidParams"][0]["name"] == "maanden_achterstand"
    assert "maandenAchterstand" in snake.json["invalidParams"][0]["reason"]
    future = client.post(url, json={**ok, "signaaldatum": "2999-01-01"}, headers=auth(plain))
    assert future.status_code == 422
    assert client.post(url, data="x", headers=auth(plain)).status_code == 415
    assert count(app) == 0


def test_bulk_csv_report_is_exact(app: Flask, client: FlaskClient) -> None:
    plain = token(app, "belastingdienst")
    csv_text = "\n".join(
        [
            "bsn,bronReferentie,signaaldatum,bedrag,maanden_achterstand,schuldsoort",  # line 1
            f"{BSN['anna']},B-1,2026-01-02,350.00,3,inkomstenbelasting",  # 2 stored
            "123456789,B-2,2026-01-02,10,1,x",  # 3 11-proef
            f"{BSN['dirk']},B-3,2026-13-02,10,1,x",  # 4 date
            f"{BSN['dirk']},B-1,2026-01-02,10,1,x",  # 5 same reference again
            "",  # 6 blank: skipped
            f"{BSN['nieuw']},B-6,2026-01-03,,,",  # 7 stored, unmatched
            f"{BSN['dirk']},B-7,2026-01-02,10",  # 8 too few columns
            f"{BSN['dirk']},B-8,2026-01-02,veel,1,x",  # 9 amount
        ]
    )
    before = head_seq(app)
    resp = client.post(
        "/api/v1/bronnen/belastingdienst/signalen/_bulk",
        data=csv_text.encode(),
        headers={**auth(plain), "Content-Type": "text/csv"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    r = resp.json
    assert (r["ontvangen"], r["opgeslagen"], r["dubbel"], r["afgekeurd"]) == (7, 2, 1, 4)
    assert [x["regel"] for x in r["opgeslagenRegels"]] == [2, 7]
    assert r["dubbeleRegels"] == [{"regel": 5, "bronReferentie": "B-1"}]
    assert [(f["regel"], f["veld"]) for f in r["fouten"]] == [
        (3, "bsn"),
        (4, "signaaldatum"),
        (8, "regel"),
        (9, "bedrag"),
    ]
    assert len(log_lines(app, before)) == 2
    # Delivered again: nothing new.
    again = client.post(
        "/api/v1/bronnen/belastingdienst/signalen/_bulk",
        data=csv_text.encode(),
        headers={**auth(plain), "Content-Type": "text/csv"},
    ).json
    assert (again["opgeslagen"], again["dubbel"]) == (0, 3)
    assert count(app) == 2


# Tabs, backslashes, newlines, quotes and non-ASCII survive the bulk path (COPY on PostgreSQL).
TRICKY = 'tab\there \\N back\\slash\nnieuwe regel "quote" ; komma, é ☃ \\.'


def test_bulk_jsonl(app: Flask, client: FlaskClient) -> None:
    plain = token(app, "woningcorporatie")
    rows = [
        json.dumps(
            {
                "bsn": BSN["dirk"],
                "bronReferentie": "W-1",
                "signaaldatum": "2026-01-02",
                "dreigendeOntruiming": True,
            }
        ),
        "{niet json",
        json.dumps(
            {
                "bsn": BSN["dirk"],
                "bronReferentie": "W-3",
                "signaaldatum": "2026-01-02",
                "inhoud": TRICKY,
            }
        ),
        json.dumps(["geen", "object"]),
    ]
    resp = client.post(
        "/api/v1/bronnen/woningcorporatie/signalen/_bulk",
        data="\n".join(rows).encode(),
        headers={**auth(plain), "Content-Type": "application/x-ndjson"},
    )
    assert resp.status_code == 200
    r = resp.json
    assert [x["regel"] for x in r["opgeslagenRegels"]] == [1, 3]
    assert [(f["regel"], f["veld"]) for f in r["fouten"]] == [(2, "regel"), (4, "regel")]
    with app.app_context():
        cats = session.execute(
            select(Vroegsignaal.bron_referentie, Vroegsignaal.categorie)
            .where(Vroegsignaal.bron_referentie.like("W-%"))
            .order_by(Vroegsignaal.id)
            .execution_options(audit_internal=True)
        ).all()
        session.rollback()
    assert cats == [("W-1", "dreigende_uitzetting"), ("W-3", "betalingsachterstand")]
    with app.app_context():
        stored = session.execute(
            select(Vroegsignaal.inhoud)
            .where(Vroegsignaal.bron_referentie == "W-3")
            .execution_options(audit_internal=True)
        ).scalar_one()
        session.rollback()
    assert stored == TRICKY
    empty = client.post(
        "/api/v1/bronnen/woningcorporatie/signalen/_bulk",
        data=b"",
        headers={**auth(plain), "Content-Type": "application/x-ndjson"},
    )
    assert empty.status_code == 400
