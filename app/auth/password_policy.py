"""The password policy, after NCSC's and NIST SP 800-63B's current advice.

Length over complexity, and no composition rules ("one capital, one digit…"): those make
passwords harder to remember, not to guess. Instead a password is refused when it

* is shorter than ``PASSWORD_MIN_LENGTH`` (12) characters or longer than 256 — every printable
  character counts, spaces and emoji included, nothing is cut off;
* is on a list of common or breached passwords: the 30,000 most common passwords from breach
  corpora that ship with zxcvbn, plus a Dutch list in ``data/`` — also with digits or
  punctuation stuck on before or after ("Welkom2026!");
* contains the user's name or username, "Eenplan" or the municipality's name;
* is a repetition or a sequence ("aaaaaaaaaaaa", "abcabcabcabc", "123456789012");
* is still easy to guess by zxcvbn's estimate (keyboard patterns, dates, l33t, word lists):
  fewer than 10⁸ guesses (score < 3).

No network is needed: the lists ship with the project and its dependencies. Passwords never
expire; they change when the user wants, or when there is a reason (a temporary password, a
suspected compromise).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _

from app.i18n import N_

MAX_LENGTH = 256
_DATA = Path(__file__).parent / "data" / "veelgebruikte-wachtwoorden-nl.txt"
_zxcvbn_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary

MSG_SHORT = N_(
    "Kies een wachtwoord van minstens %(n)d tekens. Tip: neem drie of vier losse woorden, met spaties als u wilt."
)
MSG_LONG = N_("Een wachtwoord heeft hooguit %(n)d tekens.")
MSG_COMMON = N_(
    "Dit wachtwoord komt voor in lijsten van veelgebruikte of uitgelekte wachtwoorden. Kies een ander wachtwoord."
)
MSG_CONTEXT = N_(
    "Gebruik uw naam, uw gebruikersnaam, Eenplan of de naam van de gemeente niet in uw wachtwoord."
)
MSG_PATTERN = N_("Vermijd herhalingen en reeksen, zoals ‘aaaa’, ‘abcabc’ of ‘1234’.")
MSG_GUESSABLE = N_(
    "Dit wachtwoord is te makkelijk te raden. Kies drie of vier woorden die niet bij elkaar horen."
)
MSG_SAME = N_("Uw nieuwe wachtwoord moet anders zijn dan het huidige.")


@cache
def _common() -> frozenset[str]:
    # lazy: zxcvbn builds its ranked frequency dictionaries on import (~0.1 s, megabytes);
    # only a password check needs them, not every process that imports the auth package.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = set(FREQUENCY_LISTS["passwords"])
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@cache
def _dutch_words() -> tuple[str, ...]:
    return tuple(
        w
        for w in (line.strip().lower() for line in _DATA.read_text(encoding="utf-8").splitlines())
        if w and not w.startswith("#")
    )


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password).lower()


_AFFIX = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def is_common(password: str) -> bool:
    lowered = _normalise(password)
    core = _AFFIX.sub("", lowered)
    squeezed = lowered.replace(" ", "")
    return lowered in _common() or squeezed in _common() or (len(core) >= 4 and core in _common())


def _is_pattern(password: str) -> bool:
    p = _normalise(password)
    if len(set(p)) <= 3:
        return True
    # A short unit repeated ("abcabcabcabc", "zomerzomerzomer").
    for size in range(1, len(p) // 2 + 1):
        if len(p) % size == 0 and p[:size] * (len(p) // size) == p:
            return True
    # An ascending or descending run of characters ("123456789012", "abcdefghijkl").
    steps = {ord(b) - ord(a) for a, b in zip(p, p[1:], strict=False)}
    return steps <= {1, -9} or steps <= {-1, 9}


def _context_words(username: str | None, name: str | None) -> list[str]:
    words = ["eenplan"]
    if username:
        words.append(username.lower())
        words.extend(w for w in re.split(r"[\W_]+", username.lower()) if len(w) >= 4)
    if name:
        words.extend(w for w in re.split(r"\W+", name.lower()) if len(w) >= 4)
    if has_app_context():
        municipality = current_app.config.get("EENPLAN_MUNICIPALITY", "")
        words.extend(
            w for w in re.split(r"\W+", municipality.lower()) if len(w) >= 4 and w != "gemeente"
        )
    return [w for w in words if len(w) >= 3]


def _guesses_score(password: str, context: list[str]) -> int:
    # lazy: see _common (zxcvbn's dictionaries load on import, only a password check needs them).
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        result = zxcvbn(password[:72], user_inputs=[*context, *_dutch_words()])
    return int(result["score"])


def min_length() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", 12))
    return 12


def problems(
    password: str,
    *,
    username: str | None = None,
    name: str | None = None,
    current_password: str | None = None,
) -> list[str]:
    """What is wrong with this password, in Dutch; an empty list means it is acceptable."""
    n = min_length()
    length = len(unicodedata.normalize("NFC", password))
    if length < n:
        return [_(MSG_SHORT, n=n)]
    if length > MAX_LENGTH:
        return [_(MSG_LONG, n=MAX_LENGTH)]
    if current_password is not None and password == current_password:
        return [_(MSG_SAME)]
    if is_common(password):
        return [_(MSG_COMMON)]
    context = _context_words(username, name)
    lowered = _normalise(password).replace(" ", "")
    if any(word in lowered for word in context):
        return [_(MSG_CONTEXT)]
    if _is_pattern(password):
        return [_(MSG_PATTERN)]
    if _guesses_score(password, context) < 3:
        return [_(MSG_GUESSABLE)]
    return []
