from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import BSN, DateField, Form, RadioField, SelectField, strip

VERPLICHT = "Schrijf hier uw bericht."


class ReactieForm(Form):
    soort = RadioField(
        "Wat wilt u doen?",
        choices=[
            ("opmerking", "Een opmerking maken of een vraag stellen"),
            ("correctievoorstel", "Iets in het plan laten verbeteren"),
            (
                "gezinslinkvoorstel",
                "Een gezinslid laten koppelen, of een koppeling laten verbreken",
            ),
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


class NiveauForm(Form):
    organisation_id = HiddenField()
    niveau = RadioField("Hoeveel ziet deze organisatie?", choices=[], validate_choice=False)


class VertrouwenspersoonForm(Form):
    naam = StringField(
        "Naam",
        filters=[strip],
        validators=[
            DataRequired("Vul de naam in."),
            Length(max=200, message="Hooguit 200 tekens."),
        ],
    )
    bsn = StringField(
        "Burgerservicenummer (BSN) van deze persoon",
        description="Zo herkent Eenplan deze persoon als die inlogt met DigiD. Het staat op het "
        "paspoort of de identiteitskaart.",
        filters=[strip],
        validators=[InputRequired("Vul het burgerservicenummer in."), BSN()],
    )
    relatie = SelectField("Wie is deze persoon voor u?", choices=[], validate_choice=False)
    geldig_tot = DateField(
        "Tot wanneer",
        description="Hooguit twee jaar. U kunt de toegang altijd eerder stoppen.",
        validators=[InputRequired("Vul een datum in.")],
    )


class ToestemmingIntrekkenForm(Form):
    toelichting = TextAreaField(
        "Waarom trekt u uw toestemming in?",
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Hooguit 2000 tekens.")],
    )


class RegisseurVerzoekForm(Form):
    reden = TextAreaField(
        "Waarom wilt u een andere regisseur?",
        description="De gemeente leest dit en neemt contact met u op.",
        filters=[strip],
        validators=[
            DataRequired("Schrijf waarom u een andere regisseur wilt."),
            Length(max=2000, message="Hooguit 2000 tekens."),
        ],
    )


class BerichtForm(Form):
    met = HiddenField()
    body = TextAreaField(
        "Uw bericht",
        filters=[strip],
        validators=[
            DataRequired("Schrijf een bericht."),
            Length(max=5000, message="Hooguit 5000 tekens."),
        ],
    )


class MeldingenForm(Form):
    version = HiddenField()
    inzage = BooleanField(
        _l("Als een organisatie of persoon voor het eerst mijn gegevens bekijkt of krijgt")
    )
    signaal = BooleanField(_l("Als er een signaal over mij is"))
    bericht = BooleanField(_l("Als er een bericht voor mij is"))
    email = StringField(
        _l("Uw e-mailadres"),
        description=_l("Wij sturen hier alleen naartoe dát er iets nieuw is, nooit wat."),
        filters=[strip],
        validators=[
            Optional(),
            Email(_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")),
            Length(max=200, message=_l("Hooguit 200 tekens.")),
        ],
    )
