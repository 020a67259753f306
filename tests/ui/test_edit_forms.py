"""Edit forms keep what is stored: generated over every form kind, on a ledger larger than one
page of every pick list.

* Through the real window: the first, a middle and the last row of every list screen opened
  in its edit form and saved unchanged → not one write statement reaches the database, and
  the canonical dump and the change log are byte-identical.
* Every field of every edit form changed alone (with the one companion field a rule demands)
  → exactly that field, and what the services derive from it, changes.
* Case transitions write their status, their own outcome fields and one event; settings saved
  unchanged write nothing.
* Every save announces to the screens exactly the kinds of record it changed, as the core
  reports them (``app.sync.touched``), and an unchanged save announces nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from app.schemas.enums import IssueStatus
from app.services import pick_lists
from app.services.deadlines import DeadlinePolicy, load_policy
from app.services.editing import values_for_edit
from app.services.issue_list import IssueFilter, issue_ids
from app.services.records import RecordFilter, record_ids
from app.storage.store import Store
from app.sync.keys import KeyPairs
from app.ui.forms import editors
from app.ui.forms.dialog import FormDialog
from app.ui.forms.fields import MORE, BoolField, EnumField, RefField, RefsField
from app.ui.main_window import MainWindow
from app.ui.pages.issues import IssuesPage
from tests.helpers import (
    Node,
    PickListLedger,
    cadre_template,
    changes_of,
    copy_node,
    dump,
    pick_list_ledger,
)
from tests.ui_helpers import (
    PAGES,
    Asked,
    close_window,
    edit_button,
    list_page,
    on_modal,
    open_window,
    select,
    wait_idle,
)

# ---- the ledger, built once and copied for each test -------------------------------------


@dataclass(frozen=True)
class Template:
    folder: Path
    keys: KeyPairs
    ledger: PickListLedger


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("crowded")
    pairs, ledger = cadre_template(folder, pick_list_ledger)
    return Template(folder, pairs, ledger)


@pytest.fixture
def node(template: Template, tmp_path: Path) -> Iterator[Node]:
    node = copy_node(template.folder, template.keys, tmp_path / "data")
    yield node
    node.store.close()


@pytest.fixture
def win(qtbot: QtBot, node: Node) -> Iterator[MainWindow]:
    window = open_window(qtbot, node)
    yield window
    close_window(window)


class Writes:
    """Counts the statements that would change the data file while it is active."""

    def __init__(self, store: Store) -> None:
        self.statements: list[str] = []
        self.store = store

    def __enter__(self) -> Writes:
        event.listen(self.store.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.store.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if head in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            self.statements.append(statement)


class Announced:
    """The kinds of record the window was told changed (``AppContext.changed``)."""

    def __init__(self, win: MainWindow) -> None:
        self.kinds: set[str] = set()
        self.signals = 0
        self._ctx = win.ctx
        win.ctx.changed.connect(self._heard)

    def _heard(self, names: frozenset[str]) -> None:
        self.signals += 1
        self.kinds |= names

    def close(self) -> None:
        self._ctx.changed.disconnect(self._heard)


def state(store: Store) -> tuple[list[str], bytes]:
    """The canonical dump and the change log, as bytes for a byte-wise comparison."""
    return dump(store), orjson.dumps(changes_of(store))


def rows(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for line in dump(store):
        row = orjson.loads(line)
        out[(row["entity"], row["id"])] = row["fields"]
    return out


def changed(
    before: dict[tuple[str, str], dict[str, Any]], after: dict[tuple[str, str], dict[str, Any]]
) -> dict[tuple[str, str], set[str]]:
    """For every row that changed or appeared: the fields that differ (``updated_at`` aside,
    which follows every write by definition)."""
    out: dict[tuple[str, str], set[str]] = {}
    for key, fields in after.items():
        old = before.get(key, {})
        diff = {k for k, v in fields.items() if old.get(k, object()) != v} - {"updated_at"}
        if diff:
            out[key] = diff
    return out


# ---- which rows each list shows first, in the middle and last ----------------------------

POSITIONS = {"first": lambda n: 0, "middle": lambda n: n // 2, "last": lambda n: n - 1}


def listed(store: Store, kind: str, crowded: str) -> list[str]:
    """The ids the list screen shows, in its order (the workshop list: the crowded
    enterprise's)."""
    with store.read() as s:
        if kind == "issue":
            return issue_ids(s, IssueFilter(), date.today())
        f = RecordFilter(enterprise_id=crowded) if kind == "workshop" else RecordFilter()
        return record_ids(s, kind, f)


def open_edit_form(
    qtbot: QtBot,
    asked: Asked,
    win: MainWindow,
    kind: str,
    row_id: str,
    crowded: str,
    on_form: Callable,
) -> list[QWidget]:
    """Open ``row_id``'s edit form as a user does (select the row, 编辑; for a worker, give a
    reason first) and run ``on_form`` on it; the list holds the dialogs seen."""
    if kind == "issue":
        win.go("issues")
        issues_page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
        select(qtbot, issues_page, row_id)
        qtbot.waitUntil(lambda: issues_page.detail.issue_id == row_id, timeout=5000)
        qtbot.waitUntil(lambda: edit_button(issues_page) is not None, timeout=5000)
        seen = on_modal(on_form)
        qtbot.mouseClick(edit_button(issues_page), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
        wait_idle(qtbot, win.ctx)
        return seen
    page = list_page(win, kind)
    if kind == "workshop":
        select(qtbot, page_of(win).enterprises, crowded)
    select(qtbot, page, row_id)
    if kind == "worker":
        asked.answer("text", "核对职工信息")
    seen = on_modal(on_form)
    page.edit()
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=5000)
    wait_idle(qtbot, win.ctx)
    return seen


def page_of(win: MainWindow) -> Any:
    return win.pages["enterprises"]


def save_button(dialog: FormDialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


# ---- an unchanged save, through the window -----------------------------------------------


@pytest.mark.parametrize("position", list(POSITIONS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_an_unchanged_save_writes_nothing(
    qtbot: QtBot,
    asked: Asked,
    win: MainWindow,
    node: Node,
    template: Template,
    kind: str,
    position: str,
) -> None:
    crowded = template.ledger.enterprise_id
    ids = listed(node.store, kind, crowded)
    row_id = ids[POSITIONS[position](len(ids))]
    with node.store.read() as s:
        stored = values_for_edit(s, kind, row_id)
    before = state(node.store)
    seen: dict[str, Any] = {}

    def save_unchanged(dialog: QWidget) -> None:
        assert isinstance(dialog, FormDialog), type(dialog)
        for name, field in dialog.fields.items():
            if isinstance(field, RefField) and stored.values.get(name):
                assert field.value() == stored.values[name], name  # the stored row, never
                assert field.combo.currentText(), name  # another, and shown by its name
        seen["changed"] = dialog.changed_fields()
        announced = Announced(win)
        with Writes(node.store) as writes:
            qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
            wait_idle(qtbot, win.ctx)
        announced.close()
        seen["writes"] = writes.statements
        seen["announced"] = announced.signals
        seen["closed"] = not dialog.isVisible()

    dialogs = open_edit_form(qtbot, asked, win, kind, row_id, crowded, save_unchanged)
    assert dialogs, "the edit form never opened"
    assert seen["changed"] == frozenset()
    assert seen["writes"] == []
    assert seen["announced"] == 0  # nothing changed, so no screen is told to refresh
    assert seen["closed"]
    assert state(node.store) == before


def test_the_ledger_is_larger_than_a_page_of_every_pick_list(
    node: Node, template: Template
) -> None:
    crowded = template.ledger.enterprise_id
    with node.store.read() as s:
        for ref, dependency in (("enterprise", None), ("workshop", crowded), ("worker", crowded)):
            page = pick_lists.search(s, ref, dependency)
            assert page.more and len(page.choices) == pick_lists.LIMIT, ref
        first_page = {c.id for c in pick_lists.search(s, "worker", crowded).choices}
        reached = values_for_edit(s, "issue", listed(node.store, "issue", crowded)[0]).values
    assert reached["worker_id"] not in first_page  # the forms below meet references beyond it


def test_a_stored_reference_to_a_deleted_row_is_kept_and_shown_as_deleted(
    qtbot: QtBot, win: MainWindow, node: Node, template: Template
) -> None:
    gone = template.ledger.deleted_workshop_id
    with node.store.read() as s:
        issue_id = next(
            i
            for i in listed(node.store, "issue", template.ledger.enterprise_id)
            if values_for_edit(s, "issue", i).values["workshop_id"] == gone
        )
        current = values_for_edit(s, "issue", issue_id)
    dialog = editors.edit_dialog(win.ctx, "issue", issue_id, current, win)
    workshop = dialog.fields["workshop_id"]
    assert isinstance(workshop, RefField)
    assert workshop.value() == gone and workshop.combo.currentText().endswith("（已删除）")
    before = rows(node.store)
    title = dialog.fields["title"]
    title.set_value(str(title.value()) + "（补记）")
    dialog.submit()
    wait_idle(qtbot, win.ctx)
    assert changed(before, rows(node.store)) == {("issue", issue_id): {"title"}}
    dialog.deleteLater()


# ---- one field changed -------------------------------------------------------------------


def _text(field: Any, _row: dict[str, Any]) -> None:
    old = field.value() or ""
    field.set_value(old + "改" if old else "新填内容")


def _number(field: Any, _row: dict[str, Any]) -> None:
    old = field.value()
    field.set_value(str(int(old) + 1) if old else "12")


def _earlier(field: Any, _row: dict[str, Any]) -> None:
    old = date.fromisoformat(field.value()) if field.value() else date.today()
    field.set_value(old - timedelta(days=1))


def _later(field: Any, _row: dict[str, Any]) -> None:
    field.set_value(date.fromisoformat(field.value()) + timedelta(days=1))


def _toggle(field: Any, _row: dict[str, Any]) -> None:
    assert isinstance(field, BoolField)
    field.set_value(not field.value())


def _other_member(field: Any, _row: dict[str, Any]) -> None:
    assert isinstance(field, EnumField)
    values = [field.combo.itemData(i) for i in range(field.combo.count())]
    field.set_value(next(v for v in values if v is not None and v != field.value()))


CREDIT_CODE = "91350102MA34W2X0X4"  # position 3–8 digits, GB 32100 check character
ID_NUMBER = "350102198001011233"  # a man's (odd 17th digit)


def _value(value: Any) -> Callable[[Any, dict[str, Any]], None]:
    return lambda field, _row: field.set_value(value)


def _another(qtbot: QtBot) -> Callable[[Any, dict[str, Any]], None]:
    def pick(field: Any, _row: dict[str, Any]) -> None:
        if isinstance(field, RefsField):
            qtbot.waitUntil(lambda: field.list.count() > len(field.wanted), timeout=5000)
            items = [field.list.item(i) for i in range(field.list.count())]
            item = next(i for i in items if i.checkState() == Qt.CheckState.Unchecked)
            item.setCheckState(Qt.CheckState.Checked)
            return
        assert isinstance(field, RefField)
        combo = field.combo
        qtbot.waitUntil(lambda: combo.count() > 3, timeout=5000)
        data = [combo.itemData(i) for i in range(combo.count())]
        skip = (None, MORE, field.value())
        combo.setCurrentIndex(next(i for i, d in enumerate(data) if d not in skip))

    return pick


def change_for(kind: str, name: str, qtbot: QtBot) -> Callable[[Any, dict[str, Any]], None]:
    special: dict[tuple[str, str], Callable[[Any, dict[str, Any]], None]] = {
        ("enterprise", "credit_code"): _value(CREDIT_CODE),
        ("enterprise", "contact_phone"): _value("0591-87654321"),
        ("worker", "phone"): _value("13700001111"),
        ("worker", "id_number"): _value(ID_NUMBER),
        ("issue", "due_on"): _later,
    }
    if (kind, name) in special:
        return special[(kind, name)]
    spec = next(s for s in editors.EDITORS[kind].edit_specs or editors.EDITORS[kind].specs
                if s.name == name)
    return {
        "text": _text,
        "multiline": _text,
        "int": _number,
        "money": _value("123.45"),
        "date": _earlier,
        "bool": _toggle,
        "enum": _other_member,
        "ref": _another(qtbot),
        "refs": _another(qtbot),
    }[spec.kind]


# A rule ties some fields to another: changing one alone is refused by the form, so the user
# changes the pair. Values are widget values.
COMPANIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("enterprise", "union_founded_on"): {"union_founded": True},
    ("issue", "collective"): {"people_count": "3"},
    ("issue", "people_count"): {"collective": True},
    ("worker", "hardship_level"): {"hardship_reason": "家中老人重病，医药费负担重"},
}
# What a save of the field writes beyond itself (stored names), where a service derives it.
DERIVED: dict[tuple[str, str], set[str]] = {
    ("assistance", "amount"): {"amount_fen"},
    ("worker", "id_number"): {"gender"},  # read from the ID number when none was given
    ("worker", "enterprise_id"): {"workshop_id"},  # the old enterprise's workshop no longer fits
    ("worker", "hardship_level"): {"hardship_status", "hardship_filed_on", "hardship_reviewed_on"},
    ("visit", "enterprise_id"): {"workshop_id"},
}
STORED = {("assistance", "amount"): "amount_fen"}


def cases() -> list[tuple[str, str]]:
    out = []
    for kind, e in editors.EDITORS.items():
        for spec in e.edit_specs or e.specs:
            out.append((kind, spec.name))
    return out


@pytest.mark.parametrize(("kind", "name"), cases(), ids=[f"{k}.{n}" for k, n in cases()])
def test_changing_one_field_writes_exactly_that_field(
    qtbot: QtBot, win: MainWindow, node: Node, template: Template, kind: str, name: str
) -> None:
    crowded = template.ledger.enterprise_id
    ids = listed(node.store, kind, crowded)
    with node.store.read() as s:
        editable = [
            i for i in ids if name not in values_for_edit(s, kind, i).locked
        ]
        row_id = editable[len(editable) // 2]
        current = values_for_edit(s, kind, row_id)
    dialog = editors.edit_dialog(win.ctx, kind, row_id, current, win)
    dialog.open()
    wait_idle(qtbot, win.ctx)
    change_for(kind, name, qtbot)(dialog.fields[name], current.values)
    for other, value in COMPANIONS.get((kind, name), {}).items():
        dialog.fields[other].set_value(value)
    companions = set(COMPANIONS.get((kind, name), {}))
    expected_input = {name} | companions
    assert dialog.changed_fields() >= expected_input, dialog.changed_fields()
    before = rows(node.store)
    announced = Announced(win)
    dialog.submit()
    wait_idle(qtbot, win.ctx)
    announced.close()
    assert not dialog.isVisible(), dialog.top_error.text() + "".join(
        e.text() for e in dialog.errors.values()
    )
    diff = changed(before, rows(node.store))
    assert announced.signals == 1
    assert announced.kinds == {entity for entity, _id in diff}  # told exactly what changed
    stored = {STORED.get((kind, n), n) for n in expected_input}
    allowed = stored | DERIVED.get((kind, name), set())
    mine = diff.pop((kind, row_id), set())
    if name == "worker_ids":  # a reached worker is a reach row of its own
        assert mine <= {"people_count"}
        assert {k[0] for k in diff} == {"visit_reach"} and len(diff) == 1
        return
    if (kind, name) == ("visit", "enterprise_id"):  # the workers of the old one go
        assert {k[0] for k in diff} <= {"visit_reach"}
        assert all(f == {"deleted"} for f in diff.values())
        diff = {}
    assert stored <= mine <= allowed, (mine, allowed)
    assert diff == {}, diff


# ---- case transitions, and settings ------------------------------------------------------

OUTCOME = {
    IssueStatus.ACCEPTED: {"status"},
    IssueStatus.DECLINED: {"status", "decline_reason"},
    IssueStatus.IN_PROGRESS: {"status"},
    IssueStatus.REFERRED: {"status", "referred_to"},
    IssueStatus.RESOLVED: {"status", "resolution", "resolved_on"},
    IssueStatus.FOLLOWED_UP: {"status", "satisfaction", "follow_up_method", "followed_up_on"},
}
FILL = {
    "department": "区人社局劳动保障监察大队",
    "resolution": "企业已按规定补发加班费",
    "reason": "不属于工会受理范围，已告知职工向法院起诉",
    "satisfaction": "satisfied",
    "method": "home_visit",
}
PATHS = [
    [IssueStatus.DECLINED, IssueStatus.ACCEPTED],
    [
        IssueStatus.ACCEPTED,
        IssueStatus.IN_PROGRESS,
        IssueStatus.REFERRED,
        IssueStatus.IN_PROGRESS,
        IssueStatus.RESOLVED,
        IssueStatus.FOLLOWED_UP,
        IssueStatus.IN_PROGRESS,
    ],
]


@pytest.mark.parametrize("path", PATHS, ids=["declined-reconsidered", "full-lifecycle"])
def test_each_transition_writes_its_status_outcome_and_one_event(
    qtbot: QtBot, win: MainWindow, node: Node, template: Template, path: list[IssueStatus]
) -> None:
    win.go("issues")
    page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    issue_id = listed(node.store, "issue", template.ledger.enterprise_id)[-1]
    select(qtbot, page, issue_id)
    for target in path:
        qtbot.waitUntil(lambda t=target: transition_button(page, t) is not None, timeout=5000)
        before = rows(node.store)

        def fill(dialog: QWidget) -> None:
            assert isinstance(dialog, FormDialog)
            for name, value in FILL.items():
                if name in dialog.fields:
                    dialog.fields[name].set_value(value)
            dialog.submit()

        on_modal(fill)
        announced = Announced(win)
        qtbot.mouseClick(transition_button(page, target), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
        wait_idle(qtbot, win.ctx)
        announced.close()
        diff = changed(before, rows(node.store))
        assert announced.kinds == {"issue", "issue_event"}, target
        issue_fields = diff.pop(("issue", issue_id))
        assert {"status"} <= issue_fields, target
        cleared = {
            "resolved_on",
            "followed_up_on",
            "satisfaction",
            "follow_up_method",
            "decline_reason",
        }
        assert issue_fields <= OUTCOME[target] | cleared, (target, issue_fields)
        assert [k[0] for k in diff] == ["issue_event"], (target, diff)


def transition_button(page: IssuesPage, target: IssueStatus) -> QPushButton | None:
    found = page.detail.findChildren(QPushButton)
    return next((b for b in found if b.property("target") == target.value), None)


def test_cancelling_a_transition_writes_nothing(
    qtbot: QtBot, win: MainWindow, node: Node, template: Template
) -> None:
    win.go("issues")
    page: IssuesPage = win.pages["issues"]  # type: ignore[assignment]
    select(qtbot, page, listed(node.store, "issue", template.ledger.enterprise_id)[0])
    qtbot.waitUntil(lambda: transition_button(page, IssueStatus.ACCEPTED) is not None)
    before = state(node.store)
    on_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    qtbot.mouseClick(
        transition_button(page, IssueStatus.ACCEPTED),  # type: ignore[arg-type]
        Qt.MouseButton.LeftButton,
    )
    wait_idle(qtbot, win.ctx)
    assert state(node.store) == before


def test_settings_saved_unchanged_write_nothing_and_one_change_writes_one_rule(
    qtbot: QtBot, win: MainWindow, node: Node
) -> None:
    win.go("settings")
    page = win.pages["settings"]
    qtbot.waitUntil(lambda: hasattr(page, "policy"), timeout=5000)
    with Writes(node.store) as writes:
        page.save_policy()  # type: ignore[attr-defined]
        wait_idle(qtbot, win.ctx)
    assert writes.statements == []
    page.days["follow_up_days"].setValue(20)  # type: ignore[attr-defined]
    page.save_policy()  # type: ignore[attr-defined]
    wait_idle(qtbot, win.ctx)
    with node.store.read() as s:
        saved = load_policy(s)
    assert saved == DeadlinePolicy().model_copy(update={"follow_up_days": 20})
