"""The management information in the city (``bench/stad.py``): ``flask sturing bijwerken`` after
the build, and the /sturing pages team leads and policy officers open during the drive."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any


def sturing(app: Any) -> None:
    """`flask sturing bijwerken`, as the nightly job after the city was built: every aggregate
    of the management information from the source tables (timed)."""
    from app.db import session
    from app.sturing.bijwerken import bijwerken

    t0 = time.perf_counter()
    with app.app_context():
        rijen = bijwerken()
        session.commit()
    print(f"flask sturing bijwerken: {rijen:,} aggregate rows in {time.perf_counter() - t0:.1f} s")


def sturing_filters(q: Callable[[str], Any]) -> dict[str, list[Any]]:
    """What the filter forms of /sturing offer: organisations, the teams (organisations with
    regisseurs), signal sources and leefgebieden."""
    from app.domain import LEEFGEBIEDEN
    from app.sturing.bijwerken import MELDER_BRON

    return {
        "organisaties": [int(r[0]) for r in q("SELECT id FROM organisation ORDER BY id")],
        "teams": [
            int(r[0])
            for r in q(
                'SELECT DISTINCT u.organisation_id FROM "user" u JOIN user_role r '
                "ON r.user_id = u.id WHERE r.role = 'regisseur' ORDER BY 1"
            )
        ],
        "bronnen": [MELDER_BRON] + [str(r[0]) for r in q("SELECT code FROM signaal_bron")],
        "domeinen": sorted(LEEFGEBIEDEN),
    }


def sturing_pages(role: str, f: dict[str, list[Any]], rng: random.Random) -> list[Any]:
    """(page name, method, path, json body, name of its log lines): a team lead sees their team
    (the default), a policy officer the municipality or any team; pages with the filters of
    their form. Aggregates only: no log lines (the pages show no one)."""
    who = "team lead" if role == "teamleider" else "policy"
    pages = [
        (f"sturing overview ({who})", "GET", "/sturing/"),
        (f"sturing caseload ({who})", "GET", "/sturing/caseload"),
        (f"sturing signals, quarters ({who})", "GET", "/sturing/signalen?periode=kwartaal"),
        (
            f"sturing time, a domain ({who})",
            "GET",
            lambda: f"/sturing/tijd?domein={rng.choice(f['domeinen'])}",
        ),
        (
            f"sturing cooperation, an org ({who})",
            "GET",
            lambda: f"/sturing/samenwerking?organisatie={rng.choice(f['organisaties'])}",
        ),
    ]
    if role == "beleid":
        pages += [
            (
                "sturing a team, quarters (policy)",
                "GET",
                lambda: f"/sturing/caseload?team={rng.choice(f['teams'])}&periode=kwartaal",
            ),
            (
                "sturing signals, a source (policy)",
                "GET",
                lambda: f"/sturing/signalen?bron={rng.choice(f['bronnen'])}",
            ),
            ("sturing privacy (policy)", "GET", "/sturing/privacy"),
            ("sturing CSV, funnel (policy)", "GET", "/sturing/signalen/trechter.csv"),
        ]
    return [(*p, None, None) for p in pages]
