"""``flask retention run [--dry-run] [--batch N]``: destroy what has passed its bewaartermijn."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.vernietiging import indicatoren, logregels, plannen, weigeringen
from audit.partitions import PartitionError

retention_cli = AppGroup("retention", help="Bewaartermijnen: vernietigen wat over zijn termijn is.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only list what would be destroyed.")
@click.option("--batch", default=100, show_default=True, help="Plans per transaction.")
@click.option(
    "--regels-batch", default=50_000, show_default=True, help="Log lines deleted per transaction."
)
def run(dry_run: bool, batch: int, regels_batch: int) -> None:
    """Destroy closed plans past the register's term (regie-multiproblematiek) with their
    activities, comments, messages and attachments; a content-free tombstone and a "delete"
    line in the logboek stay. Then the logboek lines past their term (toezicht-logboek) that
    no kept data holds back, up to a signed checkpoint, with the privacy indicators stored for
    their days, and the records of refused look-ups past the same term (content-free; a key in
    the output only when there are any). Idempotent; safe from cron (prints one
    JSON line)."""
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
            grens = logregels.grens()
            regels: dict[str, object] = {"logregels": grens.regels}
            if grens.checkpoint is not None:
                regels["totEnMetRegel"] = grens.checkpoint.seq
            stored = indicatoren.tellen(logregels.indicatoren_voor(grens))
            if stored.aandachtspunten or stored.dagen:
                regels["privacyIndicatoren"] = stored.aandachtspunten
                regels["privacyIndicatorDagen"] = stored.dagen
            if weg := logregels.partities(grens):
                regels["logpartities"] = weg
            held = {"vastgehoudenJeugdhulp": n} if (n := plannen.vastgehouden()) else {}
            refused = {"geweigerdeOpvragingen": n} if (n := weigeringen.vervallen()) else {}
            click.echo(
                json.dumps({"zouVernietigen": {"plannen": len(due), **held, **regels, **refused}})
            )
            return
        result = plannen.run(batch=batch)
        log = logregels.run(batch=regels_batch)
        weigeringen_weg = weigeringen.run(batch=regels_batch)
    except (plannen.GeenTermijn, logregels.GeenLogtermijn, PartitionError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        json.dumps(
            {
                "vernietigd": {
                    "plannen": len(result.vernietigd),
                    **result.aantallen,
                    "logregels": log.regels,
                    **(
                        {
                            "privacyIndicatoren": log.indicatoren.aandachtspunten,
                            "privacyIndicatorDagen": log.indicatoren.dagen,
                        }
                        if log.indicatoren.aandachtspunten or log.indicatoren.dagen
                        else {}
                    ),
                    **({"geweigerdeOpvragingen": weigeringen_weg} if weigeringen_weg else {}),
                }
            },
            ensure_ascii=False,
        )
    )
