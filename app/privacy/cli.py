"""``flask privacy …``: the indicators of misuse, computed per day and stored."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.privacy import indicatoren_opslag

privacy_cli = AppGroup("privacy", help="Logboekcontrole: aandachtspunten per dag berekenen.")


@privacy_cli.command("indicatoren")
@click.option(
    "--dagen",
    default=indicatoren_opslag.JAAR,
    show_default=True,
    help="How many days back (before today) to keep computed.",
)
def indicatoren(dagen: int) -> None:
    """Compute the indicators of every day of the last DAGEN that is not complete yet (never
    computed, or computed before the day and the window of "veel personen" after it ended),
    from all of its lines; one transaction per day, oldest first, replacing what was stored.
    Idempotent; schedule it every few minutes with --dagen 1 (the overview reads today as the
    last run left it, LOGBOEK_INDICATOREN_VERS_MINUTEN) and nightly without."""
    n_dagen = n_punten = 0
    for _dag, n in indicatoren_opslag.bij_te_werken(dagen=dagen):
        n_dagen += 1
        n_punten += n
    click.echo(f"{n_dagen} dagen berekend, {n_punten} aandachtspunten opgeslagen.")
