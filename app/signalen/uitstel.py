"""Deferred disclosure of a signal (gedwongen kader, SPEC rule 3).

The regisseur of a signal (the signal team; once a case is open, that case's regisseur) or the
privacy officer can defer showing a signal to the citizen — the signal itself and every logboek
line about it — until a date, for a reason from a fixed list plus free text, never further ahead
than ``EENPLAN_UITSTEL_MAX_DAGEN``. Signals from a source marked ``gevoelig`` (police, Veilig
Thuis) are deferred by default until step 2 of the afweging is answered (and at most that term).

Logboek lines are hash-chained and never change: a deferral is a record of its own
(:class:`Uitstel`), keyed by the signal and by the subject's logboek pseudonym. The citizen's
view of the logboek (:class:`app.access.LogboekToegang`) hides the lines whose object is a
deferred signal and, once the deferral has ended, shows them with the date and the reason.
Creating a deferral is itself a logboek line about the person — with the signal as its object, so
it stays hidden with the signal — and every deferral is listed for the privacy officer's review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import now, today
from app.db import Base, UTCDateTime, session, utcnow
from app.domain import Gegevenscategorie
from app.logboek import current_ledger, current_logboek, get_ledger
from app.people.models import Person
from app.signalen.models import AfwegingStap, DatInformatieVraag, SignaalBron, Vroegsignaal
from app.signalen.validation import SignaalError
from audit import Actor, Entry, Subject

DEFAULT_MAX_DAGEN = 90

# The fixed list of reasons (the regisseur adds free text). Labels are what the citizen reads
# afterwards, in plain words.
REDENEN = {
    "veiligheid": _l("De veiligheid van u of iemand anders ging voor"),
    "onderzoek": _l("Politie of justitie deed nog onderzoek"),
    "melder": _l("Om de persoon die het meldde te beschermen"),
    "gevoelige_bron": _l("Het signaal kwam van politie of Veilig Thuis en was nog niet bekeken"),
}
REDENEN_KEUZE = {k: v for k, v in REDENEN.items() if k != "gevoelige_bron"}
STANDAARD_TOELICHTING = "Standaard uitstel voor een gevoelige bron, tot stap 2 van de afweging."


class Uitstel(Base):
    """One deferral of a signal's disclosure to the citizen (never a change to a logboek line).

    ``onderwerp`` is the subject's logboek pseudonym (not the BSN): what the citizen's view of
    the logboek filters by. ``tot`` is the last possible day of deferral; ``tot_stap_2`` ends it
    earlier, when step 2 of the signal's afweging is answered. ``beoordeeld_*``: the privacy
    officer's review; ``beeindigd_op``: ended early (by that review).
    """

    __tablename__ = "uitstel"

    id: Mapped[int] = mapped_column(primary_key=True)
    vroegsignaal_id: Mapped[int] = mapped_column(ForeignKey("vroegsignaal.id"), index=True)
    onderwerp: Mapped[str] = mapped_column(String(64), index=True)
    tot: Mapped[dt.date] = mapped_column(Date)
    tot_stap_2: Mapped[bool] = mapped_column(Boolean, default=False)
    reden: Mapped[str] = mapped_column(String(40))
    toelichting: Mapped[str] = mapped_column(Text)
    ingesteld_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ingesteld_door: Mapped[str] = mapped_column(String(300))  # name and role, or the system
    ingesteld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    beoordeeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    beoordeeld_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    beoordeling: Mapped[str | None] = mapped_column(Text)
    beeindigd_op: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def reden_label(self) -> str:
        return REDENEN.get(self.reden, self.reden)


def max_dagen() -> int:
    if has_app_context():
        return int(current_app.config.get("EENPLAN_UITSTEL_MAX_DAGEN", DEFAULT_MAX_DAGEN))
    return DEFAULT_MAX_DAGEN


def uiterste_datum(vanaf: dt.date | None = None) -> dt.date:
    return (vanaf or today()) + dt.timedelta(days=max_dagen())


def _pseudonym(signal: Vroegsignaal) -> tuple[str, str] | None:
    """(BSN, pseudonym) of the person the signal is about; ``None`` when nobody is known."""
    bsn = session.execute(
        select(Vroegsignaal.bsn)
        .where(Vroegsignaal.id == signal.id)
        .execution_options(audit_internal=True)
    ).scalar()
    if not bsn and signal.person_id is not None:
        bsn = session.execute(
            select(Person.bsn)
            .where(Person.id == signal.person_id)
            .execution_options(audit_internal=True)
        ).scalar()
    if not bsn:
        return None
    return bsn, current_logboek().pseudonymise(Subject("BSN", bsn))


def stel_uit(
    signal: Vroegsignaal, *, tot: dt.date | None, reden: str | None, toelichting: str, actor: Actor
) -> Uitstel:
    """Defer the disclosure of ``signal`` to the citizen until ``tot``. Refuses a date that is
    not in the future or past the maximum term, a reason not on the list, and an empty
    explanation (``SignaalError`` with the field). The deferral is one logboek line about the
    person (object: the signal, so it stays hidden with it)."""
    if tot is None:
        raise SignaalError(_("Kies tot welke datum."), "tot")
    if tot <= today():
        raise SignaalError(_("Kies een datum na vandaag."), "tot")
    grens = uiterste_datum()
    if tot > grens:
        raise SignaalError(
            _(
                "Uitstel mag hoogstens %(dagen)s dagen: kies uiterlijk %(grens)s.",
                dagen=max_dagen(),
                grens=grens.strftime("%d-%m-%Y"),
            ),
            "tot",
        )
    if reden not in REDENEN_KEUZE:
        raise SignaalError(_("Kies een reden."), "reden")
    toelichting = (toelichting or "").strip()
    if len(toelichting) < 10:
        raise SignaalError(_("Leg in minstens 10 tekens uit waarom."), "toelichting")
    if signal.verwijderd_op is not None:
        raise SignaalError(_("Dit signaal is verwijderd."), "tot")
    found = _pseudonym(signal)
    if found is None:
        raise SignaalError(
            _("Koppel het signaal eerst aan een persoon: zonder BSN is er niets uit te stellen."),
            "tot",
        )
    bsn, pseudonym = found
    uitstel = Uitstel(
        vroegsignaal_id=signal.id,
        onderwerp=pseudonym,
        tot=tot,
        tot_stap_2=False,
        reden=reden,
        toelichting=toelichting,
        ingesteld_door_id=int(actor.id) if actor.id and actor.id.isdigit() else None,
        ingesteld_door=", ".join(p for p in (actor.name, actor.role, actor.organisation) if p),
        ingesteld_op=now(),
    )
    session.add(uitstel)
    session.flush()
    ledger = current_ledger()
    ledger.record(
        Entry(
            kind="inzage",
            action="create",
            name="signalen.uitstel",
            actor=actor,
            subjects=(Subject("BSN", bsn),),
            processing_activity=ledger.declaration.processing_activity
            if ledger.declaration
            else "signalen-afweging",
            data_categories=(Gegevenscategorie.SIGNALEN,),
            trace=ledger.trace,
            object_type="vroegsignaal",
            object_id=str(signal.id),
        )
    )
    return uitstel


def standaard_uitstel(bron: SignaalBron, signalen: Iterable[tuple[int, str]]) -> int:
    """Signals ``(id, bsn)`` just received from a source marked ``gevoelig``: deferred until
    step 2 of their afweging is answered, at most the maximum term. Written with the delivery
    (same transaction); the delivery's own exchange lines are the log of it."""
    if not getattr(bron, "gevoelig", False):
        return 0
    if get_ledger(session) is None:
        raise RuntimeError("uitstel zonder logboek mag niet: gebruik unit_of_work")
    lb = current_logboek()
    tot = uiterste_datum()
    rows = [
        {
            "vroegsignaal_id": signal_id,
            "onderwerp": lb.pseudonymise(Subject("BSN", bsn)),
            "tot": tot,
            "tot_stap_2": True,
            "reden": "gevoelige_bron",
            "toelichting": STANDAARD_TOELICHTING,
            "ingesteld_door_id": None,
            "ingesteld_door": f"Eenplan (standaard voor {bron.naam})",
            "ingesteld_op": now(),
        }
        for signal_id, bsn in signalen
    ]
    if rows:
        session.execute(Uitstel.__table__.insert(), rows)  # type: ignore[attr-defined]
    return len(rows)


