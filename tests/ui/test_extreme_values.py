"""Values the wire accepts, at their extremes (issue 21), generated from the wire registry.

A hostile district-mate writes, for every replicated entity, rows whose every field holds an
extreme value its checks still let through: the longest text allowed, the empty string, text
full of control characters other than NUL (ESC sequences, carriage returns, the RTL override,
zero-width characters, emoji, lone combining marks), integers at the registry bound and its
negative, dates at 0001-01-01 and 9999-12-31, timestamps at their ends, both booleans, every
code of every vocabulary, null wherever allowed, and references to rows deleted before. The
changes reach another replica through a signed bundle and the real merge; there, every screen
opens without an error, each case's detail and each kind's edit form opens on the extreme
rows, and ``jiceng stats``, both reports and ``jiceng dump`` still work.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from app.services.bundles import export_bundle, import_bundle
from app.services.dashboard import dashboard, snapshot
from app.services.demo import DemoSpec, generate
from app.services.editing import values_for_edit
from app.services.issue_detail import issue_detail
from app.services.issue_list import IssueFilter, issue_ids, issue_rows
from app.services.records import RecordFilter, record_ids, record_rows
from app.services.replica import district_id_for
from app.services.reports import Period, Scope, build_report
from app.services.stored_check import find_invalid
from app.services.workbook import export_workbook
from app.sync.merge import MergeResult
from app.sync.registry import ENTITIES, MAX_TEXT, SERVER_OWNED, FieldSpec, wire_value
from app.sync.writer import ChangeWriter
from app.ui.forms.dialog import FormDialog
from app.ui.main_window import MainWindow
from app.ui.pages.dashboard import DashboardPage
from app.ui.pages.issues import IssuesPage
from app.ui.pages.reports import ReportsPage
from tests.helpers import PASSPHRASE, MakeNode, Node, changes_of, save_keys
from tests.ui_helpers import (
    PAGES,
    Asked,
    close_window,
    dismiss,
    edit_button,
    list_page,
    on_modal,
    open_window,
    select,
    wait_idle,
)

SMALL = DemoSpec(enterprises=3, workers=40, visits=20, issues=40)
META = {"deleted"}  # every other field is written; a row is deleted by a change of its own
# Text a column holds as it is: markup a label would render, terminal escapes, CR/LF, tab,
# the RTL override, zero-width characters, a byte-order mark, emoji with joiners and a
# variation selector, a lone combining mark at the start, C1 controls, line and paragraph
# separators.
NASTY = (
    "\u0301<b>粗</b>\x1b[31m红\x1b[0m\x1b]0;标题\x07\r\n\t\u202e反向\u202c\u200b\u200c\u200d\ufeff"
    "👨\u200d👩\u200d👧\u2764\ufe0f\x7f\x85\x9b\u2028\u2029\x01\x08\x0b\x0c\u0300"
)
LONG_TEXT_CHARS = [*range(0x4E00, 0x9FA6), *range(0x20000, 0x20100)]  # CJK, some astral
VARIANTS = ("max", "min", "control", "null", "orphan")  # and "gone", deleted


def text_value(field: FieldSpec, variant: str, i: int) -> str:
    limit = field.max_len or MAX_TEXT
    if variant == "max":  # varied, as text is (a bundle refuses a payload that compresses
        # more than 60 to 1 as a bomb: twenty thousand repeats of one character would)
        rng = random.Random(f"{field.name}{i}")
        return "".join(chr(rng.choice(LONG_TEXT_CHARS)) for _ in range(limit - 1)) + "𝄞"
    if variant == "min":
        return ""
    return (NASTY * (limit // len(NASTY) + 1))[:limit]


def extreme(field: FieldSpec, variant: str, i: int) -> Any:
    """The ``variant`` extreme of ``field``, for the ``i``-th field of its entity."""
    if field.choices:
        return field.choices[((*VARIANTS, "gone").index(variant) + i) % len(field.choices)]
    if variant == "null" and field.nullable:
        return None
    if field.kind == "str":
        return text_value(field, variant, i)
    if field.kind == "int":
        if variant in ("control", "orphan"):  # this month's figures at the bounds, both signs
            return field.int_bound - 1 if (i % 2 == 0) == (variant == "control") else (
                -field.int_bound)
        return {"max": field.int_bound - 1, "min": -field.int_bound}.get(variant, -1)
    if field.kind == "bool":
        return variant != "min"
    if variant in ("control", "orphan"):  # today: in this month's reports and counts
        now = datetime.now(UTC).replace(tzinfo=None)
        return date.today().isoformat() if field.kind == "date" else wire_value(
            now.replace(microsecond=now.microsecond // 1000 * 1000)
        )
    high = variant == "max" or (variant != "min" and i % 2 == 0)
    if field.kind == "date":
        return "9999-12-31" if high else "0001-01-01"
    return "9999-12-31T23:59:59.999" if high else "0001-01-01T00:00:00.000"


Made = dict[str, dict[str, str]]  # entity → variant → row id


def write_extremes(peer: Node) -> Made:
    """On ``peer``, as a hostile client that skips its own forms: one row per entity and
    variant, every field at the variant's extreme. References point to the same variant's
    row of the parent entity; the "orphan" variant's point to "gone" rows, deleted (where
    the kind can be) before anything referred to them."""
    made: Made = {}
    district = district_id_for(peer.info.district_name)
    with peer.store.write() as s, ChangeWriter(s) as w:
        for spec in sorted(ENTITIES.values(), key=lambda e: e.order):
            if spec.derived or spec.name in SERVER_OWNED:
                continue
            for variant in (*VARIANTS, "gone"):
                values: dict[str, Any] = {}
                for i, field in enumerate(spec.fields.values()):
                    if field.name in META:
                        continue
                    if field.parent == "district":
                        values[field.name] = district
                    elif field.parent:
                        values[field.name] = (
                            None
                            if variant == "null" and field.nullable
                            else made[field.parent]["gone" if variant == "orphan" else variant]
                        )
                    else:
                        values[field.name] = extreme(field, variant, i)
                made.setdefault(spec.name, {})[variant] = w.create(spec.name, values)
            if not spec.append_only:
                w.delete(spec.name, made[spec.name]["gone"])
    return made


def values_of(entity: str, variant: str) -> dict[str, Any]:
    """The ``variant`` extremes of every field of ``entity`` that is no reference."""
    spec = ENTITIES[entity]
    return {
        f.name: extreme(f, variant, i)
        for i, f in enumerate(spec.fields.values())
        if f.name not in META and not f.parent
    }


CASE_EDITS_HERE = {"max": "min", "control": "null"}  # case variant → what it is edited to
CASE_EDITS_THERE = {"max": "control", "control": "max"}


def send(sender: Node, to: Node, path: Path) -> MergeResult:
    """Everything ``sender`` holds, as a signed bundle through ``to``'s real import."""
    with sender.store.read() as s:
        done = export_bundle(s, sender.keys, to.info.replica_id, path)
    with to.store.write() as s:
        report = import_bundle(s, to.keys, done.path)
    assert report.result.rejected == []
    return report.result


