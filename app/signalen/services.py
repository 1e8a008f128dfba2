"""Signals: intake (people and systems), combination, the afwegingskader, forgetting.

Services change the session and flush; the request (or ``unit_of_work``) commits with its
logboek lines. Bulk intake writes its rows with one multi-row INSERT per chunk and logs one
exchange line per received signal explicitly (the ORM hooks are not involved for those rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Connection, any_, bindparam, insert, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import selectinload

from app.clock import now, today
from app.db import session
from app.domain import (
    AFWEGING_SLUITREDENEN,
    AFWEGING_STAPPEN,
    AFWEGING_STATUS_LABELS,
    LEEFGEBIEDEN,
    SIGNAAL_CATEGORIEEN,
    PlanBasis,
)
from app.logboek import get_ledger
from app.organisations.models import Organisation
from app.people.models import Person
from app.people.services import InvalidBSN, normalise_bsn
from app.signalen.models import (
    Afweging,
    AfwegingStap,
    BronToken,
    CombinatieRegel,
    DatInformatieVraag,
    SignaalBron,
    Vroegsignaal,
)
from app.users.models import User
from audit import Actor, Entry, Subject

INRICHTING = Path(__file__).with_name("inrichting.json")
TOKEN_PREFIX = "ebron_"  # noqa: S105 (a prefix, not a secret)
# Signals from the web form (no source) are weighed under this processing activity.
MELDING_VERWERKING = "signalen-afweging"
DEFAULT_BEWAARTERMIJN_DAGEN = 183  # six months; see docs/signalen.md
MAX_TEXT = 5000
CHUNK = 2000
# Columns emptied when a signal is forgotten: what stays is a tombstone without personal data.
PERSONAL_COLUMNS = (
    "person_id",
    "bsn",
    "naam",
    "geboortedatum",
    "adres",
    "melder_naam",
    "melder_contact",
    "relatie",
    "aanleiding",
    "inhoud",
    "gegevens",
)


class SignaalError(Exception):
    """A refused input. ``status`` for the API: 400 when the input breaks the documented form,
    422 when it is well-formed but does not fit (a field this source does not deliver, a date
    in the future)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


# --- configuration ------------------------------------------------------------------------


def inrichting() -> dict[str, Any]:
    return json.loads(INRICHTING.read_text(encoding="utf-8"))


def seed_inrichting(conn: Connection) -> int:
    """Add the shipped sources and combination rules that are missing (never overwrites: once
    seeded they are data the functioneel beheerder keeps)."""
    data = inrichting()
    added = 0
    have = set(conn.execute(select(SignaalBron.code)).scalars())
    for b in data["bronnen"]:
        if b["code"] in have:
            continue
        conn.execute(
            insert(SignaalBron).values(
                code=b["code"],
                naam=b["naam"],
                soort=b["soort"],
                domeinen=b["domeinen"],
                velden=b["velden"],
                processing_activity=b["processing_activity"],
                bewaartermijn_dagen=b["bewaartermijn_dagen"],
                actief=True,
            )
        )
        added += 1
    have = set(conn.execute(select(CombinatieRegel.code)).scalars())
    for r in data["regels"]:
        if r["code"] in have:
            continue
        conn.execute(
            insert(CombinatieRegel).values(
                code=r["code"],
                naam=r["naam"],
                voorwaarde=r["voorwaarde"],
                urgentie=r["urgentie"],
                actief=True,
            )
        )
        added += 1
    return added


def bron(code: str) -> SignaalBron | None:
    return session.scalars(select(SignaalBron).where(SignaalBron.code == code)).first()


def default_bewaartermijn() -> int:
    if has_app_context():
        return int(current_app.config.get("SIGNALEN_BEWAARTERMIJN_DAGEN", 183))
    return DEFAULT_BEWAARTERMIJN_DAGEN


# --- organisation-scoped tokens for source systems ----------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def koppel_organisatie(b: SignaalBron) -> Organisation:
    """The organisation that delivers for this source (made on first use)."""
    if b.organisation_id is not None:
        org = session.get(Organisation, b.organisation_id)
        assert org is not None
        return org
    org = session.scalars(select(Organisation).where(Organisation.name == b.naam)).first()
    if org is None:
        soort = next(
            (
                x.get("organisatie_soort", "overig")
                for x in inrichting()["bronnen"]
                if x["code"] == b.code
            ),
            "overig",
        )
        org = Organisation(name=b.naam, kind=soort, active=True)
        session.add(org)
        session.flush()
    b.organisation_id = org.id
    session.flush()
    return org


def maak_bron_token(b: SignaalBron, name: str = "bronsysteem") -> tuple[BronToken, str]:
    """A new token for the source's organisation; the plain token is returned once."""
    org = koppel_organisatie(b)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = BronToken(
        organisation_id=org.id,
        name=name.strip() or "bronsysteem",
        prefix=plain[:12],
        token_hash=_hash(plain),
        created_at=now(),
    )
    session.add(token)
    session.flush()
    return token, plain


