"""A signal's source-specific fields (``Signaal.gegevens``) as labelled, formatted values for
staff: "Bedrag: € 1.840,00" in Dutch, "Amount: €1,840.00" in English — never the raw stored
text ("bedrag: 1840.00"). What is stored stays language-independent; this is display only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import format_currency, format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _l

LABELS = {
    "schuldsoort": _l("Soort schuld"),
    "bedrag": _l("Bedrag"),
    "maanden_achterstand": _l("Achterstand"),
    "schuldeiser": _l("Schuldeiser"),
    "dreigende_ontruiming": _l("Dreigende ontruiming"),
    "verzuim_uren": _l("Verzuim"),
}


def _waarde(naam: str, waarde: Any) -> str:
    if naam == "bedrag":
        try:
            return str(format_currency(Decimal(str(waarde)), "EUR"))
        except InvalidOperation:
            return str(waarde)
    if naam == "maanden_achterstand" and isinstance(waarde, int):
        return ngettext("%(num)s maand", "%(num)s maanden", waarde)
    if naam == "verzuim_uren" and isinstance(waarde, int):
        return ngettext("%(num)s uur", "%(num)s uur", waarde)
    if isinstance(waarde, bool):
        return gettext("ja") if waarde else gettext("nee")
    if isinstance(waarde, int | float | Decimal):
        return str(format_decimal(waarde))
    return str(waarde)


def veld_label(naam: str) -> str:
    """The label of one source field ("Bedrag" for ``bedrag``)."""
    return str(LABELS.get(naam, naam.replace("_", " ").capitalize()))


def signaalvelden(gegevens: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) pairs in the order of the stored fields; unknown fields keep their name."""
    if not gegevens:
        return []
    return [
        (veld_label(naam), _waarde(naam, waarde))
        for naam, waarde in gegevens.items()
        if waarde is not None
    ]