@pytest.fixture
def receiver(make_node: MakeNode, tmp_path: Path) -> tuple[Node, Made]:
    """A cadre with a small demo ledger that imported the district-mate's extreme rows."""
    node = make_node("张驻点", district="鼓楼区总工会")
    with node.store.write() as s:
        generate(s, SMALL)
    peer = make_node("李同事", district="鼓楼区总工会")
    made = write_extremes(peer)
    peer.trusts(node)
    node.trusts(peer)
    first = send(peer, node, tmp_path / "extreme.jcb")
    assert first.pending == 0 and first.quarantined == 0
    # Then both edit the extreme cases at once, each to other extremes: the case detail
    # shows every field's conflict, both values side by side.
    for editor, edits in ((node, CASE_EDITS_HERE), (peer, CASE_EDITS_THERE)):
        with editor.store.write() as s, ChangeWriter(s) as w:
            for case, to in edits.items():
                w.update("issue", made["issue"][case], values_of("issue", to))
    second = send(peer, node, tmp_path / "edits.jcb")
    assert second.conflicts >= len(values_of("issue", "max")) - 1
    with node.store.read() as s:
        assert list(find_invalid(s)) == []  # every value passes the stored rules too
    return node, made


# ---- the window -------------------------------------------------------------------------

SHOWN = VARIANTS  # the live rows ("gone" rows are deleted)


@pytest.fixture
def win(qtbot: QtBot, receiver: tuple[Node, Made]) -> Iterator[MainWindow]:
    window = open_window(qtbot, receiver[0])
    wait_idle(qtbot, window.ctx)
    yield window
    close_window(window)


