"""GUI tests: the real window, offscreen, over real encrypted data folders.

The standard dialogs (``app.ui.ask``: questions, messages, a line of text, file and folder
choosers) are answered by the ``asked`` fixture from a script; the app's own windows (forms,
the import dialog, first-run and unlock) are real and driven by ``on_modal``. The helpers the
tests call are in tests/ui_helpers.py; this file holds the fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.services.demo import DemoSpec, generate
from app.ui import ask, i18n, style
from app.ui.fonts import apply_app_font
from app.ui.main_window import MainWindow
from app.ui.offscreen import use_virtual_screen
from app.ui.tasks import GuiThreadCollector
from tests.helpers import MakeNode, Node
from tests.ui_helpers import ASK_FUNCTIONS, Asked, close_window, open_window, stop_modal_pollers

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


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """Garbage collected on the GUI thread only, as in the app (``GuiThreadCollector``):
    a collection in a worker could destroy a test's widgets off the GUI thread."""
    collector = GuiThreadCollector.instance()
    collector.start()
    yield
    collector.stop()


@pytest.fixture
def window(qtbot, make_node: MakeNode) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    node = make_node("张驻点", district="鼓楼区总工会")
    win = open_window(qtbot, node)
    yield win
    close_window(win)


# ---- the standard dialogs: scripted answers (tests/ui_helpers.py's Asked) -------------

@pytest.fixture(autouse=True)
def asked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Asked]:
    """Every GUI test's standard dialogs answered from a script (see ``Asked``); a test marked
    ``real_dialogs`` sees Qt's real dialogs instead (and drives them with ``on_modal``)."""
    user = Asked()
    if request.node.get_closest_marker("real_dialogs"):
        yield user
        return
    for name in ASK_FUNCTIONS:
        monkeypatch.setattr(ask, name, lambda *a, _n=name, **k: user.ask(_n, a, k))
    yield user
    user.check()


# ---- the app's own windows: driven for real ------------------------------------------


@pytest.fixture(autouse=True)
def _stop_modal_pollers() -> Iterator[None]:
    yield
    stop_modal_pollers()


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
