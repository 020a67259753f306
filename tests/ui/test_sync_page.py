"""数据同步 screen: bundles carried between two real data folders, and online sync with a real
server on loopback that goes away and comes back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import app.sync.bundle as bundle_module
from app.models import ChangeLog, Enterprise, Issue
from app.schemas.enums import Role
from app.sync.bundle import export_bundle, import_bundle
from app.sync.client import unsent_count
from app.sync.keys import display_fingerprint
from app.ui.main_window import MainWindow
from app.ui.pages.sync import SyncPage
from tests.helpers import (
    MakeNode,
    Node,
    add_enterprise,
    add_issue,
    changes_of,
    deliver,
    dump,
    hold_far_future_edit,
    join,
    pushable,
    sync_pair,
)
from tests.server_helpers import LiveServer, ServerThread, serving
from tests.ui_helpers import Asked, close_window, open_window, wait_idle


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[tuple[LiveServer, ServerThread]]:
    """A central server over its embedded SQLite file; the test may stop it."""
    with serving(None, tmp_path / "server") as running:
        yield running


def sync_page(window: MainWindow) -> SyncPage:
    window.go("sync")
    return window.pages["sync"]  # type: ignore[return-value]


def export_from_window(qtbot: QtBot, asked: Asked, cadre: Node, stick: Path) -> str:
    """The cadre opens the app and writes a bundle for their one recipient onto ``stick``
    (chosen in the save dialog), then closes the window; returns the recipient the screen
    offered."""
    sender = open_window(qtbot, cadre)
    page = sync_page(sender)
    qtbot.waitUntil(lambda: page.recipient.count() == 1, timeout=5000)
    recipient = page.recipient.currentText()
    asked.answer("save_file", stick)
    page.export_bundle()
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
    qtbot: QtBot,
    asked: Asked,
    pair: tuple[Node, Node],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The question before an import comes from the bundle's checked manifest (nothing is
    merged to ask it); the bundle is then imported once, for real."""
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "usb" / "张驻点.jcb"
    stick.parent.mkdir()

    assert export_from_window(qtbot, asked, cadre, stick) == "鼓楼区总工会"
    assert stick.is_file()

    imports: list[bool] = []  # dry_run of every import the screen runs
    real = bundle_module.import_bundle
    monkeypatch.setattr(
        bundle_module,
        "import_bundle",
        lambda *a, **k: imports.append(k.get("dry_run", False)) or real(*a, **k),
    )
    before = dump(office.store)
    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    asked.answer("open_file", stick)
    asked.answer("confirm", lambda _q: dump(office.store) == before and not imports)
    inbox.import_bundle()
    qtbot.waitUntil(lambda: "已导入" in inbox.bundle_result.text(), timeout=10_000)
    assert imports == [False]  # no dry run before the real one
    # The question counts the changes by kind of record, in words, and names no code.
    (question,) = asked.of("confirm")
    assert question.title == "导入同步包" and question.text.endswith("确定导入？")
    counted = r"来自 张驻点。本包含 \d+ 条变更：诉求 1 条、办理记录 1 条、企业 1 条"
    assert re.search(counted, question.text)
    assert "其中本机尚无的" in question.text and "本机变更已送达对方 0 条" in question.text
    assert not re.search("[A-Za-z_]{3,}", question.text)
    assert "已导入来自 张驻点 的：诉求 1 件（新 1 件）" in inbox.bundle_result.text()
    receiver.go("issues")
    issues = receiver.pages["issues"]
    qtbot.waitUntil(lambda: issues.model.rowCount() == 1, timeout=5000)  # type: ignore[attr-defined]
    sent = [line for line in dump(cadre.store) if '"entity":"district"' not in line]
    assert set(sent) <= set(dump(office.store))  # each side made the district row itself

    asked.answer("open_file", stick)  # the same stick again: nothing to ask
    inbox.import_bundle()
    qtbot.waitUntil(lambda: "没有任何改动" in inbox.bundle_result.text(), timeout=10_000)
    assert len(asked.of("confirm")) == 1
    close_window(receiver)


