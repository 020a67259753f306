"""Where jiceng keeps its files.

One place decides the data folder so that the GUI, the CLI and the tests agree: an explicit
``--data-dir`` wins, then ``JICENG_DATA_DIR``, then the platform's user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "jiceng"
DB_NAME = "jiceng.db"


def default_data_dir() -> Path:
    """The data folder used when the caller names none."""
    override = os.environ.get("JICENG_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None) -> Path:
    """The data folder for ``explicit`` (a command-line value) or the default."""
    return Path(explicit).expanduser() if explicit else default_data_dir()


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def keys_dir(data_dir: Path) -> Path:
    return data_dir / "keys"


KEY_FILE = "replica.key"


def key_file(data_dir: Path) -> Path:
    """This replica's private keys, encrypted with the passphrase (``app.sync.keys``)."""
    return keys_dir(data_dir) / KEY_FILE
