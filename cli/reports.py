"""``opsprep reports``: review the problems learners reported about questions."""

from __future__ import annotations

from pathlib import Path

import click

from opsprep.engine import Progress
from opsprep.engine.reports import REASONS, STATUSES

from .options import json_option, pass_settings, print_json, print_rows
from .progress_db import progress_db_option, resolve_db_path
from .questions import settings_bank


@click.group("reports")
def reports_group() -> None:
    """Review problem reports that learners filed from the study page.

    \b
    Example:
        opsprep reports list
        opsprep reports mark 3 resolved
    """


@reports_group.command("list")
@click.option(
    "--status",
    type=click.Choice([*STATUSES, "all"]),
    default="open",
    show_default=True,
    help="Which reports to list.",
)
@progress_db_option
@json_option
@pass_settings
def list_command(settings: dict, status: str, db_path: Path | None, as_json: bool) -> None:
    """List problem reports, oldest first, with the question each one is about.

    \b
    Example:
        opsprep reports list
        opsprep reports list --status all --json
    """
    bank = settings_bank(settings)
    with Progress.open(resolve_db_path(db_path), bank) as progress:
        reports = progress.reports(status=None if status == "all" else status)
        names = {learner.id: learner.name for learner in progress.learners()}
    rows = []
    for report in reports:
        item = bank.by_id.get(report.item_id)
        rows.append(
            {
                **report.to_dict(),
                "learner": names.get(report.learner_id, f"#{report.learner_id}"),
                "reason_text": REASONS.get(report.reason, report.reason),
                "question": item.stem if item else "(no longer in the question bank)",
            }
        )
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo(f"No {status if status != 'all' else ''} problem reports.".replace("  ", " "))
        return
    header = ["id", "created_at", "status", "learner", "reason", "item_id", "question", "comment"]
    print_rows(header, [[row[key] for key in header] for row in rows])


@reports_group.command("mark")
@click.argument("report_id", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@progress_db_option
@pass_settings
def mark_command(settings: dict, report_id: int, status: str, db_path: Path | None) -> None:
    """Mark report REPORT_ID as resolved, dismissed, or open again.

    \b
    Example:
        opsprep reports mark 3 resolved
        opsprep reports mark 3 open
    """
    with Progress.open(resolve_db_path(db_path)) as progress:  # no question bank needed
        progress.set_report_status(report_id, status)
    click.echo(f"Report {report_id} is now {status}.")
