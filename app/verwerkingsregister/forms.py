from __future__ import annotations

from typing import Any

from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain import CATEGORIEEN
from app.forms import Form, empty_to_none, strip

REQUIRED = "Dit veld is verplicht."


class RegelsField(TextAreaField):
    """A textarea with one item per line; its data is the list of non-empty lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = "TextAreaField"  # rendered by the field() macro as the textarea it is

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in str(text).splitlines() if line.strip()]

    def _value(self) -> str:
        return "\n".join(self.data or [])


class CategorieenField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActiviteitForm(Form):
    naam = StringField(
        "Naam", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    doel = TextAreaField(
        "Doel",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
        description="Waarvoor worden de gegevens verwerkt? In gewone taal.",
    )
    grondslag = TextAreaField(
        "Grondslag",
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
        description="Op grond waarvan mag het, bijvoorbeeld: uitvoering van een wettelijke "
        "taak (AVG art. 6 lid 1 sub e).",
    )
    wettelijke_verwijzing = StringField(
        "Wet en artikel",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=300)],
        description="Bijvoorbeeld: Wmo 2015 art. 5.2.1; Jeugdwet art. 7.4.0",
    )
    categorieen = CategorieenField(
        "Categorieën persoonsgegevens",
        validators=[InputRequired("Kies minstens één categorie.")],
    )
    ontvangers = RegelsField(
        "Categorieën ontvangers",
        validators=[Optional()],
        description="Eén per regel.",
    )
    bewaartermijn = StringField(
        "Bewaartermijn", filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    versie = HiddenField()

    def set_category_choices(self, current: tuple[str, ...] = ()) -> None:
        known = dict(CATEGORIEEN)
        for code in current:  # keep categories this form does not know (yet)
            known.setdefault(code, code)
        self.categorieen.choices = list(known.items())


class NieuweActiviteitForm(ActiviteitForm):
    sleutel = StringField(
        "Sleutel",
        filters=[strip],
        validators=[
            InputRequired(REQUIRED),
            Length(max=100),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message="Kleine letters, cijfers en streepjes, bijvoorbeeld: inzage-betrokkene.",
            ),
        ],
        description="Vaste naam waarmee het logboek naar deze activiteit verwijst; later niet te "
        "wijzigen.",
    )
