"""Mijn Eenplan: "Ik herken dit niet / ik heb een vraag" next to a line of "Wie heeft mijn
gegevens gezien" (issue 16 #11). The question goes to the privacy officer
(:mod:`app.privacy.vragen`); the citizen sees its status and the answer under the line.

Only lines the citizen may see on their own page can be asked about: the same access filter
(:class:`app.access.LogboekToegang`); another person's line, or one not yet disclosed, is 404.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from app import access, params
from app.access import NotVisible, guard
from app.forms import Form, strip
from app.portaal import logboek as portaal_logboek
from app.portaal import uitleg
from app.portaal.views.base import EIGEN_LOGBOEK, INZAGE, bp, request_user
from app.privacy import vragen


class VraagForm(Form):
    vraag = TextAreaField(
        _l("Uw vraag"),
        filters=[strip],
        validators=[
            InputRequired(_l("Schrijf uw vraag op.")),
            Length(max=vragen.MAX_VRAAG, message=_l("Hooguit %(n)d tekens.", n=vragen.MAX_VRAAG)),
        ],
    )


@bp.route("/logboek/regels/<int:seq>/vraag", methods=["GET", "POST"])
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboekvraag", resolve=EIGEN_LOGBOEK)
def logboekvraag(seq: int, toegang: access.LogboekToegang) -> Any:
    """GET: the line and a form for the question. POST: send it to the privacy officer."""
    if seq > params.MAX_SEQ:
        raise NotVisible
    line = vragen.regel_van_inwoner(toegang, seq)
    if line is None:
        raise NotVisible
    form = VraagForm()
    if form.validate_on_submit():
        try:
            vragen.stel_vraag(toegang, seq, form.vraag.data or "", request_user())
        except vragen.VraagError as exc:
            form.vraag.errors = [*form.vraag.errors, exc.message]
        else:
            flash(
                _(
                    "Uw vraag is verstuurd naar de privacyfunctionaris van de gemeente. "
                    "U ziet het antwoord onder deze regel."
                ),
                "ok",
            )
            return redirect(url_for("portaal.logboek", _anchor=f"regel-{seq}"))
    eerder = vragen.vragen_per_regel(toegang.eigen_pseudoniem, [seq]).get(seq, [])
    return render_template(
        "portaal/logboekvraag.html",
        line=line,
        form=form,
        eerder=eerder,
        termijn=vragen.termijn_dagen(),
        in_gewone_woorden=portaal_logboek.in_gewone_woorden,
        verwerking_van=uitleg.verwerking_van,
        sleutel=uitleg.sleutel,
    ), (422 if form.errors else 200)
