"""The 台账 workbook: which writer, by the numbers, and the real export of a large ledger.

Each writer puts the same rows (a 13-column case ledger of realistic Chinese text, dates and
numbers, ``BENCH_XLSX_ROWS`` of them, 100,000 by default) into a file, in a child process of
its own so its peak memory is its own. The baseline, in the same run, is Python's ``csv``
module writing the same rows: no format can be written faster than plain text, so each ratio
says what the spreadsheet format costs on top. Candidates: openpyxl in its normal mode (what
jiceng used to do), openpyxl ``write_only``, and xlsxwriter with ``constant_memory`` and
``strings_to_formulas=False`` (what jiceng does now). Then ``jiceng report xlsx`` exports the
bench ledger itself (every case since 2000, full personal data), the end-to-end figure.

``python -m bench.workbook WRITER ROWS OUT`` is the child.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import jiceng, report

WRITERS = ("csv", "openpyxl", "openpyxl-write-only", "xlsxwriter")
HEADERS = ["编号", "登记日期", "企业", "反映人", "标题", "类别", "紧急程度", "状态", "办理期限",
           "承办人", "办结日期", "办理结果", "满意度"]  # fmt: skip


def rows(n: int) -> list[list[Any]]:
    from app.services import demo_corpus as corpus

    rng = random.Random(7)
    start = date(2025, 1, 1)
    out = []
    for i in range(n):
        received = start + timedelta(days=rng.randrange(700))
        title, _ = corpus.issue_text(rng, "工资报酬/欠薪")
        out.append(
            [
                f"GL01-2026-{i:06d}",
                received,
                corpus.enterprise_name(rng),
                corpus.person_name(rng)[0],
                title,
                "工资报酬/欠薪",
                "一般",
                "已办结",
                received + timedelta(days=15),
                "张驻点",
                received + timedelta(days=rng.randrange(1, 30)),
                corpus.resolution_text(rng, "工资报酬/欠薪"),
                "满意",
            ]
        )
    return out


def write(writer: str, data: list[list[Any]], out: Path) -> None:
    if writer == "csv":
        with open(out, "w", newline="", encoding="utf-8") as f:
            sheet = csv.writer(f)
            sheet.writerow(HEADERS)
            sheet.writerows(data)
    elif writer.startswith("openpyxl"):
        from openpyxl import Workbook

        book = Workbook(write_only=writer == "openpyxl-write-only")
        ws = book.create_sheet("职工诉求") if writer.endswith("only") else book.active
        ws.append(HEADERS)  # type: ignore[union-attr]
        for row in data:
            ws.append(row)  # type: ignore[union-attr]
        book.save(out)
    elif writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(
            str(out), {"constant_memory": True, "strings_to_formulas": False}
        )
        ws = book.add_worksheet("职工诉求")
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        ws.write_row(0, 0, HEADERS)
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, day)
                else:
                    ws.write_string(r, c, value)
        book.close()
    else:
        raise SystemExit(f"unknown writer {writer}")


def child(writer: str, n: int, out: Path) -> tuple[float, float, int]:
    """(seconds writing, seconds in all, peak MiB) of one writer in a fresh process."""
    with tempfile.TemporaryFile() as stdout:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.workbook", writer, str(n), str(out)], stdout=stdout
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        total = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"bench.workbook {writer} failed")
        stdout.seek(0)
        seconds = float(stdout.read().decode().strip())
    return seconds, total, usage.ru_maxrss // 1024


def run(issues: int, folder: Path) -> None:
    n = int(os.environ.get("BENCH_XLSX_ROWS", "100000"))
    figures = {w: child(w, n, folder / f"writer-{w}.{'csv' if w == 'csv' else 'xlsx'}")
               for w in WRITERS}  # fmt: skip
    base = figures["csv"][0]
    lines = []
    for writer, (seconds, _total, rss) in figures.items():
        size = (folder / f"writer-{writer}.{'csv' if writer == 'csv' else 'xlsx'}").stat().st_size
        ratio = "baseline" if writer == "csv" else f"{seconds / base:.1f}× csv"
        lines.append(
            (writer, f"{seconds:.1f} s, peak {rss} MiB, {size / 2**20:.1f} MiB  ({ratio})")
        )
    report(f"workbook writers, {n:,} rows × {len(HEADERS)} columns", lines)
    cadre = folder / "cadre"
    if not cadre.exists():
        from bench.bundles import build_ledger

        cadre, _district = build_ledger(folder, issues)
    out = folder / "ledger.xlsx"
    seconds, rss, _ = jiceng(
        "report", "xlsx", "--data-dir", str(cadre), "--from", "2000-01-01",
        "--include-personal", "--reason", "性能测试", "--out", str(out),
    )  # fmt: skip
    report(
        "jiceng report xlsx (the bench ledger, every case since 2000)",
        [
            ("export", f"{seconds:.1f} s, peak {rss} MiB, {out.stat().st_size / 2**20:.1f} MiB"),
            ("xlsxwriter alone, same run", f"{figures['xlsxwriter'][0]:.1f} s for {n:,} rows"),
            ("export / csv baseline", f"{seconds / base:.0f}× (queries, masking, 4 sheets)"),
        ],
    )


if __name__ == "__main__":
    name, count, target = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    made = rows(count)
    began = time.perf_counter()
    write(name, made, target)
    print(f"{time.perf_counter() - began:.3f}")
