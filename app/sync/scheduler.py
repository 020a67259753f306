"""Automatic sync: watch for the server, and sync when it becomes reachable (no Qt here).

A background thread probes the server's ``/healthz``. When the server answers after having
been away — a laptop carried back into Wi-Fi range — it runs a sync round at once, then again
every ``interval`` while online; while offline it probes with a growing pause (up to
``max_pause``) so an unplugged laptop does not keep its radio busy. Callbacks report the
state and each round's outcome; the GUI turns them into signals for its thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from nacl.signing import SigningKey

from app.models import SyncState
from app.storage.store import Store
from app.sync.client import SyncReport, SyncRound, configured_server
from app.sync.http import RetryPolicy, SyncError, Transport


@dataclass
class Callbacks:
    online: Callable[[bool], None] = lambda _online: None
    report: Callable[[SyncReport], None] = lambda _report: None
    error: Callable[[SyncError], None] = lambda _error: None


def default_transport(config: SyncState) -> Transport:
    return Transport(config.server_url, config.token, timeout=20.0, retry=RetryPolicy(attempts=3))


class AutoSync:
    def __init__(
        self,
        store: Store,
        callbacks: Callbacks | None = None,
        *,
        interval: float = 300.0,
        first_pause: float = 15.0,
        max_pause: float = 300.0,
        transport: Callable[[SyncState], Transport] = default_transport,
        signing: Callable[[], SigningKey | None] = lambda: None,
    ) -> None:
        self.store = store
        self.callbacks = callbacks or Callbacks()
        self.interval = interval
        self.first_pause = first_pause
        self.max_pause = max_pause
        self.make_transport = transport
        self.signing = signing  # called in the sync thread: loading keys takes a moment
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.online: bool | None = None
        self.rounds = 0

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()  # a stopped scheduler may be started again
            self._thread = threading.Thread(target=self._loop, name="jiceng-autosync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current step (a round in progress finishes, bounded by timeouts)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def sync_now(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        pause = self.first_pause
        while not self._stop.is_set():
            with self.store.read() as session:
                config = configured_server(session)
            if config is None:
                self._sleep(self.max_pause)
                continue
            transport = self.make_transport(config)
            try:
                requested = self._wake.is_set()  # someone pressed "sync now"
                reachable = transport.probe()
                came_back = reachable and self.online is not True
                if reachable != self.online:
                    self.online = reachable
                    self.callbacks.online(reachable)
                if requested and not reachable:
                    self._wake.clear()  # answer the request: say why nothing was sent
                    self.callbacks.error(SyncError("unreachable", config.server_url))
                if reachable and (came_back or self._wake.is_set() or pause >= self.interval):
                    self._wake.clear()
                    self._round(transport)
                pause = self.interval if reachable else min(self.max_pause, pause * 2)
            finally:
                transport.close()
            self._sleep(pause)

    def _round(self, transport: Transport) -> None:
        try:
            report = SyncRound(
                self.store,
                transport=transport,
                cancelled=self._stop.is_set,
                signing=self.signing(),
            ).run()
        except SyncError as err:
            self.callbacks.error(err)
            return
        self.rounds += 1
        self.callbacks.report(report)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)  # "sync now" ends the pause: the loop probes straight away