def open_edit_form(
    qtbot: QtBot, asked: Asked, win: MainWindow, kind: str, row_id: str, made: Made,
    variant: str, on_form: Callable[[QWidget], None],
) -> list[QWidget]:
    if kind == "issue":
        win.go("issues")
        issues_page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
        select(qtbot, issues_page, row_id)
        qtbot.waitUntil(lambda: issues_page.detail.issue_id == row_id, timeout=5000)
        qtbot.waitUntil(lambda: edit_button(issues_page) is not None, timeout=5000)
        seen = on_modal(on_form)
        qtbot.mouseClick(edit_button(issues_page), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    else:
        page = list_page(win, kind)
        if kind == "workshop":
            select(qtbot, win.pages["enterprises"].enterprises,  # type: ignore[attr-defined]
                   made["enterprise"][variant])
        select(qtbot, page, row_id)
        if kind == "worker":
            asked.answer("text", "核对职工信息")
        seen = on_modal(on_form)
        page.edit()
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=5000)
    wait_idle(qtbot, win.ctx)
    return seen


def too_wide(widget: QWidget) -> str | None:
    """Why ``widget`` no longer fits the laptop's screen (None while it does): a label sized
    to a value of 20,000 characters would push the window past it."""
    QApplication.processEvents()
    room = QGuiApplication.primaryScreen().availableGeometry().width()
    width = max(widget.width(), widget.minimumSizeHint().width())
    return f"{type(widget).__name__} {width} px wide" if width > room else None


SHORT_YEAR = re.compile(r"(?<![\d-])\d{1,3}-\d\d-\d\d")  # 1-01-01: strftime's year 1


def short_years(widget: QWidget) -> list[str]:
    """The dates in ``widget``'s lists, tables and labels written with a year of fewer than four
    digits (``strftime("%Y")`` writes the year 1 as "1")."""
    texts = [label.text() for label in widget.findChildren(QLabel)]
    for listed in widget.findChildren(QListWidget):
        texts += [listed.item(i).text() for i in range(listed.count())]
    for table in widget.findChildren(QTableView):
        model = table.model()
        texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                  for c in range(model.columnCount())]
    return [t[:80] for t in texts if SHORT_YEAR.search(t)]


MARKUP = "<b>粗</b>"  # in the control-character text: shown as typed, never rendered bold


def rendered_markup(widget: QWidget) -> list[str]:
    """``widget``'s labels that would render a value's markup instead of showing it."""
    return [
        f"{type(label.parent()).__name__}: {label.text()[:40]}"
        for label in widget.findChildren(QLabel)
        if MARKUP in label.text() and label.isVisible() and rich(label)
    ]


def rich(label: QLabel) -> bool:
    if label.textFormat() == Qt.TextFormat.AutoText:
        return bool(QtGui.Qt.mightBeRichText(label.text()))
    return label.textFormat() == Qt.TextFormat.RichText


def test_every_screen_detail_and_edit_form_opens_on_extreme_rows(
    qtbot: QtBot, asked: Asked, win: MainWindow, receiver: tuple[Node, Made]
) -> None:
    _node, made = receiver
    errors: list[object] = []
    win.ctx.error.connect(errors.append)
    assert win.isolated_count == 0
    for key in win.pages:
        win.go(key)
        wait_idle(qtbot, win.ctx)
        assert too_wide(win) is None, key
        assert short_years(win.pages[key]) == [], key
        assert rendered_markup(win) == [], key
    assert errors == []
    win.go("issues")
    page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    for variant in SHOWN:
        issue_id = made["issue"][variant]
        select(qtbot, page, issue_id)
        qtbot.waitUntil(lambda: page.detail.issue_id == issue_id, timeout=5000)  # noqa: B023
        wait_idle(qtbot, win.ctx)
        assert errors == [], variant
        assert too_wide(win) is None, variant
        assert short_years(page.detail) == [], variant
        assert rendered_markup(win) == [], variant
    for kind in PAGES:
        for variant in SHOWN:
            if (kind, variant) == ("workshop", "orphan"):
                continue  # a deleted enterprise's workshops are listed nowhere
            forms: list[str | None] = []

            def cancel(dialog: QWidget, forms: list[str | None] = forms) -> None:
                assert isinstance(dialog, FormDialog)
                forms.append(too_wide(dialog) or "; ".join(rendered_markup(dialog)) or None)
                dialog.reject()  # 取消, as the user presses it: asks only after typing

            open_edit_form(qtbot, asked, win, kind, made[kind][variant], made, variant, cancel)
            assert forms == [None], (kind, variant)
            assert errors == [], (kind, variant)
            assert rendered_markup(win) == [], (kind, variant)
    for key in win.pages:  # and every screen again, after the forms
        win.go(key)
        wait_idle(qtbot, win.ctx)
    assert errors == []


