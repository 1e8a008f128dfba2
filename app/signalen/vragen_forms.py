"""Forms for the questions to organisations (``app/signalen/vragen.py``)."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import DateField, Form, RadioField, SelectField, empty_to_none, strip

REQUIRED = "Dit veld is verplicht."


class VraagForm(Form):
    organisatie = SelectField(
        "Organisatie",
        coerce=int,
        validators=[InputRequired("Kies een organisatie.")],
        description="Alleen organisaties die meedoen in de samenwerking in Eenplan.",
    )


class AntwoordForm(Form):
    """Step 2 uses ``bekend``; step 3 ``hulp``, ``sinds`` and ``indicatie`` (the service says
    which are required for the question's step)."""

    bekend = RadioField(
        "Is de inwoner bij uw organisatie bekend of in behandeling?",
        choices=[("ja", "Ja, bekend"), ("nee", "Nee, niet bekend")],
        validators=[Optional()],
    )
    hulp = StringField(
        "Welke hulp",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description="Bijvoorbeeld: schuldhulpverlening, ambulante jeugdhulp. Geen achtergrond.",
    )
    sinds = DateField("Sinds", validators=[Optional()])
    indicatie = StringField(
        "Op welke indicatie (als die er is)",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description="Bijvoorbeeld: beschikking Jeugdwet, verwijzing huisarts. Leeg als er geen is.",
    )


class WeigerForm(Form):
    reden = TextAreaField(
        "Waarom beantwoordt u de vraag niet?",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=2000, message="Minstens 10 en hoogstens 2000 tekens."),
        ],
    )
