"""Background work for the GUI: nothing that can grow runs on the GUI thread.

A ``Task`` runs a function on a ``QThreadPool`` and hands its result, error and progress
back to the GUI thread. The hand-back goes through ``_Relay``, a QObject created on the GUI
thread: a signal emitted in the worker reaches the relay's slots through a queued
connection, so callbacks always run on the GUI thread (a queued connection to a plain
function would run it in the worker). Progress is throttled to about ten updates a second.
Tasks can be cancelled: the function sees ``task.cancelled`` between batches.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from typing import Any, TypeGuard, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

Done = Callable[[Any], object]
Failed = Callable[[BaseException], None]
ProgressFn = Callable[[float, str], None]
_C = TypeVar("_C", bound=Callable[..., Any])


def keep_gc_pauses_short() -> None:
    """Tune the garbage collector for a window that must not freeze.

    A merge on a worker thread allocates millions of short-lived objects; with CPython's
    default thresholds that triggers full collections every second or so, each ~100 ms
    with the GIL held, and the window stalls for that long (measured by ``make bench``:
    95 ms stalls during a 27,000-change import, 23 ms after this). Objects alive at start-up
    (modules, Qt wrappers) are frozen out of collections, and young objects are collected in
    larger batches. Call once, after the window is built."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    GuiThreadCollector.instance().start()


class GuiThreadCollector(QObject):
    """Cyclic garbage is collected on the GUI thread only.

    CPython runs a collection in whichever thread happens to allocate past the threshold —
    with a merge running, usually a worker. A cycle holding a Qt wrapper (a closed dialog, a
    page's closure) is then destroyed off the GUI thread, and Qt crashes the process (seen
    as a rare segfault in the GUI tests). So automatic collection is switched off while the
    window lives, and a timer on the GUI thread collects by the same thresholds instead,
    oldest generation first. Plain reference counting still frees everything else at once.
    """

    _instance: GuiThreadCollector | None = None

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(50)  # young objects come in batches of a few ten thousand
        self.timer.timeout.connect(self.tick)

    @classmethod
    def instance(cls) -> GuiThreadCollector:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        """Automatic collection again (after the window closed), with one full collection
        now, still on this thread."""
        self.timer.stop()
        gc.collect()
        gc.enable()

    @Slot()
    def tick(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def _alive(callback: _C | None) -> TypeGuard[_C]:
    """False if the callback is a method of a widget Qt has already destroyed (the user closed
    the dialog while its save was running): calling it would raise, and nobody is looking."""
    if callback is None:
        return False
    return all(shiboken6.isValid(owner) for owner in _owners(callback))


def _owners(callback: Callable[..., Any]) -> list[QObject]:
    """The Qt objects a callback acts on: a bound method's object, and the objects a lambda
    or closure captured (``lambda r: self.label.setText(…)`` after the page is gone)."""
    found = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            continue
    return [owner for owner in found if isinstance(owner, QObject)]


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(float, str)

    def __init__(
        self, on_done: Done | None, on_failed: Failed | None, on_progress: ProgressFn | None
    ) -> None:
        super().__init__()
        self.on_done, self.on_failed, self.on_progress = on_done, on_failed, on_progress
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.progress.connect(self._progress)
        self.finished_callbacks: list[Callable[[], None]] = []

    # The task counts as finished before its callback runs: a callback may open a modal
    # dialog (an edit form after its record loaded) and not return for minutes.

    @Slot(object)
    def _done(self, value: object) -> None:
        self._finish()
        if _alive(self.on_done):
            self.on_done(value)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._finish()
        if _alive(self.on_failed):
            self.on_failed(error)

    @Slot(float, str)
    def _progress(self, fraction: float, message: str) -> None:
        if _alive(self.on_progress):
            self.on_progress(fraction, message)

    def _finish(self) -> None:
        for callback in self.finished_callbacks:
            callback()


class Task(QRunnable):
    def __init__(self, fn: Callable[[Task], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the pool must not delete what Python still references
        self.fn = fn
        self.relay = relay
        self._cancel = threading.Event()
        self._last_progress = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last_progress >= 0.1 or fraction >= 1.0:
            self._last_progress = now
            self.relay.progress.emit(fraction, message)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except BaseException as err:
            self.relay.failed.emit(err)
        else:
            self.relay.done.emit(result)


class Lane:
    """A pool of worker threads. The database lane has one thread, so database jobs run one
    after another in the order they were started; the I/O lane runs network and file jobs."""

    def __init__(self, threads: int) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self.running: set[Task] = set()

    def start(
        self,
        fn: Callable[[Task], Any],
        on_done: Done | None = None,
        on_failed: Failed | None = None,
        on_progress: ProgressFn | None = None,
    ) -> Task:
        relay = _Relay(on_done, on_failed, on_progress)
        task = Task(fn, relay)
        self.running.add(task)
        relay.finished_callbacks.append(lambda: self.running.discard(task))
        self.pool.start(task)
        return task

    def wait(self, ms: int = 30_000) -> bool:
        return self.pool.waitForDone(ms)

    def cancel_all(self) -> None:
        for task in list(self.running):
            task.cancel()
