from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.forms import BSN, DateField, Form, RadioField, SelectField, strip

VERPLICHT = _l("Schrijf hier uw bericht.")


class ReactieForm(Form):
    soort = RadioField(
        _l("Wat wilt u doen?"),
        choices=[
            ("opmerking", _l("Een opmerking maken of een vraag stellen")),
            ("correctievoorstel", _l("Iets in het plan laten verbeteren")),
            (
                "gezinslinkvoorstel",
                _l("Een gezinslid laten koppelen, of een koppeling laten verbreken"),
            ),
        ],
        default="opmerking",
    )
    body = TextAreaField(
        _l("Uw bericht"),
        description=_l("De regisseur leest uw bericht en geeft antwoord in het plan."),
        filters=[strip],
        validators=[DataRequired(VERPLICHT), Length(max=5000, message=_l("Hooguit 5000 tekens."))],
    )


class KnopForm(Form):
    """Only the CSRF token, for buttons."""

    version = HiddenField()


class FilterForm(Form):
    """The filters above the log pages (GET: no CSRF token needed, nothing changes)."""

    class Meta:
        csrf = False

    van = DateField(_l("Vanaf"), validators=[Optional()])
    tot = DateField(_l("Tot en met"), validators=[Optional()])
    organisatie = SelectField(
        _l("Organisatie"), choices=[("", _l("Alle organisaties"))], validate_choice=False
    )
    soort = SelectField(_l("Wat is er gebeurd"), choices=[("", _l("Alles"))], validate_choice=False)

    def validate_tot(self, field: Any) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError(_("Deze datum ligt voor de datum bij ‘Vanaf’."))


class NiveauForm(Form):
    organisation_id = HiddenField()
    niveau = RadioField(_l("Hoeveel ziet deze organisatie?"), choices=[], validate_choice=False)


class VertrouwenspersoonForm(Form):
    naam = StringField(
        _l("Naam"),
        filters=[strip],
        validators=[
            DataRequired(_l("Vul de naam in.")),
            Length(max=200, message=_l("Hooguit 200 tekens.")),
        ],
    )
    bsn = StringField(
        _l("Burgerservicenummer (BSN) van deze persoon"),
        description=_l(
            "Zo herkent Eenplan deze persoon als die inlogt met DigiD. Het staat op het "
            "paspoort of de identiteitskaart."
        ),
        filters=[strip],
        validators=[InputRequired(_l("Vul het burgerservicenummer in.")), BSN()],
    )
    relatie = SelectField(_l("Wie is deze persoon voor u?"), choices=[], validate_choice=False)
    geldig_tot = DateField(
        _l("Tot wanneer"),
        description=_l("Hooguit twee jaar. U kunt de toegang altijd eerder stoppen."),
        validators=[InputRequired(_l("Vul een datum in."))],
    )


class ToestemmingIntrekkenForm(Form):
    toelichting = TextAreaField(
        _l("Waarom trekt u uw toestemming in?"),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message=_l("Hooguit 2000 tekens."))],
    )


class RegisseurVerzoekForm(Form):
    reden = TextAreaField(
        _l("Waarom wilt u een andere regisseur?"),
        description=_l("De gemeente leest dit en neemt contact met u op."),
        filters=[strip],
        validators=[
            DataRequired(_l("Schrijf waarom u een andere regisseur wilt.")),
            Length(max=2000, message=_l("Hooguit 2000 tekens.")),
        ],
    )


class BerichtForm(Form):
    met = HiddenField()
    body = TextAreaField(
        _l("Uw bericht"),
        filters=[strip],
        validators=[
            DataRequired(_l("Schrijf een bericht.")),
            Length(max=5000, message=_l("Hooguit 5000 tekens.")),
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
