"""Forms of the privacy officer's screens."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.forms import BSN, DateField, Form, RadioField, SelectField, strip
from app.privacy.models import CONCLUSIES

# A logboek line's actor id as a link may carry it (a user id, or a system's name).
ACTOR_ID = r"^[A-Za-z0-9_.:@-]{1,100}$"


class ZoekForm(Form):
    """Search the logboek. A BSN only travels in a POST body; the other criteria may sit in the
    address bar (a pseudonym, a user id, a period: nothing that names a citizen)."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST; GET links carry no token

    bsn = StringField(
        _l("BSN van de persoon"),
        filters=[strip],
        validators=[Optional(), BSN()],
        description=_l(
            "Zoekt op de regels over deze persoon. Het BSN komt niet in de adresbalk "
            "en niet in het logboek: daar staat alleen een pseudoniem."
        ),
    )
    medewerker = StringField(
        _l("Medewerker"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("Naam of gebruikersnaam, of een deel ervan."),
    )
    # The staff member chosen (a logboek actor id): found from the text above, chosen among
    # several that fit it, or given by a link. A name never travels in an address; this id may.
    gebruiker = RadioField(
        _l("Welke medewerker bedoelt u?"),
        validators=[Optional(), Regexp(ACTOR_ID)],
        validate_choice=False,
    )
    # The text for which the choice among several staff members was offered: a search with
    # that text and no choice made says so.
    kiezen = HiddenField(validators=[Optional(), Length(max=200)])
    organisatie = SelectField(_l("Organisatie van de medewerker"), validators=[Optional()])
    verwerking = SelectField(_l("Verwerkingsactiviteit"), validators=[Optional()])
    van = DateField(_l("Vanaf"), validators=[Optional()])
    tot = DateField(_l("Tot en met"), validators=[Optional()])
    noodtoegang = BooleanField(_l("Alleen noodtoegang"))
    persoon = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{64}$")])
    trace = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])
    # With the trace: one request (the span id is Eenplan's own; a trace id may be a caller's).
    span = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{16}$")])
    voor = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,18}$")])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.van.data and self.tot.data and self.tot.data < self.van.data:
            self.tot.errors = [*self.tot.errors, _("Deze datum ligt voor de begindatum.")]
            ok = False
        return ok

    def has_criteria(self) -> bool:
        return any(
            (
                self.bsn.data,
                self.medewerker.data,
                self.gebruiker.data,
                self.organisatie.data,
                self.verwerking.data,
                self.van.data,
                self.tot.data,
                self.noodtoegang.data,
                self.persoon.data,
                self.trace.data,
                self.span.data,
            )
        )


class PeriodeForm(Form):
    class Meta:
        csrf = False

    van = DateField(_l("Vanaf"), validators=[Optional()])
    tot = DateField(_l("Tot en met"), validators=[Optional()])


class BeoordelingForm(Form):
    conclusie = RadioField(
        _l("Conclusie"),
        choices=list(CONCLUSIES.items()),
        validators=[InputRequired(_l("Kies een conclusie."))],
    )
    toelichting = TextAreaField(
        _l("Toelichting"),
        filters=[strip],
        validators=[InputRequired(_l("Licht uw conclusie toe.")), Length(max=5000)],
        description=_l(
            "Wat heeft u nagegaan, en met wie? Bijvoorbeeld: navraag bij de "
            "leidinggevende, de waarneming was afgesproken."
        ),
    )


class ZaakForm(BeoordelingForm):
    soort = HiddenField(validators=[InputRequired()])
    regels = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9]+(,[0-9]+)*$")])
