"""Helpers of the GUI tests (tests/ui): typing, pick lists, the main window, the scripted
answers to ``app.ui.ask``'s standard dialogs (``Asked``; the ``asked`` fixture in
tests/ui/conftest.py installs it), driving the app's own modal windows (``on_modal``) and
finding the Latin words a Chinese screen shows (``latin``)."""

from __future__ import annotations

import inspect
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QWidget,
)

from app.sync import keys as keyfiles
from app.ui import ask
from app.ui.context import AppContext
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from app.ui.pages.records import RecordsPage
from app.ui.prefs import Prefs
from tests.helpers import PASSPHRASE, Node


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


# ---- the standard dialogs: scripted answers ------------------------------------------

# ask.discard is not replaced: it asks through confirm.
ASK_FUNCTIONS = ("confirm", "inform", "warn", "text", "open_file", "save_file", "folder", "printer")
SIGNATURES = {name: inspect.signature(getattr(ask, name)) for name in ASK_FUNCTIONS}  # unpatched


@dataclass(frozen=True)
class Question:
    """One dialog the app showed through ``app.ui.ask``."""

    function: str  # confirm, inform, warn, text, open_file, save_file, folder
    title: str
    text: str  # the message, a text's label, or a file dialog's start (folder, or folder/name)
    options: dict[str, Any] = dataclass_field(default_factory=dict)  # yes/no words, value…


