from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.berichten.bijlagen import OMSCHRIJVING
from app.berichten.services import MAX_TEKST
from app.forms import Form, RadioField, strip


class BerichtForm(Form):
    body = TextAreaField(
        _l("Bericht"),
        filters=[strip],
        validators=[
            InputRequired(_l("Schrijf een bericht.")),
            Length(
                max=MAX_TEKST,
                message=_l("Gebruik hooguit %(MAX_TEKST)s tekens.", MAX_TEKST=MAX_TEKST),
            ),
        ],
    )
    bijlage = FileField(
        _l("Bijlage"),
        description=_l(
            "Een %(OMSCHRIJVING)s-bestand. Het bestand wordt gecontroleerd voordat het wordt opgeslagen.",
            OMSCHRIJVING=OMSCHRIJVING,
        ),
    )
    beroepsgeheim = BooleanField(
        _l("Onder beroepsgeheim: alleen mijn organisatie en de regisseur lezen dit bericht")
    )


class NieuwGesprekForm(BerichtForm):
    met = RadioField(
        _l("Met wie"), validators=[InputRequired(_l("Kies met wie u het gesprek voert."))]
    )
