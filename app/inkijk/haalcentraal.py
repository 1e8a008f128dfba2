"""Adapter for the BRP through the Haal Centraal "BRP bevragen" API (personen, v2).

Request: ``POST <url>`` with ``{"type": "RaadpleegMetBurgerservicenummer",
"burgerservicenummer": ["…"], "fields": […]}``; the BSN travels in the body, never in the URL.
Response: ``{"type": "RaadpleegMetBurgerservicenummer", "personen": [ … ]}``; an empty list means
the BSN is not found. Errors are ``application/problem+json``.

Data minimisation: a buitenkant question asks only the fields the buitenkant shows (``fields``);
only doorprikken asks names and addresses of the household.

Deceased persons: the inkijk asks with ``inclusiefOverledenPersonen`` (its purpose — a plan or
an investigation about this person — needs to know that someone died, rather than reading
"niet gevonden"), and shows the date of death.

Errors are told apart: 400 is a fault in Eenplan's question (logged as an error, "meld het"),
401/403 no access (configuration or authorisation), 404 a wrong endpoint, 429 too busy (with
``Retry-After``), 5xx and network failures "niet bereikbaar". None shows anything of the person.

Every call carries a W3C ``traceparent`` (the request's trace), so the BRP's log and Eenplan's
can be followed by trace id.

Configuration (environment variables, see docs/inkijk.md): ``HAALCENTRAAL_BRP_URL`` (the personen
endpoint); access with OAuth 2.0 client credentials — ``HAALCENTRAAL_BRP_TOKEN_URL``,
``HAALCENTRAAL_BRP_CLIENT_ID``, ``HAALCENTRAAL_BRP_CLIENT_SECRET``, ``HAALCENTRAAL_BRP_SCOPE``
(:mod:`app.inkijk.oauth`; the token is cached until it expires) — and/or a gateway's
``HAALCENTRAAL_BRP_API_KEY`` (sent as ``X-API-KEY``); ``HAALCENTRAAL_BRP_CERT`` and
``HAALCENTRAAL_BRP_KEY`` (PKIoverheid client certificate for mutual TLS, to the API and the token
endpoint), ``HAALCENTRAAL_BRP_CA`` (CA bundle), ``HAALCENTRAAL_BRP_TIMEOUT`` (seconds, default 5).
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
from typing import Any

import httpx
from flask_babel import lazy_gettext as _l

from app.clock import now, today
from app.inkijk.bronnen import (
    BUITENKANT,
    BronAntwoord,
    BronNietBeschikbaar,
    Feit,
    register_adapter,
)
from app.inkijk.oauth import ClientCredentials, TokenNietVerkregen
from app.security.tracing import outgoing_traceparent

log = logging.getLogger("eenplan.inkijk")

REQUEST_TYPE = "RaadpleegMetBurgerservicenummer"
BUITENKANT_FIELDS = [
    "leeftijd",
    "gemeenteVanInschrijving",
    "verblijfplaats.verblijfadres.woonplaats",
    "verblijfplaats.datumVan",
    "partners.soortVerbintenis",
    "kinderen.geboorte",
    "ouders.ouderAanduiding",
    "overlijden.datum",
]
DETAIL_FIELDS = [
    "burgerservicenummer",
    "naam",
    "geboorte",
    "leeftijd",
    "gemeenteVanInschrijving",
    "verblijfplaats",
    "partners",
    "kinderen",
    "ouders",
    "overlijden.datum",
]
# Recording a person from the BRP (a signal's BSN not yet in Eenplan): name, birth, address.
OPNEMEN = "opnemen"
OPNEMEN_FIELDS = ["burgerservicenummer", "naam", "geboorte", "verblijfplaats", "overlijden.datum"]
HERKOMST = "BRP via Haal Centraal BRP bevragen"

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def maand_jaar(d: dt.date) -> str:
    return f"{MAANDEN[d.month - 1]} {d.year}"


def lange_datum(d: dt.date) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def datum_json(d: dt.date) -> dict[str, Any]:
    """A date in the BRP API's polymorphic shape (type "Datum")."""
    return {"type": "Datum", "datum": d.isoformat(), "langFormaat": lange_datum(d)}


