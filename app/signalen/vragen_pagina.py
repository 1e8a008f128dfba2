"""What the afweging's page shows of the questions to organisations: each question with its
state (open, answered, overdue, declined), the form to ask one at step 2 or 3, and the answers
as a proposal for the step's motivation."""

from __future__ import annotations

from typing import Any

from app.db import session
from app.signalen import vragen as svc
from app.signalen.models import Afweging
from app.signalen.vragen_forms import VraagForm


def vraag_keuzes() -> list[tuple[int, str]]:
    return [(o.id, o.name) for o in session.scalars(svc.vraagbare_organisaties())]


def afweging_context(afweging: Afweging, vraag_form: VraagForm | None, stap: int) -> dict[str, Any]:
    vragen = svc.vragen_van(afweging)
    if vraag_form is None:
        vraag_form = VraagForm()
    if not vraag_form.organisatie.choices:
        vraag_form.organisatie.choices = vraag_keuzes()
    return {
        "vragen": [(v, svc.status(v), svc.antwoord_tekst(v)) for v in vragen],
        "vraag_form": vraag_form,
        "vraag_status_labels": svc.STATUS_LABELS,
        "vraag_tekst": svc.VRAAG_TEKST,
        "motivering_voorstel": svc.motivering_voorstel(vragen, stap),
    }
