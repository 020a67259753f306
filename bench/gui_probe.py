"""The GUI benchmark's child process: measures the real window, offscreen, and prints JSON.

``python -m bench.gui_probe MODE DATA_DIR [ARG]`` with MODE
- ``open``: cold start to first paint (from ``BENCH_T0``, the parent's clock when it started
  this process), opening the case list, search keystrokes; the same queries through the
  service alone are the baseline;
- ``import FILE``: the longest event-loop stall while the sync screen imports a bundle;
- ``sync``: the longest stall while "sync now" pushes everything to the server.

A 2 ms timer on the GUI thread records the gaps between its ticks: a gap is how long the
window could not have answered a click.
"""

from __future__ import annotations

import faulthandler
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.services.issue_list import IssueFilter, issue_ids
from app.storage.store import open_store
from app.ui.context import AppContext
from app.ui.fonts import apply_app_font
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from app.ui.pages.sync import SyncPage
from app.ui.prefs import Prefs
from app.ui.style import STYLE
from app.ui.tasks import keep_gc_pauses_short
from bench.common import PASSPHRASE

WORDS = ("工资", "工资拖欠", "社保", "安全防护", "食堂", "合同")


class FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.time()
        return False


class StallMeter(QObject):
    """Longest gap between ticks of a 2 ms timer on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = QElapsedTimer()
        self.last = 0
        self.worst = 0
        self.timer = QTimer(self, interval=2)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.clock.start()
        self.last = 0
        self.timer.start()
        if os.environ.get("BENCH_STALLS"):
            faulthandler.dump_traceback_later(0.05)

    def tick(self) -> None:
        now = self.clock.elapsed()
        gap = now - self.last
        self.worst = max(self.worst, gap)
        if os.environ.get("BENCH_STALLS"):  # where the time goes: stacks of every thread
            if gap > 30:
                print(f"stall {gap} ms at {now} ms", file=sys.stderr)
            faulthandler.dump_traceback_later(0.05)
        self.last = now


def spin(until: Callable[[], bool], limit: float = 600.0) -> float:
    """Run the event loop until ``until()``; seconds taken (bounded by ``limit``)."""
    start = time.perf_counter()
    while not until():
        if time.perf_counter() - start > limit:
            raise SystemExit("timed out")
        QApplication.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - start


def window_for(folder: Path) -> MainWindow:
    """The window as ``run_app`` builds it (same garbage-collector settings)."""
    store = open_store(folder, PASSPHRASE)
    ctx = AppContext(store, folder, Prefs(), PASSPHRASE)
    window = MainWindow(ctx, auto_sync=False)
    keep_gc_pauses_short()
    return window


def first_rows(page: IssuesPage) -> bool:
    return page.model.rowCount() == 0 or page.model.row_at(0) is not None


def measure_open(folder: Path) -> dict[str, object]:
    t0 = float(os.environ["BENCH_T0"])
    window = window_for(folder)
    painted = FirstPaint()
    window.installEventFilter(painted)
    window.show()
    spin(lambda: painted.at is not None)
    first_paint = painted.at - t0  # type: ignore[operator]
    page: IssuesPage = window.pages["issues"]  # type: ignore[assignment]
    spin(lambda: not window.ctx.db.running)
    window.go("issues")
    loaded: list[int] = []
    page.model.loaded.connect(loaded.append)
    start = time.perf_counter()
    page.reload()
    spin(lambda: bool(loaded) and first_rows(page))
    open_s = time.perf_counter() - start
    rows = loaded[-1]
    loaded.clear()
    start = time.perf_counter()
    page.reload()  # again, as when the user comes back to the list (database pages cached)
    spin(lambda: bool(loaded) and first_rows(page))
    reopen_s = time.perf_counter() - start
    keystrokes = []
    for word in WORDS:
        loaded.clear()
        page.search.blockSignals(True)  # skip the typing pause; measure the answer itself
        page.search.setText(word)
        page.search.blockSignals(False)
        start = time.perf_counter()
        page.reload()
        spin(lambda: bool(loaded) and first_rows(page))
        keystrokes.append(time.perf_counter() - start)
    baseline = []
    with window.ctx.store.read() as session:
        start = time.perf_counter()
        issue_ids(session, IssueFilter(), date.today())
        baseline_open = time.perf_counter() - start
        for word in WORDS:
            start = time.perf_counter()
            issue_ids(session, IssueFilter(text=word), date.today())
            baseline.append(time.perf_counter() - start)
    window.online.stop()
    window.ctx.shutdown()
    return {
        "first_paint_s": first_paint,
        "issues": rows,
        "open_s": open_s,
        "reopen_s": reopen_s,
        "open_service_s": baseline_open,
        "search_median_s": statistics.median(keystrokes),
        "search_max_s": max(keystrokes),
        "search_service_median_s": statistics.median(baseline),
        "typing_pause_ms": page.timer.interval(),
    }


def measure_import(folder: Path, bundle: Path) -> dict[str, object]:
    window = window_for(folder)
    window.show()
    spin(lambda: not window.ctx.db.running)
    page: SyncPage = window.pages["sync"]  # type: ignore[assignment]
    window.go("sync")
    meter = StallMeter()
    meter.start()
    start = time.perf_counter()
    page._import(bundle, confirm=False)  # what 导入同步包… does once the file is chosen
    spin(lambda: "已导入" in page.bundle_result.text() or "拒绝" in page.bundle_result.text())
    seconds = time.perf_counter() - start
    meter.timer.stop()
    result = page.bundle_result.text()
    window.online.stop()
    window.ctx.shutdown()
    return {"import_s": seconds, "import_stall_ms": meter.worst, "result": result}


def measure_sync(folder: Path) -> dict[str, object]:
    window = window_for(folder)
    window.show()
    unsent: list[int] = []
    window.online.unsent.connect(unsent.append)
    spin(lambda: bool(unsent) and not window.ctx.db.running)
    waiting = unsent[-1]
    reports: list[object] = []
    window.online.reported.connect(reports.append)
    meter = StallMeter()
    meter.start()
    start = time.perf_counter()
    window.online.sync_now()
    spin(lambda: bool(reports))
    seconds = time.perf_counter() - start
    meter.timer.stop()
    window.online.stop()
    window.ctx.shutdown()
    return {"sync_s": seconds, "sync_changes": waiting, "sync_stall_ms": meter.worst}


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    apply_app_font(app)
    app.setStyleSheet(STYLE)
    if mode == "open":
        result = measure_open(folder)
    elif mode == "import":
        result = measure_import(folder, Path(sys.argv[3]))
    else:
        result = measure_sync(folder)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
