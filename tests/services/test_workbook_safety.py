"""What goes into the workbook stays data: no formulas, no broken files, no open copies.

The hostile ledger is generated from the input schemas: every free-text field of every
record the workbook draws on gets its own payload, starting with one of = + - @ in turn and
carrying control characters. The checks are generated from the workbook's own column
declarations (``SHEETS``): every text column of every ledger sheet must hold a payload, as
a plain string cell, unchanged but for the characters a cell cannot carry.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pydantic import BaseModel
from sqlalchemy import select

from app.models import AuditEntry
from app.schemas.base import InputError
from app.schemas.enums import IssueStatus
from app.schemas.issues import IssueIn, TransitionIn
from app.schemas.ledger import AssistanceIn, EnterpriseIn, PracticeIn, VisitIn, WorkerIn
from app.schemas.validators import normalize_text
from app.services import enterprises, issues, privacy, visits, workers
from app.services.reports import Period, Scope
from app.services.workbook import (
    FORMULA_START,
    SHEETS,
    _Book,
    cell_text,
    export_workbook,
)
from app.storage.store import Store

TODAY = date.today()
PERIOD = Period(TODAY - timedelta(days=30), TODAY)
STARTS = ("=", "+", "-", "@")
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CODES = {"credit_code", "id_number", "phone", "contact_phone"}  # checked codes, not free text


def is_text(annotation: object) -> bool:
    """``str``, ``str | None``, or the same wrapped in ``Annotated`` (CleanText)."""
    if annotation is str:
        return True
    if get_origin(annotation) is Annotated:
        return is_text(get_args(annotation)[0])
    args = get_args(annotation)
    return bool(args) and type(None) in args and all(a is type(None) or is_text(a) for a in args)


class Payloads:
    """One payload per (schema, field), each a formula-looking text with control characters."""

    def __init__(self) -> None:
        self.made: dict[str, str] = {}  # tag: payload
        self.fields: dict[str, str] = {}  # tag: "Schema.field"
        self._starts = itertools.cycle(STARTS)

    def __call__(self, field: str) -> str:
        tag = f"F{len(self.made):02d}"  # short: every payload fits its field's length limit
        start = next(self._starts)
        text = f'{start}HYPERLINK("http://x","{tag}")\x07\x0b{tag}\x00尾'
        self.made[tag], self.fields[tag] = text, field
        return text

    def fill(self, model: type[BaseModel], **given: Any) -> dict[str, Any]:
        """``given``, plus a payload for every other text field of ``model``."""
        values = dict(given)
        for name, info in model.model_fields.items():
            if name in values or name in CODES or name.endswith(("_id", "_ids")):
                continue
            if is_text(info.annotation):
                values[name] = self(f"{model.__name__}.{name}")
        return values


def hostile_ledger(store: Store, payloads: Payloads) -> None:
    with store.write() as s:
        eid = enterprises.create_enterprise(s, EnterpriseIn(**payloads.fill(EnterpriseIn)))
        wid = workers.create_worker(
            s,
            WorkerIn(**payloads.fill(WorkerIn, enterprise_id=eid, hardship_level="ordinary")),
        )
        visits.record_visit(
            s, VisitIn(**payloads.fill(VisitIn, enterprise_id=eid, visited_on=TODAY, kind="survey"))
        )
        iid = issues.open_issue(
            s,
            IssueIn(
                **payloads.fill(
                    IssueIn, enterprise_id=eid, worker_id=wid, category="wages", received_on=TODAY
                )
            ),
        )
        for status in (IssueStatus.ACCEPTED, IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED):
            fields = {"to_status": status, "on": TODAY}
            if status != IssueStatus.RESOLVED:
                fields["resolution"] = None
            issues.transition(s, iid, TransitionIn(**payloads.fill(TransitionIn, **fields)))
        workers.give_assistance(
            s,
            AssistanceIn(
                **payloads.fill(
                    AssistanceIn,
                    worker_id=wid,
                    given_on=TODAY,
                    kind="cash",
                    amount="100",
                    funding_source="union_funds",
                )
            ),
        )
        visits.add_practice(
            s, PracticeIn(**payloads.fill(PracticeIn, enterprise_id=eid, collected_on=TODAY))
        )


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")}


@pytest.mark.parametrize("personal", [False, True])
def test_every_text_column_of_every_sheet_is_written_as_plain_text(
    store: Store, tmp_path: Path, personal: bool
) -> None:
    payloads = Payloads()
    hostile_ledger(store, payloads)
    target = tmp_path / "台账.xlsx"
    with store.write() as s:  # a control character anywhere must not fail the export
        permit = privacy.permit_export(s, "workbook", target.name, "测试") if personal else None
        export_workbook(s, PERIOD, Scope(), target, today=TODAY, permit=permit)
    for name, xml in sheet_xml(target).items():
        assert "<f>" not in xml and "<f " not in xml, name  # no formula in any cell at all
    # The ledger holds each payload as its schema cleaned it (one-line fields fold runs of
    # whitespace, \x0b included); the cell holds that minus what a cell cannot carry.
    forms = {t: {cell_text(x), cell_text(normalize_text(x))} for t, x in payloads.made.items()}

    def tag_of(value: object) -> str | None:
        if not isinstance(value, str):
            return None
        tag = next((t for t in forms if f'"{t}")' in value), None)
        assert tag is None or value in forms[tag], (tag, value)
        return tag

    book = load_workbook(target)
    seen: set[str] = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    assert not ILLEGAL.search(cell.value), (ws.title, cell.coordinate)
                    if cell.value.startswith(FORMULA_START):
                        assert cell.quotePrefix, (ws.title, cell.coordinate)  # text when edited
                    tag = tag_of(cell.value)
                    if tag is not None:
                        seen.add(payloads.fields[tag])
    for title, columns in SHEETS.items():
        ws = book[title]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        for index, column in enumerate(columns, start=1):
            if column.kind != "text":
                continue
            values = [ws.cell(r, index).value for r in range(2, ws.max_row + 1)]
            if column.header == "困难情况" and not personal:
                assert values == ["（已隐藏）"]
                continue
            assert any(tag_of(v) for v in values), (title, column.header, values)
    assert "VisitIn.summary" in seen and "TransitionIn.resolution" in seen


def test_a_hyperlink_in_a_visit_summary_reads_back_as_a_string(
    store: Store, tmp_path: Path
) -> None:
    from tests.helpers import add_enterprise, add_visit

    eid = add_enterprise(store)
    add_visit(store, eid, summary='=HYPERLINK("http://x","y")')
    target = tmp_path / "台账.xlsx"
    with store.read() as s:
        export_workbook(s, PERIOD, Scope(), target, today=TODAY)
    cell = load_workbook(target)["走访记录"]["F2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    assert cell.quotePrefix
    assert target.stat().st_mode & 0o777 == 0o600


@given(st.text(max_size=60))
@settings(max_examples=40, deadline=None)
def test_any_text_survives_a_cell(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Whatever a person or a pasted document puts in a field: written, read back as the
    cleaned text, as a string."""
    path = tmp_path_factory.mktemp("cell") / "x.xlsx"
    book = _Book(path)
    book.sheet("走访记录", SHEETS["走访记录"][5:6], [[text]])
    book.close()
    cleaned = cell_text(text)
    assert not ILLEGAL.search(cleaned) and cell_text(cleaned) == cleaned
    value = load_workbook(path)["走访记录"]["A2"].value
    assert (value or "") == cleaned and "\r" not in cleaned


def test_a_full_personal_export_needs_a_reason_and_is_on_the_record(
    store: Store, tmp_path: Path
) -> None:
    target = tmp_path / "台账.xlsx"
    for reason in (None, "", " x "):
        with store.write() as s, pytest.raises(InputError, match="原因"):
            privacy.permit_export(s, "workbook", target.name, reason)
    with store.write() as s:
        permit = privacy.permit_export(s, "workbook", target.name, "上报区总工会")
    with store.read() as s, pytest.raises(ValueError, match="another file"):
        export_workbook(s, PERIOD, Scope(), tmp_path / "别的.xlsx", today=TODAY, permit=permit)
    with store.read() as s:
        export_workbook(s, PERIOD, Scope(), target, today=TODAY, permit=permit)
    with store.read() as s:
        (entry,) = s.scalars(select(AuditEntry)).all()
        assert (entry.action, entry.entity, entry.row_id) == ("export", "workbook", "台账.xlsx")
        assert entry.reason == "上报区总工会" and privacy.verify_chain(s) is None
