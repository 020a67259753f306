"""One desktop app per data folder, and no restore under a running app.

SQLite's own locks let several processes share the file (the app and ``jiceng sync`` may), but
replacing the file under an open app would leave it writing to a deleted inode. The app holds
an advisory lock on ``.jiceng.lock`` for its whole life; ``jiceng restore`` takes the same lock
and refuses if it cannot. The OS drops the lock when the process dies, so a crash leaves
nothing to clean up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

LOCK_NAME = ".jiceng.lock"


class FolderInUse(Exception):
    """Another process holds the folder's lock."""


class FolderLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._file: IO[bytes] | None = None

    def acquire(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise FolderInUse(str(self.path.parent)) from None
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
