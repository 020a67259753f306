"""The domain's closed vocabularies (DESIGN §2).

Values stored in the database and sent on the wire are short English codes, so that a label can
be reworded without a data migration. ``LABEL`` holds the official Chinese term for each code:
it is domain vocabulary (spreadsheets and reports use exactly these words), not UI wording; the
UI translates it for English users.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class Role(StrEnum):
    CADRE = "cadre"
    DISTRICT = "district"
    SERVER = "server"


class IssueStatus(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    RESOLVED = "resolved"
    FOLLOWED_UP = "followed_up"
    DECLINED = "declined"


class IssueCategory(StrEnum):
    WAGES = "wages"
    SOCIAL_INSURANCE = "social_insurance"
    CONTRACT = "contract"
    SAFETY = "safety"
    HOURS = "hours"
    HARDSHIP = "hardship"
    TRAINING = "training"
    SUGGESTION = "suggestion"
    OTHER = "other"


class Urgency(StrEnum):
    URGENT = "urgent"
    PRESSING = "pressing"
    NORMAL = "normal"


class IssueSource(StrEnum):
    VISIT = "visit"
    WALK_IN = "walk_in"
    PHONE = "phone"
    LETTER = "letter"
    ONLINE = "online"
    OTHER = "other"


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY = "basically"
    DISSATISFIED = "dissatisfied"


class EventKind(StrEnum):
    TRANSITION = "transition"
    NOTE = "note"
    ASSIGN = "assign"


class VisitKind(StrEnum):
    SURVEY = "survey"
    FORUM = "forum"
    TALK = "talk"
    POLICY = "policy"
    RECRUIT = "recruit"
    CONDOLENCE = "condolence"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class HardshipLevel(StrEnum):
    NONE = "none"
    ORDINARY = "ordinary"
    EXTREME = "extreme"


class HardshipStatus(StrEnum):
    FILED = "filed"
    LIFTED = "lifted"
    CANCELLED = "cancelled"


class AssistanceKind(StrEnum):
    CASH = "cash"
    GOODS = "goods"
    EDUCATION = "education"
    MEDICAL = "medical"
    EMPLOYMENT = "employment"


class FundingSource(StrEnum):
    UNION_FUNDS = "union_funds"
    HIGHER_UNION = "higher_union"
    ENTERPRISE = "enterprise"
    DONATION = "donation"


class WorkshopKind(StrEnum):
    WORKSHOP = "workshop"
    TEAM = "team"
    DEPARTMENT = "department"


class PracticeStatus(StrEnum):
    COLLECTED = "collected"
    REPORTED = "reported"
    PROMOTED = "promoted"


LABEL: dict[StrEnum, str] = {
    Role.CADRE: "驻点干部",
    Role.DISTRICT: "区(县)总工会",
    Role.SERVER: "市总工会服务器",
    IssueStatus.REGISTERED: "登记",
    IssueStatus.ACCEPTED: "受理",
    IssueStatus.IN_PROGRESS: "办理中",
    IssueStatus.REFERRED: "转办",
    IssueStatus.RESOLVED: "已办结",
    IssueStatus.FOLLOWED_UP: "已回访",
    IssueStatus.DECLINED: "不予受理",
    IssueCategory.WAGES: "工资报酬/欠薪",
    IssueCategory.SOCIAL_INSURANCE: "社会保险",
    IssueCategory.CONTRACT: "劳动合同",
    IssueCategory.SAFETY: "劳动安全卫生",
    IssueCategory.HOURS: "工时与休假",
    IssueCategory.HARDSHIP: "生活困难",
    IssueCategory.TRAINING: "技能培训",
    IssueCategory.SUGGESTION: "意见建议",
    IssueCategory.OTHER: "其他",
    Urgency.URGENT: "紧急",
    Urgency.PRESSING: "较急",
    Urgency.NORMAL: "一般",
    IssueSource.VISIT: "走访",
    IssueSource.WALK_IN: "来访",
    IssueSource.PHONE: "来电",
    IssueSource.LETTER: "来信",
    IssueSource.ONLINE: "网络",
    IssueSource.OTHER: "其他",
    Satisfaction.SATISFIED: "满意",
    Satisfaction.BASICALLY: "基本满意",
    Satisfaction.DISSATISFIED: "不满意",
    EventKind.TRANSITION: "状态变更",
    EventKind.NOTE: "办理记录",
    EventKind.ASSIGN: "指派",
    VisitKind.SURVEY: "调研走访",
    VisitKind.FORUM: "座谈会",
    VisitKind.TALK: "谈心谈话",
    VisitKind.POLICY: "政策宣讲",
    VisitKind.RECRUIT: "入会动员",
    VisitKind.CONDOLENCE: "慰问",
    Gender.MALE: "男",
    Gender.FEMALE: "女",
    HardshipLevel.NONE: "无",
    HardshipLevel.ORDINARY: "一般困难",
    HardshipLevel.EXTREME: "特困",
    HardshipStatus.FILED: "建档",
    HardshipStatus.LIFTED: "脱困",
    HardshipStatus.CANCELLED: "注销",
    AssistanceKind.CASH: "慰问金",
    AssistanceKind.GOODS: "物资",
    AssistanceKind.EDUCATION: "助学",
    AssistanceKind.MEDICAL: "医疗救助",
    AssistanceKind.EMPLOYMENT: "就业帮扶",
    FundingSource.UNION_FUNDS: "工会经费",
    FundingSource.HIGHER_UNION: "上级工会补助",
    FundingSource.ENTERPRISE: "企业配套",
    FundingSource.DONATION: "社会捐助",
    WorkshopKind.WORKSHOP: "车间",
    WorkshopKind.TEAM: "班组",
    WorkshopKind.DEPARTMENT: "部门",
    PracticeStatus.COLLECTED: "已收集",
    PracticeStatus.REPORTED: "已上报",
    PracticeStatus.PROMOTED: "已推广",
}


def label(value: StrEnum | None) -> str:
    """The Chinese term for a code ('' for None)."""
    return "" if value is None else LABEL[value]


def from_label(enum: type[E], text: str) -> E:
    """The member of ``enum`` whose code or Chinese label is ``text`` (spreadsheets use labels)."""
    text = text.strip()
    for member in enum:
        if text in (member.value, LABEL[member]):
            return member
    raise ValueError(text)


# The issue lifecycle (DESIGN §2). Re-opening a resolved case is allowed because a follow-up
# visit sometimes finds the problem is back; a declined case can be reconsidered.
TRANSITIONS: dict[IssueStatus, frozenset[IssueStatus]] = {
    IssueStatus.REGISTERED: frozenset({IssueStatus.ACCEPTED, IssueStatus.DECLINED}),
    IssueStatus.ACCEPTED: frozenset(
        {IssueStatus.IN_PROGRESS, IssueStatus.REFERRED, IssueStatus.DECLINED}
    ),
    IssueStatus.IN_PROGRESS: frozenset({IssueStatus.REFERRED, IssueStatus.RESOLVED}),
    IssueStatus.REFERRED: frozenset({IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED}),
    IssueStatus.RESOLVED: frozenset({IssueStatus.FOLLOWED_UP, IssueStatus.IN_PROGRESS}),
    IssueStatus.FOLLOWED_UP: frozenset({IssueStatus.IN_PROGRESS}),
    IssueStatus.DECLINED: frozenset({IssueStatus.ACCEPTED}),
}

# Statuses in which a case no longer counts against its due date.
CLOSED_STATUSES = frozenset({IssueStatus.RESOLVED, IssueStatus.FOLLOWED_UP, IssueStatus.DECLINED})
