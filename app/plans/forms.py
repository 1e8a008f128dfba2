from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    PLAN_BASIS_LABELS,
    PLAN_STATUS_LABELS,
    RELATIE_LABELS,
    PlanBasis,
    PlanStatus,
    Relatie,
    ToestemmingWijze,
    UitvoerderSoort,
)
from app.forms import BSN, DateField, Form, RadioField, SelectField, empty_to_none, strip
from app.plans.services import MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING

# The ways consent is given (ToestemmingWijze values, shown capitalised), for the catalogue.
_WIJZEN = (_l("Mondeling"), _l("Schriftelijk"), _l("Digitaal"))
REQUIRED = _l("Dit veld is verplicht.")
DATE = _l("Vul een datum in als dag-maand-jaar, bijvoorbeeld 01-02-2026.")


class ZoekForm(Form):
    q = StringField(
        _l("Zoek op naam of BSN"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    status = SelectField(
        _l("Status"),
        choices=[("", _l("Alle statussen"))]
        + [(s.value, PLAN_STATUS_LABELS[s]) for s in PlanStatus],
        validators=[Optional()],
    )


class BijToestemming(Optional):
    """Required for a plan on the basis of consent (always, now that a new plan can have no
    other basis; PlanNieuwForm.validate says so by name): the label says "verplicht", not
    "(niet verplicht)". Otherwise optional."""

    def __init__(self) -> None:
        super().__init__()
        self.field_flags = {"required": True}


class PlanNieuwForm(Form):
    bsn = StringField(
        _l("Burgerservicenummer (BSN)"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description=_l("9 cijfers. Is de persoon al bekend, dan worden naam en adres overgenomen."),
    )
    voornamen = StringField(
        _l("Voornamen"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    tussenvoegsel = StringField(
        _l("Tussenvoegsel"), filters=[empty_to_none], validators=[Optional(), Length(max=20)]
    )
    achternaam = StringField(
        _l("Achternaam"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField(_l("Geboortedatum"), validators=[Optional()])
    straat = StringField(
        _l("Straat"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    huisnummer = StringField(
        _l("Huisnummer"), filters=[empty_to_none], validators=[Optional(), Length(max=10)]
    )
    huisnummer_toevoeging = StringField(
        _l("Toevoeging"), filters=[empty_to_none], validators=[Optional(), Length(max=10)]
    )
    postcode = StringField(
        _l("Postcode"),
        filters=[empty_to_none],
        validators=[
            Optional(),
            Regexp(r"^\d{4}\s?[A-Za-z]{2}$", message=_l("Vul een postcode in als 1234 AB.")),
        ],
    )
    woonplaats = StringField(
        _l("Woonplaats"), filters=[empty_to_none], validators=[Optional(), Length(max=100)]
    )
    telefoon = StringField(
        _l("Telefoon"), filters=[empty_to_none], validators=[Optional(), Length(max=40)]
    )
    email = StringField(
        _l("E-mail"),
        filters=[empty_to_none],
        validators=[Optional(), Email(_l("Vul een geldig e-mailadres in."))],
    )
    # Only consent: multiproblematiek is established in step 4 of an afweging, which makes or
    # links the plan itself (rule 5). A posted "multiproblematiek" is refused by name.
    basis = RadioField(
        _l("Basis van het plan"),
        choices=[(PlanBasis.TOESTEMMING.value, PLAN_BASIS_LABELS[PlanBasis.TOESTEMMING])],
        default=PlanBasis.TOESTEMMING.value,
        validate_choice=False,
        validators=[InputRequired(_l("Kies de basis van het plan."))],
    )
    status = RadioField(
        _l("Status"),
        choices=[
            (PlanStatus.CONCEPT.value, _l("Concept")),
            (PlanStatus.ACTIEF.value, _l("Actief")),
        ],
        default=PlanStatus.CONCEPT.value,
        validators=[InputRequired(REQUIRED)],
    )
    mandaat = SelectField(_l("Mandaat"), choices=[], validators=[Optional()])
    toestemming_gegeven_door = StringField(
        _l("Toestemming gegeven door"),
        filters=[empty_to_none],
        validators=[BijToestemming(), Length(max=200)],
        description=_l("Bijvoorbeeld: de betrokkene zelf, of de wettelijk vertegenwoordiger."),
    )
    toestemming_gegeven_op = DateField(_l("Datum toestemming"), validators=[BijToestemming()])
    toestemming_wijze = SelectField(
        _l("Hoe is de toestemming gegeven"),
        choices=[("", _l("Kies"))]
        + [(w.value, _l(w.value.capitalize())) for w in ToestemmingWijze],
        validators=[BijToestemming()],
    )
    toestemming_toelichting = TextAreaField(
        _l("Toelichting op de toestemming"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
    )

    def validate_basis(self, field: Any) -> None:
        if field.data == PlanBasis.MULTIPROBLEMATIEK:
            raise ValidationError(MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING)
        if field.data != PlanBasis.TOESTEMMING:
            raise ValidationError(_("Kies de basis van het plan."))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.basis.data == "toestemming":
            for f in (
                self.toestemming_gegeven_door,
                self.toestemming_gegeven_op,
                self.toestemming_wijze,
            ):
                if not f.data:
                    f.errors = [
                        *f.errors,
                        _(
                            "Vul dit in: een plan op basis van toestemming vraagt om vastgelegde toestemming."
                        ),
                    ]
                    ok = False
        return ok


class PlanBewerkForm(Form):
    version = HiddenField()
    status = RadioField(
        _l("Status"),
        choices=[
            (PlanStatus.CONCEPT.value, _l("Concept")),
            (PlanStatus.ACTIEF.value, _l("Actief")),
        ],
        validators=[InputRequired(REQUIRED)],
    )
    mandaat = SelectField(_l("Mandaat"), choices=[], validators=[Optional()])


class OverdragenForm(Form):
    regisseur_id = SelectField(
        _l("Nieuwe regisseur"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    reden = TextAreaField(
        _l("Reden"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description=_l("Bijvoorbeeld: op verzoek van de inwoner, of wisseling van wijk."),
    )


class AfsluitenForm(Form):
    version = HiddenField()
    reden = SelectField(
        _l("Reden"),
        choices=[("", _l("Kies een reden"))] + list(AFSLUITREDENEN.items()),
        validators=[InputRequired(REQUIRED)],
    )
    toelichting = TextAreaField(
        _l("Toelichting"), filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class ActiviteitForm(Form):
    version = HiddenField()
    aard = SelectField(
        _l("Soort activiteit"),
        choices=[("", _l("Kies de soort"))] + list(ACTIVITEIT_AARDEN.items()),
        validators=[InputRequired(REQUIRED)],
    )
    omschrijving = TextAreaField(
        _l("Omschrijving"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
    uitvoerder_soort = RadioField(
        _l("Wie voert de activiteit uit"),
        choices=[
            (UitvoerderSoort.ORGANISATIE.value, _l("Een organisatie")),
            (UitvoerderSoort.HUISHOUDEN.value, _l("Het huishouden zelf")),
        ],
        default=UitvoerderSoort.ORGANISATIE.value,
        validators=[InputRequired(REQUIRED)],
    )
    organisation_id = SelectField(
        _l("Uitvoerende organisatie"), choices=[], validators=[Optional()]
    )
    betrekken = BooleanField(
        _l("Betrek deze organisatie bij het plan"),
        description=_l(
            "Nodig als de organisatie nog niet betrokken is: anders ziet zij de "
            "activiteit niet. De organisatie wordt vanaf vandaag betrokken."
        ),
    )
    uitvoerder_contact = StringField(
        _l("Uitvoerder of contactpersoon"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=300)],
        description=_l("Naam en telefoonnummer of e-mail."),
    )
    start_date = DateField(_l("Startdatum"), validators=[InputRequired(DATE)])
    end_date = DateField(_l("Einddatum"), validators=[Optional()])
    afgerond = BooleanField(_l("Afgerond"))
    toelichting = TextAreaField(
        _l("Toelichting op de voortgang"),
        filters=[empty_to_none],
        validators=[Optional(), Length(max=5000)],
    )
    toelichting_beroepsgeheim = BooleanField(
        _l("De toelichting valt onder mijn beroepsgeheim"),
        description=_l(
            "Dan zien alleen uw organisatie en de regisseur de toelichting. "
            "Andere organisaties en mensen die de inwoner toegang gaf zien hem nooit."
        ),
    )


class AfrondenForm(Form):
    version = HiddenField()


class GezinslinkForm(Form):
    # Confirming a household member's proposal (the regisseur): the proposal's id.
    voorstel_id = HiddenField()
    bsn = StringField(
        _l("BSN van het gezinslid"), filters=[strip], validators=[InputRequired(REQUIRED), BSN()]
    )
    relatie = SelectField(
        _l("Relatie"),
        choices=[("", _l("Kies de relatie"))]
        + [
            (f"{r.value}:a", _l("Deze persoon is %(r)s het gezinslid", r=_l(RELATIE_LABELS[r][0])))
            for r in Relatie
        ]
        + [
            (f"{r.value}:b", _l("Deze persoon is %(r)s het gezinslid", r=_l(RELATIE_LABELS[r][1])))
            for r in (Relatie.OUDER_VAN, Relatie.GROOTOUDER_VAN, Relatie.VERZORGER_VAN)
        ],
        validators=[InputRequired(REQUIRED)],
    )
    voornamen = StringField(
        _l("Voornamen"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    tussenvoegsel = StringField(
        _l("Tussenvoegsel"), filters=[empty_to_none], validators=[Optional(), Length(max=20)]
    )
    achternaam = StringField(
        _l("Achternaam"), filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField(_l("Geboortedatum"), validators=[Optional()])


class VerbrekenForm(Form):
    voorstel_id = HiddenField()
    reden = TextAreaField(
        _l("Reden"), filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class BetrokkenheidForm(Form):
    organisation_id = SelectField(
        _l("Organisatie"), choices=[], validators=[InputRequired(REQUIRED)]
    )
    user_id = SelectField(_l("Hulpverlener (optioneel)"), choices=[], validators=[Optional()])
    rol = StringField(
        _l("Wat doet de organisatie in dit plan"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    start_date = DateField(_l("Vanaf"), validators=[InputRequired(DATE)])


class BeeindigenForm(Form):
    end_date = DateField(_l("Einddatum"), validators=[InputRequired(DATE)])
    reden = TextAreaField(
        _l("Reden"), filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class OpmerkingForm(Form):
    body = TextAreaField(
        _l("Opmerking"), filters=[strip], validators=[DataRequired(REQUIRED), Length(max=5000)]
    )
    beroepsgeheim = BooleanField(
        _l("Onder beroepsgeheim: alleen mijn organisatie en de regisseur zien deze opmerking")
    )
    zichtbaarheid = RadioField(
        _l("Wie lezen deze opmerking?"),
        description=_l(
            "De inwoner leest opmerkingen altijd mee, behalve wat onder beroepsgeheim valt."
        ),
        choices=[
            ("regisseurs", _l("Alleen de regisseur (en mijn organisatie)")),
            ("alle_betrokkenen", _l("Alle betrokkenen bij het plan")),
            ("eigen_organisatie", _l("Alleen mijn organisatie")),
        ],
        default="regisseurs",
    )
    # An answer to a comment (e.g. the regisseur answering the citizen's correction proposal).
    reply_to = HiddenField()


class PageForm(Form):
    """CSRF-only form for buttons."""

    page = IntegerField(validators=[Optional()])
