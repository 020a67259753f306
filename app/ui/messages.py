"""Messages for people, shared by the desktop app and the command line.

The core raises errors with stable codes (docs/architecture.md#errors); these tables word them in Chinese.
The GUI passes them through ``tr()`` for English. No Qt here, so the CLI can use them too.
A message never tells the user to run a command, since most users never see a terminal: the
command line adds the command that helps from ``CLI_HINTS``, the desktop app offers the
action itself (trusting a bundle's sender, the sync screen's 接入服务器).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson

from app.schemas.enums import LABEL, IssueStatus
from app.schemas.vocabulary import field_label

# How a caller translates: (context, Chinese text) → the UI language. The command line
# prints Chinese; the desktop app passes Qt's translate.
Translate = Callable[[str, str], str]
ERRORS_CONTEXT = "Errors"
LABEL_CONTEXT = "labels"  # the enum labels' context (app.ui.i18n.label)


def _same(_context: str, text: str) -> str:
    return text


class _Keep(dict[str, str]):
    """A placeholder with no value stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, /, **values: object) -> str:
    """``template`` with each ``{name}`` replaced by ``str(values[name])``; unknown names stay,
    and a template that is not a valid format string (a stray brace) comes back unfilled, so
    a translation that lacks or misspells a placeholder shows less, never raises."""
    try:
        return template.format_map(_Keep({k: str(v) for k, v in values.items()}))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


STORE_MESSAGES = {
    "not_initialised": "数据目录 {detail} 尚未初始化",
    "already_initialised": "数据目录 {detail} 已经初始化过；为防止覆盖数据，未做任何改动",
    "wrong_passphrase": "口令错误，或该文件不是基层的数据文件：{detail}",
    "no_passphrase": "需要口令：没有口令不能打开或创建数据文件（数据始终加密保存）",
    "in_use": "数据目录 {detail} 正被另一个基层程序使用（已打开的窗口、同步或恢复）：请先关闭它，或稍后再试",
    "restore_missing": "找不到备份文件 {detail}",
    "restore_damaged": "备份文件未通过完整性检查（{detail}），未做任何改动",
    "restore_not_jiceng": "这不是基层的数据备份，未做任何改动",
    "restore_newer": "备份来自更新版本的基层程序（数据版本 {detail}），请先升级本机的基层程序",
    "restore_other_replica": "这个备份属于另一台设备（{detail}），不能恢复到本数据目录，未做任何改动",
}


BUNDLE_MESSAGES = {
    "unreadable": "无法读取文件：{detail}",
    "too_large": "文件过大（{detail}），拒绝导入",
    "not_a_bundle": "这不是基层的同步包",
    "truncated": "同步包不完整（可能拷贝时中断），请重新拷贝后再导入",
    "damaged": "同步包已损坏（{detail}），请重新拷贝后再导入",
    "newer_format": "同步包来自更新版本的基层程序，请先升级本机的基层程序",
    "newer_schema": "同步包来自更新版本的基层程序（数据版本 {detail}），请先升级本机的基层程序",
    "unknown_sender": "发送方 {detail} 尚未被信任：请先核对对方的密钥指纹，确认无误后再信任",
    "revoked_sender": "发送方 {detail} 已被撤销信任，拒绝导入",
    "sender_key_mismatch": "发送方 {detail} 使用的密钥与已信任的不一致，拒绝导入",
    "bad_signature": "签名无效：同步包可能被篡改，拒绝导入",
    "digest_mismatch": "内容与清单不符：同步包可能被篡改，拒绝导入",
    "not_for_me": "这个同步包不是发给本机的，拒绝导入",
    "own_bundle": "这是本机自己导出的同步包，不需要导入",
    "no_sender_keys": "同步包 {detail} 没有附带发送方公钥（旧版本导出）：请用对方的公钥文件信任对方",
    "superseded": "这是一个较旧的同步包：同一发送方更新的同步包已于 {detail} 导入，其中的变更本机都已收到，无需再导入",
    "bomb": "解压后的大小超出限制（{detail}），拒绝导入",
    "too_many": "变更条数超出限制（{detail}），拒绝导入",
    "mismatch": "同步包内容与清单不符（{detail}），拒绝导入",
}


