from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain import ToestemmingWijze
from app.forms import BSN, DateField, Form, SelectField, empty_to_none, strip

REQUIRED = "Dit veld is verplicht."


class VervangingForm(Form):
    bsn = StringField(
        "BSN van de inwoner",
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description="Het plan moet van een collega regisseur van uw organisatie zijn.",
    )
    reden = TextAreaField(
        "Reden",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="Waarom moet u dit plan nu openen? Bijvoorbeeld: de regisseur is ziek en de "
        "inwoner belt met een dringende vraag. De reden komt in het logboek.",
    )


class ToestemmingForm(Form):
    gegeven_door = StringField(
        "Toestemming gegeven door",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description="Bijvoorbeeld: de betrokkene zelf, of de wettelijk vertegenwoordiger.",
    )
    gegeven_op = DateField("Datum toestemming", validators=[InputRequired(REQUIRED)])
    wijze = SelectField(
        "Hoe is de toestemming gegeven",
        choices=[("", "Kies")] + [(w.value, w.value.capitalize()) for w in ToestemmingWijze],
        validators=[InputRequired(REQUIRED)],
    )
    toelichting = TextAreaField(
        "Toelichting", filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class IntrekkenForm(Form):
    toelichting = TextAreaField(
        "Toelichting",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description="Bijvoorbeeld: hoe en wanneer de inwoner dit liet weten.",
    )