def test_a_torn_bundle_is_refused_and_changes_nothing(
    qtbot: QtBot, asked: Asked, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "张驻点.jcb"
    export_from_window(qtbot, asked, cadre, stick)
    data = stick.read_bytes()
    stick.write_bytes(data[: len(data) // 2])  # pulled out mid-copy

    before = dump(office.store)
    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    asked.answer("open_file", stick)
    inbox.import_bundle()  # refused before anything is asked
    qtbot.waitUntil(lambda: "不完整" in inbox.bundle_result.text(), timeout=10_000)
    assert dump(office.store) == before
    close_window(receiver)


def test_sync_now_sends_everything_and_offline_loses_nothing(
    qtbot: QtBot, make_node: MakeNode, sqlite_server: tuple[LiveServer, ServerThread]
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
    qtbot: QtBot, asked: Asked, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    """Export a bundle through the save dialog: it proposes 张驻点-同步包-…, the next dialog
    (import, backup) opens where that file went; the first backup dialog, before any file
    was saved, opens in the backup folder."""
    cadre, _office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "usb"
    stick.mkdir()
    window = open_window(qtbot, cadre)
    settings = window.pages["settings"]

    asked.answer("save_file", None)  # cancelled
    settings.backup_now()  # type: ignore[attr-defined]
    offered = Path(asked.of("save_file")[0].text)
    assert offered.parent == window.ctx.backup_folder()
    assert re.fullmatch(r"张驻点-备份-\d{8}-\d{4}\.db", offered.name), offered
    page = sync_page(window)
    qtbot.waitUntil(lambda: page.recipient.count() == 1, timeout=5000)
    # the user goes to the stick and saves under the proposed name
    asked.answer("save_file", lambda q: stick / Path(q.text).name)
    page.export_bundle()
    offered = Path(asked.of("save_file")[1].text)
    assert re.fullmatch(r"张驻点-同步包-\d{8}-\d{4}\.jcb", offered.name), offered
    qtbot.waitUntil(lambda: "已导出" in page.bundle_result.text(), timeout=10_000)
    (bundle,) = stick.iterdir()
    assert bundle.name == offered.name and bundle.stat().st_mode & 0o777 == 0o600
    asked.answer("open_file", None)
    page.import_bundle()
    asked.answer("save_file", None)
    settings.backup_now()  # type: ignore[attr-defined]
    assert Path(asked.of("open_file")[0].text) == stick
    assert Path(asked.of("save_file")[2].text).parent == stick
    assert asked.titles() == ["立即备份", "导出同步包", "导入同步包", "立即备份"]
    assert window.ctx.prefs.last_folder == str(stick)
    usual = window.ctx.backup_folder()
    asked.answer("folder", stick)  # 选择备份位置: the stick from now on
    settings.choose_backup_dir()  # type: ignore[attr-defined]
    assert Path(asked.of("folder")[0].text) == usual
    assert window.ctx.prefs.backup_dir == str(stick) and window.ctx.backup_folder() == stick
    close_window(window)


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_an_untrusted_sender_is_offered_for_trust_with_its_fingerprint(
    qtbot: QtBot, asked: Asked, make_node: MakeNode, tmp_path: Path, answer: str
) -> None:
    """No command to run: the clerk sees who signed the stick and its fingerprint, and either
    trusts it there (the bundle then imports) or declines (nothing changes)."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", district="鼓楼区总工会")
    cadre.trusts(office)  # the cadre has the office's key file; the office lacks the cadre's
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "张驻点.jcb"
    export_from_window(qtbot, asked, cadre, stick)

    before = dump(office.store)
    receiver = open_window(qtbot, office)
    inbox = sync_page(receiver)
    asked.answer("open_file", stick)
    asked.answer("confirm", answer == "yes")  # trusted, the bundle imports without asking again
    inbox.import_bundle()
    qtbot.waitUntil(lambda: bool(asked.of("confirm")), timeout=10_000)
    (question,) = asked.of("confirm")
    assert question.title == "信任发送方"
    assert "张驻点" in question.text and "驻点干部" in question.text
    assert display_fingerprint(cadre.keys.public.fingerprint) in question.text
    assert "jiceng" not in question.text and "peers" not in question.text  # no command to run
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
    qtbot: QtBot, asked: Asked, make_node: MakeNode, tmp_path: Path
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
    asked.answer("save_file", stick)
    page.export_bundle()
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
    asked.answer("open_file", reply)
    asked.answer("confirm", True)
    page.import_bundle()
    qtbot.waitUntil(lambda: "已导入" in page.bundle_result.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.unsent_label.text() == "待发送 0 条", timeout=5000)
    qtbot.waitUntil(lambda: "上次收到回执" in page.exchange.text(), timeout=5000)
    close_window(window)


def test_changes_the_server_refused_stay_in_view_until_sent_again(
    qtbot: QtBot, make_node: MakeNode, sqlite_server: tuple[LiveServer, ServerThread]
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


def test_a_key_file_is_exported_and_trusted_through_the_screen_after_the_fingerprint_check(
    qtbot: QtBot, asked: Asked, make_node: MakeNode, tmp_path: Path
) -> None:
    """导出本机公钥 writes the key file; on the other side 信任公钥文件 shows its fingerprint and
    trusts it only when the user says the fingerprints match. Not a key file: refused in
    words."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", district="鼓楼区总工会")
    key = tmp_path / "张驻点.pub"
    sender = open_window(qtbot, cadre)
    asked.answer("save_file", key)
    sync_page(sender).export_key()
    qtbot.waitUntil(key.exists, timeout=5000)
    assert Path(asked.of("save_file")[0].text).name == "张驻点.pub"
    close_window(sender)

    receiver = open_window(qtbot, office)
    page = sync_page(receiver)
    asked.answer("open_file", key, key)
    asked.answer("confirm", False, True)  # not yet sure; then the fingerprints match
    page.trust()
    wait_idle(qtbot, receiver.ctx)
    assert page.recipient.count() == 0
    page.trust()
    qtbot.waitUntil(lambda: page.recipient.count() == 1, timeout=5000)
    assert page.recipient.currentText() == "张驻点"
    checks = asked.of("confirm")
    assert [q.title for q in checks] == ["核对指纹"] * 2
    assert display_fingerprint(cadre.keys.public.fingerprint) in checks[0].text

    torn = tmp_path / "坏.pub"
    torn.write_text("{", encoding="utf-8")
    asked.answer("open_file", torn)
    asked.answer("warn", None)
    page.trust()
    qtbot.waitUntil(lambda: bool(asked.of("warn")), timeout=5000)
    assert [(q.title, q.text) for q in asked.of("warn")] == [("无法信任", "这不是基层的公钥文件")]
    close_window(receiver)


def test_this_replicas_own_key_file_is_refused_before_any_fingerprint_check(
    qtbot: QtBot, asked: Asked, make_node: MakeNode, tmp_path: Path
) -> None:
    """The same refusal as ``jiceng peers trust`` (tests/services/test_bundles.py): the key
    file this screen exported is this computer's own, and there is nothing to compare."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    before = dump(cadre.store)
    window = open_window(qtbot, cadre)
    page = sync_page(window)
    key = tmp_path / "张驻点.pub"
    asked.answer("save_file", key)
    page.export_key()
    qtbot.waitUntil(key.exists, timeout=5000)
    asked.answer("open_file", key)
    asked.answer("warn", None)
    page.trust()
    qtbot.waitUntil(lambda: bool(asked.of("warn")), timeout=5000)
    assert [(q.title, q.text) for q in asked.of("warn")] == [
        ("无法信任", "这是本机自己的公钥，无需信任")
    ]
    assert not asked.of("confirm") and page.peers.rowCount() == 0
    close_window(window)
    assert dump(cadre.store) == before


def test_revoking_a_peer_on_the_screen_refuses_its_bundles_from_then_on(
    qtbot: QtBot, asked: Asked, pair: tuple[Node, Node], tmp_path: Path
) -> None:
    """撤销信任 on the chosen row, after a question: the peer is shown as revoked, is no
    longer offered as a recipient, and its next bundle is refused."""
    cadre, office = pair
    add_issue(cadre.store, add_enterprise(cadre.store))
    stick = tmp_path / "张驻点.jcb"
    with cadre.store.read() as s:
        export_bundle(s, cadre.keys, cadre.peer(office), stick)
    window = open_window(qtbot, office)
    page = sync_page(window)
    qtbot.waitUntil(lambda: page.peers.rowCount() == 1, timeout=5000)
    assert not page.revoke_button.isEnabled()  # nothing chosen yet
    page.peers.selectRow(0)
    assert page.revoke_button.isEnabled()
    asked.answer("confirm", False, True)  # not yet; then yes
    page.revoke()
    wait_idle(qtbot, window.ctx)
    assert page.recipient.count() == 1
    page.revoke()
    qtbot.waitUntil(lambda: page.recipient.count() == 0, timeout=5000)
    (first, _second) = asked.of("confirm")
    assert first.title == "撤销信任" and "张驻点" in first.text
    assert page.peers.item(0, 2).text() == "已撤销"
    assert not page.revoke_button.isEnabled()

    before = dump(office.store)
    asked.answer("open_file", stick)
    page.import_bundle()
    qtbot.waitUntil(lambda: "已被撤销信任" in page.bundle_result.text(), timeout=10_000)
    assert dump(office.store) == before
    close_window(window)


def test_held_changes_are_listed_and_released_from_the_screen(
    qtbot: QtBot, pair: tuple[Node, Node]
) -> None:
    """放行全部 releases the held changes the list shows (through the same service as
    ``jiceng quarantine release``); the list then says （无）."""
    cadre, office = pair
    sync_pair(cadre.store, office.store)
    add_enterprise(cadre.store)
    deliver(office.store, changes_of(cadre.store))
    change_id = hold_far_future_edit(cadre.store, office.store)
    window = open_window(qtbot, office)
    page = sync_page(window)
    qtbot.waitUntil(lambda: page.held.item(0).text().startswith(change_id), timeout=5000)
    assert page.held.count() == 1
    page.release_all()
    qtbot.waitUntil(lambda: page.held.item(0).text() == "（无）", timeout=5000)
    with office.store.read() as s:
        assert s.scalar(select(Enterprise.headcount)) == 7
    page.release_all()  # nothing held: nothing to do
    wait_idle(qtbot, window.ctx)
    close_window(window)


def test_changes_the_server_holds_are_shown_as_held_not_delivered(
    qtbot: QtBot, make_node: MakeNode, sqlite_server: tuple[LiveServer, ServerThread]
) -> None:
    """A laptop whose clock ran ahead: 立即同步 reports the server holds its change, and
    数据同步 keeps saying so (after a restart of the screen) until the server releases it."""
    from sqlalchemy import update

    from app.models import Replica
    from app.sync.hlc import Timestamp, wall_ms

    server, _thread = sqlite_server
    cadre = make_node("张驻点", district="鼓楼区总工会")
    join(server, cadre.store)
    with cadre.store.write() as s:  # set two hours fast once: its clock stays ahead
        rid = s.get(Replica, 1).replica_id  # type: ignore[union-attr]
        ahead = Timestamp(wall_ms() + 2 * 3600 * 1000, 0, rid).encode()
        s.execute(update(Replica).values(hlc=ahead))
    add_enterprise(cadre.store, "时钟超前的企业")
    window = open_window(qtbot, cadre)
    page = sync_page(window)
    assert not page.server_held.isVisibleTo(page)
    page.sync_now()
    qtbot.waitUntil(lambda: page.server_held.isVisibleTo(page), timeout=15_000)
    assert page.server_held.text().startswith("1 条变更因本机时钟超前被服务器暂存，尚未送达")
    assert "服务器暂存了 1 条时钟超前的变更" in window.statusBar().currentMessage()
    close_window(window)
    again = open_window(qtbot, cadre)
    page = sync_page(again)
    qtbot.waitUntil(lambda: page.server_held.isVisibleTo(page), timeout=15_000)
    close_window(again)


def test_a_district_imports_a_folder_of_bundles_and_sees_who_sent_nothing(
    qtbot: QtBot, asked: Asked, make_node: MakeNode, tmp_path: Path
) -> None:
    """A stick with bundles from 张 and 李 and one torn file: the two import, the torn one is
    named with why, and 王 (trusted, silent) is listed as sending nothing for 14 days."""
    office = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    stick = tmp_path / "stick"
    stick.mkdir()
    senders = [make_node(name, district="鼓楼区总工会") for name in ("张驻点", "李驻点", "王驻点")]
    for cadre in senders:
        cadre.trusts(office)
        office.trusts(cadre)
    for cadre in senders[:2]:
        add_issue(cadre.store, add_enterprise(cadre.store, f"{cadre.info.name}的企业"))
        with cadre.store.read() as s:
            export_bundle(s, cadre.keys, cadre.peer(office), stick / f"{cadre.info.name}.jcb")
    good = (stick / "张驻点.jcb").read_bytes()
    (stick / "撕坏的.jcb").write_bytes(good[: len(good) // 2])
    window = open_window(qtbot, office)
    page = sync_page(window)
    qtbot.waitUntil(lambda: page.quiet.isVisible(), timeout=5000)
    never = "、".join(f"{c.info.name}（从未收到）" for c in senders)
    assert page.quiet.text() == f"14 天内未收到同步包：{never}"
    asked.answer("folder", stick)
    asked.answer("confirm", True)
    qtbot.mouseClick(page.findChild(QPushButton, "import-folder"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.bundle_result.text().startswith("共 3 个"), timeout=20_000)
    text = page.bundle_result.text()
    assert text.splitlines()[0] == "共 3 个同步包：导入 2 个，未能导入 1 个"
    assert "撕坏的.jcb：" in text and "张驻点.jcb：已导入" in text and "李驻点.jcb：已导入" in text
    (question,) = asked.of("confirm")
    assert "stick 中的 3 个同步包" in question.text
    with office.store.read() as s:
        names = set(s.scalars(select(Enterprise.name)))
    assert {"张驻点的企业", "李驻点的企业"} <= names
    qtbot.waitUntil(lambda: page.quiet.text().endswith("：王驻点（从未收到）"), timeout=5000)
    close_window(window)
