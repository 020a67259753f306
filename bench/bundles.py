"""Bundle export and import of a large ledger, against raw stdlib sqlite3 writing the same rows.

The baseline: Python's own ``sqlite3`` (no encryption, no change log, no full-text index, no
merge) inserting every replicated row of the same ledger into the same tables and indexes, in
one transaction, with ``executemany``. The import does all of that plus decryption, signature
and digest checks, decompression, validation of every change, the merge, the change log and
the FTS index: the issue's target is a ratio under 3.

A second baseline, the "encrypted floor", writes the same rows plus their change-log rows into
a real jiceng file with raw ``executemany``: what encryption, foreign keys, the FTS index and a
relayable change log cost before any merge logic runs. The import's ratio to it is the merge's
own overhead.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, select

from app.models import Base, ChangeLog
from app.storage.store import create_store, open_store
from app.sync.registry import ENTITIES
from app.sync.rowio import table_io
from bench.common import PASSPHRASE, jiceng, report, timed


def build_ledger(folder: Path, issues: int) -> tuple[Path, Path]:
    cadre, district = folder / "cadre", folder / "district"
    for path in (cadre, district):
        shutil.rmtree(path, ignore_errors=True)
    jiceng(
        "init",
        "--data-dir",
        str(cadre),
        "--role",
        "cadre",
        "--name",
        "张驻点",
        "--district",
        "鼓楼区总工会",
    )
    jiceng("init", "--data-dir", str(district), "--role", "district", "--name", "鼓楼区总工会")
    seconds, rss, _ = jiceng("demo", "--data-dir", str(cadre), "--issues", str(issues))
    stats = json.loads(jiceng("stats", "--data-dir", str(cadre), "--json")[2])
    report(
        f"demo ledger ({issues:,} cases)",
        [
            ("changes", f"{stats['changes']:,}"),
            ("generated in", f"{seconds:.1f} s  ({stats['changes'] / seconds:,.0f} changes/s)"),
            ("peak memory", f"{rss} MiB"),
        ],
    )
    for a, b in ((cadre, district), (district, cadre)):
        jiceng("keys", "export", "--data-dir", str(a), "--out", str(folder / f"{a.name}.pub"))
        jiceng("peers", "trust", "--data-dir", str(b), str(folder / f"{a.name}.pub"))
    return cadre, district


def ledger_rows(cadre: Path) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    rows: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    _s, _r, out = jiceng("dump", "--data-dir", str(cadre))
    for line in out.splitlines():
        item = json.loads(line)
        rows.setdefault(item["entity"], []).append({"id": item["id"], **item["fields"]})
    return {name: rows[name] for name in ENTITIES if name in rows}  # parents first


def raw_baseline(rows: dict[str, list[dict]], folder: Path) -> float:  # type: ignore[type-arg]
    """Seconds for stdlib sqlite3 to write every row of the ledger in one transaction."""
    target = folder / "baseline.db"
    target.unlink(missing_ok=True)
    Base.metadata.create_all(create_engine(f"sqlite:///{target}"))
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    with timed() as t:
        conn.execute("BEGIN")
        for entity, items in rows.items():
            columns = [*items[0].keys(), "clocks"]
            sql = (
                f"INSERT INTO {entity} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            conn.executemany(sql, ([*r.values(), "{}"] for r in items))
        conn.execute("COMMIT")
    conn.close()
    return t.seconds


def encrypted_floor(rows: dict[str, list[dict]], cadre: Path, folder: Path) -> float:  # type: ignore[type-arg]
    """Seconds to write the same rows and one change-log row each into a real jiceng file
    (SQLCipher, foreign keys, FTS index, every index) with raw executemany and no merge:
    what any import that keeps a relayable change log must at least pay."""
    source = open_store(cadre, PASSPHRASE)
    with source.read() as s:
        log = [dict(r._mapping) for r in s.execute(select(ChangeLog.__table__))]
    source.close()
    for item in log:
        item["received_at"] = item["received_at"].isoformat(timespec="milliseconds")
    target = folder / "floor"
    shutil.rmtree(target, ignore_errors=True)
    store = create_store(target, PASSPHRASE)
    with timed() as t, store.write() as s:
        for entity, items in rows.items():
            table_io(s, ENTITIES[entity].table).insert(s, [{**r, "clocks": "{}"} for r in items])
        table_io(s, ChangeLog.__table__).insert(s, log)
    store.close()
    return t.seconds


def run(issues: int, folder: Path) -> None:
    cadre, district = build_ledger(folder, issues)
    bundle = folder / "ledger.jcb"
    export_s, export_rss, _ = jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(bundle)
    )
    manifest = json.loads(jiceng("bundle", "inspect", str(bundle), "--json")[2])
    changes = manifest["counts"]["changes"]
    import_s, import_rss, _ = jiceng("bundle", "import", "--data-dir", str(district), str(bundle))
    rows = ledger_rows(cadre)
    base_rows = sum(len(r) for r in rows.values())
    base_s = raw_baseline(rows, folder)
    floor_s = encrypted_floor(rows, cadre, folder)
    report(
        "bundle export / import",
        [
            ("bundle", f"{bundle.stat().st_size / 2**20:.1f} MiB, {changes:,} changes"),
            (
                "export",
                f"{export_s:.1f} s  ({changes / export_s:,.0f} changes/s), peak {export_rss} MiB",
            ),
            (
                "import",
                f"{import_s:.1f} s  ({changes / import_s:,.0f} changes/s), peak {import_rss} MiB",
            ),
            (
                "raw sqlite3 baseline",
                f"{base_s:.1f} s  ({base_rows / base_s:,.0f} rows/s, {base_rows:,} rows)",
            ),
            ("encrypted floor", f"{floor_s:.1f} s  (same rows + change log, raw executemany)"),
            ("import / raw sqlite3", f"{import_s / base_s:.2f}×  (issue target ≤ 3×)"),
            ("import / encrypted floor", f"{import_s / floor_s:.2f}×  (the merge's own overhead)"),
        ],
    )
