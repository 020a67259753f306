"""Excel in and out: the workbook re-opened with openpyxl, and enterprise and worker lists as
district offices receive them (title rows, odd headers, GBK CSV, full-width digits, bad rows)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.models import ChangeLog, Enterprise, Worker, Workshop
from app.schemas.ledger import AssistanceIn, WorkerIn
from app.services import privacy, workers
from app.services.reports import Period, Scope
from app.services.sheet_import import SheetError, import_sheet
from app.services.workbook import export_workbook
from app.storage.store import Store
from tests.helpers import add_enterprise, add_issue, add_visit, dump, write_xlsx

CODE_A = "91350100M000100Y43"
ID_A = "11010519491231002X"
ID_B = "110105194912310038"


def count(store: Store, model: type) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))  # type: ignore[attr-defined]


# ---- workbook out -----------------------------------------------------------------------------


def test_workbook_round_trip_values_formats_and_masking(store: Store, tmp_path: Path) -> None:
    eid = add_enterprise(store, "福州闽江纺织有限公司")
    today = date.today()
    add_issue(store, eid, "反映工资拖欠三个月", received_on=today - timedelta(days=3))
    add_visit(store, eid, visited_on=today - timedelta(days=2), people_count=9)
    with store.write() as s:
        wid = workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=eid,
                name="陈秀英",
                id_number=ID_A,
                phone="13912345678",
                hardship_level="ordinary",
                hardship_reason="丈夫重病",
            ),
        )
        workers.give_assistance(
            s,
            AssistanceIn(
                worker_id=wid,
                given_on=today - timedelta(days=1),
                kind="cash",
                amount="1,200.50",
                funding_source="union_funds",
            ),
        )
    period = Period(today - timedelta(days=30), today)
    target = tmp_path / "台账.xlsx"
    with store.read() as s:
        export_workbook(s, period, Scope(), target, today=today)
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "走访记录", "职工诉求", "帮扶慰问", "好经验好做法"]
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r and r[0]}
    assert summary["登记诉求"] == 1 and summary["走访接触职工人次"] == 9
    assert summary["帮扶慰问金额（元）"] == pytest.approx(1200.50)
    aid = book["帮扶慰问"]
    assert [c.value for c in aid[1]][:4] == ["日期", "职工", "身份证号", "手机号"]
    row = [c.value for c in aid[2]]
    assert row[1] == "陈秀英" and row[2] == "1101********002X" and row[3] == "139****5678"
    assert row[6] == pytest.approx(1200.50) and aid.cell(2, 7).number_format == "#,##0.00"
    assert row[8] == "（已隐藏）"
    assert aid.freeze_panes == "A2" and aid.auto_filter.ref == "A1:J2"
    issues = book["职工诉求"]
    assert issues.cell(2, 2).is_date and issues.cell(2, 2).number_format == "yyyy-mm-dd"
    assert issues.cell(2, 5).value == "反映工资拖欠三个月" and issues.cell(2, 8).value == "已登记"
    assert issues.column_dimensions["E"].width == pytest.approx(30, abs=1)  # + cell padding
    assert target.stat().st_mode & 0o777 == 0o600

    with store.write() as s:
        permit = privacy.permit_export(s, "workbook", target.name, "上报区总工会")
    with store.read() as s:
        export_workbook(s, period, Scope(), target, today=today, permit=permit)
    row = [c.value for c in load_workbook(target)["帮扶慰问"][2]]
    assert row[2] == ID_A and row[3] == "13912345678" and row[8] == "丈夫重病"
    assert target.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*.tmp*"))


# ---- spreadsheets in --------------------------------------------------------------------------


def enterprise_sheet(path: Path) -> Path:
    written = write_xlsx(
        path,
        [
            ["鼓楼区企业名录（2026年11月）"],
            [],
            ["序号", " 企业名称 ", "统一社会信用代码*", "所属行业", "职工人数", "是否建会", "地址"],
            [1, "福州闽江纺织有限公司", CODE_A, "纺织", "３２０", "是", "鼓楼区湖东路1号"],
            [],
            [2, "厦门海沧电子厂", None, "电子", 85, "否", None],
        ],
    )
    book = load_workbook(written)
    book.active.merge_cells("A1:G1")  # type: ignore[union-attr]  # the usual merged title row
    book.save(written)
    return written


def test_enterprise_list_with_title_rows_and_full_width_digits(
    store: Store, tmp_path: Path
) -> None:
    path = enterprise_sheet(tmp_path / "企业.xlsx")
    with store.write() as s:
        result = import_sheet(s, path, "enterprises")
    assert (result.rows, result.created, result.errors) == (2, 2, [])
    with store.read() as s:
        first = s.scalars(select(Enterprise).where(Enterprise.credit_code == CODE_A)).one()
        assert first.headcount == 320 and first.union_founded is True
    before = dump(store)
    log = count_log(store)
    with store.write() as s:
        again = import_sheet(s, path, "enterprises")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dump(store) == before and count_log(store) == log  # nothing new to sync


def count_log(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog)) or 0


def test_reimport_updates_by_credit_code_and_keeps_what_the_sheet_leaves_blank(
    store: Store, tmp_path: Path
) -> None:
    with store.write() as s:
        import_sheet(s, enterprise_sheet(tmp_path / "a.xlsx"), "enterprises")
    renamed = write_xlsx(
        tmp_path / "b.xlsx",
        [["统一社会信用代码", "企业名称", "职工人数"], [CODE_A, "福州闽江纺织集团", 400]],
    )
    with store.write() as s:
        result = import_sheet(s, renamed, "enterprises")
    assert (result.created, result.updated) == (0, 1)
    with store.read() as s:
        row = s.scalars(select(Enterprise).where(Enterprise.credit_code == CODE_A)).one()
    assert (row.name, row.headcount, row.industry) == ("福州闽江纺织集团", 400, "纺织")
    assert count(store, Enterprise) == 2


def test_bad_rows_are_named_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["企业名称", "统一社会信用代码", "职工人数", "是否建会"],
            ["福州闽江纺织有限公司", CODE_A, 320, "是"],
            ["坏代码公司", "91350100M000100Y44", 10, "是"],
            ["", None, 5, "否"],
            ["人数不对公司", None, "很多", "也许"],
            ["福州闽江纺织（重复）", CODE_A, 1, "是"],
        ],
    )
    before = dump(store)
    with store.write() as s:
        result = import_sheet(s, path, "enterprises")
    assert not result.written and dump(store) == before
    messages = [str(e) for e in result.errors]
    assert any(m.startswith("第 3 行「统一社会信用代码」") for m in messages), messages
    assert any(m.startswith("第 4 行「企业名称」") for m in messages), messages
    assert any(m.startswith("第 5 行「是否建会」") and "是" in m for m in messages), messages
    assert "第 6 行「统一社会信用代码」：与第 2 行重复" in messages
    with store.write() as s:
        partial = import_sheet(s, path, "enterprises", valid_only=True)
    assert partial.written and partial.created == 1 and count(store, Enterprise) == 1


def test_workers_from_gbk_csv_make_missing_workshops_and_match_by_id(
    store: Store, tmp_path: Path
) -> None:
    add_enterprise(store, "福州闽江纺织有限公司")
    text = (
        "职工花名册\n"
        "姓名,性别,身份证号,手机号,所在企业,车间,是否会员,困难类别,困难情况\n"
        f"陈秀英,女,{ID_A},１３９１２３４５６７８,福州闽江纺织有限公司,织造车间,是,一般困难,丈夫重病\n"
        f"王建国,,{ID_B},13812345678,福州闽江纺织有限公司,织造车间,否,无,\n"
        "李四,男,,13700000000,不存在的公司,,是,无,\n"
    )
    path = tmp_path / "花名册.csv"
    path.write_bytes(text.encode("gbk"))
    with store.write() as s:
        dry = import_sheet(s, path, "workers", dry_run=True)
    assert not dry.written and dry.created == 2 and dry.workshops_created == 1
    assert [str(e) for e in dry.errors] == [
        "第 5 行「所在企业」：找不到企业“不存在的公司”：请先导入或新建该企业"
    ]
    assert count(store, Worker) == 0
    with store.write() as s:
        done = import_sheet(s, path, "workers", valid_only=True)
    assert done.created == 2 and done.workshops_created == 1
    with store.read() as s:
        chen = s.scalars(select(Worker).where(Worker.id_number == ID_A)).one()
        assert chen.phone == "13912345678" and chen.hardship_level == "ordinary"
        assert chen.gender == "female" and chen.member is True
        assert s.scalar(select(func.count()).select_from(Workshop)) == 1
    with store.write() as s:
        again = import_sheet(s, path, "workers", valid_only=True)
    assert again.created == 0 and count(store, Worker) == 2


def test_ids_that_excel_turned_into_numbers_are_refused_with_the_reason(
    store: Store, tmp_path: Path
) -> None:
    add_enterprise(store, "福州闽江纺织有限公司")
    path = write_xlsx(
        tmp_path / "w.xlsx",
        [["姓名", "身份证号", "所在企业"], ["陈秀英", 110105194912310020, "福州闽江纺织有限公司"]],
    )
    with store.write() as s:
        result = import_sheet(s, path, "workers")
    assert "设为“文本”" in str(result.errors[0]) and result.errors[0].row == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("list.txt", b"x", "只能导入"),
        ("broken.xlsx", b"PK\x03\x04 not really", "无法读取"),
        ("noheader.csv", "甲,乙\n1,2\n".encode(), "找不到表头"),
        ("stray-return.csv", b"\r", "找不到表头"),  # once a raw csv.Error (found by fuzzing)
    ],
)
def test_files_that_are_not_lists_are_refused(
    store: Store, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with store.write() as s, pytest.raises(SheetError, match=reason):
        import_sheet(s, path, "enterprises")


def test_registry_brackets_are_kept_and_still_match_half_width_names(
    store: Store, tmp_path: Path
) -> None:
    """（集团） as the registry writes it is stored as typed; a list that writes (集团), as
    older versions stored it, still updates the same enterprise instead of adding one."""
    registry = "南京宏达（集团）有限公司"
    first = write_xlsx(tmp_path / "a.xlsx", [["企业名称", "职工人数"], [registry, "１２０"]])
    with store.write() as s:
        assert import_sheet(s, first, "enterprises").created == 1
    with store.read() as s:
        row = s.scalars(select(Enterprise)).one()
    assert (row.name, row.headcount) == (registry, 120)
    half_width = "南京宏达(集团)有限公司"
    half = write_xlsx(tmp_path / "b.xlsx", [["企业名称", "职工人数"], [half_width, 130]])
    with store.write() as s:
        again = import_sheet(s, half, "enterprises")
    assert (again.created, again.updated) == (0, 1)
    with store.read() as s:
        assert s.scalars(select(Enterprise.name)).all() == [registry]
    workers_sheet = write_xlsx(
        tmp_path / "w.xlsx", [["姓名", "所在企业"], ["陈秀英", half_width]]
    )
    with store.write() as s:
        assert import_sheet(s, workers_sheet, "workers").created == 1


def test_unknown_region_codes_are_imported_with_a_warning(store: Store, tmp_path: Path) -> None:
    from app.schemas.validators import id_check_char

    add_enterprise(store, "福州闽江纺织有限公司")
    body = "32999919900101123"
    odd = body + id_check_char(body)
    path = write_xlsx(
        tmp_path / "w.xlsx",
        [
            ["姓名", "身份证号", "所在企业"],
            ["陈秀英", odd, "福州闽江纺织有限公司"],
            ["王建国", ID_B, "福州闽江纺织有限公司"],
        ],
    )
    with store.write() as s:
        result = import_sheet(s, path, "workers")
    assert result.errors == [] and result.created == 2 and result.written
    assert [(w.row, w.column) for w in result.warnings] == [(2, "身份证号")]
    assert "329999" in result.warnings[0].message
