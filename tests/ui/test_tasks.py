"""The task lanes skip a finished job's callback when what it acts on is gone (a window
closed while its read was running), whether the callback is a method or a closure."""

from __future__ import annotations

import gc
import threading

import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui.tasks import Lane, _alive


def test_callbacks_of_destroyed_widgets_are_not_alive(qtbot: QtBot) -> None:
    label = QLabel()
    method, closure = label.setText, lambda text: label.setText(text)
    assert _alive(method) and _alive(closure) and _alive(print)
    shiboken6.delete(label)
    assert not _alive(method) and not _alive(closure)
    assert _alive(print) and not _alive(None)


def test_a_result_for_a_closed_widget_is_dropped_quietly(qtbot: QtBot) -> None:
    lane, label, seen = Lane(1), QLabel(), []
    lane.start(lambda _task: "做完了", lambda text: (seen.append(text), label.setText(text)))
    qtbot.waitUntil(lambda: seen == ["做完了"], timeout=5000)
    gate = threading.Event()
    lane.start(lambda _task: gate.wait(5) and "晚到", lambda t: label.setText(t))
    shiboken6.delete(label)  # the window closes while the job runs
    gate.set()
    qtbot.waitUntil(lambda: not lane.running, timeout=5000)
    qtbot.wait(20)  # the late result is delivered and dropped, with no error in the event loop


class _Cycle:
    """A reference cycle that notes which thread finally collected it."""

    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_garbage_is_collected_on_the_gui_thread_while_a_worker_allocates(qtbot: QtBot) -> None:
    """A worker allocating past the collector's threshold does not run the collection
    itself (it could destroy a widget off the GUI thread); the GUI thread's timer does."""
    seen: list[str] = []
    _Cycle(seen)  # now garbage, reachable only through its own cycle
    done = threading.Event()

    def allocate(_task: object) -> None:
        for _ in range(gc.get_threshold()[0] * 20):  # many collections' worth of cycles
            junk: list[object] = []
            junk.append(junk)
        done.set()

    lane = Lane(1)
    lane.start(allocate)
    qtbot.waitUntil(done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [threading.main_thread().name]
    lane.wait()
