"""Online sync for the GUI: the scheduler's thread reports through Qt signals, which reach
the GUI thread as queued calls (the QObject lives there)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.sync.client import SyncReport, configured_server, unsent_count
from app.sync.scheduler import AutoSync, Callbacks
from app.ui.context import AppContext


class OnlineSync(QObject):
    online = Signal(bool)
    reported = Signal(object)  # SyncReport
    failed = Signal(object)  # SyncError
    unsent = Signal(int)

    def __init__(self, ctx: AppContext, auto: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_sync: datetime | None = None
        self.is_online: bool | None = None
        self.scheduler = AutoSync(
            ctx.store,
            Callbacks(self.online.emit, self.reported.emit, self.failed.emit),
            signing=ctx.signing_key,
        )
        self.reported.connect(self._reported)
        self.online.connect(self._online)
        self.count_timer = QTimer(self, singleShot=True, interval=800)
        self.count_timer.timeout.connect(self._count)
        ctx.changed.connect(self._soon)
        if auto:
            self.scheduler.start()
        self._count()

    def _soon(self, *_why: object) -> None:
        self.count_timer.start()  # many writes in a row: count once they pause

    def enrolled(self) -> bool:
        with self.ctx.store.read() as session:
            return configured_server(session) is not None

    def sync_now(self) -> None:
        self.scheduler.sync_now()
        if not self.scheduler.running:
            self.scheduler.start()

    def _reported(self, report: SyncReport) -> None:
        self.last_sync = datetime.now()
        self.ctx.announce(report.pulled.touched)
        self._count()

    def _online(self, online: bool) -> None:
        self.is_online = online

    def _count(self) -> None:
        # A bound method, not ``self.unsent.emit``: the task lane skips callbacks of objects
        # Qt has destroyed, which it can only tell for methods and closures.
        self.ctx.read(unsent_count, self._counted)

    def _counted(self, n: int) -> None:
        self.unsent.emit(n)

    def stop(self) -> None:
        self.scheduler.stop()
