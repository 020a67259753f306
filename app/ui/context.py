"""What every screen shares: the open data file, the two work lanes, and "what changed".

Screens never touch the ORM. They start operations here: ``read`` and ``write`` run a
function with a fresh session on the database lane (one thread, so operations never
interleave) and call back on the GUI thread; a successful ``write`` announces which kinds of
record it wrote (the core keeps count, ``app.sync.touched``), and every screen showing them
refreshes (docs/architecture.md#ui). ``announce`` does the same for work done elsewhere (a
sync round, a bundle import) from what its merge reports.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from app import paths
from app.services.replica import ReplicaInfo, replica_info
from app.storage.store import Store
from app.sync import keys as keyfiles
from app.sync import touched
from app.sync.keys import KeyPairs
from app.ui.prefs import Prefs
from app.ui.tasks import Failed, Lane, Task

ALL = frozenset({"*"})


class AppContext(QObject):
    changed = Signal(object)  # frozenset of entity names, or ALL
    error = Signal(object)  # an exception nobody handled

    def __init__(self, store: Store, data_dir: Path, prefs: Prefs, passphrase: str) -> None:
        super().__init__()
        self.store = store
        self.data_dir = data_dir
        self.prefs = prefs
        self.passphrase = passphrase  # for the key file (bundles); never written anywhere
        self._keys: KeyPairs | None = None
        self._keys_lock = threading.Lock()
        self.db = Lane(1)
        self.io = Lane(3)
        with store.read() as session:
            self.info: ReplicaInfo = replica_info(session)

    def read(
        self,
        fn: Callable[[Session], Any],
        done: Callable[[Any], object],
        failed: Failed | None = None,
    ) -> Task:
        def job(_task: Task) -> Any:
            with self.store.read() as session:
                return fn(session)

        return self.db.start(job, done, failed or self.error.emit)

    def write(
        self,
        fn: Callable[[Session], Any],
        done: Callable[[Any], object] | None = None,
        failed: Failed | None = None,
    ) -> Task:
        """Run ``fn`` in a write transaction; once it commits, announce the kinds of record
        it really wrote (``app.sync.touched``) — nothing when it wrote nothing."""
        return self.write_task(lambda session, _task: fn(session), done, failed)

    def write_task(
        self,
        fn: Callable[[Session, Task], Any],
        done: Callable[[Any], object] | None = None,
        failed: Failed | None = None,
    ) -> Task:
        """``write`` for long work that reports progress on, and listens for cancelling
        through, its ``Task`` (a bundle import)."""

        def job(task: Task) -> tuple[Any, frozenset[str]]:
            with self.store.write() as session:
                touched.watch(session)
                value = fn(session, task)
            return value, touched.seen(session)  # read after the commit's last flush

        def finished(outcome: tuple[Any, frozenset[str]]) -> None:
            value, names = outcome
            if names:
                self.changed.emit(names)
            if done:
                done(value)

        return self.db.start(job, finished, failed or self.error.emit)

    def announce(self, written: Mapping[str, Collection[str]]) -> None:
        """Tell the screens what a merge run outside ``write`` wrote (``MergeResult.touched``:
        kind of record → row ids)."""
        names = frozenset(name for name, ids in written.items() if ids)
        if names:
            self.changed.emit(names)

    def keys(self) -> KeyPairs:
        """This replica's key pairs, read from the key file once (deriving the file's key
        takes a noticeable moment: call this from a worker, not the GUI thread)."""
        with self._keys_lock:
            if self._keys is None:
                self._keys = keyfiles.load(self.data_dir, self.passphrase)
            return self._keys

    def signing_key(self) -> SigningKey | None:
        """For online sync, which signs this replica's changes when it can (None when the
        key file cannot be read: the changes then travel unsigned)."""
        try:
            return self.keys().signing
        except keyfiles.KeyFileError:
            return None

    def backup_folder(self) -> Path:
        """Where backups go: the folder chosen in 设置, else the data folder's backups/."""
        return Path(self.prefs.backup_dir or paths.backups_dir(self.data_dir))

    def refresh_info(self) -> None:
        with self.store.read() as session:
            self.info = replica_info(session)

    def shutdown(self) -> None:
        self.io.cancel_all()
        self.db.cancel_all()
        self.io.wait(30_000)
        self.db.wait(30_000)
        self.store.close()
