"""``flask retention run [--dry-run] [--batch N]``: destroy what has passed its bewaartermijn."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.vernietiging import plannen

retention_cli = AppGroup("retention", help="Bewaartermijnen: vernietigen wat over zijn termijn is.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only list what would be destroyed.")
@click.option("--batch", default=100, show_default=True, help="Plans per transaction.")
def run(dry_run: bool, batch: int) -> None:
    """Destroy closed plans past the register's term (regie-multiproblematiek) with their
    activities, comments, messages and attachments; a content-free tombstone and a "delete"
    line in the logboek stay. Idempotent; safe from cron (prints one JSON line)."""
    try:
        if dry_run:
            due = plannen.vervallen()
            for v in due:
                click.echo(
                    json.dumps(
                        {
                            "plan": v.plan_id,
                            "afgeslotenOp": v.afgesloten_op.isoformat(),
                            "vervallenSinds": v.vervallen_sinds.isoformat(),
                        }
                    )
                )
            click.echo(json.dumps({"zouVernietigen": {"plannen": len(due)}}))
            return
        result = plannen.run(batch=batch)
    except plannen.GeenTermijn as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        json.dumps(
            {"vernietigd": {"plannen": len(result.vernietigd), **result.aantallen}},
            ensure_ascii=False,
        )
    )
