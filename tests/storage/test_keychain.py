"""The passphrase in the OS keyring: only where a real keyring exists, per data folder, and
forgotten as soon as it no longer opens the file."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.cli.common import CliError, open_data
from app.storage import keychain
from app.storage.store import Store
from tests.helpers import PASSPHRASE, MemoryKeyring, add_enterprise, dump


def test_without_a_keyring_nothing_is_stored_anywhere(tmp_path: Path) -> None:
    # The autouse fixture leaves keyring's "fail" backend in place: what a headless Linux has.
    assert not keychain.available()
    assert keychain.remember(tmp_path, PASSPHRASE) is False
    assert keychain.recall(tmp_path) is None
    keychain.forget(tmp_path)  # harmless


def test_remember_recall_forget_per_folder(os_keyring: MemoryKeyring, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert keychain.available()
    assert keychain.remember(one, "口令一") and keychain.remember(two, "口令二")
    assert (keychain.recall(one), keychain.recall(two)) == ("口令一", "口令二")
    assert keychain.recall(tmp_path / "one" / ".." / "one") == "口令一"  # the same folder
    keychain.forget(one)
    keychain.forget(one)  # twice is harmless
    assert (keychain.recall(one), keychain.recall(two)) == (None, "口令二")
    assert set(os_keyring.items) == {(keychain.SERVICE, str(two.resolve()))}


def test_the_command_line_uses_a_remembered_passphrase(
    store: Store, os_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_enterprise(store)
    expected = dump(store)
    store.close()
    monkeypatch.delenv("JICENG_PASSPHRASE", raising=False)
    args = argparse.Namespace(data_dir=str(store.data_dir))
    with pytest.raises(CliError, match="JICENG_PASSPHRASE"):  # nothing remembered, no terminal
        open_data(args)
    keychain.remember(store.data_dir, PASSPHRASE)
    with open_data(args) as opened:
        assert dump(opened) == expected
    keychain.remember(store.data_dir, "过时的口令")
    with pytest.raises(CliError, match="口令错误"):
        open_data(args)
    assert keychain.recall(store.data_dir) is None  # a stale passphrase is forgotten


class BrokenKeyring(MemoryKeyring):
    """A backend failing with its own error type, as D-Bus or win32 errors do."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


def test_a_failing_keyring_means_asking_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import keyring

    keyring.set_keyring(BrokenKeyring())
    assert keychain.recall(tmp_path) is None
    assert keychain.remember(tmp_path, PASSPHRASE) is False
    keychain.forget(tmp_path)
    assert PASSPHRASE not in caplog.text  # the log names the error, never the secret
