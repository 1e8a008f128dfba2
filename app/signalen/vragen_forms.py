"""Forms for the questions to organisations (``app/signalen/vragen.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import DateField, Form, RadioField, SelectField, empty_to_none, strip

REQUIRED = _l("Dit veld is verplicht.")


class VraagForm(Form):
    organisatie = SelectField(
        _l("Organisatie"),
        coerce=int,
        validators=[InputRequired(_l("Kies een organisatie."))],
        description=_l("Alleen organisaties die meedoen in de samenwerking in Eenplan."),
    )


class AntwoordForm(Form):
    """Step 2 uses ``bekend``; step 3 ``hulp``, ``sinds`` and ``indicatie`` (the service says
    which are required for the question's step)."""

    bekend = RadioField(
        _l("Is de inwoner bij uw organisatie bekend of in behandeling?"),
        choices=[("ja", _l("Ja, bekend")), ("nee", _l("Nee, niet bekend"))],
        validators=[Optional()],
    )
    hulp = StringField(
        _l("Welke hulp"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=200, message=_l("Hoogstens 200 tekens."))],
        description=_l("Bijvoorbeeld: schuldhulpverlening, ambulante jeugdhulp. Geen achtergrond."),
    )
    sinds = DateField(_l("Sinds"), validators=[Optional()])
    indicatie = StringField(
        _l("Op welke indicatie (als die er is)"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=200, message=_l("Hoogstens 200 tekens."))],
        description=_l(
            "Bijvoorbeeld: beschikking Jeugdwet, verwijzing huisarts. Leeg als er geen is."
        ),
    )


class WeigerForm(Form):
    reden = TextAreaField(
        _l("Waarom beantwoordt u de vraag niet?"),
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=2000, message=_l("Minstens 10 en hoogstens 2000 tekens.")),
        ],
    )
