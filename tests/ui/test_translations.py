"""English is complete: every string the app can show has a translation that keeps its
placeholders, the .qm is built by the project's own code, and the window switches language."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui import i18n
from app.ui.i18n_catalog import HAS_CHINESE, sources
from app.ui.main_window import MainWindow
from tests.helpers import MakeNode
from tests.ui_helpers import close_window, open_window
from tools.update_ts import TS, read

PLACEHOLDER = re.compile(r"%\d+|%n|\{\w+\}")


def test_every_string_the_app_shows_has_an_english_translation() -> None:
    known = read(TS)
    wanted = sources()
    assert sum(len(v) for v in wanted.values()) > 400  # the catalog really found the UI
    missing = sorted((c, s) for c, texts in wanted.items() for s in texts if not known.get((c, s)))
    assert missing == [], "run: python -m tools.update_ts, then translate what is unfinished"


def test_translations_keep_placeholders_and_leave_no_chinese() -> None:
    for (context, source), text in read(TS).items():
        assert not HAS_CHINESE.search(text), (context, source, text)
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
            context,
            source,
            text,
        )


def test_the_window_speaks_english_after_switching(qtbot: QtBot, make_node: MakeNode) -> None:
    qm = i18n.compiled("en")
    assert qm is not None and qm.stat().st_mtime >= TS.stat().st_mtime
    app = QApplication.instance()
    translators = i18n.install(app, "en")  # type: ignore[arg-type]
    assert translators
    try:
        window: MainWindow = open_window(qtbot, make_node("张驻点", district="鼓楼区总工会"))
        nav = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert nav[0] == read(TS)[("Main", "工作台")]
        assert not any(HAS_CHINESE.search(text) for text in nav), nav
        close_window(window)
    finally:
        for translator in translators:
            app.removeTranslator(translator)  # type: ignore[union-attr]
        i18n.install(app, "zh_CN")  # type: ignore[arg-type]  # as the other tests run
    assert i18n.tr("Main", "工作台") == "工作台"
