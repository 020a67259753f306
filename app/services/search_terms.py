"""The words cadres type for a category of case, so a search finds the category too.

A cadre searching 欠薪 means every 工资报酬/欠薪 case, not only those whose text happens to say
欠薪; 社保 means 社会保险, 工伤 may be either a safety case or a social-insurance one. A search
term matches a category when it is part of the category's label or of one of these words
(so 工资 and 欠 find 工资报酬/欠薪, while a whole sentence matches no category and stays a
text search).

It also says what a term is, for every search box (cases and the record lists alike):
``split_query`` and ``like_pattern``.
"""

from __future__ import annotations

from app.schemas.enums import LABEL, IssueCategory

SYNONYMS: dict[IssueCategory, tuple[str, ...]] = {
    IssueCategory.WAGES: (
        "欠薪", "工资", "拖欠工资", "欠发", "讨薪", "薪酬", "报酬", "加班费", "克扣", "最低工资",
        "绩效工资", "工资条",
    ),
    IssueCategory.SOCIAL_INSURANCE: (
        "社保", "五险", "五险一金", "养老保险", "医疗保险", "医保", "工伤保险", "失业保险",
        "生育保险", "公积金", "住房公积金", "工伤",
    ),
    IssueCategory.CONTRACT: (
        "合同", "签合同", "解除合同", "辞退", "开除", "裁员", "经济补偿", "补偿金", "试用期",
        "劳务派遣", "派遣",
    ),
    IssueCategory.SAFETY: (
        "安全", "安全生产", "防护", "劳保", "劳保用品", "职业病", "隐患", "工伤", "高温",
    ),
    IssueCategory.HOURS: (
        "加班", "工时", "休假", "年假", "带薪年假", "休息", "调休", "倒班", "夜班", "病假", "产假",
    ),
    IssueCategory.HARDSHIP: ("困难", "帮扶", "救助", "大病", "生活困难", "困难职工"),
    IssueCategory.TRAINING: ("培训", "技能", "学徒", "技能提升", "职业技能"),
    IssueCategory.SUGGESTION: ("建议", "意见", "合理化建议"),
    IssueCategory.OTHER: (),
}


def categories_for(term: str) -> tuple[str, ...]:
    """The category codes ``term`` names: part of a category's label or of its words."""
    term = term.strip()
    if not term:
        return ()
    return tuple(
        c.value
        for c in IssueCategory
        if term in LABEL[c] or any(term in word for word in SYNONYMS[c])
    )


def split_query(query: str) -> list[str]:
    """The distinct terms of what was typed in a search box; every one of them counts.
    Characters no stored text can hold (NUL and other control characters, lone surrogates)
    are dropped: they would break the FTS query or the encoder, and a NUL cut a LIKE
    pattern short so that it matched everything."""
    usable = "".join(ch if ch.isprintable() or ch.isspace() else " " for ch in query)
    return list(dict.fromkeys(usable.split()))


def like_pattern(term: str) -> str:
    """``%term%`` for ``LIKE … ESCAPE '\\'``, with the wildcards in ``term`` taken literally."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