@dataclass(frozen=True)
class Openbaarheid:
    """For one subject: which signals are still deferred, and for those whose deferral ended,
    from when they are shown and why. A case (afweging) all of whose signals are deferred is
    deferred with them: the case, its steps and its dát-informatie questions (``afwegingen``,
    ``objecten``: the logboek objects to leave out besides the signals)."""

    verborgen: frozenset[int]
    later: dict[int, tuple[dt.date, str]]
    afwegingen: frozenset[int] = frozenset()
    objecten: tuple[tuple[str, str], ...] = ()
    # The logboek objects shown late, with from when and why: the signals, and the objects of
    # a case all of whose signals were deferred.
    later_objecten: dict[tuple[str, str], tuple[dt.date, str]] = field(default_factory=dict)

    @property
    def verborgen_objecten(self) -> tuple[tuple[str, str], ...]:
        return (
            *(("vroegsignaal", str(i)) for i in sorted(self.verborgen)),
            *self.objecten,
        )


def _verborgen_afwegingen(signalen: set[int]) -> tuple[frozenset[int], tuple[tuple[str, str], ...]]:
    """The cases whose every signal is deferred, and the logboek objects that belong to them."""
    if not signalen:
        return frozenset(), ()
    cases = {
        c
        for c in session.execute(
            select(Vroegsignaal.afweging_id)
            .where(Vroegsignaal.id.in_(signalen))
            .execution_options(audit_internal=True)  # ids only: shows nothing
        ).scalars()
        if c is not None
    }
    if not cases:
        return frozenset(), ()
    for case_id, signal_id in session.execute(
        select(Vroegsignaal.afweging_id, Vroegsignaal.id)
        .where(Vroegsignaal.afweging_id.in_(cases))
        .execution_options(audit_internal=True)
    ).all():
        if signal_id not in signalen:
            cases.discard(case_id)
    if not cases:
        return frozenset(), ()
    steps = session.execute(
        select(AfwegingStap.id)
        .where(AfwegingStap.afweging_id.in_(cases))
        .execution_options(audit_internal=True)
    ).scalars()
    vragen = session.execute(
        select(DatInformatieVraag.id)
        .where(DatInformatieVraag.afweging_id.in_(cases))
        .execution_options(audit_internal=True)
    ).scalars()
    objecten = (
        *(("afweging", str(i)) for i in sorted(cases)),
        *(("afweging_stap", str(i)) for i in sorted(steps)),
        *(("dat_informatie_vraag", str(i)) for i in sorted(vragen)),
    )
    return frozenset(cases), objecten