def datum_uit(value: Any) -> dt.date | None:
    """Read the BRP API's polymorphic date; partly unknown dates become the first day known."""
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    try:
        if kind == "Datum":
            return dt.date.fromisoformat(str(value["datum"]))
        if kind == "JaarMaandDatum":
            return dt.date(int(value["jaar"]), int(value["maand"]), 1)
        if kind == "JaarDatum":
            return dt.date(int(value["jaar"]), 1, 1)
    except (KeyError, ValueError, TypeError):
        return None
    return None


def volledige_naam(naam: Any) -> str:
    if not isinstance(naam, dict):
        return "Onbekend"
    if naam.get("volledigeNaam"):
        return str(naam["volledigeNaam"])
    parts = [naam.get("voornamen"), naam.get("voorvoegsel"), naam.get("geslachtsnaam")]
    return " ".join(str(p) for p in parts if p) or "Onbekend"


def _leeftijd(geboren: dt.date | None, day: dt.date) -> int | None:
    if geboren is None:
        return None
    return day.year - geboren.year - ((day.month, day.day) < (geboren.month, geboren.day))


def gezin_omschrijving(persoon: dict[str, Any], day: dt.date) -> str:
    parts: list[str] = []
    partners = persoon.get("partners") or []
    if partners:
        parts.append("partner" if len(partners) == 1 else f"{len(partners)} partners")
    kinderen = persoon.get("kinderen") or []
    if kinderen:
        minder = sum(
            1
            for k in kinderen
            if (age := _leeftijd(datum_uit((k.get("geboorte") or {}).get("datum")), day))
            is not None
            and age < 18
        )
        meer = len(kinderen) - minder
        if minder:
            parts.append(
                f"{minder} minderjarig{'e' if minder > 1 else ''} kind{'eren' if minder > 1 else ''}"
            )
        if meer:
            parts.append(
                f"{meer} meerderjarig{'e' if meer > 1 else ''} kind{'eren' if meer > 1 else ''}"
            )
    ouders = persoon.get("ouders") or []
    if ouders:
        parts.append("1 ouder" if len(ouders) == 1 else f"{len(ouders)} ouders")
    if not parts:
        return "Geen partner, kinderen of ouders ingeschreven"
    text = " en ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    return text[0].upper() + text[1:]


def brp_antwoord(
    persoon: dict[str, Any] | None, niveau: str, herkomst: str, *, day: dt.date | None = None
) -> BronAntwoord:
    """Turn one ``personen[]`` item of the BRP API into an answer (shared by all BRP adapters)."""
    day = day or today()
    if persoon is None:
        return BronAntwoord(
            bron="brp",
            niveau=niveau,
            bekend=False,
            feiten=(Feit("inschrijving", "Ingeschreven in de BRP", "Niet gevonden in de BRP"),),
            herkomst=herkomst,
            opgehaald_op=now(),
        )
    feiten: list[Feit] = []
    overleden = datum_uit((persoon.get("overlijden") or {}).get("datum"))
    if overleden:
        feiten.append(Feit("overleden", "Overleden", lange_datum(overleden), overleden))
    verblijf = persoon.get("verblijfplaats") or {}
    adres = verblijf.get("verblijfadres") or {}
    gemeente = (persoon.get("gemeenteVanInschrijving") or {}).get("omschrijving")
    woonplaats = adres.get("woonplaats") or gemeente or "Onbekend"
    sinds = datum_uit(verblijf.get("datumVan"))
    ook_over: list[str] = []
    if niveau == BUITENKANT:
        feiten.append(
            Feit(
                "inschrijving",
                "Ingeschreven in de BRP",
                f"Ja, in de gemeente {gemeente}" if gemeente else "Ja",
            )
        )
        feiten.append(Feit("woonplaats", "Woonplaats", str(woonplaats)))
        if sinds:
            feiten.append(
                Feit("adres-sinds", "Woont op het huidige adres sinds", maand_jaar(sinds), sinds)
            )
        if persoon.get("leeftijd") is not None:
            feiten.append(Feit("leeftijd", "Leeftijd", f"{persoon['leeftijd']} jaar"))
        feiten.append(Feit("gezin", "Gezin volgens de BRP", gezin_omschrijving(persoon, day)))
    else:
        feiten.append(Feit("naam", "Naam", volledige_naam(persoon.get("naam"))))
        geboren = datum_uit((persoon.get("geboorte") or {}).get("datum"))
        if geboren:
            feiten.append(Feit("geboortedatum", "Geboortedatum", lange_datum(geboren), geboren))
        if adres:
            nummer = "".join(
                str(adres.get(k) or "")
                for k in ("huisnummer", "huisletter", "huisnummertoevoeging")
            )
            straat = adres.get("officieleStraatnaam") or adres.get("korteStraatnaam") or ""
            feiten.append(
                Feit(
                    "adres",
                    "Adres",
                    f"{straat} {nummer}, {adres.get('postcode') or ''} {woonplaats}".strip(),
                    sinds,
                )
            )
        for label, key in (("Partner", "partners"), ("Kind", "kinderen"), ("Ouder", "ouders")):
            for n, rel in enumerate(persoon.get(key) or [], start=1):
                geb = datum_uit((rel.get("geboorte") or {}).get("datum"))
                waarde = volledige_naam(rel.get("naam"))
                if geb:
                    waarde += f", geboren {lange_datum(geb)}"
                if key == "partners" and (rel.get("soortVerbintenis") or {}).get("omschrijving"):
                    waarde += f" ({rel['soortVerbintenis']['omschrijving']})"
                feiten.append(Feit(f"{key}-{n}", label, waarde))
                if rel.get("burgerservicenummer"):
                    ook_over.append(str(rel["burgerservicenummer"]))
    return BronAntwoord(
        bron="brp",
        niveau=niveau,
        bekend=True,
        feiten=tuple(feiten),
        herkomst=herkomst,
        opgehaald_op=now(),
        ook_over=tuple(ook_over),
    )


