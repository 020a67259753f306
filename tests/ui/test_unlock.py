"""The unlock dialog: a wrong passphrase is refused in words, and where the OS has a keyring
the passphrase can be remembered there, is tried first, and is dropped once it goes stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.storage import keychain
from app.storage.store import Store
from app.ui.main import UnlockDialog
from tests.conftest import PASSPHRASE, MemoryKeyring


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
