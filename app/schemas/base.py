"""The base of every input model, and errors that name the field and the reason in Chinese.

Every form, CLI argument and import row is validated by a pydantic model derived from
``Input``. Each field carries its Chinese label as ``title``; ``InputError`` turns pydantic's
errors into ``FieldError`` items ("企业名称：不能为空") that the GUI shows beside the field and the
CLI prints. ``code`` stays machine-readable so an English UI can word the same error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator


@dataclass(frozen=True)
class FieldError:
    field: str  # dotted path of the field ("" for the whole form)
    label: str  # the field's Chinese label
    code: str  # pydantic's error type, or our own
    message: str  # the reason, in Chinese

    def __str__(self) -> str:
        return f"{self.label}：{self.message}" if self.label else self.message


class InputError(ValueError):
    """Input that a form, command or import row must refuse, with one entry per problem."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("；".join(str(e) for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, label: str, message: str, code: str = "invalid") -> InputError:
        return cls([FieldError(field, label, code, message)])


class Input(BaseModel):
    """Strict, immutable input: unknown fields refused, blank optional text read as absent.

    A blank entry for a field with a default (涉及人数 = 1) means "the usual", so the default
    applies; other blanks are None, which required fields refuse as missing."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = {}
        for k, v in data.items():
            if isinstance(v, str) and not v.strip():
                info = cls.model_fields.get(k)
                if info is not None and not info.is_required() and info.default is not None:
                    continue
                v = None
            out[k] = v
        return out

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Any:
        """Validate ``data``; raise ``InputError`` with Chinese messages on failure."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise InputError(field_errors(cls, err)) from None


def not_future(value: date | None) -> date | None:
    if value is not None and value > date.today():
        raise ValueError("不能晚于今天")
    return value


_MESSAGES = {
    "missing": "必填",
    "string_too_long": "不能超过{max_length}个字",
    "too_long": "最多{max_length}项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}",
    "greater_than": "应大于{gt}",
    "less_than": "应小于{lt}",
    "enum": "不是有效的选项",
    "literal_error": "不是有效的选项",
    "date_parsing": "不是有效的日期（格式：2026-01-31）",
    "date_from_datetime_parsing": "不是有效的日期（格式：2026-01-31）",
    "date_from_datetime_inexact": "应为日期，不含时间",
    "date_type": "不是有效的日期",
    "decimal_parsing": "不是有效的数字",
    "decimal_type": "不是有效的数字",
    "decimal_max_places": "最多{decimal_places}位小数",
    "decimal_max_digits": "数值过大",
    "decimal_whole_digits": "数值过大",
    "bool_parsing": "应为“是”或“否”",
    "bool_type": "应为“是”或“否”",
    "extra_forbidden": "不认识的字段",
    "list_type": "应为列表",
}


def field_errors(model: type[BaseModel], err: ValidationError) -> list[FieldError]:
    """Pydantic's errors as ``FieldError`` items with Chinese labels and reasons."""
    out = []
    for item in err.errors(include_url=False):
        loc = [str(p) for p in item["loc"]]
        name = loc[0] if loc else ""
        info = model.model_fields.get(name)
        label = (info.title if info is not None else None) or name
        out.append(FieldError(".".join(loc), label, item["type"], _message(item)))
    return out


def _message(item: Any) -> str:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else "至少{min_length}个字".format(**ctx)
    if item.get("input") is None and (kind.endswith("_type") or kind in ("enum", "literal_error")):
        return "必填"  # a required field left empty, whatever its type (an unpicked 满意度)
    if kind == "string_type":
        return "应为文本"
    template = _MESSAGES.get(kind)
    if template is None:
        return str(item["msg"])
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template
