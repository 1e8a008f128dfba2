"""Small-number suppression: no cell of a table may identify anyone.

The rule (docs/sturing.md#onderdrukking):

1. **Primary**: a count from 1 to ``drempel - 1`` (``STURING_DREMPEL``, default 5) is not
   shown; the cell reads "< 5". A zero is shown: it says nothing about anyone.
2. **Secondary**: a table with row or column totals is a set of sums; a visible total would
   give a hidden cell back (the total minus the visible cells), or pin it together with other
   lines (two "< 5" cells that must make 8 are both 4). So the total of every row or column
   that holds a hidden cell is hidden too ("×"), and so on for the totals row and column (the
   grand total) until nothing changes. Every hidden cell can then be one more or one less,
   with its hidden totals, and the visible figures stay the same.
3. A statistic over a group (a median, a 90th percentile, an average) is only shown when the
   group has at least ``drempel`` members.

The rule holds for CSV downloads too: they are written from the same suppressed tables.
"""

from __future__ import annotations

from dataclasses import dataclass

STANDAARD_DREMPEL = 5


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

    # Hide the total of every line that holds a hidden cell, until nothing changes: then each
    # hidden cell can be one more or one less with its (hidden) totals, and no visible total
    # pins it — whatever an outsider combines (tests/test_sturing_onderdrukking.py tries).
    veranderd = True
    while veranderd:
        veranderd = False
        for lijn in lijnen:
            *binnen, (r, k) = lijn
            if not verborgen[r][k] and any(verborgen[i][j] for i, j in binnen):
                verborgen[r][k] = True
                veranderd = True
    return Raster(raster, verborgen, primair)


def tekst(waarde: int, verborgen: bool, primair: bool, drempel: int) -> str:
    """What a cell shows."""
    if not verborgen:
        return str(waarde)
    return f"< {drempel}" if primair else "×"
