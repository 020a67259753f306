"""Guards on the Qt binding itself: PySide6 6.12.0's ``processEvents()`` dropped a reference to
None on every call, so a long import watched by an event loop crashed the process
("none_dealloc"). pyproject excludes it; this fails if such a build comes back."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot


def test_processing_events_keeps_none_alive(qtbot: QtBot) -> None:
    before = sys.getrefcount(None)
    for _ in range(5000):
        QApplication.processEvents()
    assert sys.getrefcount(None) > before - 1000
