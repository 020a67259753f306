"""Files that leave the ledger: their default names, and created readable by the owner only.

Default names say who sent the file and what it covers, so a district office with forty
bundles and workbooks on a desk (or a USB stick) can tell them apart without opening them:
``鼓楼区总工会-台账-2026-11.xlsx``, ``张驻点-同步包-20261202-0930.jcb``. The save dialogs and
the CLI (when ``--out`` is a folder) use the same names.

Exports hold personal data (a workbook may hold ID numbers; a bundle, a backup and even a
masked workbook hold names and case texts), so every export is created 0600 before anything
is written into it, fsynced, and renamed into place (``app.storage.atomic``).
"""

from __future__ import annotations

import re
from datetime import datetime

from app.services.reports import Period

KINDS = {
    "workbook": ("台账", ".xlsx"),
    "pdf": ("工作月报", ".pdf"),
    "bundle": ("同步包", ".jcb"),
    "backup": ("备份", ".db"),
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # what Windows refuses in a file name


def safe_name(text: str) -> str:
    """``text`` usable as (part of) a file name on Windows, macOS and Linux."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return cleaned or "jiceng"


def period_part(period: Period) -> str:
    """A period as a file name says it: 2026-11 for a month (or the month so far), 2026-Q4
    for a quarter, 2026 for a year (so far), else 20261101-20261115 (or one day, 20261115)."""
    start, end = period.start, period.end
    if start == end:
        return f"{start:%Y%m%d}"
    if start.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    same_year = start.year == end.year
    if start.day == 1 and start.month in (1, 4, 7, 10) and same_year:
        if end.month <= start.month + 2:
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if start.month == 1:
            return f"{start.year}"
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def default_name(
    kind: str, sender: str, *, period: Period | None = None, at: datetime | None = None
) -> str:
    """The default file name for ``kind`` (workbook, pdf, bundle, backup) from ``sender``
    (this replica's name), for ``period`` (reports) or made ``at`` (bundles, backups)."""
    word, suffix = KINDS[kind]
    when = period_part(period) if period is not None else f"{at or datetime.now():%Y%m%d-%H%M}"
    return f"{safe_name(sender)}-{word}-{when}{suffix}"


__all__ = [
    "KINDS",
    "default_name",
    "period_part",
    "safe_name",
]