# ---- the command line -----------------------------------------------------------------


def jiceng(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--data-dir", str(folder)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )


ALL_TIME = ("--from", "1900-01-01", "--to", "2999-12-31")  # the widest period allowed
PERSONAL = ("--include-personal", "--reason", "核对极端数据")


def test_stats_reports_and_dump_work_on_extreme_rows(
    receiver: tuple[Node, Made], tmp_path: Path
) -> None:
    node, made = receiver
    folder = save_keys(node)  # the key file ``bundle export`` reads
    node.store.close()  # the CLI opens the folder itself
    for args in (
        ("stats",),
        ("check",),
        ("peers", "list"),
        ("backup", "--out", str(tmp_path / "backup.db")),
        ("bundle", "export", "--to", "李同事", "--out", str(tmp_path / "onward.jcb")),
        ("stats", "--json"),
        ("report", "xlsx", "--out", str(tmp_path / "r.xlsx")),
        ("report", "pdf", "--out", str(tmp_path / "r.pdf")),
        ("report", "xlsx", *ALL_TIME, "--out", str(tmp_path / "all.xlsx")),
        ("report", "pdf", *ALL_TIME, "--out", str(tmp_path / "all.pdf")),
        ("report", "xlsx", *ALL_TIME, *PERSONAL, "--out", str(tmp_path / "personal.xlsx")),
        ("dump",),
    ):
        done = jiceng(folder, *args)
        assert done.returncode == 0, (args, done.stderr[-3000:])
        assert "Traceback" not in done.stderr, args
        if args == ("dump",):
            dumped = done.stdout
    for rows in made.values():  # every extreme row is in the dump
        assert all(row_id in dumped for row_id in rows.values())
    with warnings.catch_warnings(record=True) as warned:  # e.g. a date Excel cannot show
        warnings.simplefilter("always")
        book = load_workbook(tmp_path / "all.xlsx", read_only=True)
        cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for c in row if c is not None}
    assert [str(w.message) for w in warned] == []
    assert any("反向" in c for c in cells)  # today's extreme rows are in the period's sheets
    for name in ("r.xlsx", "r.pdf", "all.xlsx", "all.pdf", "personal.xlsx"):
        assert (tmp_path / name).stat().st_size > 0, name


def test_queues_report_figures_and_case_steps_open_on_extreme_rows(
    qtbot: QtBot, asked: Asked, win: MainWindow, receiver: tuple[Node, Made]
) -> None:
    """Every next step of the extreme cases (its form opened and cancelled), every dashboard
    tile's queue, and every report period's figures and their lists."""
    _node, made = receiver
    errors: list[object] = []
    win.ctx.error.connect(errors.append)
    win.go("issues")
    page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    opened: list[str] = []
    marked: list[str] = []
    for variant in SHOWN:
        issue_id = made["issue"][variant]
        select(qtbot, page, issue_id)
        qtbot.waitUntil(lambda: page.detail.issue_id == issue_id, timeout=5000)  # noqa: B023
        wait_idle(qtbot, win.ctx)
        steps = [b for b in page.detail.findChildren(QPushButton)
                 if b.property("target") and b.isVisible()]
        for step in steps:
            def look(dialog: QWidget) -> None:
                marked.extend(rendered_markup(dialog))
                dismiss(dialog)

            seen = on_modal(look)
            qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: len(seen) >= 1, timeout=5000)  # noqa: B023
            wait_idle(qtbot, win.ctx)
            opened.append(f"{variant}:{step.property('target')}")
        assert errors == [], variant
    assert len(opened) >= len(SHOWN), opened  # the extreme cases have next steps
    assert marked == []
    settled = 0
    for variant in CASE_EDITS_HERE:  # every conflict settled by taking the other value
        issue_id = made["issue"][variant]
        select(qtbot, page, issue_id)
        qtbot.waitUntil(lambda: page.detail.issue_id == issue_id, timeout=5000)  # noqa: B023
        wait_idle(qtbot, win.ctx)
        for _ in range(len(ENTITIES["issue"].fields)):
            others = [b for b in page.detail.findChildren(QPushButton)
                      if b.property("choice") == "other" and b.isVisible()]
            if not others:
                break
            qtbot.mouseClick(others[0], Qt.MouseButton.LeftButton)
            settled += 1
            wait_idle(qtbot, win.ctx)
            qtbot.waitUntil(lambda: page.detail.issue_id == issue_id, timeout=5000)  # noqa: B023
        assert not [b for b in page.detail.findChildren(QPushButton)
                    if b.property("choice") and b.isVisible()], variant
        assert errors == [], variant
    assert settled > len(CASE_EDITS_HERE)
    dashboard: DashboardPage = win.pages["dashboard"]  # type: ignore[assignment]
    for tile in dashboard.tiles:
        win.go("dashboard")
        wait_idle(qtbot, win.ctx)
        assert rendered_markup(win) == [], "dashboard"
        dashboard.show_queue(tile)
        wait_idle(qtbot, win.ctx)
        assert errors == [], tile
        assert rendered_markup(win) == [], tile
    win.go("reports")
    reports: ReportsPage = win.pages["reports"]  # type: ignore[assignment]
    for preset in range(reports.preset.count()):
        reports.preset.setCurrentIndex(preset)
        wait_idle(qtbot, win.ctx)
        for figure in reports.tiles:
            drill = reports.drill(figure)
            wait_idle(qtbot, win.ctx)
            assert rendered_markup(drill) == [], figure
            drill.close()
        assert errors == [], reports.preset.itemText(preset)


