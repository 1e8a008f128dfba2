from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.forms import Form, strip
from app.inkijk.services import REDEN_MAX, REDEN_MIN


class DoorprikForm(Form):
    reden = TextAreaField(
        _l("Waarom heeft u deze details nodig?"),
        filters=[strip],
        validators=[
            InputRequired(_l("Schrijf waarom u deze details nodig heeft.")),
            Length(
                min=REDEN_MIN,
                max=REDEN_MAX,
                message=_l(
                    "Gebruik tussen %(REDEN_MIN)s en %(REDEN_MAX)s tekens.",
                    REDEN_MIN=REDEN_MIN,
                    REDEN_MAX=REDEN_MAX,
                ),
            ),
        ],
        description=_l("De inwoner leest deze reden in het logboek, bij uw naam en de datum."),
    )


class OvernemenForm(Form):
    bron = HiddenField(validators=[InputRequired()])
    sleutel = HiddenField(validators=[InputRequired()])
