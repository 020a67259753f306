"""Workers' demands (职工诉求): registering, handling through the lifecycle, notes, links.

Every transition writes the case's new fields and an ``IssueEvent`` in one transaction. When
two replicas move the same case at once (the cadre resolves it while the district refers it),
the status field merges last-writer-wins and the merge records a conflict for someone to look
at; the two events both stay in the timeline, because events are append-only.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Enterprise, Issue, IssueLink, Visit, Worker, Workshop
from app.schemas.base import InputError
from app.schemas.enums import TRANSITIONS, EventKind, IssueStatus, label
from app.schemas.issues import IssueEditIn, IssueIn, NoteIn, TransitionIn
from app.services.common import get_live, require_in_enterprise, require_live, today
from app.services.deadlines import load_policy
from app.services.editing import only, wants
from app.services.errors import RuleError
from app.services.issue_numbers import next_issue_number
from app.sync.writer import ChangeWriter, utc_now


def allowed_transitions(status: str) -> list[IssueStatus]:
    """Where a case in ``status`` may go next, in lifecycle order."""
    allowed = TRANSITIONS[IssueStatus(status)]
    return [s for s in IssueStatus if s in allowed]


WORKSHOP_FIELD = ("workshop_id", "车间/班组")
WORKER_FIELD = ("worker_id", "反映人")


def _check_refs(session: Session, data: IssueIn) -> None:
    require_in_enterprise(session, Workshop, data.workshop_id, data.enterprise_id, WORKSHOP_FIELD)
    require_in_enterprise(session, Worker, data.worker_id, data.enterprise_id, WORKER_FIELD)
    require_live(session, Visit, data.visit_id)


def open_issue(session: Session, data: IssueIn) -> str:
    """Register a new case (status 登记) with its number and due date."""
    get_live(session, Enterprise, data.enterprise_id)
    _check_refs(session, data)
    due_on = data.due_on or load_policy(session).due_on(
        data.received_on, data.urgency, data.category
    )
    with ChangeWriter(session) as w:
        values = data.model_dump()
        values.update(
            number=next_issue_number(session, w.state, data.received_on.year),
            due_on=due_on,
            status=IssueStatus.REGISTERED,
            assignee=data.assignee or w.state.name,
            created_by=w.state.replica_id,
        )
        issue_id = w.create("issue", values)
        _event(w, issue_id, EventKind.TRANSITION, to_status=IssueStatus.REGISTERED)
        return issue_id


def edit_issue(
    session: Session,
    issue_id: str,
    data: IssueEditIn,
    *,
    base_hlc: str | None = None,
    fields: Collection[str] | None = None,
) -> bool:
    """Correct ``fields`` of a registered case (all when None). References are checked when
    they change: a stored one stays as it is even if its row was deleted since."""
    issue = get_live(session, Issue, issue_id)
    if wants(fields, "workshop_id"):
        require_in_enterprise(
            session, Workshop, data.workshop_id, issue.enterprise_id, WORKSHOP_FIELD
        )
    if wants(fields, "worker_id"):
        require_in_enterprise(session, Worker, data.worker_id, issue.enterprise_id, WORKER_FIELD)
    if wants(fields, "due_on") and data.due_on < issue.received_on:
        raise InputError.single("due_on", "办理期限", "不能早于登记日期")
    with ChangeWriter(session) as w:
        return w.update("issue", issue_id, only(data, fields), base_hlc=base_hlc, stored=issue)


def transition(
    session: Session, issue_id: str, data: TransitionIn, *, base_hlc: str | None = None
) -> None:
    """Move a case to ``data.to_status`` if the lifecycle allows it."""
    issue = get_live(session, Issue, issue_id)
    current = IssueStatus(issue.status)
    target = data.to_status
    if target not in TRANSITIONS[current]:
        allowed = tuple(s.value for s in allowed_transitions(current))
        words = "、".join(label(IssueStatus(s)) for s in allowed) or "无"
        raise RuleError(
            "illegal_transition",
            f"诉求当前为“{label(current)}”，不能改为“{label(target)}”（可改为：{words}）",
            field="to_status",
            values={"current": current.value, "target": target.value, "allowed": allowed},
        )
    on = data.on or today()
    if target in (IssueStatus.RESOLVED, IssueStatus.FOLLOWED_UP) and on < issue.received_on:
        raise InputError.single("on", "日期", "不能早于登记日期")
    with ChangeWriter(session) as w:
        w.update("issue", issue_id, _fields_for(target, data, on), base_hlc=base_hlc)
        _event(
            w,
            issue_id,
            EventKind.TRANSITION,
            from_status=current,
            to_status=target,
            note=data.note or data.resolution or data.reason,
            detail=data.department or (data.satisfaction and data.satisfaction.value),
        )


def _fields_for(target: IssueStatus, data: TransitionIn, on: date) -> dict[str, Any]:
    fields: dict[str, Any] = {"status": target}
    if target == IssueStatus.REFERRED:
        fields["referred_to"] = data.department
    elif target == IssueStatus.RESOLVED:
        fields.update(resolution=data.resolution, resolved_on=on)
    elif target == IssueStatus.FOLLOWED_UP:
        fields.update(
            satisfaction=data.satisfaction, follow_up_method=data.method, followed_up_on=on
        )
    elif target == IssueStatus.DECLINED:
        fields["decline_reason"] = data.reason
    elif target == IssueStatus.IN_PROGRESS:  # also re-opening a resolved case
        fields.update(
            resolved_on=None, followed_up_on=None, satisfaction=None, follow_up_method=None
        )
    elif target == IssueStatus.ACCEPTED:
        fields["decline_reason"] = None
    return fields


def add_note(session: Session, issue_id: str, data: NoteIn) -> str:
    get_live(session, Issue, issue_id)
    with ChangeWriter(session) as w:
        return _event(w, issue_id, EventKind.NOTE, note=data.text)


def assign(session: Session, issue_id: str, assignee: str) -> bool:
    """Hand the case to someone else (the district reassigns); recorded in the timeline."""
    issue = get_live(session, Issue, issue_id)
    assignee = assignee.strip()
    if not 1 <= len(assignee) <= 50:
        raise InputError.single("assignee", "承办人", "不能为空，且不超过50个字")
    if assignee == issue.assignee:
        return False
    with ChangeWriter(session) as w:
        w.update("issue", issue_id, {"assignee": assignee})
        _event(w, issue_id, EventKind.ASSIGN, detail=assignee)
        return True


def link_issues(session: Session, issue_id: str, related_id: str, note: str | None = None) -> str:
    if issue_id == related_id:
        raise RuleError("self_link", "不能关联诉求本身")
    get_live(session, Issue, issue_id)
    get_live(session, Issue, related_id)
    existing = session.execute(
        select(IssueLink.id).where(
            IssueLink.deleted.is_(False),
            or_(
                (IssueLink.issue_id == issue_id) & (IssueLink.related_id == related_id),
                (IssueLink.issue_id == related_id) & (IssueLink.related_id == issue_id),
            ),
        )
    ).scalar()
    if existing is not None:
        return existing
    with ChangeWriter(session) as w:
        return w.create(
            "issue_link", {"issue_id": issue_id, "related_id": related_id, "note": note}
        )


def unlink(session: Session, link_id: str) -> None:
    get_live(session, IssueLink, link_id)
    with ChangeWriter(session) as w:
        w.delete("issue_link", link_id)


def delete_issue(session: Session, issue_id: str) -> None:
    get_live(session, Issue, issue_id)
    with ChangeWriter(session) as w:
        w.delete("issue", issue_id)


def _event(w: ChangeWriter, issue_id: str, kind: EventKind, **values: Any) -> str:
    return w.create(
        "issue_event",
        {
            "issue_id": issue_id,
            "kind": kind,
            "actor": w.state.name,
            "occurred_at": utc_now(),
            **values,
        },
    )
