"""Which fields each kind of record's form has, and which service saves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from app.schemas.base import Input
from app.schemas.enums import (
    AssistanceKind,
    FundingSource,
    Gender,
    HardshipLevel,
    IssueCategory,
    IssueSource,
    PracticeStatus,
    Urgency,
    VisitKind,
    WorkshopKind,
)
from app.schemas.issues import IssueEditIn, IssueIn
from app.schemas.ledger import (
    AssistanceIn,
    EnterpriseIn,
    PracticeIn,
    VisitIn,
    WorkerIn,
    WorkshopIn,
)
from app.services import enterprises, issues, privacy, visits, workers
from app.services.editing import EditValues, values_for_edit
from app.ui import ask
from app.ui.context import AppContext
from app.ui.forms.dialog import FormDialog
from app.ui.forms.fields import Spec
from app.ui.i18n import tr

Create = Callable[[Session, Any], Any]
Update = Callable[..., bool]


@dataclass(frozen=True)
class Editor:
    kind: str
    noun: str  # 企业, 职工 … (translated when shown)
    schema: type[Input]
    specs: list[Spec]
    create: Create
    update: Update
    delete: Callable[[Session, str], None]
    edit_schema: type[Input] | None = None
    edit_specs: list[Spec] | None = None


ENTERPRISE = [
    Spec("name", "text"),
    Spec("credit_code", "text", placeholder="91320106MA1XXXXXXX"),
    Spec("industry", "text"),
    Spec("address", "text"),
    Spec("headcount", "int"),
    Spec("union_founded", "bool"),
    Spec("union_founded_on", "date", optional=True),
    Spec("collective_contract", "bool"),
    Spec("contact_name", "text"),
    Spec("contact_phone", "text"),
    Spec("note", "multiline"),
]
WORKSHOP = [
    Spec("enterprise_id", "ref", ref="enterprise"),
    Spec("name", "text"),
    Spec("kind", "enum", enum=WorkshopKind),
    Spec("headcount", "int"),
    Spec("leader", "text"),
    Spec("note", "multiline"),
]
WORKER = [
    Spec("enterprise_id", "ref", ref="enterprise"),
    Spec("workshop_id", "ref", ref="workshop", optional=True, depends="enterprise_id"),
    Spec("name", "text"),
    Spec("gender", "enum", enum=Gender, optional=True),
    Spec("phone", "text"),
    Spec("id_number", "text"),
    Spec("position", "text"),
    Spec("member", "bool"),
    Spec("hardship_level", "enum", enum=HardshipLevel),
    Spec("hardship_reason", "multiline"),
    Spec("note", "multiline"),
]
VISIT = [
    Spec("enterprise_id", "ref", ref="enterprise"),
    Spec("workshop_id", "ref", ref="workshop", optional=True, depends="enterprise_id"),
    Spec("visited_on", "date"),
    Spec("kind", "enum", enum=VisitKind),
    Spec("cadre", "text"),
    Spec("people_count", "int"),
    Spec("summary", "multiline"),
    Spec("findings", "multiline"),
    Spec("follow_ups", "multiline"),
    Spec("worker_ids", "refs", depends="enterprise_id"),
]
ASSISTANCE = [
    Spec("worker_id", "ref", ref="worker"),
    Spec("given_on", "date"),
    Spec("kind", "enum", enum=AssistanceKind),
    Spec("amount", "money", placeholder="500.00"),
    Spec("funding_source", "enum", enum=FundingSource),
    Spec("cadre", "text"),
    Spec("note", "multiline"),
]
PRACTICE = [
    Spec("enterprise_id", "ref", ref="enterprise", optional=True),
    Spec("title", "text"),
    Spec("content", "multiline"),
    Spec("collected_on", "date"),
    Spec("cadre", "text"),
    Spec("status", "enum", enum=PracticeStatus),
]
ISSUE = [
    Spec("enterprise_id", "ref", ref="enterprise"),
    Spec("workshop_id", "ref", ref="workshop", optional=True, depends="enterprise_id"),
    Spec("worker_id", "ref", ref="worker", optional=True, depends="enterprise_id"),
    Spec("collective", "bool"),
    Spec("people_count", "int"),
    Spec("title", "text"),
    Spec("description", "multiline"),
    Spec("category", "enum", enum=IssueCategory),
    Spec("urgency", "enum", enum=Urgency),
    Spec("source", "enum", enum=IssueSource),
    Spec("received_on", "date"),
    Spec("due_on", "date", optional=True, placeholder="留空则按期限规则计算"),
    Spec("assignee", "text"),
    Spec("confidential", "bool"),
]
ISSUE_EDIT = [s for s in ISSUE if s.name not in ("enterprise_id", "source", "received_on")]
ISSUE_EDIT = [Spec("due_on", "date") if s.name == "due_on" else s for s in ISSUE_EDIT]

EDITORS: dict[str, Editor] = {
    "enterprise": Editor(
        "enterprise",
        "企业",
        EnterpriseIn,
        ENTERPRISE,
        enterprises.create_enterprise,
        enterprises.update_enterprise,
        enterprises.delete_enterprise,
    ),
    "workshop": Editor(
        "workshop",
        "车间/班组",
        WorkshopIn,
        WORKSHOP,
        enterprises.create_workshop,
        enterprises.update_workshop,
        enterprises.delete_workshop,
    ),
    "worker": Editor(
        "worker",
        "职工",
        WorkerIn,
        WORKER,
        workers.create_worker,
        workers.update_worker,
        workers.delete_worker,
    ),
    "visit": Editor(
        "visit",
        "走访记录",
        VisitIn,
        VISIT,
        visits.record_visit,
        visits.update_visit,
        visits.delete_visit,
    ),
    "assistance": Editor(
        "assistance",
        "帮扶记录",
        AssistanceIn,
        ASSISTANCE,
        workers.give_assistance,
        workers.update_assistance,
        workers.delete_assistance,
    ),
    "practice": Editor(
        "practice",
        "好经验好做法",
        PracticeIn,
        PRACTICE,
        visits.add_practice,
        visits.update_practice,
        visits.delete_practice,
    ),
    "issue": Editor(
        "issue",
        "诉求",
        IssueIn,
        ISSUE,
        issues.open_issue,
        issues.edit_issue,
        issues.delete_issue,
        IssueEditIn,
        ISSUE_EDIT,
    ),
}


# The field of each new record that names who did the work: the signed-in cadre, unless the
# user says otherwise (承办人 of a case, 走访干部, 经办人 of assistance, 收集人 of a practice).
SIGNED_IN = {"issue": "assignee", "visit": "cadre", "assistance": "cadre", "practice": "cadre"}


def new_dialog(
    ctx: AppContext, kind: str, parent: QWidget | None, preset: dict[str, Any] | None = None
) -> FormDialog:
    e = EDITORS[kind]
    values = dict(preset or {})
    if kind in SIGNED_IN:
        values.setdefault(SIGNED_IN[kind], ctx.info.name)
    title = tr("Form", "新建") + tr("Nouns", e.noun)
    return FormDialog(ctx, title, e.schema, e.specs, e.create, values, parent)


def edit_dialog(
    ctx: AppContext, kind: str, row_id: str, current: EditValues, parent: QWidget | None
) -> FormDialog:
    """The form of a stored record; saving writes only what the user changed, against the
    version the form opened with (a colleague's concurrent edit becomes a conflict, not a
    silent overwrite)."""
    e = EDITORS[kind]
    schema, specs = e.edit_schema or e.schema, e.edit_specs or e.specs

    def save(session: Session, data: Any, fields: frozenset[str]) -> bool:
        return e.update(session, row_id, data, base_hlc=current.version, fields=fields)

    title = tr("Form", "编辑") + tr("Nouns", e.noun)
    return FormDialog(
        ctx, title, schema, specs, save, parent=parent, edit=current
    )


def ask_reveal_reason(parent: QWidget | None, why: str) -> str | None:
    """Why the user needs a worker's full personal data (for the audit log); None if they
    cancel or give none."""
    reason = ask.text(
        parent,
        tr("Records", "查看个人信息"),
        why + "\n" + tr("Records", "请说明原因（将记入审计日志）："),
    )
    return reason.strip() if reason is not None and reason.strip() else None


def load_for_edit(
    ctx: AppContext,
    kind: str,
    row_id: str,
    then: Callable[[EditValues], None],
    failed: Callable[[BaseException], None] | None = None,
    *,
    parent: QWidget | None = None,
) -> None:
    """Read the record for its form on the database lane; ``failed`` hears a refusal (a
    reference this ledger cannot show). A worker's form shows the full ID number and phone,
    so opening it is a reveal: the user gives a reason first, and it is on the audit record
    before the data is read; without one nothing opens."""
    if kind != "worker":
        ctx.read(lambda s: values_for_edit(s, kind, row_id), then, failed)
        return
    reason = ask_reveal_reason(parent, tr("Records", "修改职工信息会显示其完整个人信息。"))
    if reason is None:
        return

    def reveal_then_load(s: Session) -> EditValues:
        privacy.reveal_worker(s, row_id, reason)
        return values_for_edit(s, "worker", row_id)

    ctx.write(reveal_then_load, then, failed)
