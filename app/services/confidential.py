"""The complainant of a case, as it may be shown: the one rule for 保密 (confidential) cases.

A complainant who asked for confidentiality is never named on screen or in a file made for
others: the case list, the case detail, the workbook and the PDF all show （保密） in place of
the name, on the cadre's laptop as at the district office. Only an export with full personal
data (which asks for a reason and writes it to the audit chain) names them, and marks the
name （保密） even then, so whoever reads the file knows to keep it to themselves. The rule
lives here, in the services, so no screen or file can apply a different one.
"""

from __future__ import annotations

from typing import Protocol

CONFIDENTIAL = "（保密）"


class CaseLike(Protocol):
    """What the rule reads of a case: an ``Issue``, or a row selecting these columns."""

    confidential: bool
    collective: bool
    people_count: int


def complainant_label(issue: CaseLike, worker_name: str | None, *, reveal: bool = False) -> str:
    """The complainant as shown: the name, "N人" for a collective case without one, or
    （保密） (after the name only when ``reveal``, for a full-personal export)."""
    if worker_name:
        shown = worker_name
    elif issue.collective:
        shown = f"{issue.people_count}人"
    else:
        shown = ""
    if not issue.confidential:
        return shown
    return f"{shown}{CONFIDENTIAL}" if reveal and shown else CONFIDENTIAL


def is_masked(issue: CaseLike) -> bool:
    """Whether the screens hide who complained (and so must not hand out the worker's id)."""
    return bool(issue.confidential)
