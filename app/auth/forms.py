from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

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
        validators=[InputRequired("Vul uw wachtwoord in."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