# ---- the services behind the screens, in process ------------------------------------------


def test_the_services_behind_the_screens_read_every_extreme_row(
    receiver: tuple[Node, Made], tmp_path: Path
) -> None:
    """What the screens ask of the services, for every extreme row: the dashboard, the case
    list and each case's detail, each kind's list and edit values, the widest report and the
    workbook of it."""
    node, made = receiver
    today, viewer = date.today(), node.info.replica_id
    widest = Period(date(1900, 1, 1), date(2999, 12, 31))
    with node.store.read() as s:
        dashboard(s, today)
        snapshot(s, today)
        ids = issue_ids(s, IssueFilter(), today)
        assert {made["issue"][v] for v in SHOWN} <= set(ids)
        issue_rows(s, ids, today, viewer)
        for variant in SHOWN:
            issue_detail(s, made["issue"][variant], today, viewer)
        for kind in ("enterprise", "worker", "visit", "assistance", "practice"):
            rows = record_ids(s, kind, RecordFilter())
            record_rows(s, kind, rows)
            for variant in SHOWN:
                if made[kind][variant] in rows:
                    values_for_edit(s, kind, made[kind][variant])
        for term in ("反向", "\x1b[31m红", "👨\u200d👩", "\u0301", "\u202e", "%", "_", "职 𝄞"):
            issue_ids(s, IssueFilter(text=term), today)
            for kind in ("enterprise", "worker", "visit", "assistance", "practice"):
                record_ids(s, kind, RecordFilter(text=term))
        assert made["issue"]["control"] in issue_ids(s, IssueFilter(text="反向"), today)
        for scope in (Scope(), Scope(enterprise_id=made["enterprise"]["control"])):
            build_report(s, widest, scope, today)
            export_workbook(s, widest, scope, tmp_path / "台账.xlsx", today=today)


def test_an_unchanged_save_keeps_every_extreme_value(
    qtbot: QtBot, asked: Asked, win: MainWindow, receiver: tuple[Node, Made]
) -> None:
    """保存 pressed on an untouched edit form of an extreme row writes nothing: no form
    clamps, trims or re-parses a value it was given (or it refuses in the form, saying why)."""
    node, made = receiver
    errors: list[object] = []
    win.ctx.error.connect(errors.append)
    before = changes_of(node.store)
    outcome: dict[tuple[str, str], str] = {}
    for kind in PAGES:
        for variant in SHOWN:
            if (kind, variant) == ("workshop", "orphan"):
                continue

            def save(dialog: QWidget, key: tuple[str, str] = (kind, variant)) -> None:
                assert isinstance(dialog, FormDialog)
                dialog.submit()
                if dialog.isVisible():  # refused in the form: close it as 取消 would
                    outcome[key] = dialog.top_error.text() or "refused"
                    dismiss(dialog)
                else:
                    outcome[key] = "closed"

            open_edit_form(qtbot, asked, win, kind, made[kind][variant], made, variant, save)
            wait_idle(qtbot, win.ctx)
            assert errors == [], (kind, variant)
    assert len(changes_of(node.store)) == len(before), outcome
