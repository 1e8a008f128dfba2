"""Terugmelding: report doubt about basisregistratie data back to the source.

An adapter sends one :class:`Melding`; :func:`adapter` picks the configured one: the national
terugmeldvoorziening style (:class:`TmvAdapter`, a JSON POST to ``TERUGMELDING_URL``) or, when
no endpoint is configured, the synthetic receiver that ships with the project
(:class:`SynthetischeOntvanger`, which accepts every melding and answers with a kenmerk).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Protocol

import httpx
from flask import current_app

from app.clock import now


@dataclass
class Melding:
    registratie: str  # "BRP"
    bsn: str
    # field -> (the value the registratie holds, the value the citizen says is right)
    velden: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    toelichting: str = ""
    melder: str = ""  # the municipality


@dataclass
class Antwoord:
    ontvangen: bool
    kenmerk: str | None = None


class Adapter(Protocol):
    naam: str
    ontvanger: str

    def meld(self, melding: Melding) -> Antwoord: ...


_teller = itertools.count(1)


class SynthetischeOntvanger:
    """The receiver that ships with the project: accepts every melding."""

    naam = "synthetisch"
    ontvanger = "Terugmeldvoorziening (synthetisch)"

    def meld(self, melding: Melding) -> Antwoord:
        return Antwoord(True, f"TMV-SYN-{now():%Y%m%d}-{next(_teller):05d}")


class TmvAdapter:
    """A JSON/HTTP call in the shape of the national terugmeldvoorziening (Digilevering/TMV)."""

    naam = "tmv"
    ontvanger = "Terugmeldvoorziening (Logius)"

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def meld(self, melding: Melding) -> Antwoord:
        body = {
            "basisregistratie": melding.registratie,
            "burgerservicenummer": melding.bsn,
            "melder": melding.melder,
            "toelichting": melding.toelichting,
            "terugmeldingen": [
                {"attribuut": veld, "huidigeWaarde": oud, "voorgesteldeWaarde": nieuw}
                for veld, (oud, nieuw) in melding.velden.items()
            ],
        }
        try:
            response = httpx.post(self.url, json=body, timeout=self.timeout)
        except httpx.HTTPError:
            return Antwoord(False)
        if response.status_code >= 300:
            return Antwoord(False)
        try:
            kenmerk = response.json().get("kenmerk")
        except ValueError:
            kenmerk = None
        return Antwoord(True, str(kenmerk) if kenmerk else None)


def adapter() -> Adapter:
    url = current_app.config.get("TERUGMELDING_URL") or ""
    if url:
        return TmvAdapter(url)
    return SynthetischeOntvanger()
