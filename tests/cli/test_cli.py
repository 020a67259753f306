"""The command line, run as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.helpers import jiceng


def test_init_demo_stats_json(data: Path) -> None:
    made = jiceng(
        "demo",
        "--data-dir",
        str(data),
        "--issues",
        "120",
        "--workers",
        "60",
        "--visits",
        "30",
        "--enterprises",
        "3",
    )
    assert made.returncode == 0, made.stderr
    stats = jiceng("stats", "--data-dir", str(data), "--json")
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert figures["entities"]["issue"] == 120 and figures["entities"]["enterprise"] == 3
    assert figures["entities"]["worker"] == 60 and figures["entities"]["visit"] == 30
    assert sum(figures["issues_by_status"].values()) == 120
    assert set(figures["issues_by_status"]) >= {"registered", "resolved", "followed_up"}
    assert isinstance(figures["overdue"], int) and figures["changes"] > 120
    text = jiceng("stats", "--data-dir", str(data))
    assert text.returncode == 0 and "诉求状态" in text.stdout


def test_dump_is_canonical_sorted_json_lines(data: Path) -> None:
    assert jiceng("demo", "--data-dir", str(data), "--issues", "20").returncode == 0
    out = jiceng("dump", "--data-dir", str(data))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert all(set(r) == {"entity", "id", "fields"} for r in rows)
    assert [(r["entity"], r["id"]) for r in rows] == sorted((r["entity"], r["id"]) for r in rows)
    assert all(
        line == json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        for line, r in zip(lines, rows, strict=True)
    )
    assert {"issue", "issue_event", "worker", "enterprise"} <= {r["entity"] for r in rows}
    again = jiceng("dump", "--data-dir", str(data))
    assert again.stdout == out.stdout


def test_random_edits_go_through_the_services(data: Path) -> None:
    assert jiceng("demo", "--data-dir", str(data), "--issues", "60").returncode == 0
    before = json.loads(jiceng("stats", "--data-dir", str(data), "--json").stdout)["changes"]
    edits = jiceng("demo", "--data-dir", str(data), "--edits", "40", "--seed", "3")
    assert edits.returncode == 0, edits.stderr
    assert "40 次" in edits.stdout
    after = json.loads(jiceng("stats", "--data-dir", str(data), "--json").stdout)["changes"]
    assert after >= before + 40


def test_wrong_passphrase_is_refused_clearly(data: Path) -> None:
    db = data / "jiceng.db"
    before = db.read_bytes()
    out = jiceng("stats", "--data-dir", str(data), passphrase="猜错的口令")
    assert out.returncode == 1
    assert "口令错误" in out.stderr and "Traceback" not in out.stderr
    assert "hmac" not in out.stderr.lower()
    assert db.read_bytes() == before


def test_no_passphrase_without_a_terminal(data: Path) -> None:
    out = jiceng("stats", "--data-dir", str(data), passphrase=None)
    assert out.returncode == 1 and "JICENG_PASSPHRASE" in out.stderr


def test_refusals_and_usage_errors(tmp_path: Path, data: Path) -> None:
    missing = jiceng("stats", "--data-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "尚未初始化" in missing.stderr
    twice = jiceng("init", "--data-dir", str(data), "--role", "cadre", "--name", "x")
    assert twice.returncode == 1 and "已经初始化" in twice.stderr
    bad_role = jiceng("init", "--data-dir", str(tmp_path / "n"), "--role", "boss", "--name", "x")
    assert bad_role.returncode == 2
    bad_number = jiceng("demo", "--data-dir", str(data), "--issues", "-5")
    assert bad_number.returncode == 2 and "不能为负数" in bad_number.stderr
    bad_code = jiceng(
        "init",
        "--data-dir",
        str(tmp_path / "m"),
        "--role",
        "cadre",
        "--name",
        "x",
        "--code",
        "小写",
    )
    assert bad_code.returncode == 1 and "编号前缀" in bad_code.stderr
    assert not (tmp_path / "m").exists()  # a refused init leaves no folder behind


def test_version_and_data_dir_from_environment(tmp_path: Path) -> None:
    out = jiceng("--version")
    assert out.returncode == 0 and "jiceng" in out.stdout
    env_dir = tmp_path / "from-env"
    os.environ["JICENG_DATA_DIR"] = str(env_dir)
    try:
        assert jiceng("init", "--role", "district", "--name", "鼓楼区总工会").returncode == 0
        assert (env_dir / "jiceng.db").exists()
        assert jiceng("stats").returncode == 0
    finally:
        del os.environ["JICENG_DATA_DIR"]


def test_dump_masks_personal_data_unless_asked_with_a_reason(data: Path) -> None:
    """Like the lists and the masked workbook: ID numbers and phones masked, hardship details
    hidden, a confidential complainant left out; full data only with a reason, on the
    audit record first."""
    from app.models import AuditEntry, Issue, Worker
    from app.storage.store import open_store
    from tests.helpers import PASSPHRASE

    assert jiceng("demo", "--data-dir", str(data), "--issues", "40").returncode == 0
    with open_store(data, PASSPHRASE) as store, store.write() as s:
        full = {w.id: (w.id_number, w.phone, w.hardship_reason) for w in s.query(Worker)}
        secret = s.query(Issue).filter(Issue.worker_id.is_not(None)).first()
        assert secret is not None
        secret.confidential = True  # as a case registered confidential stores it
        audits = s.query(AuditEntry).count()
    dumped = jiceng("dump", "--data-dir", str(data)).stdout
    masked = [json.loads(line) for line in dumped.splitlines()]
    workers = {r["id"]: r["fields"] for r in masked if r["entity"] == "worker"}
    assert any(v[0] for v in full.values()) and any(v[2] for v in full.values())
    for wid, (id_number, phone, _hardship) in full.items():
        assert workers[wid]["id_number"] != id_number or id_number is None
        assert workers[wid]["phone"] != phone or phone is None
        assert workers[wid]["hardship_reason"] in (None, "（已隐藏）")
    (case,) = [r["fields"] for r in masked if r["id"] == secret.id]
    assert case["worker_id"] == "（保密）"
    with open_store(data, PASSPHRASE) as store, store.read() as s:
        assert s.query(AuditEntry).count() == audits  # a masked dump is no reveal
    refused = jiceng("dump", "--data-dir", str(data), "--include-personal")
    assert refused.returncode == 2 and "--reason" in refused.stderr
    reason = "核对两台电脑的数据"
    whole = jiceng("dump", "--data-dir", str(data), "--include-personal", "--reason", reason)
    assert whole.returncode == 0, whole.stderr
    rows = {r["id"]: r["fields"] for r in map(json.loads, whole.stdout.splitlines())}
    assert {wid: (f["id_number"], f["phone"], f["hardship_reason"]) for wid, f in rows.items()
            if wid in full} == full  # fmt: skip
    assert rows[secret.id]["worker_id"] == secret.worker_id
    with open_store(data, PASSPHRASE) as store, store.read() as s:
        last = s.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        assert last is not None and (last.action, last.entity) == ("export", "dump")
        assert last.reason == "核对两台电脑的数据"
