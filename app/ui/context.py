"""What every screen shares: the open data file, the two work lanes, and "what changed".

Screens never touch the ORM. They start operations here: ``read`` and ``write`` run a
function with a fresh session on the database lane (one thread, so operations never
interleave) and call back on the GUI thread; a successful ``write`` announces which kinds of
record changed, and every screen showing them refreshes (docs/architecture.md#ui).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from app import paths
from app.services.replica import ReplicaInfo, replica_info
from app.storage.store import Store
from app.sync import keys as keyfiles
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
        touches: frozenset[str] = ALL,
    ) -> Task:
        def job(_task: Task) -> Any:
            with self.store.write() as session:
                return fn(session)

        def finished(result: Any) -> None:
            self.changed.emit(touches)
            if done:
                done(result)

        return self.db.start(job, finished, failed or self.error.emit)

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
