"""Problem reports: a learner says a question is wrong, unclear or out of date; someone reviews it later.

>>> report = report_problem(store, learner.id, item_id, "wrong-answer", "B is also right", seed=42)  # doctest: +SKIP
>>> [r.item_id for r in list_reports(store)]                                                           # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .clock import from_text, to_text, utc
from .errors import InvalidSettings, UnknownReport
from .learners import get_learner
from .store import Store

__all__ = ["MAX_COMMENT", "REASONS", "STATUSES", "ProblemReport", "list_reports", "report_problem", "set_status"]

#: what can be wrong with a question, and how a form shows it
REASONS = {
    "wrong-answer": "The marked answer is wrong, or another option is also right",
    "unclear": "The question or its options are unclear",
    "outdated": "It is out of date (renamed, retired or changed)",
    "typo": "A typo or a broken link",
    "other": "Something else",
}
STATUSES = ("open", "resolved", "dismissed")
MAX_COMMENT = 2000


@dataclass(frozen=True)
class ProblemReport:
    """One stored report."""

    id: int
    learner_id: int
    item_id: str
    seed: int | None
    reason: str
    comment: str
    created_at: datetime
    status: str = "open"

    @classmethod
    def from_row(cls, row: dict) -> ProblemReport:
        """A report from its ``problem_reports`` row."""
        return cls(**{**row, "created_at": from_text(row["created_at"])})

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {**self.__dict__, "created_at": to_text(self.created_at)}


def _clean_comment(comment: str | None) -> str:
    """The comment as stored: line breaks as ``\n`` (a browser sends CRLF), outer whitespace removed."""
    return (comment or "").replace("\r\n", "\n").strip()


def report_problems(item_id: str, reason: str, comment: str = "") -> list[str]:
    """What is wrong with a report before it is stored (empty when it can be stored)."""
    problems = []
    if reason not in REASONS:
        problems.append(f"the reason must be one of {', '.join(REASONS)}, not {reason!r}")
    if len(_clean_comment(comment)) > MAX_COMMENT:
        problems.append(f"the comment has {len(_clean_comment(comment))} characters, more than {MAX_COMMENT}")
    if not item_id or len(item_id) > 100:
        problems.append("the report must name a question")
    return problems


def report_problem(
    store: Store,
    learner_id: int,
    item_id: str,
    reason: str,
    comment: str = "",
    *,
    seed: int | None = None,
    now: datetime | None = None,
) -> ProblemReport:
    """Store a learner's report about a question item.

    ``reason`` is one of :data:`REASONS`; ``comment`` is free text of at most :data:`MAX_COMMENT`
    characters. Raises ``UnknownLearner`` or ``InvalidSettings`` before anything is written. The
    item id is kept as given, so a report survives the item's removal from the bank.
    """
    get_learner(store, learner_id)
    problems = report_problems(item_id, reason, comment)
    if problems:
        raise InvalidSettings("; ".join(problems).capitalize() + ".")
    comment = _clean_comment(comment)
    row = {
        "learner_id": learner_id,
        "item_id": item_id,
        "seed": seed,
        "reason": reason,
        "comment": comment,
        "created_at": to_text(utc(now)),
        "status": "open",
    }
    with store.transaction() as db:
        report_id = db["problem_reports"].insert(row).last_pk
    return ProblemReport.from_row({"id": report_id, **row})


def list_reports(store: Store, *, status: str | None = "open", item_id: str | None = None) -> list[ProblemReport]:
    """Reports, oldest first: those with ``status`` (None: all) and, if given, about one item."""
    conditions, params = [], []
    if status is not None:
        conditions.append("status = ?")
        params.append(status)
    if item_id is not None:
        conditions.append("item_id = ?")
        params.append(item_id)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = store.rows(f"SELECT * FROM problem_reports {where} ORDER BY created_at, id", params)
    return [ProblemReport.from_row(row) for row in rows]


def set_status(store: Store, report_id: int, status: str) -> None:
    """Mark a report resolved, dismissed or open again.

    Raises ``InvalidSettings`` for another status and ``UnknownReport`` when no report has that id;
    nothing is written then.
    """
    if status not in STATUSES:
        raise InvalidSettings(f"A report's status is one of {', '.join(STATUSES)}, not {status!r}.")
    with store.transaction() as db:
        changed = db.execute("UPDATE problem_reports SET status = ? WHERE id = ?", [status, report_id]).rowcount
    if not changed:
        raise UnknownReport(f"No problem report has id {report_id}; list every report to see the ids in use.")
