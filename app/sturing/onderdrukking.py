"""Small-number suppression: no cell of a table may identify anyone.

The rule (docs/sturing.md#onderdrukking):

1. **Primary**: a count from 1 to ``drempel - 1`` (``STURING_DREMPEL``, default 5) is not
   shown; the cell reads "< 5". A zero is shown: it says nothing about anyone.
2. **Secondary**: a table with row or column totals is a set of sums. Whenever a hidden cell
   of a row (with its total) or a column (with its total) follows from that line — it is the
   only hidden cell (the total minus the visible cells), or the line's sum leaves it one
   possible value knowing that a "< 5" cell lies from 1 to 4 (two hidden cells that must make
   8) — one more cell of that line is hidden ("×"): the smallest non-zero ordinary cell, else
   the line's total, else a zero. This repeats until no line pins a hidden cell.
3. A statistic over a group (a median, a 90th percentile, an average) is only shown when the
   group has at least ``drempel`` members.

The rule holds for CSV downloads too: they are written from the same suppressed tables.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDAARD_DREMPEL = 5
# The upper bound an outsider knows of a hidden cell that is not small: none.
ONBEGRENSD = 10**12


@dataclass(frozen=True)
class Raster:
    """A table of counts after suppression: ``waarden`` with the totals (a last column of row
    totals, a last row of column totals, when asked for) and ``verborgen`` (True: not shown);
    ``primair`` marks the cells hidden because they are small."""

    waarden: list[list[int]]
    verborgen: list[list[bool]]
    primair: list[list[bool]]


def klein(waarde: int, drempel: int) -> bool:
    return 0 < waarde < drempel


def onderdruk(
    cellen: list[list[int]], drempel: int, *, rijtotalen: bool, kolomtotalen: bool
) -> Raster:
    """Suppress a table of counts ``cellen`` (rows × columns, without totals), adding the
    totals asked for."""
    raster = [list(rij) for rij in cellen]
    breedte = len(raster[0]) if raster else 0
    if rijtotalen:
        for rij in raster:
            rij.append(sum(rij))
        breedte += 1
    if kolomtotalen and raster:
        raster.append([sum(rij[k] for rij in raster) for k in range(breedte)])
    primair = [[klein(v, drempel) for v in rij] for rij in raster]
    verborgen = [list(rij) for rij in primair]
    lijnen: list[list[tuple[int, int]]] = []
    if rijtotalen:
        lijnen += [[(r, k) for k in range(breedte)] for r in range(len(raster))]
    if kolomtotalen:
        lijnen += [[(r, k) for r in range(len(raster))] for k in range(breedte)]

    def is_totaal(r: int, k: int) -> bool:
        return (rijtotalen and k == breedte - 1) or (kolomtotalen and r == len(raster) - 1)

    def vastgepind(lijn: list[tuple[int, int]]) -> bool:
        """Whether a hidden cell of the line follows from the line's sum, knowing that a "< 5"
        cell lies from 1 to drempel - 1 and any other cell is at least 0 (interval reasoning;
        one hidden cell is always pinned)."""
        verb = [(r, k) for r, k in lijn if verborgen[r][k]]
        if len(verb) == 1:
            return True
        if not verb:
            return False
        # Σ inner − total = 0; the visible part moves to the right-hand side.
        rechts = -sum(
            (-raster[r][k] if is_totaal_in(lijn, r, k) else raster[r][k])
            for r, k in lijn
            if not verborgen[r][k]
        )
        termen = []
        for r, k in verb:
            lo, hi = (1, drempel - 1) if primair[r][k] else (0, ONBEGRENSD)
            teken = -1 if is_totaal_in(lijn, r, k) else 1
            termen.append((teken * lo, teken * hi) if teken > 0 else (teken * hi, teken * lo))
        for i, (lo_i, hi_i) in enumerate(termen):
            rest_lo = sum(t[0] for j, t in enumerate(termen) if j != i)
            rest_hi = sum(t[1] for j, t in enumerate(termen) if j != i)
            if max(lo_i, rechts - rest_hi) == min(hi_i, rechts - rest_lo):
                return True
        return False

    def is_totaal_in(lijn: list[tuple[int, int]], r: int, k: int) -> bool:
        """The line's own total is its last cell."""
        return (r, k) == lijn[-1]

    veranderd = True
    while veranderd:
        veranderd = False
        for lijn in lijnen:
            if not vastgepind(lijn):
                continue
            open_ = [(r, k) for r, k in lijn if not verborgen[r][k]]
            if not open_:
                continue

            def voorkeur(cel: tuple[int, int]) -> tuple[int, int]:
                r, k = cel
                waarde = raster[r][k]
                if waarde > 0 and not is_totaal(r, k):
                    return (0, waarde)
                if is_totaal(r, k):
                    return (1, waarde)
                return (2, 0)

            r, k = min(open_, key=voorkeur)
            verborgen[r][k] = True
            veranderd = True
    return Raster(raster, verborgen, primair)


def tekst(waarde: int, verborgen: bool, primair: bool, drempel: int) -> str:
    """What a cell shows."""
    if not verborgen:
        return str(waarde)
    return f"< {drempel}" if primair else "×"
