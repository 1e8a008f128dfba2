"""The demo data set and the development commands around it, outside the production package.

``flask demo`` loads a realistic synthetic data set (``demo.load``); ``flask demo-inwoners``
and ``flask demo-code`` help to log in to it. All of it refuses to run in production
(``EENPLAN_ENV=production``).
"""

from __future__ import annotations

from demo.load import (
    NotInProduction,
    demo_logins,
    has_data,
    load_demo,
    new_colleague_login,
    refuse_in_production,
)
from demo.values import DEMO_PASSWORD

__all__ = [
    "DEMO_PASSWORD",
    "NotInProduction",
    "demo_logins",
    "has_data",
    "load_demo",
    "new_colleague_login",
    "refuse_in_production",
]
