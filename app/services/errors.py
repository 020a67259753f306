"""Errors services raise. Each has a stable ``code`` for programs and a Chinese message for
people; the UI may reword by code (docs/architecture.md#errors)."""

from __future__ import annotations

from app.schemas.base import InputError

__all__ = ["InputError", "NotFoundError", "RuleError", "ServiceError"]


class ServiceError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFoundError(ServiceError):
    """The record does not exist, or was deleted."""

    def __init__(self, label: str, row_id: str) -> None:
        super().__init__("not_found", f"找不到该{label}（可能已被删除）")
        self.row_id = row_id


class RuleError(ServiceError):
    """The input is well-formed but the ledger's rules forbid the operation."""
