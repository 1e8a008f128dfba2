from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms import Form, RadioField, SelectField, strip
from app.teamleider.services import AFWIJZEN, OVERDRAGEN


class BesluitForm(Form):
    keuze = RadioField(
        _l("Wat besluit u?"),
        choices=[
            (OVERDRAGEN, _l("Het plan overdragen aan een andere regisseur")),
            (AFWIJZEN, _l("Het verzoek afwijzen")),
        ],
        validators=[InputRequired(_l("Kies wat u besluit."))],
    )
    regisseur_id = SelectField(
        _l("Nieuwe regisseur (bij overdragen)"), choices=[], validate_choice=False
    )
    reden = TextAreaField(
        _l("Reden"),
        filters=[strip],
        validators=[DataRequired(_l("Schrijf de reden.")), Length(max=2000)],
        description=_l("De inwoner en beide regisseurs lezen deze reden."),
    )
