from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.berichten.bijlagen import OMSCHRIJVING
from app.berichten.services import MAX_TEKST
from app.forms import Form, RadioField, strip


class BerichtForm(Form):
    body = TextAreaField(
        "Bericht",
        filters=[strip],
        validators=[
            InputRequired("Schrijf een bericht."),
            Length(max=MAX_TEKST, message=f"Gebruik hooguit {MAX_TEKST} tekens."),
        ],
    )
    bijlage = FileField(
        "Bijlage",
        description=f"Een {OMSCHRIJVING}-bestand. Het bestand wordt gecontroleerd voordat het wordt opgeslagen.",
    )
    beroepsgeheim = BooleanField(
        "Onder beroepsgeheim: alleen mijn organisatie en de regisseur lezen dit bericht"
    )


class NieuwGesprekForm(BerichtForm):
    met = RadioField("Met wie", validators=[InputRequired("Kies met wie u het gesprek voert.")])
