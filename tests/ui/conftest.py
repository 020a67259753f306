"""GUI tests: the real window, offscreen, over real encrypted data folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.services.demo import DemoSpec, generate
from app.sync import keys as keyfiles
from app.ui import i18n, style
from app.ui.context import AppContext
from app.ui.fonts import apply_app_font
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.offscreen import use_virtual_screen
from app.ui.prefs import Prefs
from tests.helpers import PASSPHRASE, MakeNode, Node

# The smaller of the two laptop screens the app must fit (1366×768 and 1280×720); read when
# the QApplication is made, which pytest-qt does after collection.
use_virtual_screen(1280, 720)


@pytest.fixture(autouse=True)
def _app_font(qapp: QApplication) -> None:
    """The font and look the app sets at start-up (the system's Chinese font, else the
    shipped one; the app's style sheet)."""
    apply_app_font(qapp)
    style.apply(qapp)


@pytest.fixture(scope="session", autouse=True)
def _qt_speaks_chinese(qapp: QApplication) -> None:
    """Qt's own strings in Chinese, as the app installs them for the zh_CN UI."""
    i18n.install(qapp, "zh_CN")


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JICENG_CONFIG_DIR", str(tmp_path / "config"))


def type_text(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like a user: keys for ASCII, an input method's commit for Chinese (Qt's key
    simulation cannot produce non-ASCII characters)."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def field(dialog: FormDialog, name: str) -> QWidget:
    widget = dialog.fields[name]
    for attr in ("edit", "combo", "box"):
        inner = getattr(widget, attr, None)
        if inner is not None:
            return inner
    return widget


def pick(qtbot, dialog: FormDialog, name: str, index: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Choose entry ``index`` of a pick list once it has loaded (entry 0 is （请选择）)."""
    combo = field(dialog, name)
    qtbot.waitUntil(lambda: combo.count() > index, timeout=5000)
    combo.setCurrentIndex(index)


def open_window(qtbot, node: Node) -> MainWindow:  # type: ignore[no-untyped-def]
    keyfiles.save(node.store.data_dir, node.keys, PASSPHRASE)
    ctx = AppContext(node.store, node.store.data_dir, Prefs(), PASSPHRASE)
    window = MainWindow(ctx, auto_sync=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def close_window(win: MainWindow) -> None:
    """Stop the window's background work and let its last results arrive."""
    win.online.stop()
    win.ctx.db.wait()
    win.ctx.io.wait()
    QApplication.processEvents()  # deliver the last results while this test's widgets live


@pytest.fixture
def window(qtbot, make_node: MakeNode) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    node = make_node("张驻点", district="鼓楼区总工会")
    win = open_window(qtbot, node)
    yield win
    close_window(win)


_GENERATION = [0]


@pytest.fixture(autouse=True)
def _stop_modal_pollers() -> Iterator[None]:
    yield
    _GENERATION[0] += 1
    close_modals()


def on_modal(action: Callable[[QWidget], None], polls: int = 250) -> list[QWidget]:
    """Run ``action`` on the next modal dialog once it is up.

    ``exec()`` blocks the test, so the test schedules what the user would do in the dialog
    first. Polls every 20 ms, at most ``polls`` times; the list holds the dialog it saw."""
    seen: list[QWidget] = []
    generation = _GENERATION[0]

    def poll(left: int) -> None:
        if generation != _GENERATION[0]:
            return  # the test that asked has ended
        widget = QApplication.activeModalWidget()
        if widget is None or widget in seen:
            if left > 0:
                QTimer.singleShot(20, lambda: poll(left - 1))
            return
        seen.append(widget)
        widget.activateWindow()  # as a window manager would; offscreen Qt does not
        QApplication.processEvents()
        try:
            action(widget)
        except BaseException:
            close_modals()  # a failing test must fail, not wait forever on exec()
            raise
        QTimer.singleShot(10_000, lambda: watchdog(widget))

    def watchdog(widget: QWidget) -> None:
        if generation == _GENERATION[0] and shiboken6.isValid(widget) and widget.isVisible():
            dismiss(widget)  # the action left it open (a refused save): fail, do not hang

    QTimer.singleShot(0, lambda: poll(polls))
    return seen


def dismiss(widget: QWidget) -> None:
    """Close a dialog without its own questions (a form with typed content would ask
    whether to discard it, and that question would wait for an answer nobody gives)."""
    if isinstance(widget, QDialog):
        widget.done(QDialog.DialogCode.Rejected)
    else:
        widget.close()


def close_modals() -> None:
    """Reject every open modal dialog, innermost first."""
    for _ in range(10):
        widget = QApplication.activeModalWidget()
        if widget is None:
            return
        dismiss(widget)
        QApplication.processEvents()


def answer_yes(box: QWidget) -> None:
    assert isinstance(box, QMessageBox), type(box)
    box.button(QMessageBox.StandardButton.Yes).click()


def wait_idle(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Wait until the database lane has nothing running and queued callbacks have run."""
    qtbot.waitUntil(lambda: not ctx.db.running and not ctx.io.running, timeout=10_000)
    QApplication.processEvents()


@pytest.fixture
def demo_node(make_node: MakeNode) -> Node:
    """A cadre with a small demo ledger: every screen and form has something to show."""
    node = make_node("张驻点", district="鼓楼区总工会")
    with node.store.write() as s:
        generate(s, DemoSpec(enterprises=4, workers=60, visits=30, issues=80, seed=3))
    return node


@pytest.fixture
def demo_window(qtbot, demo_node: Node) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_node)
    yield window
    close_window(window)
