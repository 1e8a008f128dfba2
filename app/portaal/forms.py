from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, RadioField, strip

VERPLICHT = "Schrijf hier uw bericht."


class ReactieForm(Form):
    soort = RadioField(
        "Wat wilt u doen?",
        choices=[
            ("opmerking", "Een opmerking maken of een vraag stellen"),
            ("correctievoorstel", "Iets in het plan laten verbeteren"),
        ],
        default="opmerking",
    )
    body = TextAreaField(
        "Uw bericht",
        description="De regisseur leest uw bericht en geeft antwoord in het plan.",
        filters=[strip],
        validators=[DataRequired(VERPLICHT), Length(max=5000, message="Hooguit 5000 tekens.")],
    )


class KnopForm(Form):
    """Only the CSRF token, for buttons."""

    version = HiddenField()
