"""Intake: deliveries from source systems (one signal or a bulk delivery, through the source
API) and signals from people (the melder's web form), matched to a person by BSN; a new signal
reopens a case closed because the person refused or could not be reached.

Services change the session and flush; the request (or ``unit_of_work``) commits with its
logboek lines. A delivery's rows go in with ``COPY`` (PostgreSQL) or one executemany per chunk
and are logged with one exchange line per received signal explicitly (the ORM hooks are not
involved for those rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.clock import now, today
from app.db import session
from app.domain import (
    AFWEGING_SLUITREDENEN,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
    AfwegingStatus,
    Gegevenscategorie,
)
from app.logboek import get_ledger
from app.people.models import Person
from app.people.services import InvalidBSN, normalise_bsn
from app.signalen import werkvoorraad_groepen
from app.signalen.bulk import CHUNK, bulk_insert, chunks, column_in, expire
from app.signalen.models import Afweging, SignaalBron, Vroegsignaal
from app.signalen.uitstel import standaard_uitstel
from app.signalen.validation import Rij, Rijfout, SignaalError, valideer_rij
from app.signalen.werkvoorraad import adres_sleutel
from app.users.models import User
from audit import Actor, Entry, Subject


@dataclass
class Rapport:
    """The per-row answer to a delivery."""

    ontvangen: int = 0
    opgeslagen: list[tuple[int, int]] = field(default_factory=list)  # (regel, signaal id)
    dubbel: list[tuple[int, str]] = field(default_factory=list)  # (regel, bronReferentie)
    fouten: list[Rijfout] = field(default_factory=list)
    heropend: int = 0

    def json(self) -> dict[str, Any]:
        return {
            "ontvangen": self.ontvangen,
            "opgeslagen": len(self.opgeslagen),
            "dubbel": len(self.dubbel),
            "afgekeurd": len(self.fouten),
            "heropendeAfwegingen": self.heropend,
            "opgeslagenRegels": [{"regel": r, "id": i} for r, i in self.opgeslagen],
            "dubbeleRegels": [{"regel": r, "bronReferentie": ref} for r, ref in self.dubbel],
            "fouten": [f.json() for f in self.fouten],
        }


def ontvang(
    b: SignaalBron,
    rows: Iterable[tuple[int, Any]],
    *,
    actor: Actor,
    recipient: str | None = None,
    uit_csv: bool = False,
) -> Rapport:
    """Validate, de-duplicate, match, store and log a delivery of rows ``(line number, data)``.

    ``data`` is a dict, or a ``SignaalError`` for a line that could not even be parsed.
    Every valid row is stored (one signal each), every invalid row is named with its line and
    reason, and a re-delivered row (same source, same ``bronReferentie``) is not stored again.
    Each stored signal is one exchange line in the logboek (received from the source).
    """
    ledger = get_ledger(session)
    if ledger is None:
        raise RuntimeError("een levering zonder logboek mag niet: gebruik unit_of_work")
    rapport = Rapport()
    valid: list[Rij] = []
    seen_refs: set[str] = set()
    for regel, data in rows:
        rapport.ontvangen += 1
        if isinstance(data, SignaalError):
            rapport.fouten.append(Rijfout(regel, data.field or "regel", data.message))
            continue
        try:
            rij = valideer_rij(b, regel, data, uit_csv=uit_csv)
        except SignaalError as exc:
            rapport.fouten.append(Rijfout(regel, exc.field or "regel", exc.message))
            continue
        if rij.bron_referentie in seen_refs:
            rapport.dubbel.append((regel, rij.bron_referentie))
            continue
        seen_refs.add(rij.bron_referentie)
        valid.append(rij)
    stamp = now()
    municipality = recipient or (
        str(current_app.config["EENPLAN_MUNICIPALITY"]) if has_app_context() else "de gemeente"
    )
    reopened_people: set[int] = set()
    conn = session.connection()
    for chunk in chunks(valid, CHUNK):
        refs = [r.bron_referentie for r in chunk]
        known = set(
            session.execute(
                select(Vroegsignaal.bron_referentie)
                .where(
                    Vroegsignaal.bron_id == b.id,
                    column_in(conn, Vroegsignaal.bron_referentie, refs),
                )
                .execution_options(audit_internal=True)
            ).scalars()
        )
        fresh = []
        for r in chunk:
            if r.bron_referentie in known:
                rapport.dubbel.append((r.regel, r.bron_referentie))
            else:
                fresh.append(r)
        if not fresh:
            continue
        people = dict(
            session.execute(
                select(Person.bsn, Person.id)
                .where(column_in(conn, Person.bsn, {r.bsn for r in fresh}))
                .execution_options(audit_internal=True)
            ).all()
        )
        values = [
            {
                "bron_id": b.id,
                "bron_referentie": r.bron_referentie,
                "person_id": people.get(r.bsn),
                "bsn": r.bsn,
                "inhoud": r.inhoud,
                "categorie": r.categorie,
                "domeinen": ",".join(r.domeinen),
                "gegevens": r.gegevens or None,
                "signaaldatum": r.signaaldatum,
                "ontvangen_op": stamp,
            }
            for r in fresh
        ]
        ids = bulk_insert(session.connection(), values)
        werkvoorraad_groepen.bijwerken(session.connection(), signalen=ids)  # no flush saw them
        # Police, Veilig Thuis: not shown to the citizen before step 2 (rule 3).
        standaard_uitstel(b, [(i, r.bsn) for r, i in zip(fresh, ids, strict=True)])
        for r, signal_id in zip(fresh, ids, strict=True):
            rapport.opgeslagen.append((r.regel, signal_id))
            cats = (
                (Gegevenscategorie.BSN, Gegevenscategorie.SCHULDEN, Gegevenscategorie.SIGNALEN)
                if r.gegevens
                else (Gegevenscategorie.BSN, Gegevenscategorie.SIGNALEN)
            )
            ledger.record(
                Entry(
                    kind="uitwisseling",
                    action="receive",
                    name="signalen.ontvangen",
                    actor=actor,
                    subjects=(Subject("BSN", r.bsn),),
                    processing_activity=b.processing_activity,
                    data_categories=cats,
                    trace=ledger.trace,
                    object_type="vroegsignaal",
                    object_id=str(signal_id),
                    sender=b.naam,
                    recipient=municipality,
                )
            )
        reopened_people.update(p for p in people.values())
    if reopened_people:
        rapport.heropend = heropen_na_nieuw_signaal(reopened_people)
    rapport.opgeslagen.sort()
    rapport.dubbel.sort()
    rapport.fouten.sort(key=lambda f: f.regel)
    return rapport


def heropen_na_nieuw_signaal(person_ids: Iterable[int]) -> int:
    """People must not silently drop out of view: a case closed because the person refused or
    could not be reached is reopened for attention when a new signal about them arrives."""
    ids = list(set(person_ids))
    reopened: set[int] = set()
    for chunk in chunks(ids, CHUNK):
        reopened.update(
            session.execute(
                update(Afweging)
                .where(
                    Afweging.person_id.in_(chunk),
                    Afweging.status == AfwegingStatus.GESLOTEN,
                    Afweging.sluitreden.in_(tuple(AFWEGING_SLUITREDENEN)),
                )
                .values(status=AfwegingStatus.HEROPEND, heropend_op=now())
                .returning(Afweging.id)
                .execution_options(synchronize_session=False)
            ).scalars()
        )
    expire(Afweging, reopened)
    if reopened:  # an update no flush saw: the queue's rows of these people change
        werkvoorraad_groepen.bijwerken(session.connection(), afwegingen=reopened)
    return len(reopened)


# --- intake from people (the web form) ----------------------------------------------------------


@dataclass
class Melding:
    bsn: str | None
    naam: str | None
    geboortedatum: dt.date | None
    adres: str | None
    melder_naam: str
    melder_contact: str
    relatie: str
    aanleiding: str
    inhoud: str
    domeinen: list[str]
    categorie: str = "zorgen"


def meld(melder: User, m: Melding) -> Vroegsignaal:
    """A melder files a signal. With a BSN it is matched to the person; without one, name, date
    of birth and address are kept so the regisseur can match it."""
    person_id = None
    bsn = None
    if m.bsn:
        try:
            bsn = normalise_bsn(m.bsn)
        except InvalidBSN as exc:
            raise SignaalError(str(exc), "bsn") from None
        person_id = session.execute(
            select(Person.id).where(Person.bsn == bsn).execution_options(audit_internal=True)
        ).scalar()
    elif not (m.naam and m.geboortedatum and m.adres):
        raise SignaalError(
            _("Vul het BSN in, of naam, geboortedatum en adres als u het BSN niet weet."), "bsn"
        )
    if not m.domeinen or any(d not in LEEFGEBIEDEN for d in m.domeinen):
        raise SignaalError(_("Kies minstens één leefgebied."), "domeinen")
    if m.categorie not in SIGNAAL_CATEGORIEEN:
        raise SignaalError(_("Kies waar het signaal over gaat."), "categorie")
    signal = Vroegsignaal(
        bron_id=None,
        melder_id=melder.id,
        melder_volgnummer=volgend_meldnummer(melder),
        person_id=person_id,
        bsn=bsn,
        naam=None if bsn else m.naam,
        geboortedatum=None if bsn else m.geboortedatum,
        adres=None if bsn else m.adres,
        adres_sleutel=None if bsn else adres_sleutel(m.adres),
        melder_naam=m.melder_naam,
        melder_contact=m.melder_contact,
        relatie=m.relatie,
        aanleiding=m.aanleiding,
        inhoud=m.inhoud,
        categorie=m.categorie,
        domeinen=",".join(dict.fromkeys(m.domeinen)),
        signaaldatum=today(),
        ontvangen_op=now(),
    )
    session.add(signal)
    session.flush()
    if person_id is not None:
        heropen_na_nieuw_signaal([person_id])
    return signal


def volgend_meldnummer(melder: User) -> int:
    """The melder's next own number ("Melding 3"). The melder's user row is locked first
    (PostgreSQL; SQLite writes one at a time), so two reports at once do not get one number."""
    session.execute(
        select(User.id)
        .where(User.id == melder.id)
        .with_for_update()
        .execution_options(audit_internal=True)
    )
    last = session.execute(
        select(func.max(Vroegsignaal.melder_volgnummer))
        .where(Vroegsignaal.melder_id == melder.id)
        .execution_options(audit_internal=True)
    ).scalar()
    return int(last or 0) + 1


def zelfde_bsn(signal: Vroegsignaal) -> int:
    """How many other open signals not yet matched were delivered with this signal's BSN (the
    queue shows them as one row; :func:`koppel` matches them together)."""
    if not signal.bsn:
        return 0
    return int(
        session.execute(
            select(func.count())
            .select_from(Vroegsignaal)
            .where(
                Vroegsignaal.bsn == signal.bsn,
                Vroegsignaal.person_id.is_(None),
                Vroegsignaal.verwijderd_op.is_(None),
                Vroegsignaal.id != signal.id,
            )
            .execution_options(audit_internal=True)  # a count; the page's line names the BSN
        ).scalar_one()
    )


def koppel(signal: Vroegsignaal, bsn: str) -> Person:
    """The regisseur matches a signal that came without a known person (name, date of birth and
    address only, or a BSN not yet known here) to a person by BSN."""
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN as exc:
        raise SignaalError(str(exc), "bsn") from None
    if signal.person_id is not None or signal.verwijderd_op is not None:
        raise SignaalError(_("Dit signaal is al gekoppeld of verwijderd."), "bsn")
    person = session.scalars(select(Person).where(Person.bsn == bsn)).first()
    if person is None:
        raise SignaalError(
            _("Er is (nog) geen persoon met dit BSN in Eenplan. Controleer het BSN."), "bsn"
        )
    # The queue showed the signals delivered with this BSN as one row: they are matched together.
    same_bsn = session.scalars(
        select(Vroegsignaal).where(
            Vroegsignaal.bsn == bsn,
            Vroegsignaal.person_id.is_(None),
            Vroegsignaal.verwijderd_op.is_(None),
            Vroegsignaal.id != signal.id,
        )
    ).all()
    for s in [signal, *same_bsn]:
        s.person_id = person.id
        s.bsn = bsn
        s.naam = s.geboortedatum = s.adres = s.adres_sleutel = None
    session.flush()
    heropen_na_nieuw_signaal([person.id])
    return person
