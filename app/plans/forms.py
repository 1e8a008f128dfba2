from __future__ import annotations

from typing import Any

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

REQUIRED = "Dit veld is verplicht."
DATE = "Vul een datum in als dag-maand-jaar, bijvoorbeeld 01-02-2026."


class ZoekForm(Form):
    q = StringField(
        "Zoek op naam of BSN", filters=[strip], validators=[Optional(), Length(max=100)]
    )
    status = SelectField(
        "Status",
        choices=[("", "Alle statussen")] + [(s.value, PLAN_STATUS_LABELS[s]) for s in PlanStatus],
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
        "Burgerservicenummer (BSN)",
        filters=[strip],
        validators=[InputRequired(REQUIRED), BSN()],
        description="9 cijfers. Is de persoon al bekend, dan worden naam en adres overgenomen.",
    )
    voornamen = StringField(
        "Voornamen", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    tussenvoegsel = StringField(
        "Tussenvoegsel", filters=[empty_to_none], validators=[Optional(), Length(max=20)]
    )
    achternaam = StringField(
        "Achternaam", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField("Geboortedatum", validators=[Optional()])
    straat = StringField(
        "Straat", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    huisnummer = StringField(
        "Huisnummer", filters=[empty_to_none], validators=[Optional(), Length(max=10)]
    )
    huisnummer_toevoeging = StringField(
        "Toevoeging", filters=[empty_to_none], validators=[Optional(), Length(max=10)]
    )
    postcode = StringField(
        "Postcode",
        filters=[empty_to_none],
        validators=[
            Optional(),
            Regexp(r"^\d{4}\s?[A-Za-z]{2}$", message="Vul een postcode in als 1234 AB."),
        ],
    )
    woonplaats = StringField(
        "Woonplaats", filters=[empty_to_none], validators=[Optional(), Length(max=100)]
    )
    telefoon = StringField(
        "Telefoon", filters=[empty_to_none], validators=[Optional(), Length(max=40)]
    )
    email = StringField(
        "E-mail",
        filters=[empty_to_none],
        validators=[Optional(), Email("Vul een geldig e-mailadres in.")],
    )
    # Only consent: multiproblematiek is established in step 4 of an afweging, which makes or
    # links the plan itself (rule 5). A posted "multiproblematiek" is refused by name.
    basis = RadioField(
        "Basis van het plan",
        choices=[(PlanBasis.TOESTEMMING.value, PLAN_BASIS_LABELS[PlanBasis.TOESTEMMING])],
        default=PlanBasis.TOESTEMMING.value,
        validate_choice=False,
        validators=[InputRequired("Kies de basis van het plan.")],
    )
    status = RadioField(
        "Status",
        choices=[(PlanStatus.CONCEPT.value, "Concept"), (PlanStatus.ACTIEF.value, "Actief")],
        default=PlanStatus.CONCEPT.value,
        validators=[InputRequired(REQUIRED)],
    )
    mandaat = SelectField("Mandaat", choices=[], validators=[Optional()])
    toestemming_gegeven_door = StringField(
        "Toestemming gegeven door",
        filters=[empty_to_none],
        validators=[BijToestemming(), Length(max=200)],
        description="Bijvoorbeeld: de betrokkene zelf, of de wettelijk vertegenwoordiger.",
    )
    toestemming_gegeven_op = DateField("Datum toestemming", validators=[BijToestemming()])
    toestemming_wijze = SelectField(
        "Hoe is de toestemming gegeven",
        choices=[("", "Kies")] + [(w.value, w.value.capitalize()) for w in ToestemmingWijze],
        validators=[BijToestemming()],
    )
    toestemming_toelichting = TextAreaField(
        "Toelichting op de toestemming",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
    )

    def validate_basis(self, field: Any) -> None:
        if field.data == PlanBasis.MULTIPROBLEMATIEK:
            raise ValidationError(MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING)
        if field.data != PlanBasis.TOESTEMMING:
            raise ValidationError("Kies de basis van het plan.")

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
                        "Vul dit in: een plan op basis van toestemming vraagt om vastgelegde toestemming.",
                    ]
                    ok = False
        return ok


class PlanBewerkForm(Form):
    version = HiddenField()
    status = RadioField(
        "Status",
        choices=[(PlanStatus.CONCEPT.value, "Concept"), (PlanStatus.ACTIEF.value, "Actief")],
        validators=[InputRequired(REQUIRED)],
    )
    mandaat = SelectField("Mandaat", choices=[], validators=[Optional()])


class OverdragenForm(Form):
    regisseur_id = SelectField("Nieuwe regisseur", choices=[], validators=[InputRequired(REQUIRED)])
    reden = TextAreaField(
        "Reden",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=2000)],
        description="Bijvoorbeeld: op verzoek van de inwoner, of wisseling van wijk.",
    )


