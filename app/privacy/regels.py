"""The line numbers of a stored privacy indicator (``privacy_aandachtspunt.regels``), read
as the list they were, as little as the caller needs (see :class:`Regels`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any


class Regels(Sequence[int]):
    """The seqs of a stored indicator's lines, from their stored text (comma separated,
    ascending): the number of lines, the first and the last without reading the text, the seqs
    themselves parsed once, when asked for. A list of a busy day holds bursts of thousands of
    lines; the overview needs their seqs only when a review covers one of their lines.

    Given the text, the three numbers come from it. Given the three numbers as stored
    (:meth:`opgeslagen`), the text is not even fetched until something asks for it: ``laden``
    reads it then (once). Never empty as stored (an indicator has a line): ``eerste`` and
    ``laatste`` of an empty text raise."""

    __slots__ = ("_eerste", "_laatste", "_laden", "_len", "_text", "_values")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._values: list[int] | None = None
        self._len: int | None = None  # counted once: the overview asks twice a row
        self._eerste: int | None = None
        self._laatste: int | None = None
        self._laden: Callable[[], str] | None = None

    @classmethod
    def opgeslagen(cls, aantal: int, eerste: int, laatste: int, laden: Callable[[], str]) -> Regels:
        """The stored numbers; the text read by ``laden`` when the seqs or the text are asked
        for."""
        regels = cls("")
        regels._text = None
        regels._len, regels._eerste, regels._laatste, regels._laden = aantal, eerste, laatste, laden
        return regels

    @property
    def geladen(self) -> bool:
        """Whether the text was read (or given)."""
        return self._text is not None

    @property
    def tekst(self) -> str:
        if self._text is None:
            assert self._laden is not None
            self._text, self._laden = self._laden(), None
        return self._text

    @property
    def eerste(self) -> int:
        if self._eerste is None:
            self._eerste = int(self.tekst.partition(",")[0])
        return self._eerste

    @property
    def laatste(self) -> int:
        if self._laatste is None:
            self._laatste = int(self.tekst.rpartition(",")[2])
        return self._laatste

    def _parsed(self) -> list[int]:
        if self._values is None:
            self._values = [int(s) for s in self.tekst.split(",") if s]
        return self._values

    def __len__(self) -> int:
        if self._len is None:
            tekst = self.tekst
            self._len = tekst.count(",") + 1 if tekst else 0
        return self._len

    def __getitem__(self, i: Any) -> Any:
        return self._parsed()[i]

    def __iter__(self) -> Iterator[int]:
        return iter(self._parsed())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Regels):
            return self.tekst == other.tekst
        return list(self) == other

    __hash__ = None  # type: ignore[assignment]  # mutable-like, as a list

    def __repr__(self) -> str:
        if self._text is None:
            return f"Regels({self._len} regels, {self._eerste}..{self._laatste})"
        return f"Regels({self._text!r})"
