"""Who has a data folder open: one desktop app per folder, and no restore under anyone.

SQLite's own locks let several processes share the file (the app and ``jiceng sync`` may), but
replacing the file under an open store would leave that process writing to a deleted inode.
Two advisory locks, which the OS drops when a process dies (so a crash leaves nothing to clean):

* ``.jiceng.lock`` — held exclusively by the desktop app for its whole life: a second window
  on the same folder is refused.
* ``.jiceng.use.lock`` — held *shared* by every open ``Store`` (app, CLI, sync), and taken
  exclusively by ``jiceng restore``, which therefore runs only when nobody has the file open,
  and keeps everyone out until it is done.

On Windows ``msvcrt`` has no shared locks, so there an open store takes the use lock only for
a moment at opening (a restore in progress still keeps it out); the app lock covers the app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

APP_LOCK = ".jiceng.lock"
USE_LOCK = ".jiceng.use.lock"


class FolderInUse(Exception):
    """Another process holds the lock."""


class FolderLock:
    def __init__(self, data_dir: Path, name: str = APP_LOCK, *, shared: bool = False) -> None:
        self.path = data_dir / name
        self.shared = shared
        self._file: IO[bytes] | None = None

    def acquire(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        try:
            _lock(handle, self.shared)
        except OSError:
            handle.close()
            raise FolderInUse(str(self.path.parent)) from None
        self._file = handle
        if self.shared and os.name == "nt":  # pragma: no cover - see the module docstring
            self.release()
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[bytes], shared: bool) -> None:
        del shared  # no shared locks here
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes], shared: bool) -> None:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
