from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form, RadioField, SelectField, strip
from app.teamleider.services import AFWIJZEN, OVERDRAGEN


class BesluitForm(Form):
    keuze = RadioField(
        "Wat besluit u?",
        choices=[
            (OVERDRAGEN, "Het plan overdragen aan een andere regisseur"),
            (AFWIJZEN, "Het verzoek afwijzen"),
        ],
        validators=[InputRequired("Kies wat u besluit.")],
    )
    regisseur_id = SelectField(
        "Nieuwe regisseur (bij overdragen)", choices=[], validate_choice=False
    )
    reden = TextAreaField(
        "Reden",
        filters=[strip],
        validators=[DataRequired("Schrijf de reden."), Length(max=2000)],
        description="De inwoner en beide regisseurs lezen deze reden.",
    )
