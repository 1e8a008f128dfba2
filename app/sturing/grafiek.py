"""Server-rendered SVG charts: a line chart for trends and a bar chart for funnels and
distributions. Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that name what it
shows, and always the same figures in a table beside it. A hidden (suppressed) value is drawn
as no point or no bar, with its mark ("< 5", "×") as text. No script, no external library."""

from __future__ import annotations

import itertools

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.sturing.tabellen import Reeks

BREEDTE = 640
KLEUREN = ("#01689b", "#ca005d", "#39870c", "#e17000", "#42145f")
STREEPJES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
_ids = itertools.count(1)


def _schaal(maximum: float) -> float:
    """A round top for the axis."""
    if maximum <= 0:
        return 1
    stap = 10 ** (len(str(int(maximum))) - 1)
    return float(((int(maximum) // stap) + 1) * stap)


def _kop(titel: str, beschrijving: str, hoogte: int) -> tuple[str, str]:
    n = next(_ids)
    t, d = f"grafiek-{n}-titel", f"grafiek-{n}-desc"
    return (
        f'<svg class="ep-grafiek" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {BREEDTE} {hoogte}" aria-labelledby="{t} {d}" focusable="false">'
        f'<title id="{t}">{escape(titel)}</title><desc id="{d}">{escape(beschrijving)}</desc>',
        "</svg>",
    )


def lijn(titel: str, labels: list[str], reeksen: list[Reeks], verborgen_tekst: str) -> Markup:
    """A line chart of ``reeksen`` over ``labels`` (periods)."""
    hoogte = 280
    links, rechts, boven, onder = 56, 16, 16, 72
    breed, hoog = BREEDTE - links - rechts, hoogte - boven - onder
    waarden = [w for r in reeksen for w in r.waarden if w is not None]
    top = _schaal(max(waarden, default=0))
    beschrijving = _(
        "Lijngrafiek per periode. Dezelfde cijfers staan in de tabel eronder; "
        "een verborgen klein aantal is een onderbreking van de lijn."
    )
    begin, eind = _kop(titel, beschrijving, hoogte + 24 * len(reeksen))
    delen = [begin]
    for i in range(5):
        y = boven + hoog - hoog * i / 4
        delen.append(
            f'<line x1="{links}" y1="{y:.1f}" x2="{links + breed}" y2="{y:.1f}" class="ep-grafiek__raster"/>'
            f'<text x="{links - 6}" y="{y + 4:.1f}" text-anchor="end" class="ep-grafiek__as">'
            f"{_getal(top * i / 4)}</text>"
        )
    n = max(1, len(labels) - 1)

    def x(i: int) -> float:
        return links + (breed * i / n if len(labels) > 1 else breed / 2)

    for i, label in enumerate(labels):
        delen.append(
            f'<text x="{x(i):.1f}" y="{boven + hoog + 16}" text-anchor="end" '
            f'transform="rotate(-40 {x(i):.1f} {boven + hoog + 16})" class="ep-grafiek__as">'
            f"{escape(label)}</text>"
        )
    for j, reeks in enumerate(reeksen):
        kleur, streep = KLEUREN[j % len(KLEUREN)], STREEPJES[j % len(STREEPJES)]
        stuk: list[str] = []
        stukken = [stuk]
        for i, w in enumerate(reeks.waarden):
            if w is None:
                stuk = []
                stukken.append(stuk)
                delen.append(
                    f'<text x="{x(i):.1f}" y="{boven + hoog - 4}" text-anchor="middle" '
                    f'class="ep-grafiek__verborgen" fill="{kleur}">{escape(verborgen_tekst)}</text>'
                )
                continue
            y = boven + hoog - hoog * float(w) / top
            stuk.append(f"{x(i):.1f},{y:.1f}")
            delen.append(f'<circle cx="{x(i):.1f}" cy="{y:.1f}" r="3.5" fill="{kleur}"/>')
        for s in stukken:
            if len(s) > 1:
                delen.append(
                    f'<polyline points="{" ".join(s)}" fill="none" stroke="{kleur}" '
                    f'stroke-width="2.5" stroke-dasharray="{streep}"/>'
                )
        ly = hoogte + 12 + 24 * j - 8
        delen.append(
            f'<line x1="{links}" y1="{ly}" x2="{links + 28}" y2="{ly}" stroke="{kleur}" '
            f'stroke-width="2.5" stroke-dasharray="{streep}"/>'
            f'<text x="{links + 36}" y="{ly + 4}" class="ep-grafiek__legenda">{escape(reeks.naam)}</text>'
        )
    delen.append(eind)
    return Markup("".join(delen))  # noqa: S704 - every text in it went through escape()


def staaf(
    titel: str, labels: list[str], waarden: list[int | float | None], teksten: list[str]
) -> Markup:
    """A horizontal bar chart; ``teksten`` are the cells as the table shows them."""
    rij, links, rechts = 30, 230, 70
    hoogte = rij * len(labels) + 16
    top = max((float(w) for w in waarden if w is not None), default=0) or 1
    beschrijving = _(
        "Staafgrafiek. Dezelfde cijfers staan in de tabel eronder; "
        "bij een verborgen klein aantal staat geen staaf."
    )
    begin, eind = _kop(titel, beschrijving, hoogte)
    delen = [begin]
    breed = BREEDTE - links - rechts
    for i, (label, w, t) in enumerate(zip(labels, waarden, teksten, strict=True)):
        y = 8 + rij * i
        delen.append(
            f'<text x="{links - 8}" y="{y + 17}" text-anchor="end" class="ep-grafiek__as">'
            f"{escape(label)}</text>"
        )
        lengte = 0.0 if w is None else breed * float(w) / top
        if w is not None and lengte > 0:
            delen.append(
                f'<rect x="{links}" y="{y + 3}" width="{lengte:.1f}" height="{rij - 10}" '
                f'fill="{KLEUREN[0]}"/>'
            )
        delen.append(
            f'<text x="{links + lengte + 6:.1f}" y="{y + 17}" class="ep-grafiek__waarde">'
            f"{escape(t)}</text>"
        )
    delen.append(eind)
    return Markup("".join(delen))  # noqa: S704 - every text in it went through escape()


def _getal(w: float) -> str:
    return str(int(w)) if float(w).is_integer() else f"{w:.1f}".replace(".", ",")
