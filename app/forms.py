"""Shared form helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, SelectChoice
from wtforms.validators import ValidationError

from app.people.services import is_valid_bsn


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def empty_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class BSN:
    """Validates a BSN by the 11-proef (python-stdnum)."""

    message = _l(
        "Dit is geen geldig burgerservicenummer. Een BSN heeft 9 cijfers en voldoet aan de 11-proef."
    )

    def __call__(self, form: Any, field: Field) -> None:
        value = (field.data or "").replace(" ", "").replace(".", "")
        if value and not is_valid_bsn(value):
            raise ValidationError(self.message)


def _as_choices(value: Any) -> Any:
    if value is None or callable(value):
        return value
    return [c if isinstance(c, SelectChoice) else SelectChoice(str(c[0]), str(c[1])) for c in value]


class _ChoicesAsPairs:
    """Accept ``(value, label)`` pairs (readable in forms and views) and store SelectChoice objects,
    as WTForms 3.3+ wants."""

    def __init__(
        self, label: Any = None, validators: Any = None, choices: Any = None, **kw: Any
    ) -> None:
        super().__init__(label, validators, choices=_as_choices(choices), **kw)  # type: ignore[call-arg]

    @property
    def choices(self) -> Any:
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        self._choices = _as_choices(value)


def _option(value: str, label: Any, selected: bool) -> str:
    """One ``<option>`` as WTForms writes it (``selected`` before ``value``, html_params'
    sorted order), value and label escaped."""
    return (
        f'<option {"selected " if selected else ""}value="{escape(value)}">'
        f"{escape(label or value)}</option>"
    )


def _plain_choices(field: Any) -> list[SelectChoice] | None:
    """The field's own choices when they are a plain list — text values (not Markup, not a
    boolean), no attributes or groups of their own, ``coerce=str`` — which :class:`_Select`
    renders and :meth:`SelectField.pre_validate` checks in one pass; else None (WTForms' way)."""
    choices = getattr(field, "_choices", None)
    if getattr(field, "coerce", None) is not str or not isinstance(choices, list):
        return None
    for c in choices:
        if not (
            type(c) is SelectChoice
            and type(c.value) is str
            and not c.render_kw
            and c.optgroup is None
        ):
            return None
    return choices


class _Select(wtforms.widgets.Select):
    """WTForms' select, rendering a plain option in one step: the same HTML (the attributes in
    ``html_params``' sorted order, the same escaping) without its generic attribute handling,
    which made the privacy officer's list of thousands of staff most of the search page's time.

    A plain list of choices (:func:`_plain_choices`) is rendered in one pass over the field's
    own choices: WTForms walks them four times a render, making an object per choice each time
    (10 ms for 3,300 staff members)."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        choices = None if self.multiple else _plain_choices(field)
        if choices is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):  # as WTForms does: required, disabled
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        data = field.data
        html = [f"<select {wtforms.widgets.html_params(name=field.name, **kwargs)}>"]
        html.extend(_option(c.value, c.label, c.value == data) for c in choices)
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - _option escapes

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        # WTForms' own way for what needs it: attributes, a boolean, a value already Markup
        # (escape() leaves that as is; html_params also turns its quotes into &quot;).
        if choice.render_kw or kwargs or isinstance(choice.value, (bool, Markup)):
            return super().render_option(choice, **kwargs)
        return Markup(_option(choice.value, choice.label, choice.selected))  # noqa: S704 - escaped


# WTForms' own message, translated by WTForms' catalogue (the form's ``Meta.locales``), not ours.
_NOT_A_CHOICE = "Not a valid choice."


class SelectField(_ChoicesAsPairs, wtforms.SelectField):
    widget = _Select()

    def pre_validate(self, form: Any) -> None:
        """WTForms' check that the value is one of the choices; for a plain list (see
        :func:`_plain_choices`) in one pass over the choices instead of an object made per
        choice."""
        choices = _plain_choices(self)
        if self.process_errors or not self.validate_choice or choices is None:
            super().pre_validate(form)
            return
        if not any(c.value == self.data for c in choices):
            raise ValidationError(self.invalid_choice_message or self.gettext(_NOT_A_CHOICE))


class RadioField(_ChoicesAsPairs, wtforms.RadioField):
    pass


DATE_MESSAGE = _l("Vul een datum in als dag-maand-jaar, bijvoorbeeld 01-02-2026.")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
# The dates a form takes: every computation with them (a day added, a time zone applied) and
# every database can take these; year 1 or 9999 would overflow.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
DATE_RANGE_MESSAGE = _l("Vul een datum in tussen 1900 en 2999.")


class DateField(wtforms.DateField):
    """A date as the browser's date picker sends it (JJJJ-MM-DD), or typed as DD-MM-JJJJ,
    from 1900 to 2999."""

    data: Any  # a dt.date, or None

    def __init__(self, label: Any = None, validators: Any = None, **kw: Any) -> None:
        kw.setdefault("format", DATE_FORMATS)
        kw.setdefault("invalid_value_message", DATE_MESSAGE)
        super().__init__(label, validators, **kw)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not MIN_DATE <= self.data <= MAX_DATE:
            self.data = None
            raise ValueError(DATE_RANGE_MESSAGE)


class Form(FlaskForm):
    """Base form: WTForms' own messages in Dutch."""

    class Meta:
        locales = ("nl",)

        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Any:
            # The CSRF token is rendered without an id: a page with two forms would otherwise
            # have two elements with id="csrf_token" (WCAG 4.1.1, HTML_CodeSniffer F77).
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)  # type: ignore[misc]
