"""The main window: navigation on the left, one page at a time, and a status bar that always
says whether the laptop is online, how much is waiting to be sent, and what is running."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QWidget,
)

from app.models import IsolatedValue
from app.schemas.base import InputError
from app.services.errors import ServiceError
from app.services.stored_check import check_stored, isolated
from app.storage.backup import rolling_backup
from app.ui import ask, keys
from app.ui import prefs as prefs_file
from app.ui.context import AppContext
from app.ui.i18n import service_error, tr, tr_fmt
from app.ui.messages import ERRORS_CONTEXT, ISOLATED_NOTICE, SYNC_MESSAGES
from app.ui.online import OnlineSync
from app.ui.pages.dashboard import DashboardPage
from app.ui.pages.enterprises import EnterprisesPage
from app.ui.pages.issues import IssuesPage
from app.ui.pages.records import RecordsPage
from app.ui.pages.reports import ReportsPage
from app.ui.pages.settings import SettingsPage
from app.ui.pages.sync import SyncPage
from app.ui.tasks import Task

_Page = TypeVar("_Page", bound=QWidget)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, auto_sync: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.isolated_count = 0
        # The ledger check first: the database lane runs jobs in order, so no screen reads a
        # stored value its rules refuse (app.services.stored_check).
        ctx.write(check_stored, lambda _n: ctx.read(isolated, self._isolated))
        # The application's display name (基层) is added by Qt after the title.
        self.setWindowTitle(tr_fmt("Main", "工会驻点工作台账 — {replica}", replica=ctx.info.name))
        self.online = OnlineSync(ctx, auto=auto_sync and ctx.prefs.auto_sync, parent=self)
        self.pages: dict[str, QWidget] = {
            "dashboard": DashboardPage(ctx),
            "issues": IssuesPage(ctx),
            "enterprises": EnterprisesPage(ctx),
            "workers": RecordsPage(ctx, "worker", hardship_filter=True),
            "visits": RecordsPage(ctx, "visit"),
            "assistance": RecordsPage(ctx, "assistance"),
            "practices": RecordsPage(ctx, "practice"),
            "reports": ReportsPage(ctx),
            "sync": SyncPage(ctx, self.online),
            "settings": SettingsPage(ctx),
        }
        titles = {
            "dashboard": tr("Main", "工作台"),
            "issues": tr("Main", "职工诉求"),
            "enterprises": tr("Main", "企业 / 车间"),
            "workers": tr("Main", "职工"),
            "visits": tr("Main", "走访记录"),
            "assistance": tr("Main", "帮扶慰问"),
            "practices": tr("Main", "好经验好做法"),
            "reports": tr("Main", "统计报表"),
            "sync": tr("Main", "数据同步"),
            "settings": tr("Main", "设置"),
        }
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.stack = QStackedWidget()
        for key, page in self.pages.items():
            self.nav.addItem(titles[key])
            self.stack.addWidget(page)
            for name in ("status", "undo_offer", "progress"):
                signal = getattr(page, name, None)
                if signal is not None:
                    signal.connect(getattr(self, f"_on_{name}"))
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 36))  # English is wider
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._status_bar()
        self._wire()
        self._automatic_backups()
        self.nav.setCurrentRow(0)
        self.resize(1280, 720)  # the size it has when un-maximised the first time

    def place(self) -> None:
        """Show the window where the user left it, or maximised the first time (a cadre's
        laptop screen is small: every pixel goes to the ledger)."""
        saved = self.ctx.prefs.window_geometry
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            self.show()
        else:
            self.showMaximized()

    def _remember_placement(self) -> None:
        self.ctx.prefs.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        with contextlib.suppress(OSError):  # a read-only profile: it opens maximised next time
            prefs_file.save(self.ctx.prefs)

    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.online_label = QLabel(tr("Main", "● 离线"))
        self.unsent_label = QLabel()
        self.last_sync_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel = QPushButton(tr("Main", "取消"))
        self.cancel.hide()
        self._task: Task | None = None
        self.cancel.clicked.connect(lambda: self._task.cancel() if self._task else None)
        self.undo_box, self.undo_message, self.undo = self._undo_box()
        for w in (self.undo_box, self.progress, self.cancel):
            bar.addWidget(w)
        for w in (self.unsent_label, self.last_sync_label, self.online_label):
            bar.addPermanentWidget(w)
        self.undo_timer = QTimer(self, singleShot=True, interval=10_000)
        self.undo_timer.timeout.connect(self.undo_box.hide)
        self._undo_action: Callable[[Callable[[], None]], object] | None = None
        self.undo.clicked.connect(self._run_undo)

    def _undo_box(self) -> tuple[QWidget, QLabel, QPushButton]:
        """An undo offer's message and its button side by side, so the button never sits on
        the message (a temporary status message is drawn under the bar's normal widgets).
        As a normal widget, a later message hides it until that message is gone."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        message = QLabel()
        button = QPushButton(tr("Main", "撤销"))
        row.addWidget(message)
        row.addWidget(button)
        box.hide()
        return box, message, button

    def _wire(self) -> None:
        dashboard = self._page("dashboard", DashboardPage)
        dashboard.open_issue.connect(self._open_issue)
        dashboard.open_queue.connect(self.show_queue)
        self._page("reports", ReportsPage).open_issue.connect(self._open_issue)
        dashboard.open_worker.connect(self._open_worker)
        self.online.online.connect(self._online)
        self.online.unsent.connect(self._unsent)
        self.online.reported.connect(self._synced)
        self.online.failed.connect(self._sync_failed)
        self.ctx.error.connect(self._error)
        keys.bind(self.nav, "Ctrl+N", self._new_from_nav, Qt.ShortcutContext.WidgetShortcut)
        for i, key in enumerate(self.pages):
            if i < 10:
                go = lambda k=key: self.go(k)  # noqa: E731
                keys.bind(self, f"Ctrl+{(i + 1) % 10}", go, Qt.ShortcutContext.WindowShortcut)

    def _page(self, key: str, kind: type[_Page]) -> _Page:
        page = self.pages[key]
        if not isinstance(page, kind):
            raise TypeError(f"the {key} screen is a {type(page).__name__}")
        return page

    def _open_issue(self, issue_id: str) -> None:
        self.go("issues")
        self._page("issues", IssuesPage).open_issue(issue_id)

    def _open_worker(self, queue: str, title: str, worker_id: str) -> None:
        self.go("workers")
        self._page("workers", RecordsPage).show_queue(queue, title, worker_id)

    def _automatic_backups(self) -> None:
        """A daily, rolling backup while the app runs (checked hourly, first a minute after
        start so it never competes with opening the window); on the I/O lane."""
        self.backup_timer = QTimer(self, interval=3_600_000)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        QTimer.singleShot(60_000, self, self.daily_backup)  # dropped if the window goes

    def daily_backup(self) -> None:
        folder, data_dir = self.ctx.backup_folder(), self.ctx.data_dir
        engine = self.ctx.store.engine
        self.ctx.io.start(
            lambda _t: rolling_backup(engine, folder, datetime.now(), data_dir=data_dir),
            None,
            lambda e: self._on_status(tr_fmt("Main", "自动备份未完成：{reason}", reason=e)),
        )

    def go(self, key: str) -> None:
        """Show screen ``key`` with the keyboard in it, so its Ctrl+N and Ctrl+F answer
        (they only answer where the focus is, and Ctrl+digit leaves it where it was)."""
        self.nav.setCurrentRow(list(self.pages).index(key))
        self._focus_page()

    def _focus_page(self) -> QWidget | None:
        """Put the focus on the current screen's (first) list; that list, or None."""
        current = self.stack.currentWidget()
        if current is None:
            return None
        found = current.findChildren(QTableView)
        tables = [t for t in found if t.window() is self]  # not a drill-down's dialog
        if not tables:
            return None
        tables[0].setFocus(Qt.FocusReason.ShortcutFocusReason)
        return tables[0]

    def _new_from_nav(self) -> None:
        """Ctrl+N with the focus on the navigation list: the current screen's Ctrl+N."""
        widget = self._focus_page()
        while widget is not None and not hasattr(widget, "new"):
            widget = widget.parentWidget()
        if widget is not None:
            widget.new()

    def show_queue(self, key: str, queue: str, title: str) -> None:
        """A dashboard tile or 查看全部: the screen ``key``, filtered on ``queue``."""
        self.go(key)
        page = self.pages[key]
        if not isinstance(page, IssuesPage | RecordsPage):
            raise TypeError(f"the {key} screen has no queues")
        page.show_queue(queue, title)

    # ---- status bar ---------------------------------------------------------------------

    def _isolated(self, entries: list[IsolatedValue]) -> None:
        """Values the ledger check set aside and nobody has repaired yet: said at every start
        until they are, and listed on the settings screen."""
        self.isolated_count = len(entries)
        if entries:
            notice = tr_fmt(ERRORS_CONTEXT, ISOLATED_NOTICE, count=len(entries))
            self.statusBar().showMessage(notice, 30_000)

    def _on_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def _on_undo_offer(self, message: str, action: Callable[[Callable[[], None]], object]) -> None:
        self._undo_action = action
        self.statusBar().clearMessage()
        self.undo_message.setText(message)
        self.undo_box.show()
        self.undo_timer.start()

    def _run_undo(self) -> None:
        """Undo, and once it is done say so: the offer's "已删除…" must not outlive it."""
        action, self._undo_action = self._undo_action, None
        self.undo_timer.stop()
        self.undo_box.hide()
        if action:
            action(lambda: self._on_status(tr("Main", "已撤销")))

    def _on_progress(self, task: Task) -> None:
        """Show a running task; the bar appears only if it takes more than half a second."""
        self._task = task
        task.relay.on_progress = self._progress_step
        task.relay.finished_callbacks.append(self._progress_done)
        QTimer.singleShot(500, lambda: self._reveal(task))

    def _reveal(self, task: Task) -> None:
        if task in (self.ctx.db.running | self.ctx.io.running):
            self.progress.show()
            self.cancel.show()

    def _progress_step(self, fraction: float, _message: str) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _progress_done(self) -> None:
        self.progress.hide()
        self.cancel.hide()
        self.progress.setValue(0)

    def _unsent(self, n: int) -> None:
        self.unsent_label.setText(tr("Main", "待发送 %n 条", None, n))

    def _sync_failed(self, error: BaseException) -> None:
        code = getattr(error, "code", "")
        text = tr_fmt(
            "Sync",
            SYNC_MESSAGES.get(code, "{detail}"),
            detail=getattr(error, "detail", "") or str(error),
        )
        self._on_status(tr_fmt("Main", "同步未完成：{reason}", reason=text))

    def _online(self, online: bool) -> None:
        self.online_label.setText(tr("Main", "● 在线") if online else tr("Main", "● 离线"))
        self.online_label.setStyleSheet(f"color: {'#15803d' if online else '#6b7280'};")

    def _synced(self, report: object) -> None:
        self.last_sync_label.setText(
            tr_fmt("Main", "上次同步 {time}", time=datetime.now().strftime("%H:%M"))
        )
        if getattr(report, "clock_warning", False):
            self._on_status(tr("Main", "本机时钟与服务器相差较大，请校正系统时间"))
        server_held = getattr(report, "server_held", None)
        if server_held:  # held, not delivered: the clock that stamped them ran ahead
            self._on_status(
                tr_fmt(
                    "Main", "服务器暂存了 {count} 条时钟超前的变更，详见“数据同步”", count=server_held
                )
            )
        refused = len(getattr(report, "rejected", ()))
        if refused:  # never a quiet success: the sync screen lists them until resent
            self._on_status(
                tr_fmt("Main", "服务器拒收了 {count} 条变更，详见“数据同步”", count=refused)
            )

    def _error(self, error: BaseException) -> None:
        if isinstance(error, InputError):
            text = str(error)
        elif isinstance(error, ServiceError):
            text = service_error(error)
        else:
            text = tr_fmt(
                "Main", "操作没有完成（{error}）。数据没有改动。", error=type(error).__name__
            )
        ask.warn(self, tr("Main", "出错了"), text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_placement()
        self.online.stop()
        super().closeEvent(event)
