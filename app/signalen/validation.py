"""Checking a delivered row against its source's configuration; :class:`SignaalError` for any
refused input (in the intake and in the afwegingskader).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from app.clock import today
from app.domain import LEEFGEBIEDEN, SIGNAAL_CATEGORIEEN
from app.people.services import InvalidBSN, normalise_bsn
from app.signalen.inrichting import BRON_VELDEN
from app.signalen.models import SignaalBron

MAX_TEXT = 5000


class SignaalError(Exception):
    """A refused input. ``status`` for the API: 400 when the input breaks the documented form,
    422 when it is well-formed but does not fit (a field this source does not deliver, a date
    in the future)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


BASE_FIELDS = {"bsn", "bronReferentie", "signaaldatum", "categorie", "domeinen", "inhoud"}
# The source fields' names in the API (camelCase, NL API Design Rules) and as stored/configured.
# JSON carries only the API names; a CSV header may use either.
API_NAMES = {
    "maandenAchterstand": "maanden_achterstand",
    "verzuimUren": "verzuim_uren",
    "dreigendeOntruiming": "dreigende_ontruiming",
}
STORED_TO_API = {stored: api for api, stored in API_NAMES.items()}


def api_name(field: str | None) -> str | None:
    """A field as the client named it in JSON (camelCase)."""
    return STORED_TO_API.get(field, field) if field else field


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
            raise SignaalError(_("Verplicht veld."), name)
        return None
    if not isinstance(value, str):
        raise SignaalError(_("Tekst verwacht."), name)
    if required and not value.strip():
        raise SignaalError(_("Verplicht veld."), name)
    if len(value) > max_len:
        raise SignaalError(_("Hooguit %(max_len)s tekens.", max_len=max_len), name)
    if "\x00" in value:
        raise SignaalError(_("Tekst zonder NUL-tekens."), name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SignaalError(_("Geen geldige Unicode-tekst."), name) from None
    return value


_AMOUNT = re.compile(r"^[0-9]{1,8}([.,][0-9]{1,2})?$")
_INT = re.compile(r"^[0-9]{1,4}$")


def _bron_veld(name: str, value: Any, uit_csv: bool) -> Any:
    """The source-specific fields, typed. JSON must carry the documented types; CSV carries
    text, which is converted."""
    if value is None or (uit_csv and value == ""):
        return None
    if name == "bedrag":
        if not isinstance(value, str) or not _AMOUNT.match(value):
            raise SignaalError(_("Een bedrag in euro's als tekst, bijvoorbeeld 350.00."), name)
        if "," in value and not uit_csv:
            raise SignaalError(_("Een bedrag met een punt, bijvoorbeeld 350.00."), name)
        return str(Decimal(value.replace(",", ".")).quantize(Decimal("0.01")))
    if name in ("maanden_achterstand", "verzuim_uren"):
        if uit_csv and isinstance(value, str) and _INT.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise SignaalError(_("Een heel getal van 0 tot en met 1000."), name)
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
            raise SignaalError(_("Ja of nee (true/false)."), name)
        return value
    return _text(value, name, 200)


def valideer_rij(b: SignaalBron, regel: int, data: Any, *, uit_csv: bool = False) -> Rij:
    """One delivered row, checked against the source's configuration; raises SignaalError
    (naming a field as the client named it)."""
    if not isinstance(data, dict):
        raise SignaalError(_("Een object met velden verwacht."), "regel")
    if any(key in STORED_TO_API for key in data) and not uit_csv:
        key = next(key for key in data if key in STORED_TO_API)
        raise SignaalError(_("Onbekend veld; bedoelt u %(key)s?", key=STORED_TO_API[key]), key)
    data = {API_NAMES.get(key, key): value for key, value in data.items()}
    try:
        return _valideer_rij(b, regel, data, uit_csv)
    except SignaalError as exc:
        if not uit_csv:
            exc.field = api_name(exc.field)
        raise


def _valideer_rij(b: SignaalBron, regel: int, data: dict[Any, Any], uit_csv: bool) -> Rij:
    for key, value in data.items():
        if key not in BASE_FIELDS and key not in BRON_VELDEN:
            raise SignaalError(_("Onbekend veld."), str(key)[:100])
        if value is None and not uit_csv:
            raise SignaalError(_("Laat een leeg veld weg (geen null)."), key)
    for key in data:
        if key in BRON_VELDEN and key not in b.velden and data[key] not in (None, ""):
            raise SignaalError(_("Dit veld levert %(naam)s niet aan.", naam=b.naam), key, 422)
    bsn = _text(data.get("bsn"), "bsn", 20, required=True) or ""
    if not _BSN.match(bsn):
        raise SignaalError(_("Een BSN heeft precies 9 cijfers."), "bsn")
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN:
        raise SignaalError(_("Dit is geen geldig BSN (11-proef)."), "bsn") from None
    ref = _text(data.get("bronReferentie"), "bronReferentie", 100, required=True) or ""
    datum_text = _text(data.get("signaaldatum"), "signaaldatum", 10, required=True) or ""
    if not _DATE.match(datum_text):
        raise SignaalError(_("Een datum als JJJJ-MM-DD."), "signaaldatum")
    try:
        datum = dt.date.fromisoformat(datum_text)
    except ValueError:
        raise SignaalError(_("Een datum als JJJJ-MM-DD."), "signaaldatum") from None
    if datum > today() or datum.year < 2000:
        raise SignaalError(_("De datum ligt in de toekomst of voor 2000."), "signaaldatum", 422)
    default_cat = {"school": "schoolverzuim", "politie": "politie"}.get(
        b.soort, "betalingsachterstand"
    )
    categorie = _text(data.get("categorie"), "categorie", 40) or default_cat
    if categorie not in SIGNAAL_CATEGORIEEN:
        raise SignaalError(_("Een van: ") + ", ".join(SIGNAAL_CATEGORIEEN), "categorie")
    domeinen_raw = data.get("domeinen")
    if uit_csv and isinstance(domeinen_raw, str):
        domeinen_raw = [d.strip() for d in re.split(r"[,;]", domeinen_raw) if d.strip()]
    if domeinen_raw is None or domeinen_raw == []:
        domeinen = list(b.domeinen)
    else:
        if not isinstance(domeinen_raw, list) or not all(isinstance(d, str) for d in domeinen_raw):
            raise SignaalError(_("Een lijst van leefgebieden."), "domeinen")
        if len(domeinen_raw) > 20:
            raise SignaalError(_("Hooguit 20 leefgebieden."), "domeinen")
        domeinen = list(dict.fromkeys(domeinen_raw))
        if any(d not in LEEFGEBIEDEN for d in domeinen):
            raise SignaalError(_("Een van: ") + ", ".join(LEEFGEBIEDEN), "domeinen")
    inhoud = _text(data.get("inhoud"), "inhoud", MAX_TEXT)
    gegevens = {}
    for name in b.velden:
        value = _bron_veld(name, data.get(name), uit_csv)
        if value is not None:
            gegevens[name] = value
    if gegevens.get("dreigende_ontruiming") is True:
        categorie = "dreigende_uitzetting"
    return Rij(regel, bsn, ref, datum, categorie, domeinen, inhoud, gegevens)
