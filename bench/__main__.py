"""``make bench``: BENCH_ISSUES (default 100000) sets the ledger size."""

from __future__ import annotations

import os

from bench import bundles
from bench.common import work_dir


def main() -> None:
    issues = int(os.environ.get("BENCH_ISSUES", "100000"))
    folder = work_dir()
    bundles.run(issues, folder)


if __name__ == "__main__":
    main()
