"""What the printed per-case form shows: 职工诉求登记表 and 办理单 (with the 办理记录).

Qt-free: ``case_form`` gathers the fields, ``app.ui.case_pdf`` draws them. A printed form is
a file for others, so it names the complainant as the PDF report does
(``app.services.confidential``): （保密） for a confidential case, and then no phone or ID
number either; otherwise phone and ID number are masked as in the lists
(``app.schemas.validators.mask_*``). Enum fields stay codes here; the renderer labels them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Enterprise, Issue, Worker, Workshop
from app.schemas.validators import mask_id_number, mask_phone
from app.services.common import get_live
from app.services.confidential import complainant_label, is_masked
from app.services.issue_detail import timeline


@dataclass(frozen=True)
class FormEvent:
    """One line of the 办理记录: when, what happened (codes), the text, and who."""

    occurred_at: datetime
    kind: str
    from_status: str | None
    to_status: str | None
    detail: str | None
    note: str | None
    actor: str | None


@dataclass(frozen=True)
class CaseForm:
    number: str
    received_on: date
    enterprise: str
    workshop: str
    complainant: str  # the name, "N人", or （保密）
    phone: str  # masked; empty for a confidential case
    id_number: str  # masked; empty for a confidential case
    confidential: bool
    collective: bool
    people_count: int
    category: str
    urgency: str
    source: str
    title: str
    description: str
    assignee: str
    due_on: date
    status: str
    referred_to: str
    resolution: str
    resolved_on: date | None
    followed_up_on: date | None
    follow_up_method: str | None
    satisfaction: str | None
    decline_reason: str
    events: list[FormEvent]


def find_by_number(session: Session, number: str) -> str | None:
    """The id of the live case numbered ``number`` (surrounding blanks ignored), or None."""
    return session.execute(
        select(Issue.id)
        .where(Issue.number == number.strip(), Issue.deleted.is_(False))
        .order_by(Issue.id)
        .limit(1)
    ).scalar_one_or_none()


def case_form(session: Session, issue_id: str) -> CaseForm:
    issue: Issue = get_live(session, Issue, issue_id)
    enterprise = session.get(Enterprise, issue.enterprise_id)
    workshop = session.get(Workshop, issue.workshop_id) if issue.workshop_id else None
    worker = None
    if issue.worker_id and not is_masked(issue):
        worker = session.get(Worker, issue.worker_id)
        if worker is not None and worker.deleted:
            worker = None
    return CaseForm(
        number=issue.number,
        received_on=issue.received_on,
        enterprise=enterprise.name if enterprise is not None else "",
        workshop=workshop.name if workshop is not None and not workshop.deleted else "",
        complainant=complainant_label(issue, worker.name if worker else None),
        phone=mask_phone(worker.phone) if worker else "",
        id_number=mask_id_number(worker.id_number) if worker else "",
        confidential=issue.confidential,
        collective=issue.collective,
        people_count=issue.people_count,
        category=issue.category,
        urgency=issue.urgency,
        source=issue.source,
        title=issue.title,
        description=issue.description or "",
        assignee=issue.assignee or "",
        due_on=issue.due_on,
        status=issue.status,
        referred_to=issue.referred_to or "",
        resolution=issue.resolution or "",
        resolved_on=issue.resolved_on,
        followed_up_on=issue.followed_up_on,
        follow_up_method=issue.follow_up_method,
        satisfaction=issue.satisfaction,
        decline_reason=issue.decline_reason or "",
        events=[
            FormEvent(e.occurred_at, e.kind, e.from_status, e.to_status, e.detail, e.note, e.actor)
            for e in timeline(session, issue_id)
        ],
    )


__all__ = ["CaseForm", "FormEvent", "case_form", "find_by_number"]
