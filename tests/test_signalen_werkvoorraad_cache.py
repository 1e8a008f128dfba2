"""The queue kept per process on PostgreSQL (``app.signalen.werkvoorraad_cache``): used again
only while nothing it reads changed — a new signal, a match, a gezinslink laid or broken, a
purge each shows at once; a result computed beside the transaction's own writes is not kept."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.clock import now
from app.db import session
from app.logboek import unit_of_work
from app.plans.models import Gezinslink
from app.signalen import werkvoorraad, werkvoorraad_cache
from app.signalen.models import Vroegsignaal
from tests.test_signalen import deliver, make_bsn, person, row

pytestmark = pytest.mark.postgres_only


def _queue() -> werkvoorraad.Pagina:
    with unit_of_work(session, "signalen-afweging"):
        return werkvoorraad.werkvoorraad(per_pagina=500)


def _groups_of(pid: int) -> list[werkvoorraad.Groep]:
    return [g for g in _queue().groepen if pid in g.person_ids]


def test_the_kept_queue_follows_signals_links_and_purges(app: Flask) -> None:
    with app.app_context():
        werkvoorraad_cache.vergeet()
        with unit_of_work(session, "vroegsignalering-schulden"):
            a = person(make_bsn(32000501), "Kas", postcode="6001AA")
            b = person(make_bsn(32000601), "Kas", postcode="6002AA")
            ids = (a.id, b.id)
            bsns = (a.bsn, b.bsn)
        deliver("cjib", [(1, row(bsns[0], "K-a"))])
        first = _queue()
        assert werkvoorraad_cache._CACHE  # kept
        assert _queue().totaal == first.totaal  # and used again: nothing changed
        deliver("cak", [(1, row(bsns[1], "K-b"))])
        assert _queue().totaal == first.totaal + 1  # a new signal: not the kept queue
        assert [g.person_ids for g in _groups_of(ids[0])] == [[ids[0]]]

        with unit_of_work(session, "vroegsignalering-schulden"):  # a gezinslink laid: one row
            link = Gezinslink(person_a_id=ids[0], person_b_id=ids[1], relatie="ouder")
            link.gelegd_door_naam = "T"
            session.add(link)
        assert [g.person_ids for g in _groups_of(ids[0])] == [sorted(ids)]
        assert _queue().totaal == first.totaal

        with unit_of_work(session, "vroegsignalering-schulden"):  # broken: two rows again
            session.get(Gezinslink, link.id).verbroken_op = now()  # type: ignore[union-attr]
        assert [g.person_ids for g in _groups_of(ids[0])] == [[ids[0]]]
        assert _queue().totaal == first.totaal + 1

        with unit_of_work(session, "vroegsignalering-schulden"):  # purged: gone
            for s in session.scalars(select(Vroegsignaal).where(Vroegsignaal.person_id == ids[1])):
                s.verwijderd_op = now()
        assert _groups_of(ids[1]) == []


def test_a_queue_beside_own_writes_is_not_kept(app: Flask) -> None:
    with app.app_context():
        werkvoorraad_cache.vergeet()
        before = _queue().totaal
        werkvoorraad_cache.vergeet()
        bsn = make_bsn(32000701)
        session.add(
            Vroegsignaal(
                bron_id=1,
                bron_referentie="R-1",
                bsn=bsn,
                inhoud="x",
                categorie="x",
                domeinen="wonen",
                signaaldatum=now().date(),
            )
        )
        session.flush()
        with_own = werkvoorraad.werkvoorraad(per_pagina=500)
        assert with_own.totaal == before + 1
        assert not werkvoorraad_cache._CACHE  # may still roll back: not kept
        session.rollback()
        assert _queue().totaal == before
