"""The domain's closed vocabularies (docs/glossary.md).

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


class FollowUpMethod(StrEnum):
    """How the follow-up (回访) reached the worker."""

    # Codes are distinct from IssueSource's ("phone", "visit"): StrEnum members hash by value,
    # so two enums sharing a code would share one entry of LABEL.
    PHONE = "call"
    VISIT = "home_visit"
    MEETING = "meeting"
    OTHER = "other"


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
    """困难类别 as the ACFTU files them today. The codes are those of earlier versions
    (ordinary = 相对困难, extreme = 深度困难), so stored values and old changes keep their
    meaning; 意外致困 (hardship from an accident, illness or disaster) is new."""

    NONE = "none"
    ORDINARY = "ordinary"
    EXTREME = "extreme"
    ACCIDENT = "accident"


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


_LABELS: tuple[tuple[StrEnum, str], ...] = (
    (Role.CADRE, "驻点干部"),
    (Role.DISTRICT, "区(县)总工会"),
    (Role.SERVER, "市总工会服务器"),
    (IssueStatus.REGISTERED, "已登记"),
    (IssueStatus.ACCEPTED, "已受理"),
    (IssueStatus.IN_PROGRESS, "办理中"),
    (IssueStatus.REFERRED, "已转办"),
    (IssueStatus.RESOLVED, "已办结"),
    (IssueStatus.FOLLOWED_UP, "已回访"),
    (IssueStatus.DECLINED, "不予受理"),
    (IssueCategory.WAGES, "工资报酬/欠薪"),
    (IssueCategory.SOCIAL_INSURANCE, "社会保险"),
    (IssueCategory.CONTRACT, "劳动合同"),
    (IssueCategory.SAFETY, "劳动安全卫生"),
    (IssueCategory.HOURS, "工时与休假"),
    (IssueCategory.HARDSHIP, "生活困难"),
    (IssueCategory.TRAINING, "技能培训"),
    (IssueCategory.SUGGESTION, "意见建议"),
    (IssueCategory.OTHER, "其他"),
    (Urgency.URGENT, "紧急"),
    (Urgency.PRESSING, "较急"),
    (Urgency.NORMAL, "一般"),
    (IssueSource.VISIT, "走访"),
    (IssueSource.WALK_IN, "来访"),
    (IssueSource.PHONE, "来电"),
    (IssueSource.LETTER, "来信"),
    (IssueSource.ONLINE, "网络"),
    (IssueSource.OTHER, "其他"),
    (Satisfaction.SATISFIED, "满意"),
    (Satisfaction.BASICALLY, "基本满意"),
    (Satisfaction.DISSATISFIED, "不满意"),
    (FollowUpMethod.PHONE, "电话回访"),
    (FollowUpMethod.VISIT, "上门回访"),
    (FollowUpMethod.MEETING, "座谈回访"),
    (FollowUpMethod.OTHER, "其他"),
    (EventKind.TRANSITION, "状态变更"),
    (EventKind.NOTE, "办理记录"),
    (EventKind.ASSIGN, "指派"),
    (VisitKind.SURVEY, "调研走访"),
    (VisitKind.FORUM, "座谈会"),
    (VisitKind.TALK, "谈心谈话"),
    (VisitKind.POLICY, "政策宣讲"),
    (VisitKind.RECRUIT, "入会动员"),
    (VisitKind.CONDOLENCE, "慰问"),
    (Gender.MALE, "男"),
    (Gender.FEMALE, "女"),
    (HardshipLevel.NONE, "无"),
    (HardshipLevel.ORDINARY, "相对困难"),
    (HardshipLevel.EXTREME, "深度困难"),
    (HardshipLevel.ACCIDENT, "意外致困"),
    (HardshipStatus.FILED, "建档"),
    (HardshipStatus.LIFTED, "脱困"),
    (HardshipStatus.CANCELLED, "注销"),
    (AssistanceKind.CASH, "慰问金"),
    (AssistanceKind.GOODS, "物资"),
    (AssistanceKind.EDUCATION, "助学"),
    (AssistanceKind.MEDICAL, "医疗救助"),
    (AssistanceKind.EMPLOYMENT, "就业帮扶"),
    (FundingSource.UNION_FUNDS, "工会经费"),
    (FundingSource.HIGHER_UNION, "上级工会补助"),
    (FundingSource.ENTERPRISE, "企业配套"),
    (FundingSource.DONATION, "社会捐助"),
    (WorkshopKind.WORKSHOP, "车间"),
    (WorkshopKind.TEAM, "班组"),
    (WorkshopKind.DEPARTMENT, "部门"),
    (PracticeStatus.COLLECTED, "已收集"),
    (PracticeStatus.REPORTED, "已上报"),
    (PracticeStatus.PROMOTED, "已推广"),
)

def _one_word_per_code(pairs: tuple[tuple[StrEnum, str], ...]) -> dict[StrEnum, str]:
    """LABEL, refusing two vocabularies that use one code for different words: StrEnum members
    hash by their code, so the second would silently relabel the first (a 回访方式 coded "visit"
    once turned every 走访 source into 上门回访)."""
    table: dict[StrEnum, str] = {}
    for member, word in pairs:
        if table.setdefault(member, word) != word:
            raise ValueError(f"code {member.value!r} has two labels: {table[member]} and {word}")
    return table


LABEL: dict[StrEnum, str] = _one_word_per_code(_LABELS)


# What the button that moves a case from one status to another says: a verb, the act the
# cadre performs (受理, 办结, 登记回访), where the status names say the state it leaves.
ACTIONS: dict[IssueStatus, str] = {
    IssueStatus.ACCEPTED: "受理",
    IssueStatus.IN_PROGRESS: "开始办理",
    IssueStatus.REFERRED: "转办",
    IssueStatus.RESOLVED: "办结",
    IssueStatus.FOLLOWED_UP: "登记回访",
    IssueStatus.DECLINED: "不予受理",
}
REOPEN = "重新办理"  # back to 办理中 from 已办结 or 已回访
RECONSIDER = "重新受理"  # back to 已受理 from 不予受理


def action(current: IssueStatus, target: IssueStatus) -> str:
    """The verb for moving a case in ``current`` to ``target``."""
    if target == IssueStatus.IN_PROGRESS and current in (
        IssueStatus.RESOLVED,
        IssueStatus.FOLLOWED_UP,
    ):
        return REOPEN
    if target == IssueStatus.ACCEPTED and current == IssueStatus.DECLINED:
        return RECONSIDER
    return ACTIONS[target]


def label(value: StrEnum | None) -> str:
    """The Chinese term for a code ('' for None)."""
    return "" if value is None else LABEL[value]


# Labels earlier versions used, still read from spreadsheets and older exports.
FORMER_LABELS: dict[str, StrEnum] = {
    "一般困难": HardshipLevel.ORDINARY,
    "特困": HardshipLevel.EXTREME,
    "登记": IssueStatus.REGISTERED,
    "受理": IssueStatus.ACCEPTED,
    "转办": IssueStatus.REFERRED,
}


def from_label(enum: type[E], text: str) -> E:
    """The member of ``enum`` whose code or Chinese label (today's or a former one) is
    ``text`` (spreadsheets use labels)."""
    text = text.strip()
    for member in enum:
        if text in (member.value, LABEL[member]):
            return member
    former = FORMER_LABELS.get(text)
    if isinstance(former, enum):
        return former
    raise ValueError(text)


# The issue lifecycle (docs/glossary.md#lifecycle). Re-opening a resolved case is allowed
# because a follow-up visit sometimes finds the problem is back; a declined case can be
# reconsidered.
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
