"""The settings blueprint: desired retention, daily new-item limit and default certification, and where
the learner's progress is kept (the database the terminal's ``opsprep study`` shares)."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from opsprep.engine.instance import DATABASE_NAME
from opsprep.engine.learners import NEW_LIMIT_RANGE, RETENTION_RANGE

from .auth import current_learner, current_progress, login_required
from .home import catalogue

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/", methods=["GET", "POST"])
@login_required
def page():
    """Show the learner's settings; POST checks every field, then saves them all or none."""
    learner = current_learner()
    certs = list(catalogue().values())
    if request.method == "GET":
        form = {
            "desired_retention": f"{learner.desired_retention:.2f}",
            "daily_new_limit": str(learner.daily_new_limit),
            "default_cert": learner.default_cert or "",
        }
        return _page(form, [], certs)
    form = {key: request.form.get(key, "").strip() for key in ("desired_retention", "daily_new_limit", "default_cert")}
    errors, values = _parse(form, {c.iri for c in certs})
    if errors:
        return _page(form, errors, certs), 400
    retention_changed = values.get("desired_retention", learner.desired_retention) != learner.desired_retention
    current_progress().update_settings(**values)  # values checked above; the engine checks them again
    later = " The new retention applies from your next review on." if retention_changed else ""
    flash("Settings saved." + later, "success")
    return redirect(url_for("settings.page"))


def _page(form: dict[str, str], errors: list[str], certs: list) -> str:
    where = progress_location(current_learner().name)
    return render_template("settings/page.html", form=form, errors=errors, certs=certs, ranges=_ranges(), where=where)


@dataclass(frozen=True)
class ProgressLocation:
    """Where a learner's progress is kept, and the terminal command that studies the same progress."""

    database: str
    command: str
    terminal_default: bool  # the terminal uses this database without --db


def progress_location(learner_name: str) -> ProgressLocation:
    """The app's progress database (an absolute path) and ``opsprep study`` as this learner on it (with
    ``--db`` when the database is not the instance folder's, which the terminal uses by default).

    The app and the terminal find the same instance folder (:mod:`opsprep.engine.instance`)."""
    database = Path(os.path.abspath(current_app.config["DATABASE"]))
    command = ["opsprep", "study", "--learner", learner_name]
    terminal_default = database == Path(os.path.abspath(Path(current_app.instance_path) / DATABASE_NAME))
    if not terminal_default:
        command += ["--db", str(database)]
    return ProgressLocation(str(database), shlex.join(command), terminal_default)


def _ranges() -> dict:
    return {"retention": RETENTION_RANGE, "new_limit": NEW_LIMIT_RANGE}


def _parse(form: dict[str, str], cert_iris: set[str]) -> tuple[list[str], dict]:
    """The typed values of the form, and a message for each field that does not parse."""
    errors: list[str] = []
    values: dict = {}
    try:
        retention = float(form["desired_retention"].replace("%", "")) if form["desired_retention"] else None
    except ValueError:
        retention = None
    if retention is not None and retention > 1:  # "90" or "90%" means 0.90
        retention /= 100
    low, high = RETENTION_RANGE
    if retention is None or not low <= retention <= high:
        errors.append(f"Desired retention: a number from {low:.2f} to {high:.2f} (e.g. 0.90 for 90 %).")
    else:
        values["desired_retention"] = round(retention, 4)
    low_n, high_n = NEW_LIMIT_RANGE
    try:
        limit = int(form["daily_new_limit"])
    except ValueError:
        limit = None
    if limit is None or not low_n <= limit <= high_n:
        errors.append(f"New questions a day: a whole number from {low_n} to {high_n}.")
    else:
        values["daily_new_limit"] = limit
    if form["default_cert"] and form["default_cert"] not in cert_iris:
        errors.append("Default certification: choose one from the list.")
    else:
        values["default_cert"] = form["default_cert"] or None
    return errors, values
