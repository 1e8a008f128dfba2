from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.forms import Form, strip
from app.inkijk.services import REDEN_MAX, REDEN_MIN


class DoorprikForm(Form):
    reden = TextAreaField(
        "Waarom heeft u deze details nodig?",
        filters=[strip],
        validators=[
            InputRequired("Schrijf waarom u deze details nodig heeft."),
            Length(
                min=REDEN_MIN,
                max=REDEN_MAX,
                message=f"Gebruik tussen {REDEN_MIN} en {REDEN_MAX} tekens.",
            ),
        ],
        description="De inwoner leest deze reden in het logboek, bij uw naam en de datum.",
    )


class OvernemenForm(Form):
    bron = HiddenField(validators=[InputRequired()])
    sleutel = HiddenField(validators=[InputRequired()])
