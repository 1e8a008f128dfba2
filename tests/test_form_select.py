"""The select fields render exactly what WTForms renders, only faster (app/forms.py ``_Select``):
the privacy officer's search lists every staff member (thousands in a city), and WTForms'
generic option rendering was most of that page's time. Escaping, the chosen option, an option
with its own attributes and a boolean value all come out the same."""

from __future__ import annotations

from typing import Any

import pytest
import wtforms
from hypothesis import given, settings
from hypothesis import strategies as st
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


class OursRequired(wtforms.Form):
    keuze = SelectField("Keuze", choices=CHOICES, validators=[wtforms.validators.InputRequired()])


class TheirsRequired(wtforms.Form):
    keuze = wtforms.SelectField(
        "Keuze",
        choices=[SelectChoice(str(v), str(label)) for v, label in CHOICES],
        validators=[wtforms.validators.InputRequired()],
    )


def test_the_flags_and_attributes_of_the_select_itself_come_out_the_same() -> None:
    """The one-pass rendering of a plain list (app/forms.py) writes the select's own attributes
    as WTForms does: its id and name, the ``required`` flag, attributes given at render time."""
    ours, theirs = OursRequired(), TheirsRequired()
    ours.keuze.data = theirs.keuze.data = "1"
    for kwargs in ({}, {"class_": "utrecht-select", "aria_describedby": "hint"}, {"id": "x"}):
        html = str(ours.keuze(**kwargs))
        assert html == str(theirs.keuze(**kwargs))
    assert " required" in str(ours.keuze())


def test_grouped_choices_take_wtforms_own_way() -> None:
    grouped = [SelectChoice("1", "Een", optgroup="Team A"), SelectChoice("2", "Twee")]
    ours, theirs = Ours(), Theirs()
    ours.keuze.choices = theirs.keuze.choices = grouped
    ours.keuze.data = theirs.keuze.data = "2"
    html = str(ours.keuze())
    assert html == str(theirs.keuze())
    assert '<optgroup label="Team A">' in html


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(st.tuples(text, text), max_size=12),
    chosen=st.one_of(st.none(), text),
    pick=st.integers(min_value=0, max_value=11),
)
def test_any_plain_list_renders_as_wtforms_renders_it(
    pairs: list[tuple[str, str]], chosen: str | None, pick: int
) -> None:
    """Any values and labels (quotes, ampersands, angle brackets, any Unicode), the chosen
    value among them or not, an empty label shown as its value: the same HTML as WTForms."""
    if pairs and pick < len(pairs):
        chosen = pairs[pick][0]  # often one of the options
    ours, theirs = Ours(), Theirs()
    ours.keuze.choices = pairs
    theirs.keuze.choices = [SelectChoice(v, label) for v, label in pairs]
    ours.keuze.data = theirs.keuze.data = chosen
    assert str(ours.keuze()) == str(theirs.keuze())


@pytest.mark.parametrize("sent", ["", "1", "2&3", "missing", " 1"])
def test_a_sent_value_is_accepted_or_refused_as_wtforms_does(sent: str) -> None:
    """The check that a sent value is one of the choices (app/forms.py ``pre_validate``)
    accepts and refuses what WTForms does, with the same message."""
    from werkzeug.datastructures import MultiDict

    ours, theirs = Ours(MultiDict({"keuze": sent})), Theirs(MultiDict({"keuze": sent}))
    assert ours.validate() == theirs.validate()
    assert ours.keuze.errors == theirs.keuze.errors
    assert ours.validate() == (sent in {v for v, _ in CHOICES})
