from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain import CATEGORIEEN
from app.forms import Form, SelectField, empty_to_none, strip
from app.vernietiging.termijn import Gebeurtenis

REQUIRED = _l("Dit veld is verplicht.")


# "Te rekenen vanaf ...": the events a retention period counts from.
VANAF_LABELS = {
    Gebeurtenis.PLAN_AFGESLOTEN: _l("afsluiten van het plan"),
    Gebeurtenis.SIGNAAL_ONTVANGEN: _l("ontvangst van het signaal"),
    Gebeurtenis.SIGNAAL_VERGETEN: _l("het vergeten van het signaal"),
    Gebeurtenis.REGEL_GESCHREVEN: _l("het schrijven van de logregel"),
}


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
        _l("Naam"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    doel = TextAreaField(
        _l("Doel"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
        description=_l("Waarvoor worden de gegevens verwerkt? In gewone taal."),
    )
    grondslag = TextAreaField(
        _l("Grondslag"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
        description=_l(
            "Op grond waarvan mag het, bijvoorbeeld: uitvoering van een wettelijke "
            "taak (AVG art. 6 lid 1 sub e)."
        ),
    )
    wettelijke_verwijzing = StringField(
        _l("Wet en artikel"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=300)],
        description=_l("Bijvoorbeeld: Wmo 2015 art. 5.2.1; Jeugdwet art. 7.4.0"),
    )
    categorieen = CategorieenField(
        _l("Categorieën persoonsgegevens"),
        validators=[InputRequired(_l("Kies minstens één categorie."))],
    )
    ontvangers = RegelsField(
        _l("Categorieën ontvangers"),
        validators=[Optional()],
        description=_l("Eén per regel."),
    )
    bewaartermijn = StringField(
        _l("Bewaartermijn"), filters=[strip], validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    # The same term, structured: what `flask retention run` enforces (app/vernietiging/termijn.py).
    termijn_jaren = IntegerField(
        _l("Bewaartermijn: jaren"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Van 0 tot en met 100."))],
    )
    termijn_maanden = IntegerField(
        _l("Bewaartermijn: maanden"),
        validators=[Optional(), NumberRange(min=0, max=1200, message=_l("Van 0 tot en met 1200."))],
    )
    termijn_jeugdhulp_jaren = IntegerField(
        _l("Bewaartermijn bij jeugdhulp: jaren"),
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("Van 1 tot en met 100."))],
        description=_l(
            "Alleen als jeugdhulp deelnam langer bewaren, bijvoorbeeld 20 (Jeugdwet "
            "art. 7.3.8). Leeg: geen uitzondering."
        ),
    )
    termijn_na = SelectField(
        _l("Bewaartermijn: te rekenen vanaf"),
        choices=[("", _l("Geen afgedwongen termijn"))]
        + [(str(k), label) for k, label in VANAF_LABELS.items()],
        default="",
        description=_l(
            "Na deze gebeurtenis plus de jaren en maanden vernietigt Eenplan de gegevens."
        ),
    )
    versie = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        jaren, maanden = self.termijn_jaren.data or 0, self.termijn_maanden.data or 0
        if self.termijn_na.data and jaren + maanden == 0 and not self.termijn_jaren.errors:
            self.termijn_jaren.errors = [
                *self.termijn_jaren.errors,
                _("Geef het aantal jaren of maanden."),
            ]
            ok = False
        jeugd = self.termijn_jeugdhulp_jaren.data
        if jeugd is not None and jeugd * 12 < jaren * 12 + maanden:
            self.termijn_jeugdhulp_jaren.errors = [
                *self.termijn_jeugdhulp_jaren.errors,
                _("Bij jeugdhulp is de termijn niet korter dan de gewone."),
            ]
            ok = False
        if not self.termijn_na.data and (jaren or maanden):
            self.termijn_na.errors = [
                *self.termijn_na.errors,
                _("Kies vanaf welke gebeurtenis de termijn loopt."),
            ]
            ok = False
        return ok

    def termijn(self) -> dict[str, Any] | None:
        if not self.termijn_na.data:
            return None
        term: dict[str, Any] = {
            "jaren": self.termijn_jaren.data or 0,
            "maanden": self.termijn_maanden.data or 0,
            "na": self.termijn_na.data,
        }
        if self.termijn_jeugdhulp_jaren.data is not None:
            term["jeugdhulp_jaren"] = self.termijn_jeugdhulp_jaren.data
        return term

    def set_category_choices(self, current: tuple[str, ...] = ()) -> None:
        known = dict(CATEGORIEEN)
        for code in current:  # keep categories this form does not know (yet)
            known.setdefault(code, code)
        self.categorieen.choices = list(known.items())


class NieuweActiviteitForm(ActiviteitForm):
    sleutel = StringField(
        _l("Sleutel"),
        filters=[strip],
        validators=[
            InputRequired(REQUIRED),
            Length(max=100),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=_l(
                    "Kleine letters, cijfers en streepjes, bijvoorbeeld: inzage-betrokkene."
                ),
            ),
        ],
        description=_l(
            "Vaste naam waarmee het logboek naar deze activiteit verwijst; later niet te wijzigen."
        ),
    )
