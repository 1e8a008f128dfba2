from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from app.domain import ORGANISATIE_SOORT_LABELS, ROL_LABELS, STAFF_ROLES
from app.forms import DateField, Form, SelectField, _ChoicesAsPairs, empty_to_none, strip

REQUIRED = _l("Dit veld is verplicht.")


class RolesField(_ChoicesAsPairs, SelectMultipleField):
    """Roles as a group of checkboxes (rendered by the admin templates)."""

    def pre_validate(self, form: object) -> None:
        valid = {str(v) for v, _ in ROLE_CHOICES}
        for value in self.data or []:
            if value not in valid:
                raise ValueError(_("Onbekende rol."))


ROLE_CHOICES = [(r.value, ROL_LABELS[r]) for r in STAFF_ROLES]


class GebruikerForm(Form):
    stamp = HiddenField()
    username = StringField(
        _l("Gebruikersnaam"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), Length(max=80)],
        description=_l("Kleine letters, cijfers, punt of streepje. Kan later niet veranderen."),
    )
    name = StringField(
        _l("Naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    email = StringField(
        _l("E-mail"),
        filters=[empty_to_none],
        validators=[Optional(), Email(_l("Vul een geldig e-mailadres in.")), Length(max=200)],
    )
    phone = StringField(
        _l("Telefoon"), filters=[empty_to_none], validators=[Optional(), Length(max=40)]
    )
    organisation_id = SelectField(
        _l("Organisatie"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    roles = RolesField(_l("Rollen"), choices=ROLE_CHOICES)


class OrganisatieForm(Form):
    stamp = HiddenField()
    name = StringField(
        _l("Naam"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    kind = SelectField(
        _l("Soort organisatie"),
        choices=[("", _l("Kies het soort"))]
        + [(k.value, v) for k, v in ORGANISATIE_SOORT_LABELS.items()],
        validators=[InputRequired(REQUIRED)],
    )
    active = BooleanField(_l("Actief"), default=True)


class MandaatForm(Form):
    organisation_id = SelectField(
        _l("Organisatie die de regie voert"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    gemeente_id = SelectField(
        _l("Namens gemeente"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    besluit = StringField(
        _l("Kenmerk van het mandaatbesluit"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    valid_from = DateField(_l("Geldig vanaf"), validators=[InputRequired(REQUIRED)])
    valid_until = DateField(_l("Geldig tot en met"), validators=[Optional()])


class MandaatBeeindigenForm(Form):
    end_date = DateField(_l("Laatste dag van het mandaat"), validators=[InputRequired(REQUIRED)])


class GebruikerZoekForm(Form):
    """The list of users: (part of) a name or user name, and the page after a user (POST: a
    name never travels in an address)."""

    zoek = StringField(
        _l("Zoek een gebruiker"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("Naam of gebruikersnaam, of een deel ervan."),
    )
    na = HiddenField(validators=[Optional(), Regexp(r"^[1-9][0-9]{0,17}$")])


class KnopForm(Form):
    """CSRF only, for buttons."""