KEY_MESSAGES = {
    "not_a_key_file": "这不是基层的公钥文件",
    "fingerprint_mismatch": "公钥文件中的指纹与公钥不符：文件可能被篡改",
    "bad_signature": "公钥文件的签名无效：文件可能被篡改",
}


# Keys and peers (app.services.peers.PeerError), the key file codes included.
PEER_MESSAGES = {
    **KEY_MESSAGES,
    "unreadable": "无法读取文件：{detail}",
    "unwritable": "无法写入文件：{detail}",
    "own_key": "这是本机自己的公钥，无需信任",
    "unknown_peer": "找不到副本：{detail}",
    "unknown_recipient": "找不到收件方：{detail}",
    "ambiguous_peer": "有多个副本名为“{detail}”，请改用编号或指纹",
    "revoked_peer": "已撤销对 {detail} 的信任，不能向其导出同步包",
    "own_replica": "不能为本机自己导出同步包",
}


SYNC_MESSAGES = {
    "unreachable": "无法连接服务器（{detail}）。本机数据没有任何损失，联网后会再同步",
    "invalid_reply": "服务器的回应无效（{detail}）：网络可能需要先登录，或被代理拦截。本机数据没有任何损失",
    "refused": "服务器拒绝了请求：{detail}",
    "unauthorized": "本机的同步凭据已失效或已被撤销：请向管理员索取新的接入码，重新接入服务器",
    "not_enrolled": "本机尚未接入服务器：请先用管理员发放的接入码接入",
    "rate_limited": "服务器暂时限制了本机的请求（{detail}）：本机数据没有任何损失，请稍后再同步",
    "rejected": "服务器拒绝了 {detail} 条变更：这些变更没有进入服务器，请把上面的原因告知管理员",
    "replica_taken": "服务器上本机的标识已由另一台设备以不同的密钥接入，或本机旧的接入尚未登记密钥：请联系管理员（旧的接入可先用原凭据同步一次，或由管理员撤销）",
    "key_proof_invalid": "接入请求的签名无效：本机密钥文件与本机数据不符，请联系管理员",
    "role_mismatch": "这个接入码是发给另一种设备的（驻点干部的电脑和区(县)总工会的电脑各用各的接入码）：请联系管理员，按本机的角色发放接入码",
    "enroll_code_invalid": "接入码无效：可能输错了，或已用过、已过期。请核对后重试，或向管理员索取新的接入码",
    "wrong_key": "本机密钥文件与本机数据不符，无法接入服务器：请联系管理员",
}


# What the command line adds after a message: the command that helps.
CLI_HINTS = {
    "not_initialised": "（先运行 jiceng init --data-dir {detail}）",
    "unknown_sender": "（核对指纹后运行 jiceng peers trust 同步包文件 --fingerprint 指纹）",
    "unknown_recipient": "（请给出已信任副本的名称、编号或指纹，或其公钥文件）",
    "unknown_peer": "（用 jiceng peers list 查看已知的副本）",
    "unauthorized": "（取得新接入码后运行 jiceng enroll --server URL --code 接入码）",
    "not_enrolled": "（运行 jiceng enroll --server URL --code 接入码）",
}


def for_cli(table: dict[str, str], code: str, detail: str, fallback: str) -> str:
    """A message as the command line prints it: the wording, then the command that helps."""
    text = table.get(code, fallback) + CLI_HINTS.get(code, "")
    return text.format(detail=detail)


