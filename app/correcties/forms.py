from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from app.forms import Form, SelectField, empty_to_none, strip

REDEN = "Waarom veranderen de gegevens? Bijvoorbeeld: de inwoner is verhuisd."


def _text(label: str, max_len: int) -> StringField:
    return StringField(label, filters=[strip], validators=[Optional(), Length(max=max_len)])


class PersoonForm(Form):
    version = HiddenField()
    voorstel_id = HiddenField()
    voornamen = _text("Voornamen", 200)
    tussenvoegsel = _text("Tussenvoegsel", 20)
    achternaam = _text("Achternaam", 200)
    straat = _text("Straat", 200)
    huisnummer = _text("Huisnummer", 10)
    huisnummer_toevoeging = _text("Toevoeging", 10)
    postcode = _text("Postcode", 7)
    woonplaats = _text("Woonplaats", 100)
    telefoon = _text("Telefoon", 40)
    email = StringField(
        "E-mail",
        filters=[strip],
        validators=[Optional(), Email("Vul een geldig e-mailadres in."), Length(max=200)],
    )
    feit_id = SelectField(
        "Betwist gegeven uit een basisregistratie",
        choices=[],
        validate_choice=False,
        validators=[Optional()],
        description="Gaat het voorstel over een gegeven dat u uit een bron in het plan hebt "
        "overgenomen? Kies het; Eenplan meldt het dan terug aan die bron.",
    )
    feit_waarde = _text("Juiste waarde volgens de inwoner", 500)
    reden = TextAreaField(
        "Reden van de wijziging",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description=REDEN,
    )


class AfwijzenForm(Form):
    voorstel_id = HiddenField()
    reden = TextAreaField(
        "Reden van de afwijzing",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description="De inwoner ziet deze reden in het portaal. Schrijf in eenvoudige taal.",
    )
