"""``jiceng demo --edits N``: random but realistic edits through the real services.

Each edit picks an operation a cadre or district office performs every day — move a case
along, add a note, reassign, correct a field, record a visit, give help, delete a record —
and performs it through the same service the GUI calls, so it exercises validation, the
lifecycle rules and the change log exactly as people do.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models import Assistance, Enterprise, Issue, Practice, Replicated, Visit, Worker
from app.schemas.enums import (
    LABEL,
    AssistanceKind,
    FollowUpMethod,
    FundingSource,
    Gender,
    HardshipLevel,
    IssueCategory,
    IssueStatus,
    Satisfaction,
    Urgency,
    VisitKind,
)
from app.schemas.issues import IssueEditIn, NoteIn, TransitionIn
from app.schemas.ledger import AssistanceIn, EnterpriseIn, VisitIn
from app.services import demo_corpus as corpus
from app.services import enterprises, issues, visits, workers
from app.services.errors import ServiceError
from app.services.issues import allowed_transitions


@dataclass
class EditSummary:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        return "、".join(f"{k} {v} 次" for k, v in sorted(self.counts.items()))


def _pick(
    session: Session,
    rng: random.Random,
    model: type[Replicated],
    *where: ColumnElement[bool],
) -> str | None:
    conditions = (model.deleted.is_(False), *where)
    n = session.execute(select(func.count()).select_from(model).where(*conditions)).scalar_one()
    if not n:
        return None
    return session.execute(
        select(model.id).where(*conditions).order_by(model.id).offset(rng.randrange(n)).limit(1)
    ).scalar_one()


def _transition(session: Session, rng: random.Random) -> bool:
    open_statuses = [s.value for s in IssueStatus if s != IssueStatus.FOLLOWED_UP]
    issue_id = _pick(session, rng, Issue, Issue.status.in_(open_statuses))
    if issue_id is None:
        return False
    issue = session.get(Issue, issue_id)
    assert issue is not None
    choices = [s for s in allowed_transitions(issue.status) if s != IssueStatus.DECLINED]
    if not choices:
        return False
    target = rng.choice(choices)
    label = LABEL[IssueCategory(issue.category)]
    data = TransitionIn(
        to_status=target,
        note=corpus.progress_note(rng),
        department=corpus.referral_department(rng) if target == IssueStatus.REFERRED else None,
        resolution=corpus.resolution_text(rng, label) if target == IssueStatus.RESOLVED else None,
        satisfaction=rng.choice(list(Satisfaction)) if target == IssueStatus.FOLLOWED_UP else None,
        method=FollowUpMethod.PHONE if target == IssueStatus.FOLLOWED_UP else None,
    )
    issues.transition(session, issue_id, data)
    return True


def _note(session: Session, rng: random.Random) -> bool:
    issue_id = _pick(session, rng, Issue)
    if issue_id is None:
        return False
    issues.add_note(session, issue_id, NoteIn(text=corpus.progress_note(rng)))
    return True


def _edit_issue(session: Session, rng: random.Random) -> bool:
    issue_id = _pick(session, rng, Issue)
    if issue_id is None:
        return False
    issue = session.get(Issue, issue_id)
    assert issue is not None
    data = IssueEditIn(
        workshop_id=issue.workshop_id,
        worker_id=issue.worker_id,
        collective=issue.collective,
        people_count=issue.people_count,
        title=issue.title,
        description=issue.description,
        category=IssueCategory(issue.category),
        urgency=rng.choice(list(Urgency)),
        due_on=issue.due_on + timedelta(days=rng.randint(0, 10)),
        assignee=corpus.cadre_name(rng) if rng.random() < 0.3 else issue.assignee,
        confidential=issue.confidential,
    )
    return issues.edit_issue(session, issue_id, data)


def _edit_worker(session: Session, rng: random.Random) -> bool:
    from app.schemas.ledger import WorkerIn
    from app.schemas.validators import random_mobile

    worker_id = _pick(session, rng, Worker)
    if worker_id is None:
        return False
    w = session.get(Worker, worker_id)
    assert w is not None
    data = WorkerIn(
        enterprise_id=w.enterprise_id,
        workshop_id=w.workshop_id,
        name=w.name,
        gender=None if w.gender is None else Gender(w.gender),
        phone=random_mobile(rng),
        id_number=w.id_number,
        position=w.position,
        member=not w.member if rng.random() < 0.3 else w.member,
        hardship_level=HardshipLevel(w.hardship_level),
        hardship_reason=w.hardship_reason,
        note=w.note,
    )
    return workers.update_worker(session, worker_id, data)


def _edit_enterprise(session: Session, rng: random.Random) -> bool:
    eid = _pick(session, rng, Enterprise)
    if eid is None:
        return False
    e = session.get(Enterprise, eid)
    assert e is not None
    fields = {c: getattr(e, c) for c in EnterpriseIn.model_fields}
    listed = session.execute(
        select(func.count()).where(Worker.enterprise_id == eid, Worker.deleted.is_(False))
    ).scalar_one()  # never fewer staff than the ledger lists by name
    fields["headcount"] = max(listed, 1, (e.headcount or 100) + rng.randint(-20, 40))
    return enterprises.update_enterprise(session, eid, EnterpriseIn(**fields))


def _visit(session: Session, rng: random.Random) -> bool:
    eid = _pick(session, rng, Enterprise)
    if eid is None:
        return False
    kind = rng.choice(list(VisitKind))
    summary, findings, follow_ups, said = corpus.visit_text(rng, LABEL[kind])
    data = VisitIn(
        enterprise_id=eid,
        visited_on=date.today() - timedelta(days=rng.randint(0, 5)),
        kind=kind,
        summary=summary,
        findings=findings or None,
        follow_ups=follow_ups or None,
        people_count=said if said is not None else rng.randint(1, 20),  # as the text says
    )
    visits.record_visit(session, data)
    return True


def _assist(session: Session, rng: random.Random) -> bool:
    worker_id = _pick(session, rng, Worker, Worker.hardship_level != "none")
    if worker_id is None:
        return False
    kind = rng.choice(list(AssistanceKind))
    data = AssistanceIn(
        worker_id=worker_id,
        given_on=date.today(),
        kind=kind,
        amount=Decimal(rng.choice((200, 500, 1000))),
        funding_source=FundingSource.UNION_FUNDS,
        note=corpus.assistance_note(rng, LABEL[kind]),
    )
    workers.give_assistance(session, data)
    return True


def _delete(session: Session, rng: random.Random) -> bool:
    deletes: list[tuple[type[Replicated], Callable[[Session, str], object]]] = [
        (Practice, visits.delete_practice),
        (Assistance, workers.delete_assistance),
        (Visit, visits.delete_visit),
    ]
    model, delete = rng.choice(deletes)
    row_id = _pick(session, rng, model)
    if row_id is None:
        return False
    delete(session, row_id)
    return True


OPERATIONS: dict[str, tuple[int, Callable[[Session, random.Random], bool]]] = {
    "办理状态": (30, _transition),
    "办理记录": (20, _note),
    "修改诉求": (12, _edit_issue),
    "修改职工": (10, _edit_worker),
    "修改企业": (5, _edit_enterprise),
    "新增走访": (10, _visit),
    "帮扶慰问": (6, _assist),
    "删除记录": (7, _delete),
}


def random_edits(session: Session, n: int, *, seed: int = 1) -> EditSummary:
    """Perform ``n`` random edits (operations with nothing to act on are retried)."""
    rng = random.Random(seed)
    names = list(OPERATIONS)
    weights = [OPERATIONS[k][0] for k in names]
    summary = EditSummary()
    attempts = 0
    while summary.total < n and attempts < n * 20 + 100:
        attempts += 1
        name = rng.choices(names, weights=weights)[0]
        try:
            if OPERATIONS[name][1](session, rng):
                summary.counts[name] += 1
        except ServiceError:
            continue  # e.g. a transition the lifecycle refuses: try something else
    return summary
