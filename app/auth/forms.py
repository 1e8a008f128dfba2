from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from app.forms import Form, strip


class LoginForm(Form):
    username = StringField(
        "Gebruikersnaam",
        filters=[strip],
        validators=[InputRequired("Vul uw gebruikersnaam in."), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[InputRequired("Vul uw wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(Form):
    code = StringField(
        "Code",
        filters=[strip],
        validators=[InputRequired("Vul de code in."), Length(max=40)],
        description="De 6 cijfers uit uw authenticator-app. Telefoon kwijt? Vul dan een van uw "
        "herstelcodes in.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class EnrolForm(Form):
    code = StringField(
        "Code uit de app",
        filters=[strip],
        validators=[InputRequired("Vul de code uit de app in."), Length(max=20)],
        description="Na het scannen toont de app elke 30 seconden een nieuwe code van 6 cijfers.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class NewPasswordForm(Form):
    """Choose a new password (at first login, after a reset, or on the account page)."""

    password = PasswordField(
        "Nieuw wachtwoord",
        validators=[InputRequired("Kies een nieuw wachtwoord."), Length(max=1000)],
        description="Minstens 12 tekens. Een zin of drie of vier losse woorden is sterk en "
        "makkelijk te onthouden. Hoofdletters, cijfers of tekens zijn niet nodig.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[
            InputRequired("Herhaal het nieuwe wachtwoord."),
            EqualTo("password", "De twee wachtwoorden zijn niet gelijk."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Huidig wachtwoord",
        validators=[InputRequired("Vul uw huidige wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmWithCodeForm(Form):
    """A state-changing action that needs the second factor again (new recovery codes)."""

    code = StringField(
        "Code uit uw authenticator-app",
        filters=[strip],
        validators=[InputRequired("Vul de code uit de app in."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class EmptyForm(Form):
    """Only the CSRF token (logout, log out everywhere)."""
