"""The unlock dialog: a wrong passphrase is refused in words, and where the OS has a keyring
the passphrase can be remembered there, is tried first, and is dropped once it goes stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.storage import keychain
from app.storage.lock import FolderInUse, FolderLock
from app.storage.store import Store
from app.sync import keys as keyfiles
from app.ui import prefs as prefs_file
from app.ui.main import UnlockDialog, open_window
from app.ui.prefs import Prefs
from tests.helpers import PASSPHRASE, MakeNode, MemoryKeyring
from tests.ui_helpers import Asked


@pytest.fixture
def folder(store: Store) -> Path:
    store.close()
    return store.data_dir


def dialog_for(qtbot, folder: Path) -> UnlockDialog:  # type: ignore[no-untyped-def]
    dialog = UnlockDialog(folder)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def opened(qtbot, dialog: UnlockDialog) -> Store:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.store is not None, timeout=20_000)
    assert dialog.store is not None
    dialog.store.close()
    return dialog.store


def test_wrong_then_right_passphrase_without_a_keyring(qtbot, folder: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = dialog_for(qtbot, folder)
    dialog.try_keychain()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
    assert dialog.keep.isHidden()  # no keyring here: nothing is offered
    dialog.submit("不对的口令")
    qtbot.waitUntil(lambda: "口令错误" in dialog.error.text(), timeout=20_000)
    assert dialog.store is None and dialog.buttons.isEnabled()
    dialog.submit(PASSPHRASE)
    opened(qtbot, dialog)


def test_remembered_when_asked_and_tried_first(
    qtbot, folder: Path, os_keyring: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    first = dialog_for(qtbot, folder)
    first.try_keychain()
    qtbot.waitUntil(lambda: not first.keep.isHidden(), timeout=10_000)
    assert not first.keep.isChecked()
    first.keep.setChecked(True)
    first.field.setText(PASSPHRASE)
    first.submit()
    opened(qtbot, first)
    assert keychain.recall(folder) == PASSPHRASE
    second = dialog_for(qtbot, folder)  # next start: opens with nothing typed
    second.try_keychain()
    opened(qtbot, second)
    assert second.keep.isChecked()
    third = dialog_for(qtbot, folder)  # unticked: forgotten
    third.try_keychain()
    opened(qtbot, third)
    third.keep.setChecked(False)
    third.store = None
    third.submit(PASSPHRASE)
    opened(qtbot, third)
    assert keychain.recall(folder) is None and not os_keyring.items


def test_a_stale_remembered_passphrase_is_dropped(
    qtbot, folder: Path, os_keyring: MemoryKeyring
) -> None:  # type: ignore[no-untyped-def]
    keychain.remember(folder, "改过之前的口令")
    dialog = dialog_for(qtbot, folder)
    dialog.try_keychain()
    qtbot.waitUntil(lambda: "口令错误" in dialog.error.text(), timeout=20_000)
    assert dialog.store is None and keychain.recall(folder) is None
    dialog.submit(PASSPHRASE)
    opened(qtbot, dialog)


# ---- which folder opens: --data-dir once is not the default; the window can open another ----


def data_folder(make_node: MakeNode, name: str) -> Path:
    node = make_node(name, district="鼓楼区总工会")
    keyfiles.save(node.store.data_dir, node.keys, PASSPHRASE)
    node.store.close()
    return node.store.data_dir


def start(folder: Path, prefs: Prefs, *, explicit: bool) -> Path:
    """What ``run_app`` does after the lock: unlock (scripted) and build the window."""
    window, lock = open_window(folder, prefs, auto_sync=False, explicit=explicit)
    assert window is not None and lock is None
    opened = window.ctx.data_dir
    window.online.stop()
    window.ctx.shutdown()
    window.deleteLater()
    return opened


def test_a_folder_given_once_with_data_dir_does_not_become_the_default(
    qtbot, make_node: MakeNode, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    usual, other = data_folder(make_node, "张驻点"), data_folder(make_node, "李驻点")
    monkeypatch.setenv("JICENG_PASSPHRASE", PASSPHRASE)
    prefs = Prefs(data_dir=str(usual))
    prefs_file.save(prefs)
    assert start(other, prefs, explicit=True) == other
    assert prefs_file.load().data_dir == str(usual)
    assert start(usual, prefs_file.load(), explicit=False) == usual
    assert prefs_file.load().data_dir == str(usual)


def test_the_unlock_window_opens_another_folder_and_moves_the_lock(
    qtbot, asked: Asked, make_node: MakeNode, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    usual, other = data_folder(make_node, "张驻点"), data_folder(make_node, "李驻点")
    empty = tmp_path / "空目录"
    empty.mkdir()
    dialog = UnlockDialog(usual, lock=FolderLock(usual).acquire())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.other.isVisible() and dialog.other.text() == "打开其他数据目录…"

    asked.answer("folder", empty)
    qtbot.mouseClick(dialog.other, Qt.MouseButton.LeftButton)
    assert "没有基层数据文件" in dialog.error.text() and dialog.folder == usual
    assert asked.of("folder")[0].text == str(usual.parent)  # beside the folder in use

    asked.answer("folder", other)
    qtbot.mouseClick(dialog.other, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.folder == other, timeout=5000)
    assert str(other) in dialog.where.text() and dialog.error.text() == ""
    FolderLock(usual).acquire().release()  # let go of the folder left
    with pytest.raises(FolderInUse):
        FolderLock(other).acquire()  # held for this window
    dialog.submit(PASSPHRASE)
    store = opened(qtbot, dialog)
    assert store.data_dir == other
    assert dialog.lock is not None
    dialog.lock.release()
