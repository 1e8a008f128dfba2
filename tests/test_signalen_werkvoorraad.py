"""The signal team's queue (issue 13, items 5 and 6): signals about people not yet known in
Eenplan are combined per delivered BSN (and per address), and the whole queue can be paged,
filtered and counted — grouped and ranked in SQL, on every database backend."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.db import session
from app.logboek import unit_of_work
from app.plans.models import Gezinslink
from app.signalen import intake, werkvoorraad
from app.signalen.models import Vroegsignaal
from app.signalen.werkvoorraad import Filter, adres_sleutel
from app.users.models import User
from tests.conftest import login
from tests.support.world import World
from tests.test_signalen import deliver, make_bsn, person, row

RIJK = "Achterstand bij 3 of meer overheidsschuldeisers"


def _three_creditors(bsn: str, prefix: str = "X") -> list[int]:
    ids = []
    for code in ("belastingdienst", "cak", "cjib"):
        rapport = deliver(code, [(1, row(bsn, f"{prefix}-{code}"))])
        assert rapport.opgeslagen, rapport.fouten
        ids.append(rapport.opgeslagen[0][1])
    return ids


def _queue(filt: Filter | None = None, pagina: int = 1, per: int = 50) -> werkvoorraad.Pagina:
    with unit_of_work(session, "signalen-afweging"):
        return werkvoorraad.werkvoorraad(filt, pagina=pagina, per_pagina=per)


def _bad(resp: Any, name: str) -> bool:
    html = resp.get_data(as_text=True)
    return resp.status_code == 400 and f"‘{name}’" in html


# --- item 5: people not yet known in Eenplan --------------------------------------------------


def test_three_creditors_for_an_unknown_bsn_are_one_combined_row(app: Flask) -> None:
    with app.app_context():
        unknown = make_bsn(31000001)
        ids = _three_creditors(unknown)
        other = make_bsn(31000101)  # another unknown BSN: a row of its own
        other_id = deliver("toeslagen", [(1, row(other, "T-other"))]).opgeslagen[0][1]
        groups = _queue().groepen
        mine = [g for g in groups if g.signaal_id in (*ids, other_id)]
        assert len(mine) == 2  # not four rows: one per BSN
        combined, single = mine
        assert combined.person_ids == [] and combined.bsn_geleverd
        assert combined.aantal == 3 and combined.ongekoppeld == 3
        assert combined.signaal_id == min(ids) and combined.aantal_bronnen == 3
        assert [r.code for r in combined.regels] == ["drie-rijksschuldeisers", "twee-bronnen"]
        assert combined.urgentie == 3 and groups[0] is combined  # most urgent first
        assert single.signaal_id == other_id
        assert single.aantal == 1 and single.regels == [] and single.urgentie == 1


def test_the_queue_shows_the_combined_row_without_the_bsn(app: Flask, world: World) -> None:
    with app.app_context():
        unknown = make_bsn(31000201)
        ids = _three_creditors(unknown, "H")
    reg = app.test_client()
    login(reg, "reg1")
    html = reg.get("/signalen/?regel=drie-rijksschuldeisers").get_data(as_text=True)
    assert "3 signalen met hetzelfde BSN" in html and RIJK in html and "Zeer hoog" in html
    assert f'href="/signalen/signaal/{min(ids)}"' in html  # an opaque id, never the BSN
    assert unknown not in html and unknown not in re.sub(r"<[^>]+>", "", html)
    # The row's link: the first signal, saying that matching it matches the other two.
    detail = reg.get(f"/signalen/signaal/{min(ids)}").get_data(as_text=True)
    assert "Er zijn nog 2 signalen met dit BSN" in detail


def test_matching_one_signal_matches_every_signal_of_that_bsn(app: Flask) -> None:
    with app.app_context():
        unknown = make_bsn(31000301)
        ids = _three_creditors(unknown, "K")
        with unit_of_work(session, "vroegsignalering-schulden"):
            p = person(unknown, "Later", postcode="3333CC")
            pid = p.id
        with unit_of_work(session, "signalen-afweging"):
            signal = session.get(Vroegsignaal, ids[1])
            assert signal is not None
            intake.koppel(signal, unknown)
        groups = [g for g in _queue().groepen if pid in g.person_ids]
        assert len(groups) == 1 and groups[0].person_ids == [pid]
        assert groups[0].aantal == 3 and groups[0].ongekoppeld == 0 and groups[0].urgentie == 3
        assert not any(g.signaal_id in ids for g in _queue().groepen)


def test_a_signal_without_bsn_joins_the_household_at_its_address(app: Flask, world: World) -> None:
    with app.app_context():
        bsn = make_bsn(31000401)
        with unit_of_work(session, "vroegsignalering-schulden"):
            p = person(bsn, "Adres", postcode="4444 DD", nummer="12")
            pid = p.id
        deliver("woningcorporatie", [(1, row(bsn, "W-adres"))])
        with unit_of_work(session, "signalen-afweging"):
            melder = session.scalars(select(User).where(User.username == "melder1")).one()
            for tekst in ("Zorgen om de kinderen", "Nog meer zorgen"):
                intake.meld(
                    melder,
                    intake.Melding(
                        bsn=None,
                        naam="Iemand Adres",
                        geboortedatum=dt.date(2015, 5, 5),
                        adres="Signaalweg 12, 4444dd Teststad",
                        melder_naam="Juf",
                        melder_contact="juf@school.example",
                        relatie="Leerkracht",
                        aanleiding="",
                        inhoud=tekst,
                        domeinen=["onderwijs", "opvoeding"],
                    ),
                )
        groups = _queue(Filter(domein="wonen")).groepen
        household = next(g for g in groups if pid in g.person_ids)
        assert household.aantal == 3 and household.ongekoppeld == 2
        assert not household.bsn_geleverd and household.signaal_id is not None
        assert set(household.domeinen) == {"financien", "wonen", "onderwijs", "opvoeding"}
        assert "drie-leefgebieden" in {r.code for r in household.regels}


def test_households_joined_by_gezinslinks_over_several_addresses(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            a = person(make_bsn(31000501), "Keten", postcode="5001AA")
            b = person(make_bsn(31000601), "Keten", postcode="5002AA")
            c = person(make_bsn(31000701), "Keten", postcode="5003AA")
            c2 = person(make_bsn(31000801), "Keten", postcode="5003AA")  # c's address
            for x, y in ((a, b), (b, c)):  # a chain: a-b, b-c
                session.add(
                    Gezinslink(
                        person_a_id=x.id, person_b_id=y.id, relatie="ouder", gelegd_door_naam="T"
                    )
                )
            people = [(x.bsn, x.id) for x in (a, b, c, c2)]
        for i, (bsn, _) in enumerate(people):
            deliver("cjib", [(1, row(bsn, f"G{i}"))])
        groups = [g for g in _queue().groepen if people[0][1] in g.person_ids]
        assert len(groups) == 1
        assert groups[0].person_ids == sorted(pid for _, pid in people)
        assert groups[0].aantal == 4


# --- item 6: the whole queue, paged, filtered, counted ------------------------------------------


def _many_unknown(n: int) -> list[int]:
    rows = [(i + 1, row(make_bsn(32000000 + i * 20), f"M{i}")) for i in range(n)]
    rapport = deliver("uwv", rows)
    assert len(rapport.opgeslagen) == n, rapport.fouten
    return [sid for _, sid in rapport.opgeslagen]


def test_more_than_200_groups_are_all_reachable_by_paging(app: Flask) -> None:
    with app.app_context():
        before = _queue()
        ids = _many_unknown(230)
        total = before.totaal + 230
        first = _queue(pagina=1)
        assert first.totaal == total and first.signalen == before.signalen + 230
        assert first.paginas == -(-total // 50) >= 5
        rows: list[tuple[int | None, tuple[int, ...]]] = []
        for pagina in range(1, first.paginas + 1):
            page = _queue(pagina=pagina)
            assert page.pagina == pagina and page.totaal == total
            assert len(page.groepen) == (50 if pagina < page.paginas else total - 50 * (pagina - 1))
            rows += [(g.signaal_id, tuple(g.person_ids)) for g in page.groepen]
        assert len(rows) == len(set(rows)) == total  # every group once, none twice
        assert {sid for sid, _ in rows} >= set(ids)
        beyond = _queue(pagina=first.paginas + 1)
        assert beyond.groepen == [] and beyond.totaal == total


def test_the_page_says_which_page_of_how_many(app: Flask, world: World) -> None:
    with app.app_context():
        _many_unknown(230)
    reg = app.test_client()
    login(reg, "reg1")
    first = reg.get("/signalen/").get_data(as_text=True)
    total = int(re.search(r"(\d+) personen en huishoudens", first).group(1))  # type: ignore[union-attr]
    assert total >= 230
    pages = -(-total // 50)
    assert f"Pagina 1 van {pages}" in first and f"?pagina={pages}" in first
    last = reg.get(f"/signalen/?pagina={pages}")
    assert last.status_code == 200 and f"Pagina {pages} van {pages}" in last.get_data(as_text=True)
    assert _bad(reg.get(f"/signalen/?pagina={pages + 1}"), "pagina")
    # Filters are kept in the page links.
    filtered = reg.get("/signalen/?bron=uwv").get_data(as_text=True)
    assert "?bron=uwv&amp;pagina=2" in filtered or "?pagina=2&amp;bron=uwv" in filtered


def test_filters_and_totals(app: Flask) -> None:
    with app.app_context():
        before = _queue()
        rijk = min(_three_creditors(make_bsn(33000001), "F1"))  # urgency 3, 3 sources
        los = deliver("toeslagen", [(1, row(make_bsn(33000101), "F2"))]).opgeslagen[0][1]
        bsn = make_bsn(33000201)
        twee = deliver("woningcorporatie", [(1, row(bsn, "F3"))]).opgeslagen[0][1]
        deliver("energie", [(1, row(bsn, "F4"))])  # two sources: urgency 2
        mine = {rijk: 3, los: 1, twee: 2}  # the group (by its first signal) and its urgency

        def ids(page: werkvoorraad.Pagina) -> list[int]:
            return [g.signaal_id for g in page.groepen if g.signaal_id in mine]

        everything = _queue()
        assert everything.totaal == before.totaal + 3
        assert everything.signalen == before.signalen + 6
        assert {u: everything.per_urgentie[u] - before.per_urgentie[u] for u in (1, 2, 3)} == {
            1: 1,
            2: 1,
            3: 1,
        }
        assert ids(everything) == [rijk, twee, los]  # urgency, then the newest

        hoog = _queue(Filter(urgentie=2))
        assert ids(hoog) == [twee] and all(g.urgentie == 2 for g in hoog.groepen)
        assert hoog.totaal == everything.per_urgentie[2] == len(hoog.groepen)
        assert hoog.per_urgentie == everything.per_urgentie  # the counts per urgency stay

        cjib = _queue(Filter(bron="cjib"))
        assert ids(cjib) == [rijk]
        melding = _queue(Filter(bron="melding"))
        assert ids(melding) == [] and all(g.aantal_bronnen >= 1 for g in melding.groepen)

        regel = _queue(Filter(regel="twee-bronnen"))
        assert ids(regel) == [rijk, twee]
        assert all("twee-bronnen" in {r.code for r in g.regels} for g in regel.groepen)

        assert ids(_queue(Filter(domein="wonen"))) == [twee]
        assert ids(_queue(Filter(domein="gezondheid"))) == [rijk]  # the CAK: gezondheid too

        both = _queue(Filter(urgentie=3, bron="toeslagen"))
        assert ids(both) == [] and all(g.urgentie == 3 for g in both.groepen)


def test_the_queue_filters_over_http_and_refuses_what_it_does_not_take(
    app: Flask, world: World
) -> None:
    reg: FlaskClient = app.test_client()
    login(reg, "reg1")
    ok = reg.get("/signalen/?urgentie=1&bron=melding&regel=twee-bronnen&domein=onderwijs")
    assert ok.status_code == 200
    for query, name in (
        ("urgentie=4", "urgentie"),
        ("urgentie=hoog", "urgentie"),
        ("bron=onbekend", "bron"),
        ("regel=verzonnen", "regel"),
        ("domein=maan", "domein"),
        ("pagina=0", "pagina"),
        ("pagina=99999999999999999999", "pagina"),
        ("bron=cjib&bron=cak", "bron"),
    ):
        assert _bad(reg.get(f"/signalen/?{query}"), name), query


def test_adres_sleutel_matches_the_persons_key() -> None:
    assert adres_sleutel("Signaalweg 12, 4444 DD Teststad") == "A:4444DD:12:"
    assert adres_sleutel("Signaalweg 12a 4444dd") == "A:4444DD:12:A"
    assert adres_sleutel("Kerkstraat 3-2, 1234 AB Stad") == "A:1234AB:3:2"
    assert adres_sleutel("1e Straat 7 bis, 1234AB") == "A:1234AB:7:BIS"
    assert adres_sleutel("Ergens in de stad") is None
    assert adres_sleutel("1234 AB") is None
    assert adres_sleutel(None) is None


def test_the_demo_shows_three_creditors_for_an_unknown_bsn_as_one_row(tmp_path: Any) -> None:
    """Seed data: the person not in Eenplan with three government creditors is one row."""
    from app import create_app, migrate
    from demo import load_demo
    from tests.conftest import base_config, get_database_engine

    demo = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'demo.sqlite3'}"))
    migrate.upgrade(demo)
    with demo.app_context():
        load_demo(persons=40)
        rows = [g for g in _queue(per=500).groepen if g.bsn_geleverd]
        assert [(g.aantal, g.urgentie) for g in rows] == [(3, 3)]
        assert "drie-rijksschuldeisers" in {r.code for r in rows[0].regels}
    get_database_engine(demo).dispose()
