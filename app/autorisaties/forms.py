from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.domain import ToestemmingWijze
from app.forms import BSN, DateField, Form, SelectField, empty_to_none, strip

REQUIRED = _l("Dit veld is verplicht.")


class VervangingForm(Form):
    bsn = StringField(
        _l("BSN van de inwoner"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description=_l("Het plan moet van een collega regisseur van uw organisatie zijn."),
    )
    reden = TextAreaField(
        _l("Reden"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=1000)],
        description=_l(
            "Waarom moet u dit plan nu openen? Bijvoorbeeld: de regisseur is ziek en de "
            "inwoner belt met een dringende vraag. De reden komt in het logboek."
        ),
    )


class ToestemmingForm(Form):
    gegeven_door = StringField(
        _l("Toestemming gegeven door"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Bijvoorbeeld: de betrokkene zelf, of de wettelijk vertegenwoordiger."),
    )
    gegeven_op = DateField(_l("Datum toestemming"), validators=[InputRequired(REQUIRED)])
    wijze = SelectField(
        _l("Hoe is de toestemming gegeven"),
        choices=[("", _l("Kies"))]
        + [(w.value, _l(w.value.capitalize())) for w in ToestemmingWijze],
        validators=[InputRequired(REQUIRED)],
    )
    toelichting = TextAreaField(
        _l("Toelichting"), filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class IntrekkenForm(Form):
    toelichting = TextAreaField(
        _l("Toelichting"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description=_l("Bijvoorbeeld: hoe en wanneer de inwoner dit liet weten."),
    )
