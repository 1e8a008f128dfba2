"""Indicators per day, stored by ``flask privacy indicatoren`` and read by the overview (issue 17):
a whole year counts, not only the newest lines the overview could scan on page load."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select

from app import clock
from app.db import session
from app.privacy import indicatoren_opslag
from app.privacy.models import IndicatorDag, OpgeslagenAandachtspunt
from tests.conftest import login
from tests.test_privacy import view

LATE = "Inzage buiten kantoortijden"


def _count(body: str, label: str) -> int:
    found = re.search(rf"<strong>{label}:</strong> (\d+)", body)
    assert found, body[:2000]
    return int(found.group(1))


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (
            session.scalar(select(func.count()).select_from(OpgeslagenAandachtspunt)) or 0,
            session.scalar(select(func.count()).select_from(IndicatorDag)) or 0,
        )


def test_stored_days_count_beyond_the_scan_limit_and_the_command_is_idempotent(
    app, client, world, at_time
) -> None:
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    for hour in (21, 22, 23):  # three late evenings of three staff members…
        at_time(dt.datetime.combine(monday + dt.timedelta(days=hour - 21), dt.time(hour, 5)))
        view(app, world, "reg1", "a")
        view(app, world, "hulp1", "a")
    # Noon: yesterday is complete (its window for "veel personen" after midnight has passed).
    clock.set_offset(dt.timedelta(0))
    at_time(dt.datetime.combine(clock.today(), dt.time(12, 0)))
    # …while the overview may scan only one line on page load.
    app.config["LOGBOEK_SCAN_MAX"] = 1
    login(client, "privacy1")
    period = f"/privacy/?toon=alle&van={monday.isoformat()}&tot={(monday + dt.timedelta(days=2)).isoformat()}"
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) <= 1 and "Alleen de nieuwste regels" in body

    runner = app.test_cli_runner()
    done = runner.invoke(args=["privacy", "indicatoren", "--dagen", "30"])
    assert done.exit_code == 0, done.output
    assert "31 dagen berekend" in done.output  # 30 days and today (as far as it went)
    stored = _stored(app)
    assert stored[1] == 31

    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 6  # per person per day: 2 staff × 3 days
    assert "Alleen de nieuwste regels" not in body
    assert "dagen komen de aandachtspunten uit de vaste berekening" in body

    again = runner.invoke(args=["privacy", "indicatoren", "--dagen", "30"])
    assert again.exit_code == 0 and "1 dagen berekend" in again.output  # only today again
    assert _stored(app) == stored


def test_a_day_computed_before_it_ended_is_computed_again(app, world, at_time) -> None:
    today = clock.today()
    day = today - dt.timedelta(days=3)
    at_time(dt.datetime.combine(day, dt.time(12, 0)))
    with app.app_context():
        indicatoren_opslag.bereken_dag(day)
        session.commit()
        assert day in indicatoren_opslag.te_berekenen(tot=today, dagen=5)
    clock.set_offset(dt.timedelta(0))
    with app.app_context():
        indicatoren_opslag.bereken_dag(day)
        session.commit()
        assert day not in indicatoren_opslag.te_berekenen(tot=today, dagen=5)


def _early_view_then_computed(app, world, at_time, dagen: int) -> tuple[dt.date, Any]:
    """A coming weekday: reg1 opens plan a at 05:00 (outside office hours), then the command
    runs; returns that day and the CLI runner."""
    today = clock.today() + dt.timedelta(days=1)
    while today.weekday() >= 5:
        today += dt.timedelta(days=1)
    at_time(dt.datetime.combine(today, dt.time(5, 0)))
    view(app, world, "reg1", "a")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", str(dagen)]).exit_code == 0
    return today, runner


def test_today_is_stored_as_far_as_it_went_and_the_rest_read_from_the_lines(
    app, client, world, at_time
) -> None:
    today, runner = _early_view_then_computed(app, world, at_time, dagen=2)
    at_time(dt.datetime.combine(today, dt.time(6, 0)))
    view(app, world, "hulp1", "a")  # after the run: only in the lines
    login(client, "privacy1")
    period = f"/privacy/?toon=alle&van={today.isoformat()}&tot={today.isoformat()}"
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2
    assert "Regina Eerste" in body  # the stored one is listed…
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", "2"]).exit_code == 0
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2  # …and nothing counts twice after the next run


VEEL = "Veel personen in korte tijd"


def _veel(app) -> dict[dt.date, list[list[int]]]:
    with app.app_context():
        rows = session.scalars(
            select(OpgeslagenAandachtspunt).where(OpgeslagenAandachtspunt.soort == "veel-personen")
        ).all()
        out: dict[dt.date, list[list[int]]] = {}
        for r in rows:
            out.setdefault(r.dag, []).append(sorted(int(s) for s in r.regels.split(",")))
        return out


def test_a_burst_across_midnight_is_found_once_by_the_day_it_starts(
    app, client, world, at_time
) -> None:
    """More than 3 persons within 30 minutes: reg1 from 23:50 to 00:10 (two persons before
    midnight, three after: each day alone has too few); hulp1 from 23:40 on, and again after
    00:10 — the lines of the first burst do not count again for the second day."""
    app.config.update(LOGBOEK_VEEL_PERSONEN=3, LOGBOEK_VEEL_MINUTEN=30)
    d = clock.today() + dt.timedelta(days=3)
    nacht = d + dt.timedelta(days=1)

    def at(day: dt.date, h: int, m: int) -> None:
        at_time(dt.datetime.combine(day, dt.time(h, m)))

    reg1: list[int] = []
    for day, h, m, person in (
        (d, 23, 50, "anna"),
        (d, 23, 55, "bram"),
        (nacht, 0, 0, "kees"),
        (nacht, 0, 5, "dirk"),
        (nacht, 0, 10, "eva"),
    ):
        at(day, h, m)
        reg1 += view(app, world, "reg1", "a", (person,))
    hulp1: list[int] = []
    for day, h, m, person in (
        (d, 23, 40, "anna"),
        (d, 23, 42, "bram"),
        (d, 23, 44, "kees"),
        (d, 23, 46, "dirk"),
        (nacht, 0, 5, "eva"),
        (nacht, 0, 8, "frank"),  # within 30 minutes of 23:40: the first burst goes on
        (nacht, 0, 15, "gijs"),
        (nacht, 0, 20, "ilse"),
        (nacht, 0, 25, "truus"),
        (nacht, 0, 28, "nieuw"),
    ):
        at(day, h, m)
        hulp1 += view(app, world, "hulp1", "a", (person,))
    expected = {d: sorted([reg1, hulp1[:6]]), nacht: [hulp1[6:]]}

    at(nacht, 12, 0)
    login(client, "privacy1")

    def counted(van: dt.date, tot: dt.date) -> int:
        body = client.get(f"/privacy/?toon=alle&van={van}&tot={tot}").get_data(as_text=True)
        return _count(body, VEEL)

    # From the lines (nothing stored yet): the same as what will be stored.
    assert (counted(d, nacht), counted(d, d), counted(nacht, nacht)) == (3, 2, 1)

    runner = app.test_cli_runner()
    at(nacht, 0, 29)  # a run within the window after midnight: d is not complete yet
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", "3"]).exit_code == 0
    with app.app_context():
        assert d in indicatoren_opslag.te_berekenen(tot=nacht, dagen=3)
    at(nacht, 12, 0)
    done = runner.invoke(args=["privacy", "indicatoren", "--dagen", "3"])
    assert done.exit_code == 0 and "2 dagen berekend" in done.output, done.output  # d, nacht
    assert {day: sorted(v) for day, v in _veel(app).items()} == expected
    seqs = [s for v in _veel(app).values() for p in v for s in p]
    assert len(seqs) == len(set(seqs))  # no line in two bursts

    # From the store: each burst once, on the day it started (though it ended after midnight).
    assert (counted(d, nacht), counted(d, d), counted(nacht, nacht)) == (3, 2, 1)
    body = client.get(f"/privacy/?toon=alle&van={d}&tot={d}").get_data(as_text=True)
    assert "5 verschillende personen binnen 30 minuten" in body
    assert "6 verschillende personen binnen 30 minuten" in body


def test_open_indicators_are_read_in_batches_however_many_are_reviewed(app, world, at_time) -> None:
    """The default list ("nog niet beoordeeld") skips reviewed indicators: the stored ones are
    read a page-sized batch at a time, not one query per reviewed row once the list is nearly
    full (a year of reviewed indicators would otherwise be a query each)."""
    from sqlalchemy import event

    from app.db import get_database
    from app.privacy import services
    from app.users.models import User

    today = clock.today()
    days = [today - dt.timedelta(days=n) for n in range(12, 2, -2)]  # five days, oldest first
    seqs = []
    for day in days:
        at_time(dt.datetime.combine(day, dt.time(22, 30)))  # late: one indicator a day
        seqs.append(view(app, world, "reg1", "a"))
    clock.set_offset(dt.timedelta(0))
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=14):
            pass
        officer = session.get(User, world.users["privacy1"])
        for reviewed in seqs[1:4]:  # newest first: open, reviewed ×3, open
            services.beoordeel(
                reviewed, conclusie="rechtmatig", toelichting="Dienst.", door=officer
            )
        session.commit()
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM privacy_aandachtspunt" in statement and "ORDER BY" in statement:
            statements.append(statement)

    with app.test_request_context(), app.app_context():
        engine = get_database().engine
        event.listen(engine, "before_cursor_execute", seen)
        try:
            found = indicatoren_opslag.overzicht(days[0], days[-1], alleen_open=True, maximum=1)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert [p.seqs for p in found.punten] == [seqs[4], seqs[0]]  # the two open ones, newest first
    assert len(statements) <= 3  # batches of 2 (the page + 1): 5 rows, 3 queries


def test_stored_lines_are_read_only_when_a_review_covers_one_and_reviews_still_show(
    app, world, at_time
) -> None:
    """A busy day stores bursts of thousands of lines: the overview reads a stored indicator's
    line numbers only when a reviewed line falls in its range, and still shows every review —
    reviewed whole, partly reviewed, open — as when it read them all."""
    from app.privacy import indicators, services
    from app.users.models import User

    today = clock.today()
    days = [today - dt.timedelta(days=n) for n in (9, 7, 5, 3)]
    lines: list[list[int]] = []
    between: list[int] = []
    for day in days:  # each day: reg1 opens plan a twice late in the evening, one indicator
        at_time(dt.datetime.combine(day, dt.time(22, 10)))
        first = view(app, world, "reg1", "a")
        if day == days[3]:  # another's line in between: inside reg1's range, not reg1's
            at_time(dt.datetime.combine(day, dt.time(22, 20)))
            between = view(app, world, "hulp1", "a")
        at_time(dt.datetime.combine(day, dt.time(22, 40)))
        lines.append(first + view(app, world, "reg1", "a"))
    clock.set_offset(dt.timedelta(0))
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=14):
            pass
        officer = session.get(User, world.users["privacy1"])
        services.beoordeel(lines[0], conclusie="rechtmatig", toelichting="Dienst.", door=officer)
        services.beoordeel(
            lines[1][:1], conclusie="rechtmatig", toelichting="Eén regel.", door=officer
        )
        services.beoordeel(between, conclusie="rechtmatig", toelichting="Hanna.", door=officer)
        session.commit()
    with app.test_request_context(), app.app_context():
        found = indicatoren_opslag.overzicht(days[0], days[-1], alleen_open=False, maximum=10)
        late = [
            p
            for p in found.punten
            if p.soort == "buiten-kantoortijd" and p.actor_name != "Hanna Schuld"
        ]
        assert [list(p.seqs) for p in reversed(late)] == lines  # newest first
        reviewed, partly, open_, around = reversed(late)
        assert reviewed.beoordeling is not None and not reviewed.deels_beoordeeld
        assert partly.beoordeling is None and partly.deels_beoordeeld
        assert open_.beoordeling is None and not open_.deels_beoordeeld
        # A reviewed line of someone else inside its range leaves it open, not partly reviewed.
        assert around.beoordeling is None and not around.deels_beoordeeld
        (hanna,) = [p for p in found.punten if p.actor_name == "Hanna Schuld"]
        assert hanna.beoordeling is not None
        assert all(isinstance(p.seqs, indicators.Regels) for p in late)
        # The open one was listed, counted and linked without reading its line numbers.
        fresh = indicatoren_opslag.overzicht(days[2], days[2], alleen_open=True, maximum=10)
        (alone,) = [p for p in fresh.punten if p.soort == "buiten-kantoortijd"]
        assert len(alone.seqs) == 2 and alone.regels_param == ",".join(map(str, lines[2]))
        assert (alone.eerste_seq, alone.laatste_seq) == (lines[2][0], lines[2][-1])
        assert alone.seqs._values is None  # type: ignore[attr-defined]


def test_a_case_too_big_to_link_is_listed_by_its_stored_numbers_and_read_only_for_a_review(
    app, world, at_time, monkeypatch
) -> None:
    """A stored case of more lines than a case page takes (a burst of a busy Sunday: hundreds
    of KB of line numbers) is listed, counted and matched against the reviews by its stored
    count, first and last line: the overview's query does not fetch its line numbers, and reads
    them only when a reviewed line falls in its range — and then judges it as before."""
    from sqlalchemy import event

    from app.db import get_database
    from app.privacy import services
    from app.users.models import User

    monkeypatch.setattr(indicatoren_opslag, "MAX_REGELS_PER_ZAAK", 2)  # 3 lines: too many
    today = clock.today()
    days = [today - dt.timedelta(days=n) for n in (6, 4)]
    lines: list[list[int]] = []
    for day in days:  # each day: reg1 opens plan a three times late in the evening
        seqs: list[int] = []
        for minute in (10, 20, 30):
            at_time(dt.datetime.combine(day, dt.time(22, minute)))
            seqs += view(app, world, "reg1", "a")
        lines.append(seqs)
    at_time(dt.datetime.combine(days[1], dt.time(23, 0)))
    small = view(app, world, "hulp1", "a")  # one line: linked by its line numbers
    clock.set_offset(dt.timedelta(0))
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=14):
            pass
        stored = session.execute(
            select(
                OpgeslagenAandachtspunt.aantal,
                OpgeslagenAandachtspunt.eerste_seq,
                OpgeslagenAandachtspunt.laatste_seq,
            )
            .where(
                OpgeslagenAandachtspunt.soort == "buiten-kantoortijd",
                OpgeslagenAandachtspunt.dag.in_(days),
            )
            .order_by(OpgeslagenAandachtspunt.eind)
        ).all()
        assert [tuple(r) for r in stored] == [(len(s), s[0], s[-1]) for s in (*lines, small)]
        officer = session.get(User, world.users["privacy1"])
        services.beoordeel(lines[0], conclusie="rechtmatig", toelichting="Dienst.", door=officer)
        session.commit()
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "privacy_aandachtspunt" in statement:
            statements.append(statement)

    with app.test_request_context(), app.app_context():
        engine = get_database().engine
        event.listen(engine, "before_cursor_execute", seen)
        try:
            found = indicatoren_opslag.overzicht(days[0], days[1], alleen_open=False, maximum=10)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        late = [p for p in found.punten if p.soort == "buiten-kantoortijd"]
        (hulp,) = [p for p in late if p.actor_name == "Hanna Schuld"]
        reg_open, reg_reviewed = (p for p in late if p.actor_name != "Hanna Schuld")
        # Newest first: the open case (never read), then the reviewed one (read to judge it).
        assert (len(reg_open.seqs), reg_open.eerste_seq, reg_open.laatste_seq) == (
            3,
            lines[1][0],
            lines[1][-1],
        )
        assert not reg_open.seqs.geladen and reg_open.beoordeling is None  # type: ignore[attr-defined]
        assert reg_reviewed.seqs.geladen and reg_reviewed.beoordeling is not None  # type: ignore[attr-defined]
        assert hulp.seqs.geladen and hulp.regels_param == ",".join(map(str, small))  # type: ignore[attr-defined]
        # The batch query fetched line numbers only under the size condition; one more query
        # read the reviewed case's.
        batch = [s for s in statements if "ORDER BY" in s]
        assert batch and all(
            "privacy_aandachtspunt.regels" not in re.sub(r"CASE WHEN.*?END", "", s, flags=re.S)
            for s in batch
        )
        # Read when asked for: the open case's numbers are the lines it was stored with.
        assert list(reg_open.seqs) == lines[1] and reg_open.seqs.geladen  # type: ignore[attr-defined]

        # The job may replace the cases between the page's batch query and the read of a big
        # case's numbers: the page still lists it (as open), it does not fail.
        from sqlalchemy import delete

        from app.privacy import indicators

        real = indicators.met_beoordelingen

        def replaced_meanwhile(punten: list[Any]) -> None:
            session.execute(delete(OpgeslagenAandachtspunt))
            real(punten)

        monkeypatch.setattr(indicators, "met_beoordelingen", replaced_meanwhile)
        again = indicatoren_opslag.overzicht(days[0], days[1], alleen_open=False, maximum=10)
        late = [p for p in again.punten if p.soort == "buiten-kantoortijd"]
        assert len(late) == 3 and all(p.beoordeling is None for p in late)
        session.rollback()


def test_the_line_numbers_of_a_stored_indicator_read_as_the_list_they_were() -> None:
    from app.privacy.indicators import Regels

    regels = Regels("3,17,250")
    assert (len(regels), regels.eerste, regels.laatste) == (3, 3, 250)
    assert regels._values is None  # nothing parsed for the count, the first and the last
    assert list(regels) == [3, 17, 250] and regels[1] == 17 and regels[-1] == 250
    assert regels == [3, 17, 250] and regels == Regels("3,17,250") and regels != [3, 17]
    assert 17 in regels and 18 not in regels
    assert (len(Regels("")), list(Regels(""))) == (0, [])
    gelezen: list[int] = []

    def laden() -> str:
        gelezen.append(1)
        return "3,17,250"

    stored = Regels.opgeslagen(3, 3, 250, laden)
    assert (len(stored), stored.eerste, stored.laatste, gelezen) == (3, 3, 250, [])
    assert not stored.geladen and "3 regels" in repr(stored)
    assert stored == regels and list(stored) == [3, 17, 250] and stored.tekst == "3,17,250"
    assert gelezen == [1]  # read once


def test_a_day_computed_minutes_ago_is_read_from_the_store_and_a_stale_one_from_the_lines(
    app, client, world, at_time
) -> None:
    """The command runs every few minutes: the overview reads today as it computed it (and says
    when); once that computation is older than LOGBOEK_INDICATOREN_VERS_MINUTEN (the job
    stopped), the page adds the newer lines itself. 0: always from the lines."""
    today, runner = _early_view_then_computed(app, world, at_time, dagen=1)
    at_time(dt.datetime.combine(today, dt.time(5, 10)))
    view(app, world, "hulp1", "a")  # after the run
    login(client, "privacy1")
    period = f"/privacy/?toon=alle&van={today.isoformat()}&tot={today.isoformat()}"
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 1  # as computed at 05:00…
    assert re.search(r"De laatste berekening was om [^;<]*05:00;", body)
    assert "is nu berekend" not in body
    assert "Regina Eerste" in body and "Hanna Schuld" not in body
    at_time(dt.datetime.combine(today, dt.time(5, 16)))  # …and 16 minutes later, no new run
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2 and "Hanna Schuld" in body and "is nu berekend" in body
    assert runner.invoke(args=["privacy", "indicatoren", "--dagen", "1"]).exit_code == 0
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 2  # the run caught up
    assert re.search(r"De laatste berekening was om [^;<]*05:16;", body)
    assert "De andere dagen" not in body
    # A longer period: the days the command never computed come from the lines, and it says so.
    longer = f"/privacy/?toon=alle&van={today - dt.timedelta(days=4)}&tot={today.isoformat()}"
    body = client.get(longer).get_data(as_text=True)
    assert "De laatste berekening was om" in body
    assert "De andere dagen zijn nu uit het logboek berekend." in body
    at_time(dt.datetime.combine(today, dt.time(5, 20)))
    view(app, world, "reg2", "b")
    app.config["LOGBOEK_INDICATOREN_VERS_MINUTEN"] = 0
    body = client.get(period).get_data(as_text=True)
    assert _count(body, LATE) == 3 and "is nu berekend" in body
