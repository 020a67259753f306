"""Errors services raise. Each has a stable ``code`` for programs, the ``field`` it concerns
and the ``values`` its wording needs — codes and numbers, never sentences — so the UI can
word it in the user's language from its catalogue (``app.ui.messages.SERVICE_MESSAGES``,
which the command line prints too). ``message`` is a default in Chinese, for logs and for
any caller without the catalogue (docs/architecture.md#errors)."""

from __future__ import annotations

from collections.abc import Mapping

from app.schemas.base import InputError

__all__ = ["CODES", "InputError", "NotFoundError", "RuleError", "ServiceError"]

# Every code a service raises, with the names of the values its wording is given. A test
# checks that each has a wording in the UI's catalogue that uses exactly these names.
CODES: dict[str, tuple[str, ...]] = {
    "not_found": ("record",),  # an entity name: "enterprise", "issue"…
    "in_use": ("record", "dependent"),  # entity names: the record, what still refers to it
    "missing_reference": ("record", "reference"),  # entity names
    "illegal_transition": ("current", "target", "allowed"),  # IssueStatus values; a list
    "bad_choice": ("choice",),  # the choice as given
    "no_hardship_file": (),
    "bad_status": (),
    "self_link": (),
    # A spreadsheet to import (app.services.sheet_import.SheetError).
    "sheet_no_suffix": (),
    "sheet_type": ("suffix",),
    "sheet_unreadable": ("error",),  # the exception's class name
    "sheet_encoding": (),
    "sheet_csv": ("line", "error"),  # the csv module's message
    "sheet_no_header": ("rows", "columns"),  # columns: the headers as a file must write them
    "sheet_missing_columns": ("columns",),
    "sheet_too_many_rows": ("limit",),
    "sheet_kind": (),
    "sheet_too_large": ("limit",),  # in MB
    "sheet_too_many_parts": ("limit",),  # entries in the .xlsx zip
    "sheet_encrypted": (),
    "sheet_bomb": ("part",),  # the zip entry (or the file) that would inflate past the caps
    "sheet_too_many_columns": ("row", "limit"),
    "sheet_cell_too_long": ("row", "column", "limit"),  # column: its letter (C)
    # Why one row of a spreadsheet is refused (app.services.sheet_import.RowError).
    "row_duplicate": ("row",),  # the row it repeats
    "row_unknown_enterprise": ("name",),  # as the row wrote it
    "row_not_one_of": ("choices",),  # the words a file may use, in Chinese
    "row_control_char": ("char",),  # the first one, as U+0000
}

Value = str | int | tuple[str, ...]

# The records' names in the default messages (the UI words them from its own catalogue).
RECORD_LABELS = {
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


class ServiceError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str = "",
        values: Mapping[str, Value] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.values: dict[str, Value] = dict(values or {})


class NotFoundError(ServiceError):
    """The record does not exist, or was deleted. ``entity`` names its kind ("issue")."""

    def __init__(self, entity: str, row_id: str) -> None:
        label = RECORD_LABELS.get(entity, "记录")
        super().__init__("not_found", f"找不到该{label}（可能已被删除）", values={"record": entity})
        self.row_id = row_id
        self.entity = entity


class RuleError(ServiceError):
    """The input is well-formed but the ledger's rules forbid the operation."""
