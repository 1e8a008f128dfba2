from __future__ import annotations

from typing import Any

from wtforms import HiddenField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from app.forms import DateField, Form, RadioField, SelectField, strip

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


class FilterForm(Form):
    """The filters above the log pages (GET: no CSRF token needed, nothing changes)."""

    class Meta:
        csrf = False

    van = DateField("Vanaf", validators=[Optional()])
    tot = DateField("Tot en met", validators=[Optional()])
    organisatie = SelectField(
        "Organisatie", choices=[("", "Alle organisaties")], validate_choice=False
    )
    soort = SelectField("Wat is er gebeurd", choices=[("", "Alles")], validate_choice=False)

    def validate_tot(self, field: Any) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("Deze datum ligt voor de datum bij ‘Vanaf’.")
