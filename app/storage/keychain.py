"""The passphrase in the operating system's keyring, where one exists and the user asks.

Windows Credential Manager, the macOS Keychain and the Secret Service on Linux desktops are
reached through the ``keyring`` package. Where none is usable (a headless machine, a minimal
Linux), ``available()`` is False and jiceng asks for the passphrase as before: there is never
a fallback to a file, and never an unencrypted data file.

Remembering is the user's choice (a checkbox when unlocking): it trades typing the passphrase
for trusting whoever can log in to this OS account. Entries are keyed by the data folder, so
two folders keep two passphrases. A remembered passphrase that no longer opens the file is
forgotten at once and the user is asked.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import keyring

SERVICE = "jiceng"
_log = logging.getLogger(__name__)


def available() -> bool:
    """Is there a real keyring to store into (not the "fail" or "null" stand-ins)?"""
    try:
        backend = keyring.get_keyring()
        return float(backend.priority) > 0
    except Exception:  # a broken backend is simply no backend
        return False


def _account(data_dir: Path) -> str:
    return str(data_dir.expanduser().resolve())


def recall(data_dir: Path) -> str | None:
    if not available():
        return None
    try:
        return keyring.get_password(SERVICE, _account(data_dir)) or None
    except Exception as err:  # locked, refusing, D-Bus gone: ask the user
        _log.warning("keyring unavailable: %s", type(err).__name__)
        return None


def remember(data_dir: Path, passphrase: str) -> bool:
    if not available() or not passphrase:
        return False
    try:
        keyring.set_password(SERVICE, _account(data_dir), passphrase)
        return True
    except Exception as err:  # backends raise their own (D-Bus, win32) errors
        _log.warning("could not store the passphrase in the keyring: %s", type(err).__name__)
        return False


def forget(data_dir: Path) -> None:
    if not available():
        return
    with contextlib.suppress(Exception):  # nothing stored, or unavailable: nothing to do
        keyring.delete_password(SERVICE, _account(data_dir))
