"""One case in full: its fields, its timeline of events, linked cases, open conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Issue, IssueEvent, IssueLink
from app.schemas.enums import IssueStatus
from app.services.common import get_live
from app.services.confidential import is_masked
from app.services.conflicts import ConflictView, open_conflicts
from app.services.issue_list import IssueFilter, IssueRow, issue_rows
from app.services.issues import allowed_transitions
from app.sync.writer import row_version


@dataclass(frozen=True)
class EventView:
    id: str
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    detail: str | None
    actor: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class LinkView:
    link_id: str
    issue_id: str
    number: str
    title: str
    status: str


@dataclass(frozen=True)
class IssueDetail:
    row: IssueRow
    version: str  # pass back as base_hlc when saving an edit of this view
    description: str | None
    source: str
    confidential: bool
    worker_id: str | None
    workshop_id: str | None
    visit_id: str | None
    referred_to: str | None
    resolution: str | None
    resolved_on: date | None
    followed_up_on: date | None
    satisfaction: str | None
    follow_up_method: str | None
    decline_reason: str | None
    allowed: list[IssueStatus]
    events: list[EventView]
    links: list[LinkView]
    conflicts: list[ConflictView]


def issue_detail(session: Session, issue_id: str, on: date, viewer: str) -> IssueDetail:
    issue: Issue = get_live(session, Issue, issue_id)
    (row,) = issue_rows(session, [issue_id], on, viewer)
    hidden = is_masked(issue)  # the row already shows （保密）; do not hand out who either
    return IssueDetail(
        row=row,
        version=row_version({"clocks": issue.clocks}),
        description=issue.description,
        source=issue.source,
        confidential=issue.confidential,
        worker_id=None if hidden else issue.worker_id,
        workshop_id=issue.workshop_id,
        visit_id=issue.visit_id,
        referred_to=issue.referred_to,
        resolution=issue.resolution,
        resolved_on=issue.resolved_on,
        followed_up_on=issue.followed_up_on,
        satisfaction=issue.satisfaction,
        follow_up_method=issue.follow_up_method,
        decline_reason=issue.decline_reason,
        allowed=allowed_transitions(issue.status),
        events=timeline(session, issue_id),
        links=_links(session, issue_id),
        conflicts=open_conflicts(session, "issue", issue_id),
    )


def timeline(session: Session, issue_id: str) -> list[EventView]:
    """The case's events, oldest first (ties by id, so every replica lists them alike)."""
    rows = session.execute(
        select(IssueEvent)
        .where(IssueEvent.issue_id == issue_id, IssueEvent.deleted.is_(False))
        .order_by(IssueEvent.occurred_at, IssueEvent.id)
    ).scalars()
    return [
        EventView(
            e.id, e.kind, e.from_status, e.to_status, e.note, e.detail, e.actor, e.occurred_at
        )
        for e in rows
    ]


def _links(session: Session, issue_id: str) -> list[LinkView]:
    links = session.execute(
        select(IssueLink).where(
            IssueLink.deleted.is_(False),
            or_(IssueLink.issue_id == issue_id, IssueLink.related_id == issue_id),
        )
    ).scalars()
    out = []
    for link in links:
        other_id = link.related_id if link.issue_id == issue_id else link.issue_id
        other = session.get(Issue, other_id)
        if other is not None and not other.deleted:
            out.append(LinkView(link.id, other.id, other.number, other.title, other.status))
    return out


__all__ = ["EventView", "IssueDetail", "IssueFilter", "LinkView", "issue_detail", "timeline"]
