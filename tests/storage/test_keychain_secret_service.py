"""The passphrase in a real OS keyring: GNOME Keyring's Secret Service on a private D-Bus
session, reached by the command line exactly as on a Linux desktop.

Runs where ``gnome-keyring-daemon`` and ``dbus-run-session`` are installed (Debian:
``apt-get install gnome-keyring dbus``); elsewhere it is skipped, saying so. The in-process
backend in tests/storage/test_keychain.py covers the same rules on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.storage.store import Store
from tests.helpers import PASSPHRASE

TOOLS = ("gnome-keyring-daemon", "dbus-run-session")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="no Secret Service here: install gnome-keyring and dbus to run this test",
)

SCRIPT = """
import subprocess, sys
from pathlib import Path
from app.storage import keychain
import keyring
folder = Path(sys.argv[1])

def stats():
    return subprocess.run([sys.executable, "-m", "app", "stats", "--data-dir", str(folder)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)

print("backend", type(keyring.get_keyring()).__module__, keychain.available())
print("asked", stats().returncode)
print("stored", keychain.remember(folder, sys.argv[2]))
print("remembered", stats().returncode)
keychain.remember(folder, "stale")
print("stale", stats().returncode, keychain.recall(folder))
"""


def test_the_cli_opens_with_a_passphrase_from_gnome_keyring(store: Store, tmp_path: Path) -> None:
    store.close()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("JICENG_PASSPHRASE", "DBUS_SESSION_BUS_ADDRESS")
    }
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    inner = (
        "printf unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        'exec "$0" -c "$1" "$2" "$3"'
    )
    done = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "sh",
            "-c",
            inner,
            sys.executable,
            SCRIPT,
            str(store.data_dir),
            PASSPHRASE,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines.get("backend") == "keyring.backends.SecretService True", done.stdout + done.stderr
    assert lines["asked"] == "1"  # nothing remembered and no terminal: refused, asking for it
    assert lines["stored"] == "True"
    assert lines["remembered"] == "0"  # opened with the keyring's passphrase, nothing typed
    assert lines["stale"] == "1 None"  # a stale one is refused and then forgotten
