"""A command run as a separate process, with its own peak resident memory: how the tests
bound what hostile input costs, including memory Python's tracemalloc cannot see (libzstd,
libsodium, openpyxl's C parts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import PASSPHRASE

# Run in the child: the app's command line, then its own peak RSS (VmHWM, which starts
# afresh at exec: wait4's ru_maxrss would carry this pytest's peak in from the fork).
PROBE = """
import atexit, os, runpy, sys

def peak():
    with open("/proc/self/status") as status:
        kib = next(line for line in status if line.startswith("VmHWM")).split()[1]
    with open(os.environ["JICENG_TEST_PEAK"], "w") as out:
        out.write(kib)

atexit.register(peak)
sys.argv = ["jiceng", *sys.argv[1:]]
runpy.run_module("app", run_name="__main__", alter_sys=True)
"""


def jiceng_measured(tmp: Path, *args: str) -> tuple[int, str, str, float]:
    """``python -m app *args`` as a separate process: exit code, stdout, stderr, and its own
    peak resident memory in MiB."""
    env = {k: v for k, v in os.environ.items() if k != "JICENG_PASSPHRASE"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["JICENG_PASSPHRASE"] = PASSPHRASE
    env["JICENG_TEST_PEAK"] = str(tmp / "child.peak")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    peak = int((tmp / "child.peak").read_text()) / 1024
    return done.returncode, done.stdout, done.stderr, peak


