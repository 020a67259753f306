"""数据同步 screen: bundles carried between two real data folders, and online sync with a real
server on loopback that goes away and comes back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import ChangeLog, Issue
from app.schemas.enums import Role
from app.sync.bundle import export_bundle, import_bundle
from app.sync.client import unsent_count
from app.sync.keys import display_fingerprint
from app.ui.main_window import MainWindow
from app.ui.pages.sync import SyncPage
from tests.helpers import MakeNode, Node, add_enterprise, add_issue, dump, join, pushable
from tests.server.conftest import LiveServer, _Thread, serving
from tests.ui.conftest import close_window, on_modal, open_window, wait_idle


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[tuple[LiveServer, _Thread]]:
    """A central server over its embedded SQLite file; the test may stop it."""
    with serving(None, tmp_path / "server") as running:
        yield running


def sync_page(window: MainWindow) -> SyncPage:
    window.go("sync")
    return window.pages["sync"]  # type: ignore[return-value]


def export_from_window(qtbot: QtBot, cadre: Node, stick: Path) -> str:
    """The cadre opens the app and writes a bundle for their one recipient onto ``stick``,
    then closes the window; returns the recipient the screen offered."""
    sender = open_window(qtbot, cadre)
    page = sync_page(sender)
    qtbot.waitUntil(lambda: page.recipient.count() == 1, timeout=5000)
    recipient = page.recipient.currentText()
    page.export_bundle(str(stick))
    qtbot.waitUntil(lambda: "已导出" in page.bundle_result.text(), timeout=10_000)
    close_window(sender)
    return recipient


@pytest.fixture
def pair(make_node: MakeNode) -> tuple[Node, Node]:
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", district="鼓楼区总工会")
    cadre.trusts(office)
    office.trusts(cadre)
    return cadre, office


def test_a_bundle_carries_the_ledger_to_the_district_office(
    qtbot: QtBot, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "usb" / "张驻点.jcb"
    stick.parent.mkdir()

    assert export_from_window(qtbot, cadre, stick) == "鼓楼区总工会"
    assert stick.is_file()

    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    asked: list[str] = []

    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    on_modal(answer)
    inbox.import_bundle(str(stick))
    qtbot.waitUntil(lambda: "已导入" in inbox.bundle_result.text(), timeout=10_000)
    # The question counts records as a clerk does, in words, and names no code.
    assert asked and "来自 张驻点。本包含：诉求 1 件（新 1 件）" in asked[0]
    assert "企业 1 家（新 1 家）" in asked[0] and not re.search("[A-Za-z_]{3,}", asked[0])
    assert "已导入来自 张驻点 的：诉求 1 件（新 1 件）" in inbox.bundle_result.text()
    receiver.go("issues")
    issues = receiver.pages["issues"]
    qtbot.waitUntil(lambda: issues.model.rowCount() == 1, timeout=5000)  # type: ignore[attr-defined]
    sent = [line for line in dump(cadre.store) if '"entity":"district"' not in line]
    assert set(sent) <= set(dump(office.store))  # each side made the district row itself

    inbox.import_bundle(str(stick), confirm=False)  # the same stick again
    qtbot.waitUntil(lambda: "没有任何改动" in inbox.bundle_result.text(), timeout=10_000)
    close_window(receiver)


def test_a_torn_bundle_is_refused_and_changes_nothing(
    qtbot: QtBot, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "张驻点.jcb"
    export_from_window(qtbot, cadre, stick)
    data = stick.read_bytes()
    stick.write_bytes(data[: len(data) // 2])  # pulled out mid-copy

    before = dump(office.store)
    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    inbox.import_bundle(str(stick), confirm=False)
    qtbot.waitUntil(lambda: "不完整" in inbox.bundle_result.text(), timeout=10_000)
    assert dump(office.store) == before
    close_window(receiver)


def test_sync_now_sends_everything_and_offline_loses_nothing(
    qtbot: QtBot, make_node: MakeNode, sqlite_server: tuple[LiveServer, _Thread]
) -> None:
    server, thread = sqlite_server
    cadre = make_node("张驻点", district="鼓楼区总工会")
    join(server, cadre.store)
    add_issue(cadre.store, add_enterprise(cadre.store))
    window = open_window(qtbot, cadre)
    page = sync_page(window)
    qtbot.waitUntil(lambda: window.unsent_label.text().startswith("待发送"), timeout=5000)
    assert window.unsent_label.text() != "待发送 0 条"

    page.sync_now()
    qtbot.waitUntil(lambda: window.unsent_label.text() == "待发送 0 条", timeout=15_000)
    assert window.online_label.text() == "● 在线"
    assert window.last_sync_label.text().startswith("上次同步")
    with server.session() as s:
        on_server = s.scalar(select(func.count()).select_from(Issue))
    assert on_server == 1

    thread.stop()  # the factory's network goes away
    add_issue(cadre.store, add_enterprise(cadre.store, "厦门海沧电子厂"), "食堂卫生问题")
    window.ctx.changed.emit(frozenset({"issue"}))
    page.sync_now()
    qtbot.waitUntil(lambda: window.online_label.text() == "● 离线", timeout=15_000)
    qtbot.waitUntil(lambda: "无法连接服务器" in page.error.text(), timeout=15_000)
    with cadre.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Issue)) == 2
        assert s.scalar(select(func.count()).select_from(ChangeLog)) > 0
    with cadre.store.read() as s:
        waiting = unsent_count(s)
    assert waiting > 0
    qtbot.waitUntil(lambda: window.unsent_label.text() == f"待发送 {waiting} 条", timeout=5000)
    close_window(window)


def test_bundle_and_backup_dialogs_name_the_sender_and_remember_the_folder(
    qtbot: QtBot, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    """Export a bundle through the real save dialog: it proposes 张驻点-同步包-…, the next
    dialog (import, backup) opens where that file went; the first backup dialog, before any
    file was saved, opens in the backup folder."""
    cadre, _office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "usb"
    stick.mkdir()
    window = open_window(qtbot, cadre)
    settings = window.pages["settings"]
    seen: list[tuple[str, str]] = []

    def look(then_into: Path | None) -> Callable[[QWidget], None]:
        def act(dialog: QWidget) -> None:
            assert isinstance(dialog, QFileDialog)
            files = dialog.selectedFiles()
            seen.append((dialog.directory().absolutePath(), Path(files[0]).name if files else ""))
            if then_into is None:
                dialog.reject()
            else:  # the user goes to the stick and saves under the proposed name
                dialog.setDirectory(str(then_into))
                dialog.selectFile(seen[-1][1])
                dialog.done(QDialog.DialogCode.Accepted)

        return act

    on_modal(look(None))
    settings.backup_now()  # type: ignore[attr-defined]
    assert seen[0][0] == str(window.ctx.backup_folder())
    assert re.fullmatch(r"张驻点-备份-\d{8}-\d{4}\.db", seen[0][1]), seen
    page = sync_page(window)
    qtbot.waitUntil(lambda: page.recipient.count() == 1, timeout=5000)
    on_modal(look(stick))
    page.export_bundle()
    assert re.fullmatch(r"张驻点-同步包-\d{8}-\d{4}\.jcb", seen[1][1]), seen
    qtbot.waitUntil(lambda: "已导出" in page.bundle_result.text(), timeout=10_000)
    (bundle,) = stick.iterdir()
    assert bundle.name == seen[1][1] and bundle.stat().st_mode & 0o777 == 0o600
    on_modal(look(None))
    page.import_bundle()
    on_modal(look(None))
    settings.backup_now()  # type: ignore[attr-defined]
    assert [folder for folder, _name in seen[2:]] == [str(stick), str(stick)]
    assert window.ctx.prefs.last_folder == str(stick)
    close_window(window)


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_an_untrusted_sender_is_offered_for_trust_with_its_fingerprint(
    qtbot: QtBot, make_node: MakeNode, tmp_path: Path, answer: str
) -> None:
    """No command to run: the clerk sees who signed the stick and its fingerprint, and either
    trusts it there (the bundle then imports) or declines (nothing changes)."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", district="鼓楼区总工会")
    cadre.trusts(office)  # the cadre has the office's key file; the office lacks the cadre's
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "张驻点.jcb"
    export_from_window(qtbot, cadre, stick)

    before = dump(office.store)
    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    asked: list[str] = []

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box.button(yes if answer == "yes" else no).click()

    on_modal(reply)
    inbox.import_bundle(str(stick))
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert "张驻点" in asked[0] and "驻点干部" in asked[0]
    assert display_fingerprint(cadre.keys.public.fingerprint) in asked[0]
    assert "jiceng" not in asked[0] and "peers" not in asked[0]  # no command to run
    if answer == "yes":
        qtbot.waitUntil(lambda: "已导入来自 张驻点" in inbox.bundle_result.text(), timeout=10_000)
        with office.store.read() as s:
            assert s.scalar(select(func.count()).select_from(Issue)) == 1
    else:
        wait_idle(qtbot, receiver.ctx)
        assert "尚未被信任" in inbox.bundle_result.text()
        assert dump(office.store) == before
    close_window(receiver)


