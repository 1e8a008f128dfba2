"""Every blueprint of the application, in the order :func:`app.create_app` registers them.

A new feature adds its blueprint here (and nowhere else); rate limits and other per-view
behaviour are declared at the views themselves.
"""

from __future__ import annotations

from flask import Blueprint

from app.account.contact import bp as account  # views.bp, with the contact page on it
from app.admin.views import bp as admin
from app.api import bp as api
from app.api.ldv_lezen import bp as ldv_lezen
from app.auth.views import bp as auth
from app.autorisaties.views import bp as autorisaties
from app.berichten.views import bp as berichten
from app.correcties.views import bp as correcties
from app.inkijk.views import bp as inkijk
from app.plans.views import bp as plans
from app.portaal.views import bp as portaal
from app.privacy.afscherming import afschermingen as _privacy_afscherming  # noqa: F401
from app.privacy.uitstel import uitstel_lijst as _privacy_uitstel  # noqa: F401 (its routes)
from app.privacy.views import bp as privacy
from app.privacy.vragen_views import werkvoorraad as _privacy_vragen  # noqa: F401 (its routes)
from app.signalen.api import bp as bronnen_api
from app.signalen.views import beheer_bp as signaalbronnen
from app.signalen.views import bp as signalen
from app.signalen.views_opnemen import opnemen as _signalen_opnemen  # noqa: F401 (its routes)
from app.signalen.views_uitstel import uitstel as _signalen_uitstel  # noqa: F401 (its routes)
from app.signalen.vragen_views import bp as signaalvragen
from app.sturing.views import bp as sturing
from app.taal.views import bp as taal
from app.teamleider.views import bp as teamleider
from app.vernietiging.views import bp as vernietiging
from app.verwerkingsregister.api import bp as verwerkingsregister_api
from app.verwerkingsregister.views import bp as verwerkingsregister

BLUEPRINTS: tuple[Blueprint, ...] = (
    auth,
    plans,
    correcties,
    account,
    api,
    ldv_lezen,
    inkijk,
    berichten,
    portaal,
    autorisaties,
    admin,
    privacy,
    vernietiging,
    verwerkingsregister,
    verwerkingsregister_api,
    bronnen_api,
    signalen,
    signaalvragen,
    signaalbronnen,
    teamleider,
    taal,
    sturing,
)