MELDINGEN = {
    400: _l(
        "Eenplan stelde de BRP een vraag die niet klopt. Dit is een fout in Eenplan: "
        "meld het bij functioneel beheer."
    ),
    401: _l("Eenplan heeft nu geen toegang tot de BRP. Meld het bij functioneel beheer."),
    403: _l("Eenplan mag deze gegevens niet opvragen bij de BRP. Meld het bij functioneel beheer."),
    404: _l("Het adres van de BRP-koppeling klopt niet. Meld het bij functioneel beheer."),
    429: _l("De BRP krijgt nu te veel vragen. Probeer het over een minuut opnieuw."),
}


class HaalCentraalBRP:
    """Asks the BRP through the Haal Centraal BRP bevragen API."""

    herkomst = HERKOMST
    partij = "BRP (Rijksdienst voor Identiteitsgegevens)"

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        oauth: ClientCredentials | None = None,
        cert: tuple[str, str] | None = None,
        ca: str | None = None,
        timeout: float = 5.0,
        inclusief_overleden: bool = True,
    ) -> None:
        self.url = url
        # The application the exchange is with, as the logboek names it
        # (dpl.core.foreign_operation.processor).
        self.processor = url
        self.api_key = api_key
        self.oauth = oauth
        self.cert = cert
        self.ca = ca
        self.timeout = timeout
        self.inclusief_overleden = inclusief_overleden

    @classmethod
    def from_config(cls, bron: str, config: dict[str, Any]) -> HaalCentraalBRP:
        if bron != "brp":
            raise ValueError("de adapter haalcentraal kan alleen de BRP bevragen")
        url = config.get("HAALCENTRAAL_BRP_URL")
        if not url:
            raise ValueError("INKIJK_BRONNEN=brp=haalcentraal vraagt om HAALCENTRAAL_BRP_URL")
        cert = config.get("HAALCENTRAAL_BRP_CERT")
        key = config.get("HAALCENTRAAL_BRP_KEY")
        ca = config.get("HAALCENTRAAL_BRP_CA") or None
        timeout = float(config.get("HAALCENTRAAL_BRP_TIMEOUT") or 5)
        pair = (cert, key) if cert and key else None
        oauth = None
        if config.get("HAALCENTRAAL_BRP_TOKEN_URL"):
            if not (
                config.get("HAALCENTRAAL_BRP_CLIENT_ID")
                and config.get("HAALCENTRAAL_BRP_CLIENT_SECRET")
            ):
                raise ValueError(
                    "HAALCENTRAAL_BRP_TOKEN_URL vraagt om HAALCENTRAAL_BRP_CLIENT_ID en _CLIENT_SECRET"
                )
            oauth = ClientCredentials(
                config["HAALCENTRAAL_BRP_TOKEN_URL"],
                config["HAALCENTRAAL_BRP_CLIENT_ID"],
                config["HAALCENTRAAL_BRP_CLIENT_SECRET"],
                scope=config.get("HAALCENTRAAL_BRP_SCOPE") or None,
                verify=tls(ca, pair),
                timeout=timeout,
            )
        return cls(
            url,
            api_key=config.get("HAALCENTRAAL_BRP_API_KEY") or None,
            oauth=oauth,
            cert=pair,
            ca=ca,
            timeout=timeout,
        )

    def request_body(self, bsn: str, niveau: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": REQUEST_TYPE,
            "burgerservicenummer": [bsn],
            "fields": list(
                BUITENKANT_FIELDS
                if niveau == BUITENKANT
                else OPNEMEN_FIELDS
                if niveau == OPNEMEN
                else DETAIL_FIELDS
            ),
        }
        if self.inclusief_overleden:
            body["inclusiefOverledenPersonen"] = True
        return body

    def _post(self, bsn: str, niveau: str, *, retry: bool = True) -> httpx.Response:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json; charset=utf-8",
            "traceparent": outgoing_traceparent(),
        }
        if self.api_key:
            headers["X-API-KEY"] = self.api_key
        token = None
        if self.oauth is not None:
            try:
                token = self.oauth.token()
            except TokenNietVerkregen as exc:
                raise BronNietBeschikbaar("brp", MELDINGEN.get(401 if exc.status else 0)) from None
            headers["Authorization"] = f"Bearer {token}"
        try:
            with httpx.Client(timeout=self.timeout, verify=tls(self.ca, self.cert)) as client:
                resp = client.post(self.url, json=self.request_body(bsn, niveau), headers=headers)
        except httpx.HTTPError as exc:
            # Never the BSN or the body in the application log.
            log.warning("BRP niet bereikbaar: %s", type(exc).__name__)
            raise BronNietBeschikbaar("brp") from None
        if resp.status_code == 401 and token is not None and retry and self.oauth is not None:
            self.oauth.forget(token)  # expired or revoked early: once more with a new one
            return self._post(bsn, niveau, retry=False)
        return resp

    def vraag(self, bsn: str, niveau: str) -> BronAntwoord:
        return brp_antwoord(self._persoon(bsn, niveau), niveau, self.herkomst)

    def raadpleeg(self, bsn: str) -> dict[str, Any] | None:
        """The person as the BRP has them (``personen[]`` item: name, birth, address), to
        record them in Eenplan; ``None`` when the BSN is not found."""
        return self._persoon(bsn, OPNEMEN)

    def _persoon(self, bsn: str, niveau: str) -> dict[str, Any] | None:
        resp = self._post(bsn, niveau)
        status = resp.status_code
        if status != 200:
            if status == 400:
                # A wrong question is a bug in Eenplan, not an outage (no body: it may echo the BSN).
                log.error("BRP weigerde de vraag als ongeldig (400): fout in Eenplan")
            elif status in (401, 403, 404):
                log.error("BRP antwoordde met status %s: koppeling of autorisatie", status)
            else:
                log.warning(
                    "BRP antwoordde met status %s (Retry-After %s)",
                    status,
                    resp.headers.get("Retry-After", "-"),
                )
            raise BronNietBeschikbaar("brp", MELDINGEN.get(status))
        try:
            data = resp.json()
        except ValueError:
            log.warning("BRP antwoordde niet met JSON")
            raise BronNietBeschikbaar("brp") from None
        personen = data.get("personen") if isinstance(data, dict) else None
        if not isinstance(personen, list):
            log.warning("BRP-antwoord zonder personen")
            raise BronNietBeschikbaar("brp")
        return next(
            (
                p
                for p in personen
                if isinstance(p, dict) and p.get("burgerservicenummer") in (None, bsn)
            ),
            None,
        )


def tls(ca: str | None, cert: tuple[str, str] | None) -> Any:
    """httpx's ``verify``: the CA bundle and the PKIoverheid client certificate (mutual TLS)."""
    if not (ca or cert):
        return True
    context = ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()
    if cert:
        context.load_cert_chain(*cert)
    return context


register_adapter("haalcentraal", HaalCentraalBRP.from_config)
