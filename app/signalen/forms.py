from __future__ import annotations

from typing import Any

import wtforms
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain import AFWEGING_SLUITREDENEN, LEEFGEBIEDEN, SIGNAAL_CATEGORIEEN
from app.forms import (
    BSN,
    DateField,
    Form,
    RadioField,
    SelectField,
    _as_choices,
    empty_to_none,
    strip,
)

REQUIRED = "Dit veld is verplicht."


class MultiCheckboxField(wtforms.SelectMultipleField):
    def __init__(self, label: Any = None, validators: Any = None, choices: Any = None, **kw: Any):
        super().__init__(label, validators, choices=_as_choices(choices), **kw)


class MeldingForm(Form):
    bsn = StringField(
        "BSN van de inwoner",
        filters=[empty_to_none],
        validators=[Optional(), BSN()],
        description="Weet u het BSN niet? Vul dan naam, geboortedatum en adres in.",
    )
    naam = StringField(
        "Naam van de inwoner", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField("Geboortedatum", validators=[Optional()])
    adres = StringField("Adres", filters=[empty_to_none], validators=[Optional(), Length(max=300)])
    melder_naam = StringField(
        "Uw naam", filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    melder_contact = StringField(
        "Uw telefoonnummer of e-mailadres",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description="Zodat de regisseur u kan bellen of mailen met een vraag.",
    )
    relatie = StringField(
        "Uw relatie met de inwoner",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description="Bijvoorbeeld: mentor van het kind, wijkagent, buurvrouw.",
    )
    aanleiding = TextAreaField(
        "Wat was de aanleiding?",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )
    # Not "inhoud": that id is the page's main content (the skip link's target).
    signaal = TextAreaField(
        "Uw signaal: wat ziet u, waar maakt u zich zorgen over?",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )
    categorie = SelectField(
        "Waar gaat het signaal vooral over?",
        choices=[(k, v) for k, v in SIGNAAL_CATEGORIEEN.items() if k != "politie"],
        default="zorgen",
        validators=[InputRequired(REQUIRED)],
    )
    domeinen = MultiCheckboxField(
        "Leefgebieden",
        choices=list(LEEFGEBIEDEN.items()),
        validators=[DataRequired("Kies minstens één leefgebied.")],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.bsn.data and not (
            self.naam.data and self.geboortedatum.data and self.adres.data
        ):
            self.bsn.errors = [
                *self.bsn.errors,
                "Vul het BSN in, of naam, geboortedatum en adres als u het BSN niet weet.",
            ]
            return False
        return ok


class StapForm(Form):
    antwoord = RadioField(
        "Antwoord",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        validators=[InputRequired("Kies ja of nee.")],
    )
    motivering = TextAreaField(
        "Motivering",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=5000, message="Minstens 10 tekens."),
        ],
        description="Waarom? Wat is gevraagd, aan wie? Alleen buitenkant: geen achtergrond van problemen.",
    )
    verwijzing = StringField(
        "Verwijzing (bij nee in stap 3)",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=500)],
        description="Naar welke dienstverlening verwijst u de inwoner?",
    )


class SluitenForm(Form):
    reden = RadioField(
        "Reden",
        choices=list(AFWEGING_SLUITREDENEN.items()),
        validators=[InputRequired("Kies een reden.")],
    )
    motivering = TextAreaField(
        "Motivering",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=2000, message="Minstens 10 tekens."),
        ],
        id="sluiten-motivering",  # the step form on the same page has a "motivering" too
    )


class KoppelForm(Form):
    bsn = StringField(
        "BSN van de inwoner",
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description="Zoek het BSN op in de basisregistratie personen.",
    )


class BronForm(Form):
    naam = StringField(
        "Naam", filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    processing_activity = SelectField(
        "Verwerkingsactiviteit (grondslag)",
        validators=[InputRequired(REQUIRED)],
        description="De regel in het verwerkingsregister die doel en grondslag geeft.",
    )
    velden = MultiCheckboxField("Velden die deze bron mag aanleveren", validators=[Optional()])
    bewaartermijn_dagen = wtforms.IntegerField(
        "Bewaartermijn zonder vervolgstap (dagen)",
        validators=[
            InputRequired(REQUIRED),
            wtforms.validators.NumberRange(min=7, max=3650, message="Tussen 7 en 3650 dagen."),
        ],
    )
    actief = wtforms.BooleanField("Actief: deze bron mag signalen aanleveren")
    gevoelig = wtforms.BooleanField(
        "Gevoelig (zoals politie, Veilig Thuis): de inwoner ziet een signaal pas na stap 2 "
        "van de afweging"
    )
