"""Translations: the UI is written in Chinese; English comes from Qt's .ts/.qm files.

``resources/i18n/jiceng_en.ts`` is the source (edited with Qt Linguist or by hand); the
``.qm`` that Qt loads is compiled from it by ``pyside6-lrelease`` — by ``make``, or here on
first use when it is missing or older than the .ts, so no step is ever done by hand.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.schemas.enums import LABEL
from app.schemas.vocabulary import NOUNS, in_report_order
from app.services.errors import ServiceError

# Re-exported: the labels' context and the placeholder filling are Qt-free, for the CLI too.
from app.ui.messages import LABEL_CONTEXT as LABEL_CONTEXT
from app.ui.messages import fill as fill
from app.ui.messages import service_message

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"


def compiled(language: str, catalog: str = "jiceng") -> Path | None:
    """The .qm of ``catalog`` for ``language``, compiled from its .ts if needed (None if
    impossible)."""
    ts = I18N_DIR / f"{catalog}_{language}.ts"
    qm = ts.with_suffix(".qm")
    if not ts.exists():
        return None
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None:
        return qm if qm.exists() else None
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60)
    return qm


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language``: Qt's own strings (确定/取消, context menus,
    the calendar's month and day names, file dialogs) from the catalog that ships in the
    PySide6 wheel, and the app's (zh_CN needs none: it is the source). Returns them, so a
    caller can remove them again."""
    installed = []
    qt_own = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != "en" and qt_own.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(qt_own)
        installed.append(qt_own)
        installed += _load(app, compiled(language, "qtbase_extra"))  # what Qt's leaves out
    if language != "zh_CN":
        installed += _load(app, compiled(language))
    QLocale.setDefault(QLocale(language))  # dates, numbers and the calendar popup
    return installed


def _load(app: QCoreApplication, qm: Path | None) -> list[QTranslator]:
    translator = QTranslator(app)
    if qm is None or not translator.load(str(qm)):
        return []
    app.installTranslator(translator)
    return [translator]


def label(value: StrEnum | str | None, enum: type[StrEnum] | None = None) -> str:
    """A domain term (enum code) in the UI language."""
    if value is None or value == "":
        return ""
    member = value if isinstance(value, StrEnum) or enum is None else enum(value)
    text = LABEL.get(member, str(value)) if isinstance(member, StrEnum) else str(value)
    return QCoreApplication.translate(LABEL_CONTEXT, text)


def tr(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate ``text``; with ``n`` ≥ 0, ``%n`` becomes the number (and plurals apply)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def tr_fmt(context: str, text: str, /, **values: object) -> str:
    """Translate ``text``, then fill its named placeholders: ``tr_fmt("Sync", "已导出 {count}
    条变更到 {path}", count=3, path=p)``. The translation is looked up before anything is
    filled in (the catalog holds the template), and a translation that lacks or misspells a
    placeholder shows less, never raises."""
    return fill(tr(context, text), **values)


COUNTS_CONTEXT = "Counts"


def records_phrase(counts: Mapping[str, int], new: Mapping[str, int] | None = None) -> str:
    """``诉求 415 件（新 1 件）、走访 201 次`` in the UI language: records by kind, in report
    order, each with its measure word (English has none: "Cases 415 (1 new)")."""
    parts = []
    for entity in in_report_order(counts):
        word, unit = NOUNS.get(entity, ("记录", "条"))
        text = tr_fmt(
            COUNTS_CONTEXT,
            f"{{noun}} {{count}} {unit}",
            noun=tr("Fields", word),
            count=counts[entity],
        )
        fresh = (new or {}).get(entity)
        if fresh:
            text += tr_fmt(COUNTS_CONTEXT, f"（新 {{count}} {unit}）", count=fresh)
        parts.append(text)
    return QCoreApplication.translate(COUNTS_CONTEXT, "、").join(parts)


def changes_phrase(counts: Mapping[str, int]) -> str:
    """``诉求 3 条、企业 2 条`` in the UI language: changes (not records) by kind of record,
    in report order ("Cases: 3, Enterprises: 2")."""
    return QCoreApplication.translate(COUNTS_CONTEXT, "、").join(
        tr_fmt(
            COUNTS_CONTEXT,
            "{noun} {count} 条",
            noun=tr("Fields", NOUNS.get(entity, ("记录", "条"))[0]),
            count=counts[entity],
        )
        for entity in in_report_order(counts)
    )


def message(table: Mapping[str, str], code: str, detail: str) -> str:
    """A core error worded from one of ``app.ui.messages``' tables, translated before the
    detail is filled in (the catalog holds the templates)."""
    return tr_fmt("Sync", table.get(code, "{detail}"), detail=detail)


def service_error(error: ServiceError) -> str:
    """A service's error in the UI language, worded from ``SERVICE_MESSAGES`` by its code."""
    return service_message(error.code, error.values, error.message, tr)
