"""Issue 18: every figure of the management information, computed by hand from a small world
(tests/support/world_sturing.py) and compared with what ``flask sturing bijwerken`` stores and
the pages and CSV downloads show. Reading the figures writes no logboek line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.db import session
from app.plans.models import Activity, Betrokkenheid
from app.privacy.models import LogboekVraag
from app.signalen.uitstel import Uitstel
from app.sturing.bijwerken import Kubus, bereken, bijwerken
from app.sturing.models import SturingCijfer
from tests.conftest import head_seq, login
from tests.support.world import World
from tests.support.world_sturing import build_sturing

MAANDEN = "van=2026-01&tot=2026-03"


@pytest.fixture(scope="module")
def sturing(shared_app: Flask, shared_world: World) -> Iterator[tuple[Flask, World, Kubus]]:
    with shared_app.app_context():
        build_sturing(shared_world)
        bijwerken()
        session.commit()
        kubus = bereken()
        session.rollback()
    yield shared_app, shared_world, kubus


def cel(
    k: Kubus,
    figuur: str,
    maand: str,
    sleutel: str = "",
    sleutel2: str | None = "",
    *,
    team: int = 0,
    dim: str = "",
    dim_waarde: str = "",
) -> int:
    return sum(
        n
        for (m, f, t, d, dw, sl, sl2, _w), n in k.tel.items()
        if (m, f, t, d, dw, sl) == (maand, figuur, team, dim, dim_waarde, sleutel)
        and (sleutel2 is None or sl2 == sleutel2)
    )


def waarden(k: Kubus, figuur: str, maand: str, sleutel: str) -> list[int]:
    out = []
    for (m, f, t, d, _dw, sl, _sl2, w), n in k.tel.items():
        if (m, f, t, d, sl) == (maand, figuur, 0, "", sleutel):
            out += [w] * n
    return sorted(out)


def test_caseload_by_hand(sturing: tuple[Flask, World, Kubus]) -> None:
    _app, w, k = sturing
    m, t = "multiproblematiek", "toestemming"
    assert [cel(k, "plan_nieuw", "2026-01", b) for b in (m, t)] == [1, 1]
    assert [cel(k, "plan_nieuw", "2026-02", b) for b in (m, t)] == [2, 0]
    assert [cel(k, "plan_nieuw", "2026-03", b) for b in (m, t)] == [0, 1]
    # Per team: c is the Gemeente's (reg2), d is Regie Noord's (noord1).
    assert cel(k, "plan_nieuw", "2026-02", m, team=w.orgs["gemeente"]) == 1
    assert cel(k, "plan_nieuw", "2026-02", m, team=w.orgs["regie_noord"]) == 1
    assert cel(k, "plan_gesloten", "2026-02", m) == 1
    assert cel(k, "plan_gesloten", "2026-03", t) == 1
    assert waarden(k, "plan_gesloten", "2026-02", m) == [10]
    assert waarden(k, "plan_gesloten", "2026-03", t) == [44]
    # Open at the end of the month: Jan a, b; Feb a, b, d (c closed on the 11th); Mar a, d, e.
    assert [cel(k, "plan_open", "2026-01", b) for b in (m, t)] == [1, 1]
    assert [cel(k, "plan_open", "2026-02", b) for b in (m, t)] == [2, 1]
    assert [cel(k, "plan_open", "2026-03", b) for b in (m, t)] == [2, 1]
    # Open plans per regisseur: Feb reg1 1, reg2 1, noord1 1; Mar reg1 2 (a, e), noord1 1.
    assert cel(k, "regisseur_last", "2026-02", "1-9") == 3
    assert cel(k, "regisseur_last", "2026-03", "1-9") == 2
    assert cel(k, "regisseur_last", "2026-03", "1-9", team=w.orgs["gemeente"]) == 1


def test_funnel_by_hand(sturing: tuple[Flask, World, Kubus]) -> None:
    _app, w, k = sturing
    stages = ["ontvangen", "gekoppeld", "afweging", "gewogen", "stap2_ja", "stap3_ja", "plan"]
    assert [cel(k, "trechter", "2026-01", s) for s in stages] == [3, 2, 1, 1, 1, 1, 1]
    assert cel(k, "signaal_ontvangen", "2026-01", "cjib", "betalingsachterstand") == 2
    assert cel(k, "signaal_ontvangen", "2026-01", "melder", "schoolverzuim") == 1
    assert cel(k, "signaal_termijn", "2026-02", "melder") == 1
    assert cel(k, "afweging_heropend", "2026-03") == 1
    # Slices: by source, domain, sending organisation; the team is the afweging's regisseur's.
    assert cel(k, "trechter", "2026-01", "ontvangen", dim="bron", dim_waarde="cjib") == 2
    assert cel(k, "trechter", "2026-01", "ontvangen", dim="domein", dim_waarde="onderwijs") == 1
    school = str(w.orgs["school"])
    assert cel(k, "trechter", "2026-01", "ontvangen", dim="organisatie", dim_waarde=school) == 1
    assert cel(k, "trechter", "2026-01", "ontvangen", team=w.orgs["gemeente"]) == 2
    assert cel(k, "trechter", "2026-01", "plan", dim="bron", dim_waarde="melder") == 0


def test_time_to_help_by_hand(sturing: tuple[Flask, World, Kubus]) -> None:
    _app, _w, k = sturing
    # From the first signal (5 January): step 1 on the 8th, plan a on the 10th, its first
    # activity on the 12th.
    assert waarden(k, "tijd", "2026-01", "stap") == [3]
    assert waarden(k, "tijd", "2026-01", "plan") == [5]
    assert waarden(k, "tijd", "2026-01", "activiteit") == [7]


def test_cooperation_by_hand(sturing: tuple[Flask, World, Kubus]) -> None:
    app, w, k = sturing
    with app.app_context():
        orgs_per_plan = {
            key: session.execute(
                select(func.count(func.distinct(Betrokkenheid.organisation_id))).where(
                    Betrokkenheid.plan_id == w.plans[key]
                )
            ).scalar_one()
            for key in ("a", "d", "e")
        }
        n_a = session.execute(
            select(func.count(Activity.id)).where(Activity.plan_id == w.plans["a"])
        ).scalar_one()
    # Open at the end of March: a, d, e, each with all its organisations (none ended).
    verwacht: dict[str, int] = {}
    for n in orgs_per_plan.values():
        verwacht[str(min(n, 5))] = verwacht.get(str(min(n, 5)), 0) + 1
    for sleutel, n in verwacht.items():
        assert cel(k, "plan_organisaties", "2026-03", sleutel) == n
    assert n_a > 0
    assert cel(k, "activiteit_open", "2026-01") == n_a
    assert cel(k, "activiteit_verlopen", "2026-01") == 0
    assert cel(k, "activiteit_verlopen", "2026-02") == n_a  # ended 15 February, not finished
    # dát-informatie: Schuldhulp answered on time, GGZ late.
    assert cel(k, "vraag", "2026-01", "op_tijd") == 1
    assert cel(k, "vraag", "2026-01", "te_laat") == 1
    schuld = str(w.orgs["schuldhulp"])
    assert cel(k, "vraag", "2026-01", "op_tijd", dim="organisatie", dim_waarde=schuld) == 1
    assert cel(k, "vraag", "2026-01", "te_laat", dim="organisatie", dim_waarde=schuld) == 0


def test_privacy_by_hand(sturing: tuple[Flask, World, Kubus]) -> None:
    app, _w, k = sturing
    with app.app_context():
        # Count the lines as they were when the figures were computed (the fixture's moment).
        totaal = sum(n for key, n in k.tel.items() if key[1] == "logregels")
        regels = session.execute(select(func.count()).select_from(_log_line())).scalar_one()
        uitstel = session.execute(select(func.count(Uitstel.id))).scalar_one()
        vragen = session.execute(select(func.count(LogboekVraag.id))).scalar_one()
    assert 0 < totaal <= regels
    assert sum(n for key, n in k.tel.items() if key[1] == "uitstel") == uitstel
    assert sum(n for key, n in k.tel.items() if key[1] == "logvraag") == vragen


def _log_line() -> Any:
    from audit.schema import log_line  # the logboek's own table, read only to count here

    return log_line


def test_recomputing_is_idempotent(sturing: tuple[Flask, World, Kubus]) -> None:
    app, _w, _k = sturing

    def inhoud() -> list[tuple[Any, ...]]:
        rows = session.execute(
            select(
                SturingCijfer.maand,
                SturingCijfer.figuur,
                SturingCijfer.team_id,
                SturingCijfer.dim,
                SturingCijfer.dim_waarde,
                SturingCijfer.sleutel,
                SturingCijfer.sleutel2,
                SturingCijfer.waarde,
                SturingCijfer.aantal,
            ).where(SturingCijfer.figuur != "logregels")
        )
        return sorted(tuple(r) for r in rows)

    with app.app_context():
        eerst = inhoud()
        bijwerken()
        session.commit()
        assert inhoud() == eerst


def _csv(client: FlaskClient, url: str) -> list[list[str]]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    assert resp.mimetype == "text/csv"
    return list(
        csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


@pytest.fixture
def drempel_1(sturing: tuple[Flask, World, Kubus]) -> Iterator[Flask]:
    app = sturing[0]
    app.config["STURING_DREMPEL"] = 1
    yield app
    app.config["STURING_DREMPEL"] = 5


def test_pages_show_the_same_figures(drempel_1: Flask) -> None:
    client = drempel_1.test_client()
    login(client, "beleid1")
    before = head_seq(drempel_1)
    rows = _csv(client, f"/sturing/caseload/nieuwe-plannen.csv?{MAANDEN}")
    assert rows[0] == ["Periode", "Multiproblematiek vastgesteld", "Met toestemming", "Totaal"]
    assert rows[1:5] == [
        ["jan 2026", "1", "1", "2"],
        ["feb 2026", "2", "0", "2"],
        ["mrt 2026", "0", "1", "1"],
        ["Totaal", "3", "2", "5"],
    ]
    rows = _csv(client, f"/sturing/caseload/duur.csv?{MAANDEN}")
    assert rows[1:4] == [
        ["Multiproblematiek vastgesteld", "1", "10,0"],
        ["Met toestemming", "1", "44,0"],
        ["Alle plannen", "2", "27,0"],
    ]
    rows = _csv(client, f"/sturing/signalen/trechter.csv?{MAANDEN}&periode=kwartaal")
    assert rows[0] == ["Stap", "2026 K1", "Totaal"]
    assert [r[1] for r in rows[1:8]] == ["3", "2", "1", "1", "1", "1", "1"]
    rows = _csv(client, f"/sturing/tijd/tijd-tot-hulp.csv?{MAANDEN}")
    assert [r[1:] for r in rows[1:4]] == [["1", "3", "3"], ["1", "5", "5"], ["1", "7", "7"]]
    rows = _csv(client, f"/sturing/samenwerking/datinformatie-vragen.csv?{MAANDEN}")
    assert rows[1] == ["jan 2026", "1", "1", "0", "0", "2"]
    html = client.get(f"/sturing/caseload?{MAANDEN}").get_data(as_text=True)
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert head_seq(drempel_1) == before  # reading figures: no logboek line about anyone


def test_the_teamleider_sees_their_team(drempel_1: Flask) -> None:
    client = drempel_1.test_client()
    login(client, "teamleider1")
    rows = _csv(client, f"/sturing/caseload/nieuwe-plannen.csv?{MAANDEN}")
    # The Gemeente's plans only: d (Regie Noord, February) is not counted.
    assert rows[2] == ["feb 2026", "1", "0", "1"]
    assert client.get(f"/sturing/caseload?{MAANDEN}&team=999999").status_code == 400
    assert client.get("/sturing/privacy").status_code == 403


def test_a_filter_that_isolates_one_household_shows_less_than_5(
    sturing: tuple[Flask, World, Kubus],
) -> None:
    client = sturing[0].test_client()
    login(client, "beleid1")
    # Bram's household is the only one with CJIB signals in these months.
    rows = _csv(client, f"/sturing/signalen/trechter.csv?{MAANDEN}&bron=cjib")
    cellen = [c for r in rows[1:8] for c in r[1:]]
    assert "< 5" in cellen
    assert not any(c in {"1", "2", "3", "4"} for c in cellen)
    html = client.get(f"/sturing/signalen?{MAANDEN}&bron=cjib").get_data(as_text=True)
    assert "&lt; 5" in html
    # A table with row and column totals: no total of a line that hides a cell is shown.
    rows = _csv(client, f"/sturing/signalen/bron-en-soort.csv?{MAANDEN}")
    body = [r for r in rows[1:] if r and len(r) == len(rows[0])]
    assert body and not any(c in {"1", "2", "3", "4"} for r in body for c in r[1:])
    for r in body:
        if any(c in ("< 5", "×") for c in r[1:-1]):
            assert not r[-1].isdigit(), r
    for k in range(1, len(rows[0])):
        if any(r[k] in ("< 5", "×") for r in body[:-1]):
            assert not body[-1][k].isdigit(), (k, body[-1])
    rows = _csv(client, f"/sturing/tijd/tijd-tot-hulp.csv?{MAANDEN}&bron=cjib")
    assert rows[1][1:] == ["< 5", "niet getoond", "niet getoond"]


def test_two_slices_at_once_are_refused_by_name(sturing: tuple[Flask, World, Kubus]) -> None:
    client = sturing[0].test_client()
    login(client, "beleid1")
    resp = client.get(f"/sturing/signalen?{MAANDEN}&bron=cjib&domein=wonen")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "Kies één van organisatie, leefgebied of bron" in body
    assert client.get("/sturing/signalen?van=2026-13").status_code == 400


@pytest.mark.parametrize(
    ("user", "status"),
    [("reg1", 403), ("hulp1", 403), ("beheer1", 403), ("privacy1", 403), ("melder1", 403)],
)
def test_others_may_not_see_the_team_pages(
    sturing: tuple[Flask, World, Kubus], user: str, status: int
) -> None:
    client = sturing[0].test_client()
    login(client, user)
    assert client.get("/sturing/caseload").status_code == status
    assert client.get("/sturing/caseload/nieuwe-plannen.csv").status_code == status


def test_the_privacy_officer_sees_the_privacy_section(sturing: tuple[Flask, World, Kubus]) -> None:
    client = sturing[0].test_client()
    login(client, "privacy1")
    body = client.get("/sturing/").get_data(as_text=True)
    assert "Privacy" in body and "Caseload" not in body
    assert client.get("/sturing/privacy").status_code == 200
    rows = _csv(client, "/sturing/privacy/uitstel.csv")
    assert rows[0][0] == "Reden"


def test_the_command_is_safe_from_cron(sturing: tuple[Flask, World, Kubus]) -> None:
    app = sturing[0]
    before = head_seq(app)
    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["sturing", "bijwerken"])
        assert result.exit_code == 0, result.output
        assert '"bijgewerkt"' in result.output
    assert head_seq(app) == before  # counting writes no line about anyone


def test_the_register_says_what_reading_figures_is() -> None:
    from app.domain import Verwerkingsactiviteit
    from app.register import seed_entries

    entry = next(e for e in seed_entries() if e["key"] == Verwerkingsactiviteit.STURING)
    assert "statistische doeleinden" in entry["legal_basis"]
    assert "geen logregels per persoon" in entry["purpose"]
