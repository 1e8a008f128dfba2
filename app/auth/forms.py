from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from app.forms import Form, strip


class LoginForm(Form):
    username = StringField(
        _l("Gebruikersnaam"),
        filters=[strip],
        validators=[InputRequired(_l("Vul uw gebruikersnaam in.")), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[InputRequired(_l("Vul uw wachtwoord in.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[InputRequired(_l("Vul de code in.")), Length(max=40)],
        description=_l(
            "De 6 cijfers uit uw authenticator-app. Telefoon kwijt? Vul dan een van uw "
            "herstelcodes in."
        ),
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class EnrolForm(Form):
    code = StringField(
        _l("Code uit de app"),
        filters=[strip],
        validators=[InputRequired(_l("Vul de code uit de app in.")), Length(max=20)],
        description=_l(
            "Na het scannen toont de app elke 30 seconden een nieuwe code van 6 cijfers."
        ),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class NewPasswordForm(Form):
    """Choose a new password (at first login, after a reset, or on the account page)."""

    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[InputRequired(_l("Kies een nieuw wachtwoord.")), Length(max=1000)],
        description=_l(
            "Minstens 12 tekens. Een zin of drie of vier losse woorden is sterk en "
            "makkelijk te onthouden. Hoofdletters, cijfers of tekens zijn niet nodig."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            InputRequired(_l("Herhaal het nieuwe wachtwoord.")),
            EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[InputRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmWithCodeForm(Form):
    """A state-changing action that needs the second factor again (new recovery codes)."""

    code = StringField(
        _l("Code uit uw authenticator-app"),
        filters=[strip],
        validators=[InputRequired(_l("Vul de code uit de app in.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class EmptyForm(Form):
    """Only the CSRF token (logout, log out everywhere)."""
