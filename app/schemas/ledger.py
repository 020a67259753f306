"""Input models for the ledger's records: enterprises, workshops, stationings, workers,
visits, assistance and practices. Labels are the Chinese words the forms and spreadsheets use.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from app.schemas.base import FieldError, Input, not_future
from app.schemas.enums import (
    AssistanceKind,
    FundingSource,
    Gender,
    HardshipLevel,
    PracticeStatus,
    VisitKind,
    WorkshopKind,
)
from app.schemas.validators import (
    CleanText,
    CreditCode,
    IdNumber,
    Phone,
    id_gender,
    id_region_warning,
)

PastDate = Annotated[date, AfterValidator(not_future)]
RowId = Annotated[str, Field(min_length=36, max_length=36)]


def _text(label: str, max_length: int) -> Any:  # pydantic's Field() is typed Any
    return Field(default=None, title=label, max_length=max_length)


class EnterpriseIn(Input):
    name: CleanText = Field(title="企业名称", min_length=1, max_length=200)
    credit_code: CreditCode | None = Field(default=None, title="统一社会信用代码")
    industry: CleanText | None = _text("所属行业", 60)
    address: CleanText | None = _text("地址", 300)
    headcount: int | None = Field(default=None, title="职工人数", ge=0, le=1_000_000)
    union_founded: bool = Field(default=False, title="是否建会")
    union_founded_on: PastDate | None = Field(default=None, title="建会日期")
    collective_contract: bool = Field(default=False, title="是否签订集体合同")
    contact_name: CleanText | None = _text("联系人", 50)
    contact_phone: Phone | None = Field(default=None, title="联系电话")
    note: str | None = _text("备注", 2000)

    @model_validator(mode="after")
    def _founding_date_needs_union(self) -> EnterpriseIn:
        if self.union_founded_on is not None and not self.union_founded:
            raise ValueError("填写了建会日期，但“是否建会”为否")
        return self


class WorkshopIn(Input):
    enterprise_id: RowId = Field(title="所属企业")
    name: CleanText = Field(title="车间/班组名称", min_length=1, max_length=100)
    kind: WorkshopKind = Field(default=WorkshopKind.WORKSHOP, title="类型")
    headcount: int | None = Field(default=None, title="人数", ge=0, le=100_000)
    leader: CleanText | None = _text("负责人", 50)
    note: str | None = _text("备注", 2000)


class StationingIn(Input):
    enterprise_id: RowId = Field(title="驻点企业")
    cadre: CleanText = Field(title="驻点干部", min_length=1, max_length=50)
    started_on: date = Field(title="开始日期")
    ended_on: date | None = Field(default=None, title="结束日期")
    note: str | None = _text("备注", 2000)

    @model_validator(mode="after")
    def _ends_after_start(self) -> StationingIn:
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValueError("结束日期不能早于开始日期")
        return self


class WorkerIn(Input):
    enterprise_id: RowId = Field(title="所在企业")
    workshop_id: RowId | None = Field(default=None, title="车间/班组")
    name: CleanText = Field(title="姓名", min_length=1, max_length=50)
    gender: Gender | None = Field(default=None, title="性别")
    phone: Phone | None = Field(default=None, title="手机号")
    id_number: IdNumber | None = Field(default=None, title="身份证号")
    position: CleanText | None = _text("岗位", 50)
    member: bool = Field(default=False, title="是否会员")
    hardship_level: HardshipLevel = Field(default=HardshipLevel.NONE, title="困难类别")
    hardship_reason: str | None = _text("困难情况", 2000)
    note: str | None = _text("备注", 2000)

    @model_validator(mode="after")
    def _gender_matches_id(self) -> WorkerIn:
        if self.id_number is None:
            return self
        from_id = Gender.MALE if id_gender(self.id_number) == "男" else Gender.FEMALE
        if self.gender is None:
            object.__setattr__(self, "gender", from_id)
        elif self.gender != from_id:
            raise ValueError("性别与身份证号不符")
        return self

    @model_validator(mode="after")
    def _hardship_needs_reason(self) -> WorkerIn:
        if self.hardship_level != HardshipLevel.NONE and not self.hardship_reason:
            raise ValueError("困难职工须填写困难情况")
        return self

    def warnings(self) -> list[FieldError]:
        """What to double-check without refusing the save (the CLI, the sheet import and the
        form show these): an ID number whose region code GB/T 2260 does not know for the
        holder's birth year. Not an error, since the code table lags behind new counties."""
        out = []
        if self.id_number is not None:
            reason = id_region_warning(self.id_number)
            if reason is not None:
                label = type(self).model_fields["id_number"].title or "id_number"
                out.append(FieldError("id_number", label, "id_region_unknown", reason))
        return out


class VisitIn(Input):
    enterprise_id: RowId = Field(title="走访企业")
    workshop_id: RowId | None = Field(default=None, title="车间/班组")
    visited_on: PastDate = Field(title="走访日期")
    kind: VisitKind = Field(title="走访类型")
    cadre: CleanText | None = _text("走访干部", 50)
    people_count: int = Field(default=0, title="接触人数", ge=0, le=100_000)
    summary: str = Field(title="走访情况", min_length=1, max_length=5000)
    findings: str | None = _text("发现问题", 5000)
    follow_ups: str | None = _text("后续跟进", 5000)
    worker_ids: tuple[RowId, ...] = Field(default=(), title="走访职工", max_length=500)
    workshop_ids: tuple[RowId, ...] = Field(default=(), title="走访车间/班组", max_length=100)

    @model_validator(mode="after")
    def _count_covers_workers(self) -> VisitIn:
        if self.people_count < len(set(self.worker_ids)):
            object.__setattr__(self, "people_count", len(set(self.worker_ids)))
        return self


MONEY_KINDS = frozenset({AssistanceKind.CASH, AssistanceKind.EDUCATION, AssistanceKind.MEDICAL})


class AssistanceIn(Input):
    worker_id: RowId = Field(title="帮扶对象")
    given_on: PastDate = Field(title="帮扶日期")
    kind: AssistanceKind = Field(title="帮扶类型")
    amount: Decimal = Field(
        default=Decimal(0), title="金额（元）", ge=0, le=1_000_000, decimal_places=2
    )
    funding_source: FundingSource = Field(title="资金来源")
    cadre: CleanText | None = _text("经办人", 50)
    note: str | None = _text("备注", 2000)

    @field_validator("amount", mode="before")
    @classmethod
    def _amount_text(cls, value: object) -> object:
        if isinstance(value, float):
            return str(value)  # 12.3 must mean 12.30 yuan, not 12.2999…
        if isinstance(value, str):
            return value.replace(",", "").replace("，", "").replace("元", "").strip()
        return value

    @field_validator("amount")
    @classmethod
    def _money_is_given(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        """慰问金, 助学 and 医疗救助 are sums of money: 0 元 is a typo, not a payment."""
        if info.data.get("kind") in MONEY_KINDS and value <= 0:
            raise ValueError("金额应大于 0")
        return value

    @property
    def amount_fen(self) -> int:
        return int(self.amount * 100)


class PracticeIn(Input):
    enterprise_id: RowId | None = Field(default=None, title="来源企业")
    title: CleanText = Field(title="标题", min_length=1, max_length=100)
    content: str = Field(title="主要做法", min_length=1, max_length=10_000)
    collected_on: PastDate = Field(title="收集日期")
    cadre: CleanText | None = _text("收集人", 50)
    status: PracticeStatus = Field(default=PracticeStatus.COLLECTED, title="状态")
