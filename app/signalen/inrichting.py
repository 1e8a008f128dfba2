"""The set-up of signals: the sources (what each may deliver, under which processing activity,
kept how long), the combination rules, and the organisation-scoped tokens source systems use.

The shipped sources and rules (``inrichting.json``) are seeded once; after that they are data the
functioneel beheerder keeps.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Connection, insert, select

from app.clock import now
from app.db import session
from app.domain import Verwerkingsactiviteit
from app.organisations.models import Organisation
from app.signalen.models import BronToken, CombinatieRegel, SignaalBron
from audit import Actor

INRICHTING = Path(__file__).with_name("inrichting.json")
TOKEN_PREFIX = "ebron_"  # noqa: S105 (a prefix, not a secret)
# Signals from the web form (no source) are weighed under this processing activity.
MELDING_VERWERKING = Verwerkingsactiviteit.SIGNALEN_AFWEGING
DEFAULT_BEWAARTERMIJN_DAGEN = 183  # six months; see docs/signalen.md

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


def meegeleverd() -> dict[str, Any]:
    """The set-up shipped with Eenplan (``inrichting.json``)."""
    return json.loads(INRICHTING.read_text(encoding="utf-8"))


def seed_inrichting(conn: Connection) -> int:
    """Add the shipped sources and combination rules that are missing (never overwrites: once
    seeded they are data the functioneel beheerder keeps)."""
    data = meegeleverd()
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
                gevoelig=bool(b.get("gevoelig", False)),
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
                for x in meegeleverd()["bronnen"]
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
