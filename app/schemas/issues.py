"""Input models for workers' demands (职工诉求) and their handling."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from app.schemas.base import Input
from app.schemas.enums import (
    FollowUpMethod,
    IssueCategory,
    IssueSource,
    IssueStatus,
    Satisfaction,
    Urgency,
)
from app.schemas.ledger import PastDate, RowId
from app.schemas.validators import CleanText


class IssueIn(Input):
    enterprise_id: RowId = Field(title="所在企业")
    workshop_id: RowId | None = Field(default=None, title="车间/班组")
    worker_id: RowId | None = Field(default=None, title="反映人")
    visit_id: RowId | None = Field(default=None, title="来源走访")
    collective: bool = Field(default=False, title="集体诉求")
    people_count: int = Field(default=1, title="涉及人数", ge=1, le=100_000)
    title: CleanText = Field(title="诉求标题", min_length=1, max_length=100)
    description: str | None = Field(default=None, title="诉求内容", max_length=5000)
    category: IssueCategory = Field(title="诉求类别")
    urgency: Urgency = Field(default=Urgency.NORMAL, title="紧急程度")
    source: IssueSource = Field(default=IssueSource.VISIT, title="来源")
    received_on: PastDate = Field(title="登记日期")
    due_on: date | None = Field(default=None, title="办理期限")
    assignee: CleanText | None = Field(default=None, title="承办人", max_length=50)
    confidential: bool = Field(default=False, title="为反映人保密")

    @model_validator(mode="after")
    def _consistent(self) -> IssueIn:
        if self.collective and self.people_count < 2:
            raise ValueError("集体诉求的涉及人数应不少于2人")
        if not self.collective and self.people_count != 1:
            raise ValueError("个人诉求的涉及人数应为1；多人反映请勾选“集体诉求”")
        if self.due_on is not None and self.due_on < self.received_on:
            raise ValueError("办理期限不能早于登记日期")
        return self


class TransitionIn(Input):
    """Move a case along its lifecycle. Which extra field is needed depends on the target."""

    to_status: IssueStatus = Field(title="办理状态")
    note: str | None = Field(default=None, title="说明", max_length=2000)
    department: CleanText | None = Field(default=None, title="转办部门", max_length=100)
    resolution: str | None = Field(default=None, title="办理结果", max_length=5000)
    satisfaction: Satisfaction | None = Field(default=None, title="满意度")
    method: FollowUpMethod | None = Field(default=None, title="回访方式")
    reason: str | None = Field(default=None, title="不予受理理由", max_length=2000)
    on: PastDate | None = Field(default=None, title="日期")

    @model_validator(mode="after")
    def _needs(self) -> TransitionIn:
        needed = {
            IssueStatus.REFERRED: ("department", "转办须填写转办部门"),
            IssueStatus.RESOLVED: ("resolution", "办结须填写办理结果"),
            IssueStatus.FOLLOWED_UP: ("satisfaction", "回访须填写满意度"),
            IssueStatus.DECLINED: ("reason", "不予受理须说明理由"),
        }.get(self.to_status)
        if needed and getattr(self, needed[0]) is None:
            raise ValueError(needed[1])
        if self.to_status == IssueStatus.FOLLOWED_UP and self.method is None:
            raise ValueError("回访须填写回访方式")
        return self


class NoteIn(Input):
    text: str = Field(title="办理记录", min_length=1, max_length=2000)


class IssueEditIn(Input):
    """Fields of a case that may be corrected after it was registered."""

    workshop_id: RowId | None = Field(default=None, title="车间/班组")
    worker_id: RowId | None = Field(default=None, title="反映人")
    collective: bool = Field(default=False, title="集体诉求")
    people_count: int = Field(default=1, title="涉及人数", ge=1, le=100_000)
    title: CleanText = Field(title="诉求标题", min_length=1, max_length=100)
    description: str | None = Field(default=None, title="诉求内容", max_length=5000)
    category: IssueCategory = Field(title="诉求类别")
    urgency: Urgency = Field(title="紧急程度")
    due_on: date = Field(title="办理期限")
    assignee: CleanText | None = Field(default=None, title="承办人", max_length=50)
    confidential: bool = Field(default=False, title="为反映人保密")

    @model_validator(mode="after")
    def _consistent(self) -> IssueEditIn:
        if self.collective and self.people_count < 2:
            raise ValueError("集体诉求的涉及人数应不少于2人")
        if not self.collective and self.people_count != 1:
            raise ValueError("个人诉求的涉及人数应为1；多人反映请勾选“集体诉求”")
        return self
