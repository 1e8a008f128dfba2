from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

REQUIRED = _l("Dit veld is verplicht.")


class MultiCheckboxField(wtforms.SelectMultipleField):
    def __init__(self, label: Any = None, validators: Any = None, choices: Any = None, **kw: Any):
        super().__init__(label, validators, choices=_as_choices(choices), **kw)


class MeldingForm(Form):
    bsn = StringField(
        _l("BSN van de inwoner"),
        filters=[empty_to_none],
        validators=[Optional(), BSN()],
        description=_l("Weet u het BSN niet? Vul dan naam, geboortedatum en adres in."),
    )
    naam = StringField(
        _l("Naam van de inwoner"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField(_l("Geboortedatum"), validators=[Optional()])
    adres = StringField(
        _l("Adres"), filters=[empty_to_none], validators=[Optional(), Length(max=300)]
    )
    melder_naam = StringField(
        _l("Uw naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    melder_contact = StringField(
        _l("Uw telefoonnummer of e-mailadres"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Zodat de regisseur u kan bellen of mailen met een vraag."),
    )
    relatie = StringField(
        _l("Uw relatie met de inwoner"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=100)],
        description=_l("Bijvoorbeeld: mentor van het kind, wijkagent, buurvrouw."),
    )
    aanleiding = TextAreaField(
        _l("Wat was de aanleiding?"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )
    # Not "inhoud": that id is the page's main content (the skip link's target).
    signaal = TextAreaField(
        _l("Uw signaal: wat ziet u, waar maakt u zich zorgen over?"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=5000)],
    )
    categorie = SelectField(
        _l("Waar gaat het signaal vooral over?"),
        choices=[(k, v) for k, v in SIGNAAL_CATEGORIEEN.items() if k != "politie"],
        default="zorgen",
        validators=[InputRequired(REQUIRED)],
    )
    domeinen = MultiCheckboxField(
        _l("Leefgebieden"),
        choices=list(LEEFGEBIEDEN.items()),
        validators=[DataRequired(_l("Kies minstens één leefgebied."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.bsn.data and not (
            self.naam.data and self.geboortedatum.data and self.adres.data
        ):
            self.bsn.errors = [
                *self.bsn.errors,
                _("Vul het BSN in, of naam, geboortedatum en adres als u het BSN niet weet."),
            ]
            return False
        return ok


class StapForm(Form):
    antwoord = RadioField(
        _l("Antwoord"),
        choices=[("ja", _l("Ja")), ("nee", _l("Nee"))],
        validators=[InputRequired(_l("Kies ja of nee."))],
    )
    motivering = TextAreaField(
        _l("Motivering"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=5000, message=_l("Minstens 10 tekens.")),
        ],
        description=_l(
            "Waarom? Wat is gevraagd, aan wie? Alleen buitenkant: geen achtergrond van problemen."
        ),
    )
    verwijzing = StringField(
        _l("Verwijzing (bij nee in stap 3)"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=500)],
        description=_l("Naar welke dienstverlening verwijst u de inwoner?"),
    )


class SluitenForm(Form):
    reden = RadioField(
        _l("Reden"),
        choices=list(AFWEGING_SLUITREDENEN.items()),
        validators=[InputRequired(_l("Kies een reden."))],
    )
    motivering = TextAreaField(
        _l("Motivering"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=2000, message=_l("Minstens 10 tekens.")),
        ],
        id="sluiten-motivering",  # the step form on the same page has a "motivering" too
    )


class KoppelForm(Form):
    bsn = StringField(
        _l("BSN van de inwoner"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description=_l("Zoek het BSN op in de basisregistratie personen."),
    )


class BronForm(Form):
    naam = StringField(
        _l("Naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    processing_activity = SelectField(
        _l("Verwerkingsactiviteit (grondslag)"),
        validators=[InputRequired(REQUIRED)],
        description=_l("De regel in het verwerkingsregister die doel en grondslag geeft."),
    )
    velden = MultiCheckboxField(_l("Velden die deze bron mag aanleveren"), validators=[Optional()])
    bewaartermijn_dagen = wtforms.IntegerField(
        _l("Bewaartermijn zonder vervolgstap (dagen)"),
        validators=[
            InputRequired(REQUIRED),
            wtforms.validators.NumberRange(min=7, max=3650, message=_l("Tussen 7 en 3650 dagen.")),
        ],
        description=_l(
            "Een signaal zonder vervolgstap wordt na dit aantal dagen vergeten, of eerder als "
            "de bewaartermijn van de verwerkingsactiviteit in het verwerkingsregister eerder "
            "verloopt."
        ),
    )
    actief = wtforms.BooleanField(_l("Actief: deze bron mag signalen aanleveren"))
    gevoelig = wtforms.BooleanField(
        _l(
            "Gevoelig (zoals politie, Veilig Thuis): de inwoner ziet een signaal pas na stap 2 "
            "van de afweging"
        )
    )
