"""Shared helpers: timing, child processes with peak memory, a printed table."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PASSPHRASE = "bench-口令"


@dataclass
class Timed:
    seconds: float = 0.0


@contextmanager
def timed() -> Iterator[Timed]:
    t = Timed()
    start = time.perf_counter()
    yield t
    t.seconds = time.perf_counter() - start


def jiceng(*args: str, check: bool = True) -> tuple[float, int, str]:
    """Run ``jiceng`` in a child process: (seconds, peak RSS in MiB, stdout).

    Output goes to temporary files, not pipes, so a large ``dump`` cannot stall the child
    while we wait for it (``wait4`` gives that child's own peak memory)."""
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", *args], env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode()
    if check and proc.returncode != 0:
        raise SystemExit(f"jiceng {' '.join(args)} failed:\n{errors}")
    return seconds, usage.ru_maxrss // 1024, text


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    sys.stdout.flush()


def work_dir() -> Path:
    folder = Path(os.environ.get("BENCH_DIR", "bench-data"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