class AfsluitenForm(Form):
    version = HiddenField()
    reden = SelectField(
        "Reden",
        choices=[("", "Kies een reden")] + list(AFSLUITREDENEN.items()),
        validators=[InputRequired(REQUIRED)],
    )
    toelichting = TextAreaField(
        "Toelichting", filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class ActiviteitForm(Form):
    version = HiddenField()
    aard = SelectField(
        "Soort activiteit",
        choices=[("", "Kies de soort")] + list(ACTIVITEIT_AARDEN.items()),
        validators=[InputRequired(REQUIRED)],
    )
    omschrijving = TextAreaField(
        "Omschrijving", filters=[strip], validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
    uitvoerder_soort = RadioField(
        "Wie voert de activiteit uit",
        choices=[
            (UitvoerderSoort.ORGANISATIE.value, "Een organisatie"),
            (UitvoerderSoort.HUISHOUDEN.value, "Het huishouden zelf"),
        ],
        default=UitvoerderSoort.ORGANISATIE.value,
        validators=[InputRequired(REQUIRED)],
    )
    organisation_id = SelectField("Uitvoerende organisatie", choices=[], validators=[Optional()])
    betrekken = BooleanField(
        "Betrek deze organisatie bij het plan",
        description="Nodig als de organisatie nog niet betrokken is: anders ziet zij de "
        "activiteit niet. De organisatie wordt vanaf vandaag betrokken.",
    )
    uitvoerder_contact = StringField(
        "Uitvoerder of contactpersoon",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=300)],
        description="Naam en telefoonnummer of e-mail.",
    )
    start_date = DateField("Startdatum", validators=[InputRequired(DATE)])
    end_date = DateField("Einddatum", validators=[Optional()])
    afgerond = BooleanField("Afgerond")
    toelichting = TextAreaField(
        "Toelichting op de voortgang",
        filters=[empty_to_none],
        validators=[Optional(), Length(max=5000)],
    )
    toelichting_beroepsgeheim = BooleanField(
        "De toelichting valt onder mijn beroepsgeheim",
        description="Dan zien alleen uw organisatie en de regisseur de toelichting. "
        "Andere organisaties en mensen die de inwoner toegang gaf zien hem nooit.",
    )


class AfrondenForm(Form):
    version = HiddenField()


class GezinslinkForm(Form):
    bsn = StringField(
        "BSN van het gezinslid", filters=[strip], validators=[InputRequired(REQUIRED), BSN()]
    )
    relatie = SelectField(
        "Relatie",
        choices=[("", "Kies de relatie")]
        + [
            (f"{r.value}:a", f"Deze persoon is {RELATIE_LABELS[r][0]} het gezinslid")
            for r in Relatie
        ]
        + [
            (f"{r.value}:b", f"Deze persoon is {RELATIE_LABELS[r][1]} het gezinslid")
            for r in (Relatie.OUDER_VAN, Relatie.GROOTOUDER_VAN, Relatie.VERZORGER_VAN)
        ],
        validators=[InputRequired(REQUIRED)],
    )
    voornamen = StringField(
        "Voornamen", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    tussenvoegsel = StringField(
        "Tussenvoegsel", filters=[empty_to_none], validators=[Optional(), Length(max=20)]
    )
    achternaam = StringField(
        "Achternaam", filters=[empty_to_none], validators=[Optional(), Length(max=200)]
    )
    geboortedatum = DateField("Geboortedatum", validators=[Optional()])


class VerbrekenForm(Form):
    reden = TextAreaField(
        "Reden", filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class BetrokkenheidForm(Form):
    organisation_id = SelectField("Organisatie", choices=[], validators=[InputRequired(REQUIRED)])
    user_id = SelectField("Hulpverlener (optioneel)", choices=[], validators=[Optional()])
    rol = StringField(
        "Wat doet de organisatie in dit plan",
        filters=[strip],
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    start_date = DateField("Vanaf", validators=[InputRequired(DATE)])


class BeeindigenForm(Form):
    end_date = DateField("Einddatum", validators=[InputRequired(DATE)])
    reden = TextAreaField(
        "Reden", filters=[empty_to_none], validators=[Optional(), Length(max=2000)]
    )


class OpmerkingForm(Form):
    body = TextAreaField(
        "Opmerking", filters=[strip], validators=[DataRequired(REQUIRED), Length(max=5000)]
    )
    beroepsgeheim = BooleanField(
        "Onder beroepsgeheim: alleen mijn organisatie en de regisseur zien deze opmerking"
    )
    # An answer to a comment (e.g. the regisseur answering the citizen's correction proposal).
    reply_to = HiddenField()


class PageForm(Form):
    """CSRF-only form for buttons."""

    page = IntegerField(validators=[Optional()])
