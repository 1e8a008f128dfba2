"""Issue 18: small numbers never identify anyone. The suppression rule
(app/sturing/onderdrukking.py, docs/sturing.md#onderdrukking) attacked as an outsider would:
with the visible cells, the totals and the knowledge that "< 5" means 1 to 4, no hidden cell
may have only one possible value."""

from __future__ import annotations

import random

import pytest

from app.sturing.onderdrukking import Raster, onderdruk, tekst

DREMPEL = 5


def mogelijke_waarden(
    r: Raster, *, rijtotalen: bool, kolomtotalen: bool
) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden inner cell can take, given everything visible (a search with
    pruning). Hidden totals follow from the inner cells; a "< 5" cell lies from 1 to 4; any
    other hidden cell from 0 up to what the visible totals allow."""
    rijen = len(r.waarden) - (1 if kolomtotalen else 0)
    kolommen = len(r.waarden[0]) - (1 if rijtotalen else 0)
    grens = max(max(rij) for rij in r.waarden)
    verborgen = [(i, k) for i in range(rijen) for k in range(kolommen) if r.verborgen[i][k]]
    cellen = [list(rij[:kolommen]) for rij in r.waarden[:rijen]]
    for i, k in verborgen:
        cellen[i][k] = 0

    def zichtbaar(i: int, k: int) -> int | None:
        return None if r.verborgen[i][k] else r.waarden[i][k]

    rijtot = [zichtbaar(i, kolommen) if rijtotalen else None for i in range(rijen)]
    koltot = [zichtbaar(rijen, k) if kolomtotalen else None for k in range(kolommen)]
    gezien: dict[tuple[int, int], set[int]] = {c: set() for c in verborgen}

    def klopt() -> bool:
        sommen = []
        if rijtotalen:
            sommen += [((i, kolommen), sum(cellen[i])) for i in range(rijen)]
        if kolomtotalen:
            sommen += [((rijen, k), sum(c[k] for c in cellen)) for k in range(kolommen)]
        if rijtotalen and kolomtotalen:
            sommen.append(((rijen, kolommen), sum(map(sum, cellen))))
        for (i, k), som in sommen:
            if not r.verborgen[i][k] and r.waarden[i][k] != som:
                return False
            if r.primair[i][k] and not 0 < som < DREMPEL:
                return False
        return True

    def zoek(n: int) -> None:
        if n == len(verborgen):
            if klopt():
                for i, k in verborgen:
                    gezien[(i, k)].add(cellen[i][k])
            return
        i, k = verborgen[n]
        waarden = range(1, DREMPEL) if r.primair[i][k] else range(0, grens + 1)
        for v in waarden:
            cellen[i][k] = v
            rt, kt = rijtot[i], koltot[k]
            if (rt is not None and sum(cellen[i]) > rt) or (
                kt is not None and sum(c[k] for c in cellen) > kt
            ):
                break
            zoek(n + 1)
        cellen[i][k] = 0

    zoek(0)
    return gezien


def aanval(cellen: list[list[int]], *, rijtotalen: bool = True, kolomtotalen: bool = True) -> None:
    r = onderdruk(cellen, DREMPEL, rijtotalen=rijtotalen, kolomtotalen=kolomtotalen)
    for i, rij in enumerate(r.waarden):
        for k, v in enumerate(rij):
            if 0 < v < DREMPEL:
                assert r.verborgen[i][k], f"small cell {v} at {i},{k} shown"
    for cel, waarden in mogelijke_waarden(
        r, rijtotalen=rijtotalen, kolomtotalen=kolomtotalen
    ).items():
        assert len(waarden) > 1, f"hidden cell {cel} of {cellen} is derivable: {waarden}"


def test_a_small_cell_takes_its_totals_with_it() -> None:
    r = onderdruk([[3, 7, 9]], DREMPEL, rijtotalen=True, kolomtotalen=False)
    shown = [
        tekst(v, h, p, DREMPEL)
        for v, h, p in zip(r.waarden[0], r.verborgen[0], r.primair[0], strict=True)
    ]
    assert shown == ["< 5", "7", "9", "×"]
    r = onderdruk([[3, 7], [8, 9]], DREMPEL, rijtotalen=True, kolomtotalen=True)
    assert r.verborgen == [
        [True, False, True],
        [False, False, False],
        [True, False, True],
    ]


def test_zero_is_shown_and_large_numbers_too() -> None:
    r = onderdruk([[0, 12], [5, 0]], DREMPEL, rijtotalen=True, kolomtotalen=True)
    assert not any(any(rij) for rij in r.verborgen)


def test_two_small_cells_that_must_be_4_and_4_are_not_left_alone() -> None:
    # 4 + 4 = 8 with both "< 5": each must be 4. A third cell has to go.
    aanval([[4, 4, 0]], kolomtotalen=False)
    aanval([[4, 1], [4, 4], [3, 1]])  # pinned across lines, found by the random search
    aanval([[1, 1, 9]], kolomtotalen=False)


@pytest.mark.parametrize(
    "cellen",
    [
        [[1, 0], [0, 0]],  # one household
        [[1, 6], [7, 8]],
        [[3, 0, 7], [4, 4, 0], [10, 12, 9]],
        [[2, 2], [2, 2]],
        [[1, 9, 9], [9, 1, 9]],
        [[0, 0, 3], [6, 0, 0], [0, 7, 0]],
    ],
)
def test_known_tricky_tables(cellen: list[list[int]]) -> None:
    aanval(cellen)


def test_random_small_tables_leak_nothing() -> None:
    rng = random.Random(18)
    for _ in range(200):
        rijen, kolommen = rng.choice([(1, 3), (2, 2), (2, 3), (3, 2)])
        cellen = [
            [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8]) for _k in range(kolommen)]
            for _r in range(rijen)
        ]
        aanval(cellen)


def test_a_time_series_with_only_row_totals() -> None:
    aanval([[3], [9], [12]], rijtotalen=False, kolomtotalen=True)
    aanval([[2, 8, 11, 0]], rijtotalen=True, kolomtotalen=False)
