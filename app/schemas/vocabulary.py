"""The words people read for the data model's names: entities with their measure words, and
fields by the labels the forms use.

Code names (``visit_reach``, ``workshop_id``) never reach a screen, a CLI line or a file made
for people; everything that reports on records says 诉求 415 件、走访 201 次 instead, and a
concurrent edit of ``title`` is shown as a concurrent edit of 诉求标题. One table, so every
shell says the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.schemas import issues, ledger
from app.schemas.base import Input

# entity -> (noun, measure word)
NOUNS: dict[str, tuple[str, str]] = {
    "district": ("区总工会", "个"),
    "enterprise": ("企业", "家"),
    "workshop": ("车间/班组", "个"),
    "stationing": ("驻点记录", "条"),
    "worker": ("职工", "名"),
    "visit": ("走访", "次"),
    "visit_reach": ("走访对象", "人次"),
    "issue": ("诉求", "件"),
    "issue_event": ("办理记录", "条"),
    "issue_link": ("关联诉求", "对"),
    "assistance": ("帮扶慰问", "次"),
    "practice": ("好经验好做法", "条"),
    "conflict": ("并发修改", "处"),
}
# The order reports list them in: the work first, the reference data after.
ORDER = (
    "issue",
    "issue_event",
    "visit",
    "visit_reach",
    "assistance",
    "practice",
    "worker",
    "enterprise",
    "workshop",
    "stationing",
    "issue_link",
    "conflict",
    "district",
)


def noun(entity: str) -> str:
    return NOUNS.get(entity, ("记录", "条"))[0]


def count_phrase(entity: str, n: int, new: int | None = None) -> str:
    """``诉求 415 件``, or with ``new``, ``诉求 415 件（新 1 件）``."""
    word, unit = NOUNS.get(entity, ("记录", "条"))
    text = f"{word} {n} {unit}"
    return f"{text}（新 {new} {unit}）" if new else text


def in_report_order(counts: Mapping[str, int]) -> list[str]:
    """The kinds with a count other than zero, the work first (``ORDER``), others by name."""
    known = [k for k in ORDER if counts.get(k)]
    return known + sorted(k for k in counts if k not in ORDER and counts[k])


def counts_phrase(counts: Mapping[str, int], new: Mapping[str, int] | None = None) -> str:
    """Several counts, in report order, joined with 、 (zero counts left out)."""
    fresh = new or {}
    return "、".join(count_phrase(k, counts[k], fresh.get(k)) for k in in_report_order(counts))


# Stored fields the input forms do not carry, or carry under another name.
_STORED: dict[str, str] = {
    "status": "办理状态",
    "number": "诉求编号",
    "resolution": "办理结果",
    "resolved_on": "办结日期",
    "followed_up_on": "回访日期",
    "follow_up_method": "回访方式",
    "satisfaction": "满意度",
    "decline_reason": "不予受理理由",
    "referred_to": "转办部门",
    "amount_fen": "金额（元）",
    "hardship_status": "困难档案状态",
    "hardship_filed_on": "建档日期",
    "hardship_reviewed_on": "复核日期",
    "deleted": "删除",
    "created_at": "创建时间",
    "created_by": "登记设备",
    "district_id": "所属区总工会",
    "visit_id": "来源走访",
}


def _form_titles(models: Iterable[type[Input]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for model in models:
        for name, info in model.model_fields.items():
            if info.title:
                out.setdefault(name, info.title)
    return out


_SCHEMAS: dict[str, tuple[type[Input], ...]] = {
    "enterprise": (ledger.EnterpriseIn,),
    "workshop": (ledger.WorkshopIn,),
    "stationing": (ledger.StationingIn,),
    "worker": (ledger.WorkerIn,),
    "visit": (ledger.VisitIn,),
    "assistance": (ledger.AssistanceIn,),
    "practice": (ledger.PracticeIn,),
    "issue": (issues.IssueIn, issues.IssueEditIn),
}
_TITLES = {entity: _form_titles(models) for entity, models in _SCHEMAS.items()}


def field_label(entity: str, field: str) -> str:
    """The label of ``field`` of ``entity`` as its form shows it (诉求标题 for issue.title)."""
    return _TITLES.get(entity, {}).get(field) or _STORED.get(field) or "其他字段"


def all_labels() -> set[str]:
    """Every word this module may show (for the translation catalog)."""
    words = {w for w, _ in NOUNS.values()} | set(_STORED.values()) | {"其他字段", "记录"}
    return words | {t for titles in _TITLES.values() for t in titles.values()}
