"""``make bench``: BENCH_ISSUES (default 100000) sets the ledger size;
BENCH=bundles,workbook,server,districts,gui picks the parts. The workbook part compares spreadsheet
writers on 100,000 rows (BENCH_XLSX_ROWS) against a CSV baseline and exports the ledger; the
server part pushes and pulls about 100,000 changes (18,000 cases); the gui part measures the
desktop app over the full ledger; the districts part times one district's small pushes while
another district pushes its largest batches."""

from __future__ import annotations

import os

from bench import bundles, districts, gui, server, workbook
from bench.common import work_dir


def main() -> None:
    issues = int(os.environ.get("BENCH_ISSUES", "100000"))
    folder = work_dir()
    which = os.environ.get("BENCH", "bundles,workbook,server,districts,gui").split(",")
    if "bundles" in which:
        bundles.run(issues, folder)
    if "workbook" in which:
        workbook.run(issues, folder)
    if "server" in which:
        server.run(int(os.environ.get("BENCH_SERVER_ISSUES", str(issues * 18 // 100))), folder)
    if "districts" in which:
        districts.run(folder)
    if "gui" in which:
        gui.run(issues, folder)


if __name__ == "__main__":
    main()
