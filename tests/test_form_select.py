"""The select fields render exactly what WTForms renders, only faster (app/forms.py ``_Select``):
the privacy officer's search lists every staff member (thousands in a city), and WTForms'
generic option rendering was most of that page's time. Escaping, the chosen option, an option
with its own attributes and a boolean value all come out the same."""

from __future__ import annotations

from typing import Any

import pytest
import wtforms
from markupsafe import Markup
from wtforms import SelectChoice

from app.forms import SelectField

CHOICES: list[Any] = [
    ("", "Alle medewerkers"),
    ("1", 'Anna "de Vries" <script>alert(1)</script> & co'),
    ("2&3", "Bram (Jeugdhulp)"),
    ("4", ""),
]


class Ours(wtforms.Form):
    keuze = SelectField("Keuze", choices=CHOICES)


class Theirs(wtforms.Form):
    keuze = wtforms.SelectField(
        "Keuze", choices=[SelectChoice(str(v), str(label)) for v, label in CHOICES]
    )


@pytest.mark.parametrize("chosen", [None, "", "1", "2&3", "4", "missing"])
def test_the_same_html_as_wtforms(chosen: str | None) -> None:
    ours, theirs = Ours(), Theirs()
    ours.keuze.data = theirs.keuze.data = chosen
    html = str(ours.keuze())
    assert html == str(theirs.keuze())
    assert "<script>" not in html and "&lt;script&gt;" in html  # the label is escaped
    assert html.count(" selected ") == (chosen in {v for v, _ in CHOICES})


def test_an_option_with_attributes_a_boolean_or_a_markup_value_takes_wtforms_own_way() -> None:
    disabled = SelectChoice("5", "Vertrokken", render_kw={"disabled": True})
    boolean = SelectChoice(True, "Ja")  # type: ignore[arg-type]
    quoted = SelectChoice(Markup('6" onclick="x'), "Zes")
    ours = Ours()
    ours.keuze.choices = [disabled, boolean, quoted]
    theirs = Theirs()
    theirs.keuze.choices = [disabled, boolean, quoted]
    html = str(ours.keuze())
    assert html == str(theirs.keuze())
    assert '<option disabled value="5">Vertrokken</option>' in html
    assert 'value="6&quot; onclick=&quot;x"' in html  # the quote cannot end the attribute