class Asked:
    """The user, as far as ``app.ui.ask`` is concerned: answers queued per function, in order,
    and every question recorded. A question nobody scripted fails the test (it is refused on
    the spot and reported again at the end), and so does an answer left unused."""

    def __init__(self) -> None:
        self.questions: list[Question] = []
        self.unexpected: list[Question] = []
        self.script: dict[str, deque[object]] = {name: deque() for name in ASK_FUNCTIONS}

    def answer(self, function: str, *answers: object) -> None:
        """The next questions of ``function`` get these answers: ``True``/``False`` for
        confirm, ``None`` for inform and warn, the text typed (``None``: cancelled), the path
        chosen (``None``: cancelled). A callable answer is called with the ``Question`` and
        its result is the answer (for a user who does something while the dialog is up)."""
        assert function in self.script, function
        self.script[function].extend(answers)

    def of(self, function: str) -> list[Question]:
        return [q for q in self.questions if q.function == function]

    def titles(self) -> list[str]:
        return [q.title for q in self.questions]

    def ask(self, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
        bound = SIGNATURES[function].bind(*args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        values.pop("parent")
        title = values.pop("title")
        first = next(iter(values))  # text, label or start
        question = Question(function, title, str(values.pop(first)), values)
        self.questions.append(question)
        if not self.script[function]:
            self.unexpected.append(question)
            raise AssertionError(f"unexpected question {question}")
        answer = self.script[function].popleft()
        return answer(question) if callable(answer) else answer

    def check(self) -> None:
        left = {name: list(answers) for name, answers in self.script.items() if answers}
        assert not self.unexpected, f"asked without a scripted answer: {self.unexpected}"
        assert not left, f"scripted answers never asked for: {left}; asked: {self.questions}"


# ---- the app's own windows: driven for real ------------------------------------------

_GENERATION = [0]


def stop_modal_pollers() -> None:
    """End every ``on_modal`` poller started so far and reject any modal dialog still open
    (the autouse fixture in tests/ui/conftest.py calls it after each test)."""
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


def wait_idle(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Wait until the database lane has nothing running and queued callbacks have run."""
    qtbot.waitUntil(lambda: not ctx.db.running and not ctx.io.running, timeout=10_000)
    QApplication.processEvents()


# ---- Latin words a Chinese screen shows (tests/ui/test_chinese_throughout.py) ---------------

# A Latin word: two or more letters not glued to digits (codes such as 91350102MA… or
# GL01-2026-0001 are data, not words).
WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z]{2,}(?![A-Za-z0-9_])")
ALLOWED = {
    "Ctrl", "Enter", "Esc", "Delete", "Tab",  # key names, as keyboards print them
    "Excel", "CSV", "PDF", "USB", "ID", "SHA",  # formats and terms cadres use as they are
    "xlsx", "csv", "jcb", "pub", "json", "db", "pdf",  # file suffixes in filters
    "Linux", "Windows",
    "English",  # the language chooser names each language in itself
}
TAGS = re.compile(r"<[^>]+>|&[a-z]+;")
PATH = re.compile(r"(?:[A-Za-z]:\\|/)[^\s：]*")
# A key fingerprint as shown (F194 BFEE D6D8 …): hex groups, data even when a group is all
# letters (about one run in seven had one, and failed).
FINGERPRINT = re.compile(r"\b(?:[0-9A-F]{4} ){3,}[0-9A-F]{4}\b")
CASE_NUMBER = re.compile(r"\b[A-Z0-9]{2,10}-\d{4}-\d{4}\b")  # a code prefix, not a word


def texts_of(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything visible in ``root``."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible():
            continue
        where = f"{type(w).__name__}:{w.objectName()}"
        yield where, w.toolTip()
        if w.isWindow():
            yield where, w.windowTitle()
        if isinstance(w, QLabel):
            yield where, TAGS.sub(" ", w.text())
        elif isinstance(w, QAbstractButton):
            yield where, w.text()
        elif isinstance(w, QGroupBox):
            yield where, w.title()
        elif isinstance(w, (QLineEdit, QPlainTextEdit)):
            yield where, w.placeholderText()
        elif isinstance(w, QComboBox):
            yield from ((where, w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QTabBar):
            yield from ((where, w.tabText(i)) for i in range(w.count()))
        elif isinstance(w, QMenu):
            yield from ((where, a.text()) for a in w.actions())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            yield from item_texts(where, w)


def item_texts(where: str, view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    if view.objectName() == "sidebar":
        return  # a file dialog's places: the user's own folder names
    model = view.model()
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1
    for i in range(columns):
        yield where, str(model.headerData(i, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(QModelIndex()), 60)):
        for column in range(columns):
            yield where, str(model.data(model.index(row, column)) or "")


def words(text: str) -> set[str]:
    """The Latin words of ``text`` that are not allowed. Addresses, paths and the shape of a
    code (XXXX-XXXX-XXXX) or of a case number (prefix-year-number) are data, not words."""
    if text.startswith(("http://", "https://")) or set(text) <= set("X-"):
        return set()
    text = CASE_NUMBER.sub(" ", FINGERPRINT.sub(" ", PATH.sub(" ", text)))
    return {w for w in WORD.findall(text.replace("&", "")) if w not in ALLOWED}


def latin(root: QWidget) -> list[tuple[str, str]]:
    return [(where, text) for where, text in texts_of(root) if words(text)]


# ---- the list screens --------------------------------------------------------------------

# The screen that lists each kind of record (workshops: the enterprise screen's second list).
PAGES = {
    "enterprise": "enterprises",
    "workshop": "enterprises",
    "worker": "workers",
    "visit": "visits",
    "assistance": "assistance",
    "practice": "practices",
    "issue": "issues",
}


def list_page(win: MainWindow, kind: str) -> RecordsPage:
    """Go to the screen listing ``kind`` and return its list."""
    win.go(PAGES[kind])
    page = win.pages[PAGES[kind]]
    if kind == "enterprise":
        return page.enterprises  # type: ignore[attr-defined,no-any-return]
    if kind == "workshop":
        return page.workshops  # type: ignore[attr-defined,no-any-return]
    return page  # type: ignore[return-value]


def select(qtbot, page: RecordsPage | IssuesPage, row_id: str) -> None:  # type: ignore[no-untyped-def]
    """Select ``row_id`` in a list as a user does, once its page has loaded it."""
    qtbot.waitUntil(lambda: page.model.row_of(row_id) >= 0, timeout=10_000)
    row = page.model.row_of(row_id)
    page.table.scrollTo(page.model.index(row, 0))
    page.table.selectRow(row)


def edit_button(page: IssuesPage) -> QPushButton | None:
    """The case detail's visible 编辑 button, if it shows one."""
    found = [b for b in page.detail.findChildren(QPushButton) if b.text() == "编辑"]
    return next((b for b in found if b.isVisible()), None)
