"""Shared form helpers."""

from __future__ import annotations

from typing import Any

from wtforms import Field
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

    message = "Dit is geen geldig burgerservicenummer. Een BSN heeft 9 cijfers en voldoet aan de 11-proef."

    def __call__(self, form: Any, field: Field) -> None:
        value = (field.data or "").replace(" ", "").replace(".", "")
        if value and not is_valid_bsn(value):
            raise ValidationError(self.message)
