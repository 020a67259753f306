"""A TCP proxy on loopback that breaks connections on purpose (tests only)."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time

FAULTS = ("ok", "refuse", "delay", "cut_request", "cut_reply", "reset", "slice")


class FlakyProxy:
    """A TCP proxy on loopback that, connection by connection, refuses, delays, resets,
    cuts the request after N bytes, or forwards the request whole and cuts the reply (so
    the server has committed and the client never hears)."""

    def __init__(self, target_port: int, seed: int, faults: tuple[str, ...] = FAULTS) -> None:
        self.target = target_port
        self.faults = faults
        self.rng = random.Random(seed)
        self.healthy = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.faults_seen: set[str] = set()
        self.fixed: tuple[str, int] | None = None  # every connection: this fault at this byte
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by close()
                return
            self.connections += 1
            fault, cut = "ok", 0
            if self.fixed is not None:
                fault, cut = self.fixed
            elif not self.healthy:
                fault, cut = self.rng.choice(self.faults), self.rng.randint(1, 400)
            self.faults_seen.add(fault)
            threading.Thread(target=self._serve, args=(client, fault, cut), daemon=True).start()

    def _serve(self, client: socket.socket, fault: str, cut: int) -> None:
        with contextlib.suppress(OSError):
            self._relay(client, fault, cut)

    def _relay(self, client: socket.socket, fault: str, cut: int) -> None:
        with client:
            if fault == "refuse":
                return
            if fault == "reset":
                client.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                return
            if fault == "delay":
                time.sleep(0.3)
            with socket.create_connection(("127.0.0.1", self.target), timeout=10) as upstream:
                threads = [
                    threading.Thread(
                        target=self._pump,
                        args=(
                            client,
                            upstream,
                            cut if fault == "cut_request" else None,
                            fault == "slice",
                        ),
                    ),
                    threading.Thread(
                        target=self._pump,
                        args=(
                            upstream,
                            client,
                            cut if fault == "cut_reply" else None,
                            fault == "slice",
                        ),
                    ),
                ]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(timeout=15)

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, limit: int | None, slice_: bool) -> None:
        sent = 0
        src.settimeout(10)
        try:
            while True:
                data = src.recv(7 if slice_ else 65536)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: limit - sent])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
