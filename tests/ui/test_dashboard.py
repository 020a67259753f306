"""工作台 has no dead ends: every tile opens the list it counts, every list has 查看全部, and
a case opened from it shows in an unfiltered case list, on a ledger larger than one page of
each list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.demo import DemoSpec, generate
from app.storage.store import Store
from app.sync.keys import KeyPairs
from app.ui.main_window import MainWindow
from app.ui.pages.dashboard import LIST_TILES, TILE_QUEUES, DashboardPage
from app.ui.pages.issues import IssuesPage
from app.ui.pages.records import RecordsPage
from app.ui.table_model import PAGE
from tests.helpers import cadre_template, copy_node
from tests.ui_helpers import close_window, open_window, type_text, wait_idle

SCREENS = {"issues": 1, "workers": 3, "visits": 4}  # nav rows


@dataclass(frozen=True)
class Template:
    folder: Path
    keys: KeyPairs


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("demo")
    spec = DemoSpec(enterprises=6, workers=600, visits=500, issues=1500, seed=3)

    def fill(store: Store) -> None:
        with store.write() as s:
            generate(s, spec)

    pairs, _ = cadre_template(folder, fill)
    return Template(folder, pairs)


@pytest.fixture
def win(qtbot: QtBot, template: Template, tmp_path: Path) -> Iterator[MainWindow]:
    node = copy_node(template.folder, template.keys, tmp_path / "data")
    window = open_window(qtbot, node)
    yield window
    close_window(window)
    node.store.close()


def board(qtbot: QtBot, win: MainWindow) -> DashboardPage:
    win.go("dashboard")
    page: DashboardPage = win.pages["dashboard"]  # type: ignore[assignment]
    qtbot.waitUntil(lambda: page.tiles["open_issues"].number.text() != "–", timeout=10_000)
    wait_idle(qtbot, win.ctx)
    return page


def figure(page: DashboardPage, tile: str) -> int:
    return int(page.tiles[tile].number.text())


def listed(qtbot: QtBot, win: MainWindow, screen: str) -> int:
    wait_idle(qtbot, win.ctx)
    page: IssuesPage | RecordsPage = win.pages[screen]  # type: ignore[assignment]
    return page.model.rowCount()


def pollute(qtbot: QtBot, win: MainWindow) -> None:
    """What a cadre left on the list screens earlier: a search and filters."""
    for screen in SCREENS:
        page: IssuesPage | RecordsPage = win.pages[screen]  # type: ignore[assignment]
        win.go(screen)
        type_text(qtbot, page.search, "早先搜过的词")
        page.reload()
    issues: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    issues.category.setCurrentIndex(2)
    wait_idle(qtbot, win.ctx)


def test_the_ledger_is_larger_than_a_page_of_the_lists(qtbot: QtBot, win: MainWindow) -> None:
    page = board(qtbot, win)
    assert figure(page, "open_issues") > PAGE and figure(page, "follow_ups_owed") > PAGE
    for screen in SCREENS:
        win.go(screen)
        assert listed(qtbot, win, screen) > PAGE


@pytest.mark.parametrize("tile", list(TILE_QUEUES))
def test_every_tile_opens_the_list_it_counts(qtbot: QtBot, win: MainWindow, tile: str) -> None:
    screen = TILE_QUEUES[tile][0]
    win.go(screen)
    everything = listed(qtbot, win, screen)
    pollute(qtbot, win)
    page = board(qtbot, win)
    qtbot.mouseClick(page.tiles[tile], Qt.MouseButton.LeftButton)
    assert win.nav.currentRow() == SCREENS[screen]
    assert listed(qtbot, win, screen) == figure(page, tile) < everything
    target: IssuesPage | RecordsPage = win.pages[screen]  # type: ignore[assignment]
    assert target.search.text() == ""


@pytest.mark.parametrize("key", list(LIST_TILES))
def test_each_dashboard_list_has_see_all(qtbot: QtBot, win: MainWindow, key: str) -> None:
    pollute(qtbot, win)
    page = board(qtbot, win)
    shown = page.lists[key].count()
    tile = LIST_TILES[key]
    screen = TILE_QUEUES[tile][0]
    qtbot.mouseClick(page.see_all[key], Qt.MouseButton.LeftButton)
    assert win.nav.currentRow() == SCREENS[screen]
    assert listed(qtbot, win, screen) == figure(page, tile) >= min(shown, 1)


def test_clearing_the_tile_filter_shows_every_row_again(qtbot: QtBot, win: MainWindow) -> None:
    page = board(qtbot, win)
    qtbot.mouseClick(page.tiles["due_soon"], Qt.MouseButton.LeftButton)
    issues: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    assert listed(qtbot, win, "issues") == figure(page, "due_soon")
    assert issues.queue.isVisible() and "即将到期" in issues.queue.text()
    qtbot.mouseClick(issues.queue, Qt.MouseButton.LeftButton)
    assert not issues.queue.isVisible()
    assert listed(qtbot, win, "issues") > PAGE


def test_a_case_opened_from_the_dashboard_shows_in_an_unfiltered_list(
    qtbot: QtBot, win: MainWindow
) -> None:
    pollute(qtbot, win)
    issues: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    issues.review.setChecked(True)
    page = board(qtbot, win)
    overdue = page.lists["follow_ups"]
    item = overdue.item(overdue.count() - 1)
    wanted = item.data(Qt.ItemDataRole.UserRole)[1]
    page._activated(item)  # what a double-click or Enter on the entry does
    assert win.nav.currentRow() == SCREENS["issues"]
    wait_idle(qtbot, win.ctx)
    assert issues.search.text() == "" and not issues.review.isChecked()
    assert issues.filter() == type(issues.filter())()
    qtbot.waitUntil(lambda: issues.detail.issue_id == wanted, timeout=5000)
    rows = issues.table.selectionModel().selectedRows()
    assert [issues.model.id_at(r.row()) for r in rows] == [wanted]


def test_a_hardship_worker_opened_from_the_dashboard_is_selected_in_its_queue(
    qtbot: QtBot, win: MainWindow
) -> None:
    pollute(qtbot, win)
    page = board(qtbot, win)
    entries = page.lists["hardship"]
    item = entries.item(0)
    wanted = item.data(Qt.ItemDataRole.UserRole)[1]
    page._activated(item)
    workers: RecordsPage = win.pages["workers"]  # type: ignore[assignment]
    assert win.nav.currentRow() == SCREENS["workers"]
    assert listed(qtbot, win, "workers") == figure(page, "hardship_uncontacted")
    qtbot.waitUntil(lambda: workers.selected_id() == wanted, timeout=5000)
