"""The desktop app with a large ledger: first paint, case list, search, stalls, memory.

Each figure comes from ``bench.gui_probe`` in its own process (a cold start, and that
process's own peak memory). Baselines from the same run: the same list and search queries
through the service alone, without Qt. The issue's targets with 100,000 cases: first paint
≤ 1.5 s, list open ≤ 200 ms, a search keystroke answered ≤ 100 ms, no event-loop stall over
50 ms during a bundle import or a sync, resident memory ≤ 400 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bundles import build_ledger
from bench.common import PASSPHRASE, jiceng, report
from bench.server import _start


def probe(*args: str) -> tuple[dict[str, object], int]:
    """Run the probe; its JSON result and its peak resident memory in MiB."""
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env["BENCH_T0"] = repr(time.time())
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.gui_probe", *args], env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"gui probe {args[0]} failed:\n{err.read().decode()}")
        lines = out.read().decode().strip().splitlines()
    return json.loads(lines[-1]), usage.ru_maxrss // 1024


def small_enrolled_replica(folder: Path, issues: int) -> tuple[Path, subprocess.Popen[bytes]]:
    """A cadre with ``issues`` cases, enrolled on a fresh server running in its own process."""
    small, srv = folder / "small", folder / "server"
    for path in (small, srv):
        subprocess.run(["rm", "-rf", str(path)], check=True)
    jiceng("init", "--data-dir", str(small), "--role", "cadre", "--name", "李驻点",
           "--district", "鼓楼区总工会")  # fmt: skip
    jiceng("demo", "--data-dir", str(small), "--issues", str(issues))
    proc, url = _start(None, srv)
    admin = ["server", "admin", "--data-dir", str(srv)]
    jiceng(*admin, "add-district", "鼓楼区总工会")
    code = jiceng(*admin, "enroll-code", "--district", "鼓楼区总工会")[2].strip().splitlines()[-1]
    jiceng("enroll", "--data-dir", str(small), "--server", url, "--code", code)
    return small, proc


def ms(seconds: object) -> str:
    return f"{float(seconds) * 1000:.0f} ms"  # type: ignore[arg-type]


def run(issues: int, folder: Path) -> None:
    work = folder / "gui"
    work.mkdir(parents=True, exist_ok=True)
    cadre, district = build_ledger(work, issues)
    bundle = work / "ledger.jcb"
    jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(bundle)
    )
    opened, open_rss = probe("open", str(cadre))
    imported, import_rss = probe("import", str(district), str(bundle))
    sync_issues = int(os.environ.get("BENCH_GUI_SYNC_ISSUES", "5000"))
    small, server = small_enrolled_replica(work, sync_issues)
    try:
        synced, sync_rss = probe("sync", str(small))
    finally:
        server.terminate()
        server.wait(30)
    report(
        f"desktop app ({opened['issues']:,} cases in the list)",
        [
            (
                "cold start → first paint",
                f"{float(opened['first_paint_s']):.2f} s  (target ≤ 1.5 s)",
            ),  # type: ignore[arg-type]
            ("open case list, first time", f"{ms(opened['open_s'])}  (target ≤ 200 ms)"),
            ("open case list again", ms(opened["reopen_s"])),
            ("  same query, service only", ms(opened["open_service_s"])),
            (
                "  list / service",
                f"{float(opened['open_s']) / float(opened['open_service_s']):.2f}×",
            ),  # type: ignore[arg-type]
            ("search keystroke, median", f"{ms(opened['search_median_s'])}  (target ≤ 100 ms)"),
            ("search keystroke, worst", ms(opened["search_max_s"])),
            ("  same search, service only", ms(opened["search_service_median_s"])),
            (
                "  search / service",
                f"{float(opened['search_median_s']) / float(opened['search_service_median_s']):.2f}×",
            ),  # type: ignore[arg-type]
            ("  typing pause before a search", f"{opened['typing_pause_ms']} ms"),
            ("peak memory, list and search", f"{open_rss} MiB  (target ≤ 400 MB)"),
            (
                "bundle import in the app",
                f"{float(imported['import_s']):.1f} s, {imported['result'].splitlines()[0]}",
            ),  # type: ignore[arg-type,union-attr]
            ("  longest event-loop stall", f"{imported['import_stall_ms']} ms  (target ≤ 50 ms)"),
            ("  peak memory", f"{import_rss} MiB"),
            ("sync now", f"{float(synced['sync_s']):.1f} s for {synced['sync_changes']:,} changes"),  # type: ignore[arg-type]
            ("  longest event-loop stall", f"{synced['sync_stall_ms']} ms  (target ≤ 50 ms)"),
            ("  peak memory", f"{sync_rss} MiB"),
        ],
    )
