"""Text for people lives in the UI: placeholders have names, services raise codes and values.

The UI fills ``{name}`` placeholders after translating (``tr_fmt``), never a chain of
``.replace("%1", …)``; every code a service raises has a wording in ``app.ui.messages``
that uses exactly the values the error carries; and in English those errors read with no
Chinese left in them.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.schemas.enums import IssueStatus
from app.schemas.issues import TransitionIn
from app.services import conflicts, enterprises, issues
from app.services.errors import CODES, RECORD_LABELS, NotFoundError, RuleError, ServiceError
from app.services.sheet_import import RowError, import_sheet
from app.storage.store import Store
from app.ui import i18n
from app.ui.i18n_catalog import HAS_CHINESE
from app.ui.messages import (
    RECORD_NOUNS,
    SERVICE_MESSAGES,
    VALUE_KINDS,
    fill,
    row_message,
    service_message,
)
from tests.helpers import add_enterprise, add_issue, add_worker

APP = Path(__file__).resolve().parents[2] / "app"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _sources(*folders: str) -> Iterator[tuple[Path, ast.AST]]:
    for folder in folders:
        for path in sorted((APP / folder).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


# ---- (a) no positional placeholders filled by hand ----------------------------------------


def test_no_replace_chain_fills_a_placeholder() -> None:
    """Neither ``.replace("%1", …)`` nor ``.replace(f"%{i}", …)`` nor ``.replace("{x}", …)``:
    the SQL LIKE escapes (``.replace("%", "\\%")``) are the only ``%`` replaced."""
    found = []
    for path, tree in _sources("."):
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "replace"
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                text = first.value
            elif isinstance(first, ast.JoinedStr):
                text = "".join(
                    v.value if isinstance(v, ast.Constant) else "{}" for v in first.values
                )
            else:
                continue
            if re.fullmatch(r"%(\d+|n|\{\})|\{\w*\}", text):
                found.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert found == []


def test_grep_finds_no_replace_percent_digit() -> None:
    pattern = re.compile(r"""\.replace\(\s*f?["']%(\d|\{)""")
    hits = [
        f"{path.relative_to(APP.parent)}:{n}"
        for path in sorted(APP.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert hits == []


def test_fill_never_raises_on_a_broken_translation() -> None:
    assert fill("已导出 {count} 条", count=3) == "已导出 3 条"
    assert fill("Exported {cuont}", count=3) == "Exported {cuont}"  # misspelt: shown as is
    assert fill("{} and {0} and {count", count=3) == "{} and {0} and {count"
    assert fill("90%分位 {days} 天", days=7) == "90%分位 7 天"


# ---- (b) the catalogue covers every code, with the error's values -------------------------


def _names(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}


def _error_classes() -> set[str]:
    """ServiceError and every class in app/services and app/sync derived from it."""
    found = {"ServiceError"}
    classes = [
        node
        for _path, tree in _sources("services", "sync")
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    ]
    while True:
        more = {
            c.name
            for c in classes
            if any(getattr(b, "id", None) in found for b in c.bases) and c.name not in found
        }
        if not more:
            return found
        found |= more


def _raised_codes() -> list[tuple[str, str, set[str] | None]]:
    """(where, code, value names or None when not a literal dict) of every service error
    constructed in app/services and app/sync, read from the source — and of every reason a
    spreadsheet row is refused for (sheet_import's ``_Refused``, code "" for a fixed message);
    NotFoundError's code and values come from its class."""
    out: list[tuple[str, str, set[str] | None]] = []
    errors = (_error_classes() - {"NotFoundError"}) | {"_Refused"}
    for path, tree in _sources("services", "sync"):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            where = f"{path.name}:{node.lineno}"
            if name == "NotFoundError":
                out.append((where, "not_found", {"record"}))
            if name not in errors and not (
                name == "__init__" and path.name == "errors.py"
            ):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            code = node.args[0].value
            if code == "" and name == "_Refused":
                continue
            values = next((k.value for k in node.keywords if k.arg == "values"), None)
            if values is None and name == "_Refused" and len(node.args) > 2:
                values = node.args[2]
            keys: set[str] | None = set()
            if isinstance(values, ast.Dict):
                keys = {k.value for k in values.keys if isinstance(k, ast.Constant)}
            elif values is not None:
                keys = None
            out.append((where, str(code), keys))
    return out


def test_the_source_raises_codes() -> None:
    raised = _raised_codes()
    assert len(raised) >= 20  # the scan really found the raise sites
    assert {code for _w, code, _k in raised} == set(CODES)  # none declared but never raised


@pytest.mark.parametrize("where,code,keys", _raised_codes())
def test_every_raised_code_is_declared_with_its_values(
    where: str, code: str, keys: set[str] | None
) -> None:
    assert code in CODES, where
    if keys is not None:
        assert keys == set(CODES[code]), where


def test_every_code_has_a_wording_that_uses_exactly_its_values() -> None:
    assert set(SERVICE_MESSAGES) == set(CODES)
    for code, fields in CODES.items():
        assert _names(SERVICE_MESSAGES[code]) == set(fields), code
        sample = {f: _sample(f) for f in fields}
        text = service_message(code, sample, "default")
        assert "{" not in text and text != "default", code


def test_the_catalogue_names_the_same_records_as_the_services() -> None:
    assert RECORD_NOUNS == RECORD_LABELS


def _sample(field: str) -> str | tuple[str, ...]:
    kind = VALUE_KINDS.get(field)
    if kind == "entity":
        return "enterprise"
    if kind == "status":
        return IssueStatus.REGISTERED.value
    if kind == "statuses":
        return (IssueStatus.ACCEPTED.value, IssueStatus.IN_PROGRESS.value)
    if kind == "list":  # spreadsheet headers: data, shown as a file must write them
        return ("name", "credit_code")
    return "7"


def _raise(store: Store) -> list[ServiceError]:
    """Real errors from the services, one per code that a user can meet."""
    enterprise = add_enterprise(store)
    add_worker(store, enterprise)
    case = add_issue(store, enterprise)
    resolve = TransitionIn(to_status=IssueStatus.RESOLVED, resolution="已补发")
    attempts = [
        lambda s: enterprises.delete_enterprise(s, enterprise),
        lambda s: enterprises.delete_workshop(s, "no-such-id"),
        lambda s: issues.transition(s, case, resolve),
        lambda s: issues.link_issues(s, case, case),
        lambda s: conflicts.resolve_conflict(s, "x", "merge"),
        lambda s: import_sheet(s, Path("名单.txt"), "enterprises"),
    ]
    raised = []
    for attempt in attempts:
        with pytest.raises(ServiceError) as err, store.write() as s:
            attempt(s)
        raised.append(err.value)
    return raised


def test_chinese_wording_is_the_services_own_message(store: Store) -> None:
    """The catalogue and the services' defaults say the same thing in Chinese, so the CLI
    and the desktop app read as before."""
    raised = _raise(store)
    assert {e.code for e in raised} >= {"in_use", "not_found", "illegal_transition"}
    for error in raised:
        assert service_message(error.code, error.values, error.message) == error.message
        assert i18n.service_error(error) == error.message  # the tests run in zh_CN
    assert raised[0].message == "该企业下还有职工，请先处理后再删除"
    assert raised[0].values == {"record": "enterprise", "dependent": "worker"}


# ---- (c) in English, no Chinese fragments ---------------------------------------------------


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = i18n.install(qapp, "en")
    assert translators
    try:
        yield
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        i18n.install(qapp, "zh_CN")


@pytest.mark.usefixtures("english")
def test_errors_read_without_chinese_in_english(store: Store) -> None:
    errors: list[ServiceError] = [
        *_raise(store),
        NotFoundError("visit_reach", "x"),
        RuleError(
            "missing_reference",
            "该诉求引用的职工不在本机台账中（可能尚未同步到本机），暂不能编辑",
            values={"record": "issue", "reference": "worker"},
        ),
        RuleError(
            "illegal_transition",
            "诉求当前为“已回访”，不能改为“登记”（可改为：无）",
            values={"current": "followed_up", "target": "registered", "allowed": ()},
        ),
    ]
    for error in errors:
        text = i18n.service_error(error)
        assert text and not CJK.search(text), (error.code, text)
    assert i18n.service_error(errors[0]) == (
        "This enterprise still has a worker; deal with it first, then delete"
    )
    for code, fields in CODES.items():
        text = service_message(code, {f: _sample(f) for f in fields}, "", i18n.tr)
        assert not HAS_CHINESE.search(text), (code, text)


@pytest.mark.usefixtures("english")
def test_named_placeholders_are_filled_in_english() -> None:
    from app.ui.pages.records import yes_no
    from app.ui.pages.sync import delivered

    assert delivered(3, 1) == (
        "3 local changes delivered to the recipient, 1 still only on this computer"
    )
    assert i18n.changes_phrase({"issue": 3}) == "Case: 3"
    assert (yes_no(True), yes_no(False)) == ("Yes", "No")
    assert i18n.tr_fmt("Reports", "{month}月", month=5) == "M5"


@pytest.mark.usefixtures("english")
def test_a_refused_spreadsheet_row_reads_in_english() -> None:
    """The column stays as the file wrote it (it is data); the reason is worded."""
    duplicate = RowError(3, "企业名称", "与第 2 行重复", "row_duplicate", {"row": 2})
    assert row_message(duplicate, i18n.tr) == "Row 3, “企业名称”: repeats row 2"
    assert row_message(duplicate) == str(duplicate) == "第 3 行「企业名称」：与第 2 行重复"