def test_unsent_counts_what_the_district_office_has_not_receipted(
    qtbot: QtBot, make_node: MakeNode, tmp_path: Path
) -> None:
    """A cadre who only uses USB: 待发送 counts every change until the office's bundle brings
    its receipts back (writing a bundle is not delivering it), and 数据同步 says when the
    last bundle went to the office and when its receipt came."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    cadre.trusts(office)
    office.trusts(cadre)
    add_issue(cadre.store, add_enterprise(cadre.store))
    with cadre.store.read() as s:
        total = s.scalar(select(func.count()).select_from(ChangeLog))
    waiting = len(pushable(cadre.store))  # the district row is the server's, never "unsent"
    window = open_window(qtbot, cadre)
    page = sync_page(window)
    qtbot.waitUntil(lambda: window.unsent_label.text() == f"待发送 {waiting} 条", timeout=5000)
    qtbot.waitUntil(lambda: "从未导出" in page.exchange.text(), timeout=5000)
    assert page.exchange.text().startswith("上次交区总工会")

    stick = tmp_path / "张驻点.jcb"
    page.export_bundle(str(stick))
    shown = f"导出 {total} 条变更（张驻点.jcb）"
    qtbot.waitUntil(lambda: shown in page.exchange.text(), timeout=10_000)
    assert "尚未收到" in page.exchange.text()
    wait_idle(qtbot, window.ctx)
    window.online._count()
    wait_idle(qtbot, window.ctx)
    assert window.unsent_label.text() == f"待发送 {waiting} 条"  # on a stick, not delivered

    with office.store.write() as s:
        import_bundle(s, office.keys, stick)
    reply = tmp_path / "鼓楼区总工会.jcb"
    with office.store.read() as s:
        export_bundle(s, office.keys, office.peer(cadre), reply)
    page.import_bundle(str(reply), confirm=False)
    qtbot.waitUntil(lambda: "已导入" in page.bundle_result.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.unsent_label.text() == "待发送 0 条", timeout=5000)
    qtbot.waitUntil(lambda: "上次收到回执" in page.exchange.text(), timeout=5000)
    close_window(window)


def test_changes_the_server_refused_stay_in_view_until_sent_again(
    qtbot: QtBot, make_node: MakeNode, sqlite_server: tuple[LiveServer, _Thread]
) -> None:
    """A refusal is never a finished sync: the refused change is named on 数据同步 with the
    server's reason, survives a restart of the screen, and 重新发送 tries it again."""
    from app.server import admin
    from app.services.replica import district_id_for
    from app.sync.writer import ChangeWriter
    from tests.helpers import move_owner as _move_owner

    server, _thread = sqlite_server
    cadre = make_node("张驻点", district="鼓楼区总工会")
    join(server, cadre.store)
    eid = add_enterprise(cadre.store)
    window = open_window(qtbot, cadre)
    page = sync_page(window)
    page.sync_now()
    qtbot.waitUntil(lambda: window.unsent_label.text() == "待发送 0 条", timeout=15_000)
    assert not page.refused_row.isVisibleTo(page)
    with server.session() as s, s.begin():  # the enterprise is now another district's
        admin.add_district(s, "玄武区总工会")
    _move_owner(server, eid, district_id_for("玄武区总工会"))
    with cadre.store.write() as s, ChangeWriter(s) as w:
        w.update("enterprise", eid, {"name": "改名后的企业"})

    page.sync_now()
    qtbot.waitUntil(lambda: page.refused_row.isVisibleTo(page), timeout=15_000)
    assert page.refused.text().startswith("1 条变更被服务器拒收")
    assert "服务器拒收了 1 条变更" in window.statusBar().currentMessage()
    page.refresh()  # a later refresh (another screen's write) keeps it in view
    wait_idle(qtbot, window.ctx)
    assert page.refused_row.isVisibleTo(page)

    page.resend_refused()  # still refused: shown again, never silently dropped
    qtbot.waitUntil(lambda: not page.refused_row.isVisibleTo(page), timeout=15_000)
    qtbot.waitUntil(lambda: page.refused_row.isVisibleTo(page), timeout=15_000)
    assert page.refused.text().startswith("1 条")
    close_window(window)
