"""Every Chinese string the desktop app can show, grouped by translation context.

Two kinds: literals written as ``tr("Context", "…")`` in ``app/ui`` (found by reading the
source, as Qt's lupdate would), and domain words the UI passes through ``tr`` at run time —
enum labels, form field titles, list column headers, record nouns, and the messages of the
schemas, services, bundles and sync. ``tools/update_ts.py`` writes them into
``resources/i18n/jiceng_en.ts`` and a test checks that each one has an English translation.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
HAS_CHINESE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # words or full-width marks


def sources() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    _literals(found)
    _domain(found)
    return {
        ctx: {t for t in texts if HAS_CHINESE.search(t)}
        for ctx, texts in found.items()
    }


def _literals(found: dict[str, set[str]]) -> None:
    for path in sorted((APP / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("tr", "tr_fmt"):  # tr(…), i18n.tr(…) and tr_fmt(…) alike
                continue
            if len(node.args) < 2:
                continue
            context, text = (a.value if isinstance(a, ast.Constant) else None for a in node.args[:2])
            if isinstance(context, str) and isinstance(text, str):
                found[context].add(text)


def _domain(found: dict[str, set[str]]) -> None:
    from app.schemas import issues, ledger
    from app.schemas.base import Input
    from app.schemas.enums import ACTIONS, LABEL, RECONSIDER, REOPEN
    from app.schemas.vocabulary import NOUNS, all_labels
    from app.services.records import QUERIES
    from app.ui.forms import editors
    from app.ui.i18n import COUNTS_CONTEXT, LABEL_CONTEXT
    from app.ui.messages import (
        BUNDLE_MESSAGES,
        EMPTY_VALUE,
        ERRORS_CONTEXT,
        ISOLATED_LINE,
        ISOLATED_NOTICE,
        ISOLATION_REASONS,
        KEY_MESSAGES,
        LIST_PAIR,
        NONE_WORD,
        PEER_MESSAGES,
        RECORD_NOUNS,
        ROW_MESSAGE,
        SERVICE_MESSAGES,
        SOME_RECORD,
        STORE_MESSAGES,
        SYNC_MESSAGES,
    )

    found[LABEL_CONTEXT].update(LABEL.values())
    found[LABEL_CONTEXT].update((*ACTIONS.values(), REOPEN, RECONSIDER))
    for module in (issues, ledger):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Input) and value is not Input:
                titles = (f.title for f in value.model_fields.values() if f.title)
                found["Fields"].update(titles)
    found["Fields"].update(("姓名", "身份证号", "手机号", "困难情况"))
    found["Fields"].update(all_labels())
    for _word, unit in NOUNS.values():
        found[COUNTS_CONTEXT].update((f"{{noun}} {{count}} {unit}", f"（新 {{count}} {unit}）"))
    found[COUNTS_CONTEXT].add("、")
    for query in QUERIES.values():
        found["Columns"].update(query.headers)
    for editor in editors.EDITORS.values():
        found["Nouns"].add(editor.noun)
        for spec in [*editor.specs, *(editor.edit_specs or [])]:
            if spec.placeholder:
                found["Form"].add(spec.placeholder)
    for table in (SYNC_MESSAGES, BUNDLE_MESSAGES, KEY_MESSAGES, PEER_MESSAGES, STORE_MESSAGES):
        found["Sync"].update(table.values())
    found[ERRORS_CONTEXT].update(_error_messages())
    found[ERRORS_CONTEXT].update((*SERVICE_MESSAGES.values(), ROW_MESSAGE))
    found[ERRORS_CONTEXT].update((*RECORD_NOUNS.values(), SOME_RECORD, LIST_PAIR, NONE_WORD))
    found[ERRORS_CONTEXT].update(
        (*ISOLATION_REASONS.values(), ISOLATED_LINE, ISOLATED_NOTICE, EMPTY_VALUE)
    )


def _error_messages() -> set[str]:
    """Fixed messages of the schemas and services (those with no number filled in)."""
    messages: set[str] = set()
    for folder in ("schemas", "services"):
        for path in sorted((APP / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    messages.update(_message_args(node))
    from app.schemas.base import _MESSAGES

    messages.update(m for m in _MESSAGES.values() if "{" not in m)
    return messages


def _message_args(node: ast.Call) -> list[str]:
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if name == "ValueError":
        return args[:1]
    if name == "single":  # InputError.single(field, label, message)
        return args[2:3]
    if name in ("RuleError", "ServiceError"):
        return args[1:2]
    return []
