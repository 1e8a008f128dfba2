"""Who reports signals through the web form, and what the form already knows about them.

External melders (schools, GPs, …) have the melder role; the staff of every organisation —
hulpverleners of involved or non-involved organisations, and regisseurs — report too
(``app/signalen/views.py``: ``MELDERS``). Each report gets the melder's own number ("Melding 3",
:func:`app.signalen.intake.volgend_meldnummer`), never the global id.
"""

from __future__ import annotations

from typing import Any

from app.domain import ROL_LABELS, Rol
from app.users.models import User


def vul_melder_in(form: Any, user: User) -> None:
    """A new form starts with the melder's own name, contact and (for staff) their role at
    their organisation; they can change each before sending."""
    if not form.melder_naam.data:
        form.melder_naam.data = user.name
    if not form.melder_contact.data and user.email:
        form.melder_contact.data = user.email
    if not form.relatie.data and user.organisation is not None:
        for rol in (Rol.HULPVERLENER, Rol.REGISSEUR):
            if user.has_role(rol):
                form.relatie.data = f"{ROL_LABELS[rol]} bij {user.organisation.name}"
                break
