"""The synthetic BRP's residents that Eenplan does not know (yet).

Sources report on people the municipality does not have in view: the synthetic BRP knows every
BSN a source delivered a signal about that is still open and unmatched (the source knew whom it
reported on), so the signal team can record that person from the BRP ("Persoon opnemen uit de
BRP", :mod:`app.signalen.opnemen`). Name, date of birth and address are drawn from the BSN: the
same BSN always gives the same person. Any other BSN unknown to Eenplan: not found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from sqlalchemy import select

from app.db import session
from app.signalen.models import Vroegsignaal

VOORNAMEN = ("Sanne", "Mohamed", "Lotte", "Daan", "Fatima", "Bram", "Noor", "Kevin", "Priya")
ACHTERNAMEN = (("", "Verbeek"), ("van", "Dijk"), ("", "Yilmaz"), ("de", "Boer"), ("", "Pinas"))
STRATEN = ("Keteweg", "Lindelaan", "Havenstraat", "Molenpad", "Populierenhof")
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"


def nog_niet_in_eenplan(bsn: str) -> dict[str, Any] | None:
    """The fields of the synthetic ``_Persoon`` (without id) for a delivered BSN, or ``None``."""
    delivered = session.execute(
        select(Vroegsignaal.id)
        .where(
            Vroegsignaal.bsn == bsn,
            Vroegsignaal.person_id.is_(None),
            Vroegsignaal.verwijderd_op.is_(None),
        )
        .limit(1)
        .execution_options(audit_internal=True)  # plays an external register: shows nothing
    ).first()
    if delivered is None:
        return None
    seed = hashlib.sha256(f"eenplan-synthetisch:brp-nieuw:{bsn}".encode()).hexdigest()
    rng = random.Random(int(seed[:16], 16))
    tussenvoegsel, achternaam = rng.choice(ACHTERNAMEN)
    start = dt.date(1950, 1, 1)
    return {
        "bsn": bsn,
        "voornamen": rng.choice(VOORNAMEN),
        "tussenvoegsel": tussenvoegsel or None,
        "achternaam": achternaam,
        "geboortedatum": start + dt.timedelta(days=rng.randint(0, 20000)),
        "straat": rng.choice(STRATEN),
        "huisnummer": str(rng.randint(1, 180)),
        "toevoeging": None,
        "postcode": f"{rng.randint(1011, 1109)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
        "woonplaats": "Amsterdam",
    }
