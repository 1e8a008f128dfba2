"""Reading the query parameters of HTML routes: parsed and bounded, as the API's are.

Every view reads ``request.args`` through these functions, never directly. A value that is not
what the route takes — not a number, out of range, not one of the choices, given twice, too
long — ends the request with a 400 and the normal Dutch error page (app/errors.py) naming the
parameter: never a 500 from the database (an integer beyond the column's range raises
OverflowError on SQLite and DataError on PostgreSQL) and never a page that silently shows
something else than was asked for. An absent or empty parameter gives the default.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NoReturn, TypeVar
from urllib.parse import urlencode

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

# An id (INTEGER columns): the API's bound (app/contract/fields.py MAX_ID).
MAX_ID = 2_147_483_647
# A logboek line number (BIGINT ``seq``).
MAX_SEQ = 9_223_372_036_854_775_807
# A free text in the address bar (an organisation's name, a path to return to).
MAX_TEXT = 2000

E = TypeVar("E", bound=StrEnum)


class BadParameter(BadRequest):
    """A query parameter the route does not take: 400, the message on the error page."""

    eenplan_detail = True  # app/errors.py shows the description

    def __init__(self, name: str, message: str) -> None:
        super().__init__(
            _("De waarde van ‘%(naam)s’ in het adres klopt niet: %(fout)s", naam=name, fout=message)
        )
        self.parameter = name


def bad(name: str, message: str) -> NoReturn:
    raise BadParameter(name, message)


def out_of_the_address(messages: dict[str, str], endpoint: str) -> Response | None:
    """Never act on a BSN or a name from a URL (it stays in history, proxy logs and the
    Referer): when one of the parameters named in ``messages`` is in the address — once, twice,
    with any value — each one's message is shown and the browser is sent to ``endpoint`` with
    the other parameters kept, so that the search form is used instead. None when none is
    there."""
    carried = [name for name in messages if any(request.args.getlist(name))]
    if not carried:
        return None
    for name in carried:
        flash(messages[name], "warning")
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in carried]
    return redirect(url_for(endpoint) + (f"?{urlencode(kept)}" if kept else ""))


def args() -> MultiDict[str, str]:
    """The query string as a whole (for a GET form that checks its own fields); a name given
    twice: 400 (which one would count?)."""
    for name, values in request.args.lists():
        if len(values) > 1:
            bad(name, _("deze mag maar één keer in het adres staan."))
    return request.args


def text(name: str, default: str | None = None, *, max_length: int = MAX_TEXT) -> str | None:
    """One value as given (``default`` when absent or empty); twice, too long or with control
    characters: 400."""
    values = request.args.getlist(name)
    if not values:
        return default
    if len(values) > 1:
        bad(name, _("deze mag maar één keer in het adres staan."))
    value = values[0]
    if len(value) > max_length:
        bad(name, f"hooguit {max_length} tekens.")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        bad(name, _("er staan tekens in die hier niet kunnen."))
    return value if value != "" else default


def integer(
    name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID
) -> int | None:
    """A whole number from ``minimum`` to ``maximum`` (ASCII digits only)."""
    value = text(name, max_length=20)
    if value is None:
        return default
    return _integer(name, value, minimum, maximum)


def _integer(name: str, value: str, minimum: int, maximum: int) -> int:
    digits = value[1:] if value.startswith("-") else value
    if not digits.isascii() or not digits.isdigit():
        bad(name, _("een geheel getal verwacht."))
    number = int(value)
    if not minimum <= number <= maximum:
        bad(name, f"een geheel getal van {minimum} tot en met {maximum}.")
    return number


def integers(name: str, *, max_items: int, minimum: int = 1, maximum: int = MAX_ID) -> list[int]:
    """Whole numbers separated by commas, at least one and at most ``max_items`` different
    ones, sorted."""
    value = text(name, max_length=max_items * 21)
    if value is None:
        bad(name, _("deze ontbreekt."))
    numbers = sorted({_integer(name, v.strip(), minimum, maximum) for v in value.split(",")})
    if len(numbers) > max_items:
        bad(name, f"hooguit {max_items} getallen.")
    return numbers


def choice(name: str, choices: Iterable[str], default: str) -> str:
    """One of ``choices`` (``default`` when absent or empty)."""
    allowed = list(choices)
    value = text(name, default, max_length=max((len(c) for c in allowed), default=0))
    if value is None or value not in allowed:
        bad(name, _("kies een van %(keuzes)s.", keuzes=", ".join(f"‘{c}’" for c in allowed)))
    return value


def enum(name: str, kind: type[E]) -> E | None:
    """A member of ``kind`` by its value (None when absent or empty)."""
    value = text(name, max_length=max(len(m.value) for m in kind))
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        bad(name, _("kies een van %(keuzes)s.", keuzes=", ".join(f"‘{m.value}’" for m in kind)))