def organisatie_voor_token(plain: str) -> Organisation | None:
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = session.scalars(select(BronToken).where(BronToken.token_hash == _hash(plain))).first()
    if token is None or token.revoked_at is not None or not token.organisation.active:
        return None
    token.last_used_at = now()
    return token.organisation


def bron_actor(b: SignaalBron, org: Organisation) -> Actor:
    return Actor(
        type="systeem",
        id=f"organisatie:{org.id}",
        name=f"{org.name} (bronsysteem)",
        role="Bron van signalen",
        organisation=org.name,
    )


# --- validation ---------------------------------------------------------------------------------

BASE_FIELDS = {"bsn", "bronReferentie", "signaaldatum", "categorie", "domeinen", "inhoud"}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_BSN = re.compile(r"^[0-9]{9}$")


@dataclass
class Rijfout:
    regel: int
    veld: str
    reden: str

    def json(self) -> dict[str, Any]:
        return {"regel": self.regel, "veld": self.veld, "reden": self.reden}


@dataclass
class Rij:
    regel: int
    bsn: str
    bron_referentie: str
    signaaldatum: dt.date
    categorie: str
    domeinen: list[str]
    inhoud: str | None
    gegevens: dict[str, Any]


def _text(value: Any, name: str, max_len: int, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise SignaalError("Verplicht veld.", name)
        return None
    if not isinstance(value, str):
        raise SignaalError("Tekst verwacht.", name)
    if required and not value.strip():
        raise SignaalError("Verplicht veld.", name)
    if len(value) > max_len:
        raise SignaalError(f"Hooguit {max_len} tekens.", name)
    if "\x00" in value:
        raise SignaalError("Tekst zonder NUL-tekens.", name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SignaalError("Geen geldige Unicode-tekst.", name) from None
    return value


_AMOUNT = re.compile(r"^[0-9]{1,8}([.,][0-9]{1,2})?$")
_INT = re.compile(r"^[0-9]{1,4}$")
# Every field any kind of source may deliver (the OpenAPI document lists them); which ones a
# source may actually deliver is its configuration (``SignaalBron.velden``).
BRON_VELDEN = (
    "schuldsoort",
    "bedrag",
    "maanden_achterstand",
    "schuldeiser",
    "dreigende_ontruiming",
    "verzuim_uren",
)


def _bron_veld(name: str, value: Any, uit_csv: bool) -> Any:
    """The source-specific fields, typed. JSON must carry the documented types; CSV carries
    text, which is converted."""
    if value is None or (uit_csv and value == ""):
        return None
    if name == "bedrag":
        if not isinstance(value, str) or not _AMOUNT.match(value):
            raise SignaalError("Een bedrag in euro's als tekst, bijvoorbeeld 350.00.", name)
        if "," in value and not uit_csv:
            raise SignaalError("Een bedrag met een punt, bijvoorbeeld 350.00.", name)
        return str(Decimal(value.replace(",", ".")).quantize(Decimal("0.01")))
    if name in ("maanden_achterstand", "verzuim_uren"):
        if uit_csv and isinstance(value, str) and _INT.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise SignaalError("Een heel getal van 0 tot en met 1000.", name)
        return value
    if name == "dreigende_ontruiming":
        if uit_csv and isinstance(value, str):
            value = {
                "true": True,
                "ja": True,
                "1": True,
                "false": False,
                "nee": False,
                "0": False,
            }.get(value.strip().lower(), value)
        if not isinstance(value, bool):
            raise SignaalError("Ja of nee (true/false).", name)
        return value
    return _text(value, name, 200)


def valideer_rij(b: SignaalBron, regel: int, data: Any, *, uit_csv: bool = False) -> Rij:
    """One delivered row, checked against the source's configuration; raises SignaalError."""
    if not isinstance(data, dict):
        raise SignaalError("Een object met velden verwacht.", "regel")
    for key, value in data.items():
        if key not in BASE_FIELDS and key not in BRON_VELDEN:
            raise SignaalError("Onbekend veld.", str(key)[:100])
        if value is None and not uit_csv:
            raise SignaalError("Laat een leeg veld weg (geen null).", key)
    for key in data:
        if key in BRON_VELDEN and key not in b.velden and data[key] not in (None, ""):
            raise SignaalError(f"Dit veld levert {b.naam} niet aan.", key, 422)
    bsn = _text(data.get("bsn"), "bsn", 20, required=True) or ""
    if not _BSN.match(bsn):
        raise SignaalError("Een BSN heeft precies 9 cijfers.", "bsn")
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN:
        raise SignaalError("Dit is geen geldig BSN (11-proef).", "bsn") from None
    ref = _text(data.get("bronReferentie"), "bronReferentie", 100, required=True) or ""
    datum_text = _text(data.get("signaaldatum"), "signaaldatum", 10, required=True) or ""
    if not _DATE.match(datum_text):
        raise SignaalError("Een datum als JJJJ-MM-DD.", "signaaldatum")
    try:
        datum = dt.date.fromisoformat(datum_text)
    except ValueError:
        raise SignaalError("Een datum als JJJJ-MM-DD.", "signaaldatum") from None
    if datum > today() or datum.year < 2000:
        raise SignaalError("De datum ligt in de toekomst of voor 2000.", "signaaldatum", 422)
    default_cat = {"school": "schoolverzuim", "politie": "politie"}.get(
        b.soort, "betalingsachterstand"
    )
    categorie = _text(data.get("categorie"), "categorie", 40) or default_cat
    if categorie not in SIGNAAL_CATEGORIEEN:
        raise SignaalError("Een van: " + ", ".join(SIGNAAL_CATEGORIEEN), "categorie")
    domeinen_raw = data.get("domeinen")
    if uit_csv and isinstance(domeinen_raw, str):
        domeinen_raw = [d.strip() for d in re.split(r"[,;]", domeinen_raw) if d.strip()]
    if domeinen_raw is None or domeinen_raw == []:
        domeinen = list(b.domeinen)
    else:
        if not isinstance(domeinen_raw, list) or not all(isinstance(d, str) for d in domeinen_raw):
            raise SignaalError("Een lijst van leefgebieden.", "domeinen")
        if len(domeinen_raw) > 20:
            raise SignaalError("Hooguit 20 leefgebieden.", "domeinen")
        domeinen = list(dict.fromkeys(domeinen_raw))
        if any(d not in LEEFGEBIEDEN for d in domeinen):
            raise SignaalError("Een van: " + ", ".join(LEEFGEBIEDEN), "domeinen")
    inhoud = _text(data.get("inhoud"), "inhoud", MAX_TEXT)
    gegevens = {}
    for name in b.velden:
        value = _bron_veld(name, data.get(name), uit_csv)
        if value is not None:
            gegevens[name] = value
    if gegevens.get("dreigende_ontruiming") is True:
        categorie = "dreigende_uitzetting"
    return Rij(regel, bsn, ref, datum, categorie, domeinen, inhoud, gegevens)


# --- intake from systems ------------------------------------------------------------------------


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


def _in(conn: Connection, column: Any, values: Iterable[Any]) -> Any:
    """``column IN values`` for a chunk of a delivery. On PostgreSQL one array parameter
    (``= ANY(%s)``): the text stays short and the same, so psycopg need not parse 2,000
    placeholders per chunk, and SQLAlchemy need not expand them."""
    items = list(values)
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, items, type_=postgresql.ARRAY(column.type)))
    return column.in_(items)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
    for chunk in _chunks(valid, CHUNK):
        refs = [r.bron_referentie for r in chunk]
        known = set(
            session.execute(
                select(Vroegsignaal.bron_referentie)
                .where(
                    Vroegsignaal.bron_id == b.id,
                    _in(conn, Vroegsignaal.bron_referentie, refs),
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
                .where(_in(conn, Person.bsn, {r.bsn for r in fresh}))
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
        for r, signal_id in zip(fresh, ids, strict=True):
            rapport.opgeslagen.append((r.regel, signal_id))
            cats = ("bsn", "schulden", "signalen") if r.gegevens else ("bsn", "signalen")
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


COPY_COLUMNS = (
    "bron_id",
    "bron_referentie",
    "person_id",
    "bsn",
    "inhoud",
    "categorie",
    "domeinen",
    "gegevens",
    "signaaldatum",
    "ontvangen_op",
)


def bulk_insert(conn: Connection, values: list[dict[str, Any]]) -> list[int]:
    """Insert signal rows from a source as fast as the database allows; returns their ids in
    the order of ``values`` (every row has a source and a reference: they find the ids).

    PostgreSQL: ``COPY … FROM STDIN`` on the request's own connection and transaction. SQLite:
    a plain executemany (with RETURNING it would insert row by row).
    """
    if conn.dialect.name == "postgresql":
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        sql = f"COPY vroegsignaal ({', '.join(COPY_COLUMNS)}) FROM STDIN"
        with dbapi.cursor() as cur, cur.copy(sql) as copy:
            for v in values:
                row = [v.get(c) for c in COPY_COLUMNS]
                if row[7] is not None:
                    row[7] = json.dumps(row[7])
                copy.write_row(row)
    else:
        conn.execute(insert(Vroegsignaal), values)
    by_source: dict[Any, list[str]] = defaultdict(list)
    for v in values:
        by_source[v["bron_id"]].append(v["bron_referentie"])
    found: dict[tuple[Any, Any], int] = {}
    for bron_id, refs in by_source.items():
        for chunk in _chunks(refs, CHUNK):
            for i, b_id, ref in conn.execute(
                select(Vroegsignaal.id, Vroegsignaal.bron_id, Vroegsignaal.bron_referentie).where(
                    Vroegsignaal.bron_id == bron_id, _in(conn, Vroegsignaal.bron_referentie, chunk)
                )
            ):
                found[(b_id, ref)] = i
    return [found[(v["bron_id"], v["bron_referentie"])] for v in values]


def heropen_na_nieuw_signaal(person_ids: Iterable[int]) -> int:
    """People must not silently drop out of view: a case closed because the person refused or
    could not be reached is reopened for attention when a new signal about them arrives."""
    ids = list(set(person_ids))
    reopened: set[int] = set()
    for chunk in _chunks(ids, CHUNK):
        reopened.update(
            session.execute(
                update(Afweging)
                .where(
                    Afweging.person_id.in_(chunk),
                    Afweging.status == "gesloten",
                    Afweging.sluitreden.in_(tuple(AFWEGING_SLUITREDENEN)),
                )
                .values(status="heropend", heropend_op=now())
                .returning(Afweging.id)
                .execution_options(synchronize_session=False)
            ).scalars()
        )
    _expire(Afweging, reopened)
    return len(reopened)


def _expire(model: type, ids: set[int]) -> None:
    """Objects changed by a bulk UPDATE are reloaded on their next use."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in ids:
            session.expire(obj)


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
            "Vul het BSN in, of naam, geboortedatum en adres als u het BSN niet weet.", "bsn"
        )
    if not m.domeinen or any(d not in LEEFGEBIEDEN for d in m.domeinen):
        raise SignaalError("Kies minstens één leefgebied.", "domeinen")
    if m.categorie not in SIGNAAL_CATEGORIEEN:
        raise SignaalError("Kies waar het signaal over gaat.", "categorie")
    signal = Vroegsignaal(
        bron_id=None,
        melder_id=melder.id,
        person_id=person_id,
        bsn=bsn,
        naam=None if bsn else m.naam,
        geboortedatum=None if bsn else m.geboortedatum,
        adres=None if bsn else m.adres,
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


def koppel(signal: Vroegsignaal, bsn: str) -> Person:
    """The regisseur matches a signal that came without a known person (name, date of birth and
    address only, or a BSN not yet known here) to a person by BSN."""
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN as exc:
        raise SignaalError(str(exc), "bsn") from None
    if signal.person_id is not None or signal.verwijderd_op is not None:
        raise SignaalError("Dit signaal is al gekoppeld of verwijderd.", "bsn")
    person = session.scalars(select(Person).where(Person.bsn == bsn)).first()
    if person is None:
        raise SignaalError(
            "Er is (nog) geen persoon met dit BSN in Eenplan. Controleer het BSN.", "bsn"
        )
    signal.person_id = person.id
    signal.bsn = bsn
    signal.naam = signal.geboortedatum = signal.adres = None
    session.flush()
    heropen_na_nieuw_signaal([person.id])
    return person


# --- status (for the melder and the citizen) ------------------------------------------------------


def status_label(verwijderd: bool, afweging_status: str | None) -> str:
    if verwijderd:
        return "Verwijderd"
    if afweging_status is None:
        return "Ontvangen, nog niet gewogen"
    if afweging_status in ("open", "heropend"):
        return "In behandeling"
    return "Afgerond"


@dataclass(frozen=True)
class MeldingStatus:
    id: int
    signaaldatum: dt.date
    ontvangen_op: dt.datetime
    status: str


def mijn_meldingen(melder: User) -> list[MeldingStatus]:
    """A melder sees the status of their own signals, nothing else (not even the person's name:
    they know whom they reported; the status shows nothing they did not give)."""
    rows = session.execute(
        select(
            Vroegsignaal.id,
            Vroegsignaal.signaaldatum,
            Vroegsignaal.ontvangen_op,
            Vroegsignaal.verwijderd_op,
            Afweging.status,
        )
        .outerjoin(Afweging, Afweging.id == Vroegsignaal.afweging_id)
        .where(Vroegsignaal.melder_id == melder.id)
        .order_by(Vroegsignaal.ontvangen_op.desc(), Vroegsignaal.id.desc())
        .execution_options(audit_internal=True)
    ).all()
    return [MeldingStatus(i, d, o, status_label(v is not None, s)) for i, d, o, v, s in rows]


def signalen_over_inwoner(person_id: int) -> list[dict[str, Any]]:
    """The signals about a citizen, with source and status — for the citizen portal.

    The objects are loaded through the ORM, so whoever reads them on the citizen's behalf gets
    a logboek line from the ledger; the citizen reading their own signals gets none (the ledger
    leaves out the actor's own person).
    """
    signals = session.scalars(
        select(Vroegsignaal)
        .where(Vroegsignaal.person_id == person_id, Vroegsignaal.verwijderd_op.is_(None))
        .order_by(Vroegsignaal.ontvangen_op.desc(), Vroegsignaal.id.desc())
    ).all()
    case_status = {
        a.id: a.status
        for a in session.scalars(
            select(Afweging).where(
                Afweging.id.in_({s.afweging_id for s in signals if s.afweging_id})
            )
        )
    }
    return [
        {
            "id": s.id,
            "bron": s.bron.naam if s.bron else "Melding via het formulier",
            # Not the melder's name (a neighbour or teacher may need protecting): their relation.
            "relatie": s.relatie if s.bron is None else None,
            "categorie": SIGNAAL_CATEGORIEEN.get(s.categorie, s.categorie),
            "leefgebieden": [LEEFGEBIEDEN.get(d, d) for d in s.domein_lijst],
            "inhoud": s.inhoud,
            "signaaldatum": s.signaaldatum,
            "ontvangen_op": s.ontvangen_op,
            "status": status_label(False, case_status.get(s.afweging_id or 0)),
        }
        for s in signals
    ]


def afwegingen_voor_inwoner(person_id: int) -> list[dict[str, Any]]:
    """The weighing of a citizen's situation (every step: answer, motivation, who, when), for
    the plan's file and the citizen portal. Loaded through the ORM: read on someone else's
    behalf, it is logged; the citizen reading their own is not."""
    cases = session.scalars(
        select(Afweging)
        .where(Afweging.person_id == person_id)
        .options(selectinload(Afweging.stappen))
        .order_by(Afweging.geopend_op.desc(), Afweging.id.desc())
    ).all()
    return [
        {
            "id": a.id,
            "status": status_tekst(a.status),
            "geopend_op": a.geopend_op,
            "gesloten_op": a.gesloten_op,
            "plan_id": a.plan_id,
            "verwijzing": a.verwijzing,
            "stappen": [
                {
                    "stap": st.stap,
                    "vraag": AFWEGING_STAPPEN.get(st.stap, ""),
                    "antwoord": "Ja" if st.antwoord else "Nee",
                    "motivering": st.motivering,
                    "besloten_door": st.besloten_door_naam,
                    "besloten_op": st.besloten_op,
                }
                for st in a.stappen
            ],
        }
        for a in cases
    ]


# --- combination and the regisseur's queue -------------------------------------------------------


@dataclass
class Groep:
    """A person or household in the queue, with their open signals."""

    key: str
    person_ids: list[int]
    signalen: list[Vroegsignaal]
    regels: list[CombinatieRegel] = field(default_factory=list)
    heropend: bool = False

    @property
    def bronnen(self) -> set[str]:
        return {s.bron.code if s.bron else f"melder:{s.melder_id}" for s in self.signalen}

    @property
    def domeinen(self) -> set[str]:
        return {d for s in self.signalen for d in s.domein_lijst}

    @property
    def nieuwste(self) -> dt.datetime:
        return max(s.ontvangen_op for s in self.signalen)

    @property
    def urgentie(self) -> int:
        return max([r.urgentie for r in self.regels] + [1])


def regel_vuurt(regel: CombinatieRegel, signalen: list[Vroegsignaal]) -> bool:
    """Evaluate one rule (data) on a group's signals. The vocabulary of conditions:

    * ``min_bronnen``: at least ``aantal`` distinct sources (optionally of ``bron_soort``);
    * ``min_domeinen``: at least ``aantal`` distinct life domains;
    * ``categorie``: any signal of one of ``categorieen``;
    * ``samen``: signals of every one of ``categorieen`` together.
    """
    v = regel.voorwaarde or {}
    kind = v.get("type")
    if kind == "min_bronnen":
        soort = v.get("bron_soort")
        sources = {
            s.bron.code if s.bron else f"melder:{s.melder_id}"
            for s in signalen
            if soort is None or (s.bron is not None and s.bron.soort == soort)
        }
        return len(sources) >= int(v.get("aantal", 2))
    if kind == "min_domeinen":
        return len({d for s in signalen for d in s.domein_lijst}) >= int(v.get("aantal", 2))
    if kind == "categorie":
        return any(s.categorie in v.get("categorieen", []) for s in signalen)
    if kind == "samen":
        cats = {s.categorie for s in signalen}
        return bool(v.get("categorieen")) and all(c in cats for c in v["categorieen"])
    return False


def _household_keys(person_ids: set[int]) -> dict[int, int]:
    """Union of people linked by an active gezinslink or living at the same address."""
    from app.plans.models import Gezinslink

    parent = {p: p for p in person_ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    ids = list(person_ids)
    for chunk in _chunks(ids, CHUNK):
        links = session.execute(
            select(Gezinslink.person_a_id, Gezinslink.person_b_id)
            .where(
                Gezinslink.verbroken_op.is_(None),
                or_(Gezinslink.person_a_id.in_(chunk), Gezinslink.person_b_id.in_(chunk)),
            )
            .execution_options(audit_internal=True)
        ).all()
        for a, b in links:
            if a in parent and b in parent:
                union(a, b)
        addresses = session.execute(
            select(Person.id, Person.postcode, Person.huisnummer, Person.huisnummer_toevoeging)
            .where(Person.id.in_(chunk))
            .execution_options(audit_internal=True)
        ).all()
        by_address: dict[tuple[str, str, str], int] = {}
        for pid, postcode, nummer, toevoeging in addresses:
            if not postcode or not nummer:
                continue
            key = (postcode.replace(" ", "").upper(), nummer, toevoeging or "")
            if key in by_address:
                union(pid, by_address[key])
            else:
                by_address[key] = pid
    return {p: find(p) for p in person_ids}


def werkvoorraad(limit: int = 200, options: list[Any] | None = None) -> list[Groep]:
    """The signal team's queue: open signals (not deleted, not in a finished case) grouped per
    person and household, with the combination rules that fired; most urgent first, then newest.
    Cases reopened by a new signal are marked."""
    open_cases = select(Afweging.id).where(Afweging.status.in_(("open", "heropend")))
    signals = session.scalars(
        select(Vroegsignaal)
        .where(
            Vroegsignaal.verwijderd_op.is_(None),
            or_(Vroegsignaal.afweging_id.is_(None), Vroegsignaal.afweging_id.in_(open_cases)),
        )
        .options(*(options or []))
        .order_by(Vroegsignaal.ontvangen_op.desc())
    ).all()
    person_ids = {s.person_id for s in signals if s.person_id is not None}
    households = _household_keys(person_ids)
    reopened = set(
        session.execute(
            select(Afweging.person_id)
            .where(Afweging.status == "heropend")
            .execution_options(audit_internal=True)
        ).scalars()
    )
    groups: dict[str, Groep] = {}
    for s in signals:
        pid = s.person_id
        key = f"signaal:{s.id}" if pid is None else f"huishouden:{households[pid]}"
        g = groups.setdefault(key, Groep(key=key, person_ids=[], signalen=[]))
        g.signalen.append(s)
        if s.person_id is not None and s.person_id not in g.person_ids:
            g.person_ids.append(s.person_id)
    regels = session.scalars(
        select(CombinatieRegel)
        .where(CombinatieRegel.actief.is_(True))
        .order_by(CombinatieRegel.urgentie.desc(), CombinatieRegel.id)
    ).all()
    for g in groups.values():
        g.regels = [r for r in regels if regel_vuurt(r, g.signalen)]
        g.heropend = any(p in reopened for p in g.person_ids)
    ordered = sorted(
        groups.values(), key=lambda g: (g.heropend, g.urgentie, g.nieuwste), reverse=True
    )
    return ordered[:limit]


# --- the afwegingskader ---------------------------------------------------------------------------


def _stap(afweging: Afweging, stap: int, antwoord: bool, motivering: str, actor: User) -> None:
    motivering = (motivering or "").strip()
    if len(motivering) < 10:
        raise SignaalError("Schrijf een motivering (minstens 10 tekens).", "motivering")
    session.add(
        AfwegingStap(
            afweging=afweging,
            stap=stap,
            antwoord=antwoord,
            motivering=motivering,
            besloten_door_id=actor.id,
            besloten_door_naam=actor.name,
            besloten_op=now(),
        )
    )


def open_afweging(
    person: Person,
    *,
    regisseur: User,
    signalen: list[Vroegsignaal],
    aanleiding: str = "signalen",
    motivering: str | None = None,
) -> Afweging:
    """Step 1: a case for a person from one or more signals (or the citizen's own request)."""
    if aanleiding not in ("signalen", "verzoek_inwoner"):
        raise SignaalError("Onbekende aanleiding.", "aanleiding")
    if aanleiding == "signalen" and not signalen:
        raise SignaalError("Kies de signalen waarmee de afweging begint.", "signalen")
    existing = session.scalars(
        select(Afweging).where(
            Afweging.person_id == person.id, Afweging.status.in_(("open", "heropend"))
        )
    ).first()
    afweging = existing or Afweging(
        person_id=person.id,
        aanleiding=aanleiding,
        status="open",
        regisseur_id=regisseur.id,
        geopend_op=now(),
    )
    if existing is None:
        session.add(afweging)
        session.flush()
    for s in signalen:
        if s.verwijderd_op is not None:
            raise SignaalError("Dit signaal is verwijderd.", "signalen")
        s.afweging_id = afweging.id
        if s.person_id is None:
            s.person_id = person.id
    if existing is None:
        default = (
            f"{len(signalen)} signaal/signalen ontvangen"
            if aanleiding == "signalen"
            else "Verzoek van de inwoner om hulp"
        )
        _stap(afweging, 1, True, motivering or default, regisseur)
    elif existing.status == "heropend":
        existing.status = "open"
    session.flush()
    return afweging


def volgende_stap(afweging: Afweging) -> int:
    """The step that is to be answered next (2, 3 or 4)."""
    return min(4, max(2, _laatste(afweging) + 1))


def _laatste(afweging: Afweging) -> int:
    answered = [s for s in afweging.stappen if s.antwoord]
    return max((s.stap for s in answered), default=0)


def vraag_dat_informatie(
    afweging: Afweging, organisation: Organisation, *, actor: User
) -> DatInformatieVraag:
    """Step 2: ask an organisation whether the person is known there (yes/no only). The question
    tells the organisation who it is about: an exchange in the logboek."""
    from app.logboek import exchanges as uitwisselingen

    if afweging.status not in ("open",) or _laatste(afweging) != 1:
        raise SignaalError("Dát-informatie vraagt u in stap 2 van een open afweging.", "stap")
    vraag = DatInformatieVraag(
        afweging=afweging,
        organisation_id=organisation.id,
        gevraagd_door_id=actor.id,
        gevraagd_op=now(),
    )
    session.add(vraag)
    session.flush()
    uitwisselingen.information_asked(
        refs=[("person", afweging.person_id)],
        asked_of=organisation.name,
        object_type="dat_informatie_vraag",
        object_id=vraag.id,
        processing_activity="signalen-afweging",
    )
    return vraag


def beantwoord_dat_informatie(vraag: DatInformatieVraag, bekend: bool) -> None:
    from app.logboek import exchanges as uitwisselingen

    if vraag.beantwoord_op is not None:
        raise SignaalError("Deze vraag is al beantwoord.", "bekend")
    vraag.bekend = bool(bekend)
    vraag.beantwoord_op = now()
    uitwisselingen.information_received(
        refs=[("person", vraag.afweging.person_id)],
        received_from=vraag.organisation.name,
        categories=("betrokkenheid",),
        object_type="dat_informatie_vraag",
        object_id=vraag.id,
        processing_activity="signalen-afweging",
    )


def _tombstones(
    rows: list[Any], processing_activity: str, name: str, moment: dt.datetime, reden: str
) -> int:
    """Empty the signals ``rows`` (id, bsn, person's bsn) and write one content-free "delete"
    line per signal: that the signal about this person was removed, nothing of what it said."""
    ledger = get_ledger(session)
    if ledger is None:
        raise RuntimeError("verwijderen zonder logboek mag niet: gebruik unit_of_work")
    if not rows:
        return 0
    actor = ledger.actor
    if actor is None:
        from app.auth.identity import actor_for_current_user

        actor = actor_for_current_user()
    # Only rows still not forgotten: two purges running at once never log a signal twice
    # (PostgreSQL re-checks the condition after waiting for the other's row locks).
    done = set(
        session.execute(
            update(Vroegsignaal)
            .where(
                _in(session.connection(), Vroegsignaal.id, [r[0] for r in rows]),
                Vroegsignaal.verwijderd_op.is_(None),
            )
            .values(
                **{c: None for c in PERSONAL_COLUMNS}, verwijderd_op=moment, verwijder_reden=reden
            )
            .returning(Vroegsignaal.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    _expire(Vroegsignaal, done)
    rows = [r for r in rows if r[0] in done]
    for signal_id, bsn, person_bsn in rows:
        subject_bsn = bsn or person_bsn
        if not subject_bsn:
            continue  # never identified: there is nobody to write the line about
        ledger.record(
            Entry(
                kind="inzage",
                action="delete",
                name=name,
                actor=actor,
                subjects=(Subject("BSN", subject_bsn),),
                processing_activity=processing_activity,
                data_categories=("signalen",),
                trace=ledger.trace,
                object_type="vroegsignaal",
                object_id=str(signal_id),
            )
        )
    return len(rows)


def _tombstone_rows(*conditions: Any, limit: int | None = None) -> list[Any]:
    stmt = (
        select(Vroegsignaal.id, Vroegsignaal.bsn, Person.bsn)
        .outerjoin(Person, Person.id == Vroegsignaal.person_id)
        .where(Vroegsignaal.verwijderd_op.is_(None), *conditions)
        .order_by(Vroegsignaal.id)
        .execution_options(audit_internal=True)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).all())


def besluit(
    afweging: Afweging,
    stap: int,
    antwoord: bool,
    motivering: str,
    *,
    actor: User,
    verwijzing: str | None = None,
    gemeente: Organisation | None = None,
) -> Afweging:
    """Record a step's answer. Step 2 No ends the case and removes its signals; step 3 No ends
    it with "dienstverlening in de kolommen" and a referral; step 4 Yes makes a plan on the basis
    multiproblematiek, linked to the case."""
    from app.plans import services as plans

    if afweging.status != "open":
        raise SignaalError("Deze afweging is niet open.", "stap")
    if stap not in (2, 3, 4) or _laatste(afweging) != stap - 1:
        raise SignaalError(f"Beantwoord eerst stap {_laatste(afweging) + 1}.", "stap")
    if stap == 3 and not antwoord and not (verwijzing or "").strip():
        raise SignaalError("Leg vast naar welke dienstverlening u verwijst.", "verwijzing")
    if stap == 4 and not antwoord:
        raise SignaalError("Stap 4 legt vast dat er multiproblematiek is.", "antwoord")
    _stap(afweging, stap, antwoord, motivering, actor)
    stamp = now()
    if stap == 2 and not antwoord:
        afweging.status = "beeindigd"
        afweging.gesloten_op = stamp
        rows = _tombstone_rows(Vroegsignaal.afweging_id == afweging.id)
        _tombstones(
            rows, "signalen-afweging", "signalen.afweging.beeindigd", stamp, "afweging_stap_2"
        )
    elif stap == 3 and not antwoord:
        afweging.status = "kolommen"
        afweging.verwijzing = (verwijzing or "").strip()
        afweging.gesloten_op = stamp
    elif stap == 4:
        person = session.get(Person, afweging.person_id)
        assert person is not None
        if gemeente is None:
            gemeente = actor.organisation
        if gemeente is None:
            raise SignaalError("De regisseur hoort bij geen gemeente.", "stap")
        plan = plans.create_plan(
            person=person,
            basis=PlanBasis.MULTIPROBLEMATIEK,
            regisseur=actor,
            actor=actor,
            gemeente=gemeente,
        )
        afweging.plan_id = plan.id
        afweging.status = "multiproblematiek"
        afweging.gesloten_op = stamp
    session.flush()
    return afweging


def sluit_afweging(afweging: Afweging, reden: str, motivering: str, *, actor: User) -> Afweging:
    """The person refused or could not be reached: the case closes (and reopens for attention
    when a new signal about them arrives)."""
    if afweging.status not in ("open", "heropend"):
        raise SignaalError("Deze afweging is niet open.", "reden")
    if reden not in AFWEGING_SLUITREDENEN:
        raise SignaalError("Kies een reden.", "reden")
    _stap(
        afweging,
        _laatste(afweging) + 1,
        False,
        f"{AFWEGING_SLUITREDENEN[reden]}: {motivering}",
        actor,
    )
    afweging.status = "gesloten"
    afweging.sluitreden = reden
    afweging.gesloten_op = now()
    session.flush()
    return afweging


def afweging_dossier(afweging_id: int) -> Afweging | None:
    return session.scalars(
        select(Afweging).where(Afweging.id == afweging_id).options(selectinload(Afweging.stappen))
    ).first()


def status_tekst(status: str) -> str:
    return AFWEGING_STATUS_LABELS.get(status, status)


# --- forgetting ------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    verwijderd: int = 0
    per_bron: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def purge(*, batch: int = 5000, moment: dt.datetime | None = None) -> PurgeResult:
    """Forget every signal that has not led to a case step within its source's term.

    Each batch is its own unit of work: the content is emptied (a tombstone stays) and one
    content-free "delete" line per signal is written to the logboek in the same transaction.
    Idempotent and safe to run at any interval: a second run finds nothing to do.
    """
    from app.logboek import unit_of_work

    moment = moment or now()
    result = PurgeResult()
    bronnen: list[tuple[int | None, str, str, int]] = [
        (b.id, b.code, b.processing_activity, b.bewaartermijn_dagen)
        for b in session.scalars(select(SignaalBron))
    ]
    bronnen.append((None, "melding", MELDING_VERWERKING, default_bewaartermijn()))
    session.rollback()
    for bron_id, code, processing_activity, termijn in bronnen:
        cutoff = moment - dt.timedelta(days=termijn)
        bron_cond = (
            Vroegsignaal.bron_id.is_(None) if bron_id is None else Vroegsignaal.bron_id == bron_id
        )
        while True:
            with unit_of_work(session, processing_activity, name="signalen.purge"):
                rows = _tombstone_rows(
                    bron_cond,
                    Vroegsignaal.afweging_id.is_(None),
                    Vroegsignaal.ontvangen_op < cutoff,
                    limit=batch,
                )
                n = _tombstones(
                    rows, processing_activity, "signalen.purge", moment, "bewaartermijn"
                )
            if not rows:
                break
            result.verwijderd += n
            if n:
                result.per_bron[code] += n
            if len(rows) < batch:
                break
    return result


__all__ = [
    "Melding",
    "Rapport",
    "SignaalError",
    "afweging_dossier",
    "afwegingen_voor_inwoner",
    "beantwoord_dat_informatie",
    "besluit",
    "heropen_na_nieuw_signaal",
    "maak_bron_token",
    "koppel",
    "meld",
    "mijn_meldingen",
    "ontvang",
    "open_afweging",
    "organisatie_voor_token",
    "purge",
    "seed_inrichting",
    "signalen_over_inwoner",
    "sluit_afweging",
    "vraag_dat_informatie",
    "werkvoorraad",
]