# The services' errors (app.services.errors.CODES), by code. Each placeholder is one of the
# error's values, worded by ``service_message`` according to ``VALUE_KINDS``.
SERVICE_MESSAGES = {
    "not_found": "找不到该{record}（可能已被删除）",
    "in_use": "该{record}下还有{dependent}，请先处理后再删除",
    "missing_reference": "该{record}引用的{reference}不在本机台账中（可能尚未同步到本机），暂不能编辑",
    "illegal_transition": "诉求当前为“{current}”，不能改为“{target}”（可改为：{allowed}）",
    "bad_choice": "无效的处理方式：{choice}",
    "no_hardship_file": "该职工没有在档的困难档案",
    "bad_status": "请通过修改困难类别来建档",
    "self_link": "不能关联诉求本身",
    "sheet_no_suffix": "只能导入 .xlsx 或 .csv 文件，而不是 无扩展名的文件",
    "sheet_type": "只能导入 .xlsx 或 .csv 文件，而不是 {suffix}",
    "sheet_unreadable": "无法读取该 Excel 文件（{error}），请确认文件完好",
    "sheet_encoding": "无法识别文件编码（应为 UTF-8 或 GBK）",
    "sheet_csv": "CSV 文件第 {line} 行格式有误（{error}）",
    "sheet_no_header": "在前 {rows} 行中找不到表头；应包含这些列中的至少两列：{columns}",
    "sheet_missing_columns": "表头缺少必需的列：{columns}",
    "sheet_too_many_rows": "超过 {limit} 行，请分成几个文件导入",
    "sheet_kind": "kind 应为 enterprises 或 workers",
    "sheet_too_large": "文件超过 {limit} MB，请分成几个文件导入",
    "sheet_too_many_parts": "该 Excel 文件由超过 {limit} 个部分组成，不像一份名单，已拒绝导入",
    "sheet_encrypted": "该 Excel 文件已加密：请在 Excel 中取消密码后另存再导入",
    "sheet_bomb": "文件中的 {part} 解压后过大或结构异常，可能是恶意构造的文件，已拒绝导入",
    "sheet_too_many_columns": "第 {row} 行超过 {limit} 列，请删去多余的列后重新导入",
    "sheet_cell_too_long": "第 {row} 行 {column} 列的内容超过 {limit} 个字符（Excel 的上限），文件可能已损坏",
    "row_duplicate": "与第 {row} 行重复",
    "row_unknown_enterprise": "找不到企业“{name}”：请先导入或新建该企业",
    "row_not_one_of": "应为以下之一：{choices}",
    "row_control_char": "含有不可见的控制字符（{char}），请删除后重新导入",
}
ROW_MESSAGE = "第 {row} 行「{column}」：{reason}"  # a refused or doubtful spreadsheet row

# What each value of a service error is: a kind of record (an entity name), a case status, a
# list of case statuses; any other value is shown as it is.
VALUE_KINDS = {
    "record": "entity",
    "dependent": "entity",
    "reference": "entity",
    "current": "status",
    "target": "status",
    "allowed": "statuses",
    "columns": "list",  # spreadsheet headers, shown as a file must write them (in Chinese)
    "choices": "list",  # the words a spreadsheet may use, likewise
}

# Records by entity, as a service error names them.
RECORD_NOUNS = {
    "district": "区总工会",
    "enterprise": "企业",
    "workshop": "车间/班组",
    "stationing": "驻点记录",
    "worker": "职工",
    "visit": "走访记录",
    "visit_reach": "走访对象",
    "issue": "诉求",
    "issue_event": "办理记录",
    "issue_link": "关联诉求",
    "assistance": "帮扶记录",
    "practice": "好经验好做法",
    "conflict": "冲突记录",
}
SOME_RECORD = "记录"

# Why the ledger check set a stored value aside (app.services.stored_check.REASONS).
ISOLATION_REASONS = {
    "not_in_vocabulary": "不是规定的选项",
    "too_long": "超过长度上限",
    "contains_nul": "含有空字符",
    "wrong_type": "类型不符",
    "out_of_range": "超出范围",
    "missing": "缺少必填值",
    "not_a_row_id": "不是有效的记录编号",
    "not_a_date": "不是有效日期",
}
ISOLATED_LINE = "{noun} {row_id}，{field}：{reason}（原值 {value}，现以 {stand_in} 代替）"
EMPTY_VALUE = "（空）"
ISOLATED_NOTICE = "数据检查：{count} 处存储的值不符合规则，已隔离并以替代值显示，请核对后修改相应记录"