def _stap_2_op() -> Any:
    return (
        select(AfwegingStap.besloten_op)
        .join(Vroegsignaal, Vroegsignaal.afweging_id == AfwegingStap.afweging_id)
        .where(Vroegsignaal.id == Uitstel.vroegsignaal_id, AfwegingStap.stap == 2)
        .limit(1)
        .scalar_subquery()
    )


def _einde(u: Uitstel, stap_2: dt.datetime | None) -> dt.date:
    """The day the deferral ends (the signal is shown from then on)."""
    ends = [u.tot]
    if u.beeindigd_op is not None:
        ends.append(u.beeindigd_op)
    if u.tot_stap_2 and stap_2 is not None:
        ends.append(stap_2.date())
    return min(ends)


def openbaarheid(pseudonym: str | None, *, day: dt.date | None = None) -> Openbaarheid:
    """What the citizen with this logboek pseudonym may not see yet (and what they see late)."""
    if pseudonym is None:
        return Openbaarheid(frozenset(), {})
    day = day or today()
    rows = session.execute(
        select(Uitstel, _stap_2_op())
        .where(Uitstel.onderwerp == pseudonym)
        .execution_options(audit_internal=True)  # when step 2 was answered: shows nothing
    ).all()
    eind: dict[int, list[tuple[dt.date, Uitstel]]] = {}
    for u, stap_2 in rows:
        eind.setdefault(u.vroegsignaal_id, []).append((_einde(u, stap_2), u))
    verborgen: set[int] = set()
    later: dict[int, tuple[dt.date, str]] = {}
    for signal_id, items in eind.items():
        if any(end > day for end, _ in items):
            verborgen.add(signal_id)
            continue
        end, last = max(items, key=lambda t: (t[0], t[1].id))
        later[signal_id] = (end, f"{last.reden_label}. {last.toelichting}")
    afwegingen, objecten = _verborgen_afwegingen(verborgen)
    later_objecten = {("vroegsignaal", str(i)): v for i, v in later.items()}
    if later:
        # A case whose signals were all deferred and are all shown now: its objects too.
        _cases, case_objects = _verborgen_afwegingen(set(later) | verborgen)
        laatst = max(later.values())
        for obj in case_objects:
            if obj not in objecten:
                later_objecten.setdefault(obj, laatst)
    return Openbaarheid(frozenset(verborgen), later, afwegingen, objecten, later_objecten)


def uitgesteld(signal_ids: Iterable[int], *, day: dt.date | None = None) -> Openbaarheid:
    """The same, for given signals (e.g. the ones about a person on "Signalen over mij")."""
    ids = list(set(signal_ids))
    if not ids:
        return Openbaarheid(frozenset(), {})
    pseudonyms = set(
        session.execute(select(Uitstel.onderwerp).where(Uitstel.vroegsignaal_id.in_(ids))).scalars()
    )
    verborgen: set[int] = set()
    later: dict[int, tuple[dt.date, str]] = {}
    afwegingen: set[int] = set()
    for p in pseudonyms:
        o = openbaarheid(p, day=day)
        verborgen |= {i for i in o.verborgen if i in ids}
        later.update({i: v for i, v in o.later.items() if i in ids})
        afwegingen |= o.afwegingen
    return Openbaarheid(frozenset(verborgen), later, frozenset(afwegingen))


def heeft_uitstel(signal_id: int) -> bool:
    return bool(
        session.execute(select(exists().where(Uitstel.vroegsignaal_id == signal_id))).scalar()
    )


__all__ = [
    "REDENEN",
    "REDENEN_KEUZE",
    "Openbaarheid",
    "Uitstel",
    "max_dagen",
    "openbaarheid",
    "standaard_uitstel",
    "stel_uit",
    "uitgesteld",
    "uiterste_datum",
]
