from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional

from app.forms import Form, SelectField, empty_to_none, strip

REDEN = _l("Waarom veranderen de gegevens? Bijvoorbeeld: de inwoner is verhuisd.")


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
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Email(_l("Vul een geldig e-mailadres in.")), Length(max=200)],
    )
    feit_id = SelectField(
        _l("Betwist gegeven uit een basisregistratie"),
        choices=[],
        validate_choice=False,
        validators=[Optional()],
        description=_l(
            "Gaat het voorstel over een gegeven dat u uit een bron in het plan hebt "
            "overgenomen? Kies het; Eenplan meldt het dan terug aan die bron."
        ),
    )
    feit_waarde = _text(_l("Juiste waarde volgens de inwoner"), 500)
    reden = TextAreaField(
        _l("Reden van de wijziging"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description=REDEN,
    )


class AfwijzenForm(Form):
    voorstel_id = HiddenField()
    reden = TextAreaField(
        _l("Reden van de afwijzing"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description=_l("De inwoner ziet deze reden in het portaal. Schrijf in eenvoudige taal."),
    )