def isolated_line(
    entity: str,
    row_id: str,
    field: str,
    reason: str,
    value: str,
    stand_in: str,
    translate: Translate = _same,
) -> str:
    """One isolated value, for the list the user repairs from (``value`` and ``stand_in``
    as JSON text; a shell escapes them for its own output)."""
    return translate(ERRORS_CONTEXT, ISOLATED_LINE).format(
        noun=translate(ERRORS_CONTEXT, RECORD_NOUNS.get(entity, SOME_RECORD)),
        row_id=row_id,
        field=translate("Fields", field_label(entity, field)),
        reason=translate(ERRORS_CONTEXT, ISOLATION_REASONS.get(reason, reason)),
        value=_cut(_stored(value, translate)),
        stand_in=_cut(_stored(stand_in, translate, labelled=True)),
    )


def _stored(raw: str, translate: Translate, *, labelled: bool = False) -> str:
    """A stored value (JSON text) as the user reads it: a vocabulary code by its label
    (the stand-in is always one the vocabulary has), nothing as （空）, text in quotes."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw
    if value is None:
        return translate(ERRORS_CONTEXT, EMPTY_VALUE)
    if labelled and isinstance(value, str) and value in LABEL:
        return translate(LABEL_CONTEXT, LABEL[value])  # type: ignore[index]  # StrEnum keys
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
LIST_PAIR = "{items}、{item}"  # a list grows one item at a time
NONE_WORD = "无"


def service_message(
    code: str, values: Mapping[str, object], default: str, translate: Translate = _same
) -> str:
    """A service error worded from ``SERVICE_MESSAGES`` in the caller's language; a code the
    table lacks shows the service's own (Chinese) ``default``, translated if the catalog
    has it."""
    template = SERVICE_MESSAGES.get(code)
    if template is None:
        return translate(ERRORS_CONTEXT, default)
    words = {name: _word(name, value, translate) for name, value in values.items()}
    return fill(translate(ERRORS_CONTEXT, template), **words)


def _word(name: str, value: object, translate: Translate) -> str:
    kind = VALUE_KINDS.get(name)
    if kind == "entity":
        return translate(ERRORS_CONTEXT, RECORD_NOUNS.get(str(value), SOME_RECORD))
    if kind == "status":
        return _status(value, translate)
    if kind == "statuses":
        items = value if isinstance(value, tuple | list) else (value,)
        return _listed([_status(v, translate) for v in items], translate)
    if kind == "list":
        items = value if isinstance(value, tuple | list) else (value,)
        return _listed([str(v) for v in items], translate)
    return str(value)


def _listed(words: list[str], translate: Translate) -> str:
    if not words:
        return translate(ERRORS_CONTEXT, NONE_WORD)
    pair = translate(ERRORS_CONTEXT, LIST_PAIR)
    text = words[0]
    for word in words[1:]:
        text = fill(pair, items=text, item=word)
    return text


def _status(value: object, translate: Translate) -> str:
    try:
        return translate(LABEL_CONTEXT, LABEL[IssueStatus(str(value))])
    except (ValueError, KeyError):
        return str(value)


class RowLike(Protocol):  # app.services.sheet_import.RowError
    @property
    def row(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


def row_message(error: RowLike, translate: Translate = _same) -> str:
    """``第 3 行「企业名称」：不能为空`` — a spreadsheet row's refusal (or doubt) in the caller's
    language; the column stays as the file wrote it."""
    reason = service_message(error.code, error.values, error.message, translate)
    return fill(
        translate(ERRORS_CONTEXT, ROW_MESSAGE), row=error.row, column=error.column, reason=reason
    )


def local_time(utc: datetime | None) -> str:
    """A stored UTC time as the user's clock shows it ("" for none): screens and the CLI."""
    return f"{utc.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}" if utc else ""
