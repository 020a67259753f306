"""First run: a new data folder made from the dialog, with demo data when asked; mistakes are
named before anything is written; the list model passes Qt's own model checks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import paths
from app.models import Issue, Worker
from app.ui.context import AppContext
from app.ui.first_run import FirstRunDialog
from app.ui.main_window import MainWindow
from app.ui.prefs import Prefs
from app.ui.table_model import PAGE
from tests.ui_helpers import Asked, close_window, type_text, wait_idle


def test_mistakes_are_named_and_nothing_is_created(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    dialog = FirstRunDialog(folder)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.pass1, "abcdefgh")
    type_text(qtbot, dialog.pass2, "abcdefgX")
    type_text(qtbot, dialog.server, "http://127.0.0.1:9")
    dialog.submit()
    text = dialog.error.text()
    assert "请填写姓名或单位名称" in text
    assert "两次输入的口令不一致" in text
    assert "服务器地址和接入码要一起填写" in text
    assert not paths.db_path(folder).exists()


def test_first_run_with_demo_data_opens_a_working_ledger(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    dialog = FirstRunDialog(folder)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name, "张驻点")
    type_text(qtbot, dialog.district, "鼓楼区总工会")
    type_text(qtbot, dialog.pass1, "驻点口令2026")
    type_text(qtbot, dialog.pass2, "驻点口令2026")
    dialog.demo.setChecked(True)
    with qtbot.waitSignal(dialog.finished, timeout=120_000) as finished:
        dialog.submit()
    assert finished.args == [QDialog.DialogCode.Accepted]
    store = dialog.store
    assert store is not None and paths.db_path(folder).exists()
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Issue)) > 0
        assert s.scalar(select(func.count()).select_from(Worker)) > 0

    ctx = AppContext(store, folder, Prefs(), dialog.passphrase)
    window = MainWindow(ctx, auto_sync=False)
    qtbot.addWidget(window)
    window.show()
    window.go("issues")
    page = window.pages["issues"]
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE, timeout=10_000)  # type: ignore[attr-defined]
    close_window(window)


def test_paged_model_passes_qt_model_checks(
    qtbot: QtBot, window: MainWindow, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    from app.schemas.ledger import EnterpriseIn
    from app.services import enterprises

    with window.ctx.store.write() as s:
        for i in range(PAGE + 30):  # more than one page
            enterprises.create_enterprise(s, EnterpriseIn(name=f"测试企业{i:03d}", headcount=10))
    window.ctx.changed.emit(frozenset({"enterprise"}))
    model = window.pages["enterprises"].enterprises.model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.rowCount() == PAGE + 30, timeout=5000)
    qtmodeltester.check(model, force_py=True)
    wait_idle(qtbot, window.ctx)
    last = model.index(PAGE + 29, 0)
    assert last.data() == "…"  # the second page is fetched when first shown, off the GUI thread
    qtbot.waitUntil(lambda: model.index(PAGE + 29, 0).data() == "测试企业229", timeout=5000)


def test_the_window_takes_its_daily_backup_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.daily_backup()
    qtbot.waitUntil(lambda: not window.ctx.io.running, timeout=10_000)
    folder = paths.backups_dir(window.ctx.data_dir)
    assert len(list(folder.glob("jiceng-*-daily.db"))) == 1
    window.daily_backup()  # the same day: nothing more
    qtbot.waitUntil(lambda: not window.ctx.io.running, timeout=10_000)
    assert len(list(folder.glob("jiceng-*-daily.db"))) == 1


def test_the_key_file_dialog_starts_in_the_last_folder_used(
    qtbot: QtBot, asked: Asked, tmp_path: Path
) -> None:
    from app.ui import prefs as prefs_file

    stick = tmp_path / "U盘"
    stick.mkdir()
    key = stick / "鼓楼区总工会.pub"
    key.write_text("{}", encoding="utf-8")
    prefs_file.save(Prefs(last_folder=str(stick)))
    dialog = FirstRunDialog(tmp_path / "new")
    asked.answer("open_file", None)
    dialog.choose_key()
    seen = [q.text for q in asked.of("open_file")]
    assert seen == [str(stick)] and dialog.key_file.text() == ""  # cancelled: nothing chosen
    dialog.done(0)


def test_the_data_folder_can_be_changed_before_anything_is_created(
    qtbot: QtBot, asked: Asked, tmp_path: Path
) -> None:
    dialog = FirstRunDialog(tmp_path / "new")
    qtbot.addWidget(dialog)
    elsewhere = tmp_path / "其他目录"
    elsewhere.mkdir()
    asked.answer("folder", None, elsewhere)  # cancelled, then chosen
    dialog.change_folder()
    assert dialog.folder == tmp_path / "new"
    dialog.change_folder()
    assert dialog.folder == elsewhere and dialog.folder_label.text() == str(elsewhere)
    assert [q.text for q in asked.of("folder")] == [str(tmp_path / "new"), str(tmp_path / "new")]
