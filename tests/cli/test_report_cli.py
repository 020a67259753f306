"""``jiceng report xlsx`` and ``jiceng import xlsx`` as a district user runs them."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEntry
from app.storage.store import open_store
from tests.helpers import PASSPHRASE, jiceng, write_xlsx

CODE = "91350100M000100Y43"


def test_import_then_report(data: Path, tmp_path: Path) -> None:
    good = write_xlsx(
        tmp_path / "企业.xlsx",
        [
            ["企业名称", "统一社会信用代码", "职工人数", "是否建会"],
            ["福州闽江纺织有限公司", CODE, 320, "是"],
        ],
    )
    dry = jiceng(
        "import", "xlsx", "--data-dir", str(data), "--kind", "enterprises", "--dry-run", str(good)
    )
    assert dry.returncode == 0 and "将新增 1" in dry.stdout, dry.stderr
    done = jiceng("import", "xlsx", "--data-dir", str(data), "--kind", "enterprises", str(good))
    assert done.returncode == 0 and "已新增 1" in done.stdout, done.stderr
    again = jiceng("import", "xlsx", "--data-dir", str(data), "--kind", "enterprises", str(good))
    assert "未变 1" in again.stdout

    bad = write_xlsx(tmp_path / "bad.xlsx", [["企业名称", "职工人数"], ["坏公司", "很多"]])
    refused = jiceng("import", "xlsx", "--data-dir", str(data), "--kind", "enterprises", str(bad))
    assert refused.returncode == 1
    assert "第 2 行「职工人数」" in refused.stderr and "未导入任何数据" in refused.stderr

    out = tmp_path / "台账.xlsx"
    made = jiceng(
        "report", "xlsx", "--data-dir", str(data), "--from", "2026-01-01", "--out", str(out)
    )
    assert made.returncode == 0, made.stderr
    summary = {
        r[0]: r[1] for r in load_workbook(out)["汇总"].iter_rows(values_only=True) if r and r[0]
    }
    assert summary["企业数"] == 1 and summary["已建会企业"] == 1


def test_report_arguments_are_checked(data: Path, tmp_path: Path) -> None:
    backwards = jiceng(
        "report", "xlsx", "--data-dir", str(data), "--from", "2026-02-01", "--to", "2026-01-01",
        "--out", str(tmp_path / "x.xlsx"),
    )  # fmt: skip
    assert backwards.returncode == 1 and "--to 不能早于 --from" in backwards.stderr
    bad_date = jiceng(
        "report", "xlsx", "--data-dir", str(data), "--from", "2026-13-01", "--out", "x.xlsx"
    )
    assert bad_date.returncode == 2 and "不是有效的日期" in bad_date.stderr
    unknown = jiceng(
        "report",
        "xlsx",
        "--data-dir",
        str(data),
        "--enterprise",
        "不存在",
        "--out",
        str(tmp_path / "y.xlsx"),
    )
    assert unknown.returncode == 1 and "找不到企业" in unknown.stderr
    missing = jiceng(
        "import", "xlsx", "--data-dir", str(data), "--kind", "workers", str(tmp_path / "no.xlsx")
    )
    assert missing.returncode == 1 and "找不到文件" in missing.stderr


def test_import_prints_warnings_and_still_imports(data: Path, tmp_path: Path) -> None:
    from app.schemas.validators import id_check_char

    body = "32999919900101123"
    sheet = write_xlsx(
        tmp_path / "w.xlsx",
        [
            ["企业名称", "统一社会信用代码"],
            ["福州闽江纺织有限公司", CODE],
        ],
    )
    made = jiceng("import", "xlsx", "--data-dir", str(data), "--kind", "enterprises", str(sheet))
    assert made.returncode == 0, made.stderr
    people = write_xlsx(
        tmp_path / "p.xlsx",
        [["姓名", "身份证号", "所在企业"], ["陈秀英", body + id_check_char(body), CODE]],
    )
    done = jiceng("import", "xlsx", "--data-dir", str(data), "--kind", "workers", str(people))
    assert done.returncode == 0, done.stderr
    assert "已新增 1" in done.stdout and "需核对 1" in done.stdout
    assert "警告：第 2 行「身份证号」：前6位地区码329999" in done.stderr


def test_full_personal_export_needs_a_reason_and_is_audited(
    data: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "full.xlsx"
    base = ("report", "xlsx", "--data-dir", str(data), "--include-personal", "--out", str(out))
    refused = jiceng(*base)
    assert refused.returncode == 2 and "--reason" in refused.stderr and "审计" in refused.stderr
    short = jiceng(*base, "--reason", " x ")
    assert short.returncode == 2 and "2–200字" in short.stderr
    stray = jiceng("report", "xlsx", "--data-dir", str(data), "--reason", "看看", "--out", str(out))
    assert stray.returncode == 2 and "只用于 --include-personal" in stray.stderr
    assert not out.exists()
    done = jiceng(*base, "--reason", "上报区总工会核对")
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    with open_store(data, PASSPHRASE) as store, store.read() as s:
        (entry,) = s.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.row_id, entry.reason) == ("export", "full.xlsx", "上报区总工会核对")


def test_a_folder_as_out_gets_the_apps_default_name(
    data: Path,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "U盘"
    folder.mkdir()
    made = jiceng(
        "report", "xlsx", "--data-dir", str(data), "--from", "2026-11-01", "--to", "2026-11-30",
        "--out", str(folder),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    pdf = jiceng(
        "report", "pdf", "--data-dir", str(data), "--from", "2026-11-01", "--to", "2026-11-30",
        "--out", str(folder),
    )  # fmt: skip
    assert pdf.returncode == 0, pdf.stderr
    backup = jiceng("backup", "--data-dir", str(data), "--out", str(folder))
    assert backup.returncode == 0, backup.stderr
    names = {p.name for p in folder.iterdir()}
    reports = {"张驻点-台账-2026-11.xlsx", "张驻点-工作月报-2026-11.pdf"}
    assert reports <= names and len(names) == 3
    (copy,) = names - reports
    assert re.fullmatch(r"张驻点-备份-\d{8}-\d{4}\.db", copy), copy
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())


def test_report_dates_out_of_range_are_refused_by_name(data: Path, tmp_path: Path) -> None:
    """A year 9999 ended in a traceback (the period is walked month by month): every date
    argument is bounded, and the refusal names the argument (exit 2, nothing written)."""
    out = tmp_path / "台账.xlsx"
    for flag, value in (("--to", "9999-12-31"), ("--from", "0001-01-01"), ("--to", "2026-02-30")):
        done = jiceng("report", "xlsx", "--data-dir", str(data), flag, value, "--out", str(out))
        assert done.returncode == 2, done.stderr
        assert f"argument {flag}" in done.stderr and value in done.stderr
        assert "Traceback" not in done.stderr and not out.exists()
