"""Mijn gegevens downloaden: a machine-readable export of everything about the citizen; the
download itself is logged."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask

from tests.conftest import head_seq, log_lines, pseudonym
from tests.support.world import BSN, SECRET_COMMENT, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401


def test_download_holds_plan_activities_comments_lines_and_is_logged(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    before = head_seq(portaal_app)
    resp = client.post("/mijn/gegevens/download", data={"csrf_token": form_token(page)})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert BSN["anna"] not in resp.headers["Content-Disposition"]
    data = json.loads(resp.get_data(as_text=True))
    assert data["formaat"] == "eenplan-inzage/1"
    assert data["persoon"]["bsn"] == BSN["anna"]
    assert data["plan"]["regisseur"]["naam"] == "Regina Eerste"
    assert {a["omschrijving"] for a in data["activiteiten"]} >= {
        "Schuldenoverzicht maken",
        "Post samen openen",
    }
    assert any(c["tekst"] == "Eerste gesprek gevoerd met Anna." for c in data["opmerkingen"])
    assert SECRET_COMMENT not in resp.get_data(as_text=True)  # not released to her
    assert {h["naam"] for h in data["huishouden"]} == {"Bram Aalders", "Kees Aalders"}
    seqs = {line["attributes"]["eenplan.seq"] for line in data["logboek"]}
    assert {world.logboek_seqs["ggz_anna"], world.logboek_seqs["deling_anna"]} <= seqs
    assert world.logboek_seqs["nood_dirk"] not in seqs  # Dirk's line is not hers
    assert [line["attributes"]["eenplan.seq"] for line in data["uitwisselingen"]] == [
        world.logboek_seqs["deling_anna"]
    ]
    # The download is logged: an export about Anna, and views of the household members named.
    rows = log_lines(portaal_app, before)
    exports = [r for r in rows if r["action"] == "export"]
    assert len(exports) == 1
    assert exports[0]["data_subject_id"] == pseudonym(portaal_app, BSN["anna"])
    assert exports[0]["kind"] == "uitwisseling"
    assert exports[0]["recipient"] == "de inwoner zelf (download)"
    others = {r["data_subject_id"] for r in rows if r["action"] == "view"}
    assert others == {pseudonym(portaal_app, BSN["bram"]), pseudonym(portaal_app, BSN["kees"])}
    # And she sees it in her own log.
    log = client.get("/mijn/uitwisselingen").get_data(as_text=True)
    assert "de inwoner zelf (download)" in log


def test_download_needs_a_post_with_a_token(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    assert client.get("/mijn/gegevens/download").status_code == 405
    assert client.post("/mijn/gegevens/download").status_code in (400, 403)


def test_download_carries_a_signed_checkpoint_that_exposes_a_later_rollback(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
    tmp_path: Any,
) -> None:
    """The receipt: the newest signed checkpoint covering every line in the download. Whoever
    keeps the file can later show that the logboek was put back (`verify --anker`)."""
    from sqlalchemy import text

    from audit import Checkpoint
    from tests.test_logboek_tamper import as_attacker, cli_verify, head_row, write_lines

    old_head = head_row(portaal_app)  # a backup from before the download
    write_lines(portaal_app, 2)  # lines about Anna (and Bram) after that backup
    client = as_citizen(portaal_app, oidc_provider, "anna")
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    resp = client.post("/mijn/gegevens/download", data={"csrf_token": form_token(page)})
    assert resp.status_code == 200
    data = json.loads(resp.get_data(as_text=True))
    receipt = data["controlepunt"]
    assert set(receipt) == {"seq", "line_hash", "created_at", "prev_mac", "mac", "uitleg"}
    cp = Checkpoint.from_dict(receipt)
    newest = max(line["attributes"]["eenplan.seq"] for line in data["logboek"])
    assert newest > old_head["seq"] and cp.seq >= newest  # covers all her lines
    chain = portaal_app.extensions["eenplan_logboek"]._writer._chain
    assert cp.mac == chain.checkpoint_mac(cp.seq, cp.line_hash, cp.created_at, cp.prev_mac)
    path = tmp_path / "mijn-eenplan.json"
    path.write_text(resp.get_data(as_text=True), encoding="utf-8")
    code, output = cli_verify(portaal_app, "--anker", str(path))
    assert code == 0 and f"1 ankers uit {path}, nieuwste: regel {cp.seq}" in output, output
    # A second download covers the first one's own export line too.
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    again = client.post("/mijn/gegevens/download", data={"csrf_token": form_token(page)})
    again_cp = json.loads(again.get_data(as_text=True))["controlepunt"]
    assert again_cp["seq"] > cp.seq and again_cp["prev_mac"] == cp.mac
    # The database is put back to the state before her download, anchor store and all (the
    # worst case): her receipt still shows it.
    with as_attacker(portaal_app) as conn:
        conn.execute(text("DELETE FROM audit_log_line WHERE seq > :s"), {"s": old_head["seq"]})
        conn.execute(text("DELETE FROM audit_checkpoint WHERE seq > :s"), {"s": old_head["seq"]})
        conn.execute(
            text(
                "UPDATE audit_chain_head SET seq = :seq, line_hash = :line_hash, mac = :mac, "
                "checkpoint_mac = :checkpoint_mac WHERE id = 1"
            ),
            old_head,
        )
    assert cli_verify(portaal_app, "--zonder-ankers")[0] == 0
    code, output = cli_verify(portaal_app, "--zonder-ankers", "--anker", str(path))
    assert code == 1 and "het anker" in output, output
