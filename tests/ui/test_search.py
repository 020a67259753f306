"""Search finds what cadres type, in the real window: a complainant's name, an enterprise's
name, a case number, a category word or its usual synonym; 走访 by the enterprise visited."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.models import Issue
from app.schemas.enums import IssueCategory
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from app.ui.pages.records import RecordsPage
from tests.helpers import add_enterprise, add_issue, add_visit, add_worker, pick_list_ledger
from tests.ui_helpers import type_text, wait_idle


def shown(qtbot: QtBot, page: IssuesPage | RecordsPage, column: int) -> set[str]:
    qtbot.waitUntil(lambda: not page.timer.isActive(), timeout=5000)
    wait_idle(qtbot, page.ctx)
    for r in range(page.model.rowCount()):
        page.model.index(r, column).data()
    wait_idle(qtbot, page.ctx)
    return {str(page.model.index(r, column).data()) for r in range(page.model.rowCount())}


def search(qtbot: QtBot, page: IssuesPage | RecordsPage, text: str, column: int) -> set[str]:
    page.search.clear()
    type_text(qtbot, page.search, text)
    return shown(qtbot, page, column)


def test_the_case_search_finds_names_numbers_and_category_words(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.ctx.store
    pick_list_ledger(store)  # more enterprises and workers than a page of any list
    eid = add_enterprise(store, "南京宏达精密机械有限公司")
    worker = add_worker(store, eid, "陈秀英")
    add_issue(store, eid, "反映待遇偏低", description="车间职工反映待遇偏低", worker_id=worker)
    add_issue(store, eid, "反映未缴费", description="单位未按时缴费",
              category=IssueCategory.SOCIAL_INSURANCE)  # fmt: skip
    with store.read() as s:
        number = s.query(Issue.number).filter(Issue.title == "反映未缴费").scalar()
    window.ctx.changed.emit(frozenset({"*"}))
    window.go("issues")
    page: IssuesPage = window.pages["issues"]  # type: ignore[assignment]
    assert len(shown(qtbot, page, 1)) > 10
    assert search(qtbot, page, "陈秀英", 1) == {"反映待遇偏低"}
    assert search(qtbot, page, "宏达精密", 1) == {"反映待遇偏低", "反映未缴费"}
    assert search(qtbot, page, number, 1) == {"反映未缴费"}
    assert search(qtbot, page, "社保", 1) == {"反映未缴费"}
    assert "反映待遇偏低" in search(qtbot, page, "欠薪", 1)  # 工资报酬/欠薪, not in its text
    assert "反映未缴费" not in search(qtbot, page, "欠薪", 1)


def test_visits_are_found_by_the_enterprise_visited(qtbot: QtBot, window: MainWindow) -> None:
    store = window.ctx.store
    pick_list_ledger(store)
    add_visit(store, add_enterprise(store, "福州闽江纺织有限公司"), summary="了解夜班安排")
    window.ctx.changed.emit(frozenset({"*"}))
    window.go("visits")
    page: RecordsPage = window.pages["visits"]  # type: ignore[assignment]
    assert len(shown(qtbot, page, 5)) > 2
    assert search(qtbot, page, "闽江纺织", 5) == {"了解夜班安排"}
