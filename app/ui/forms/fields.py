"""Field widgets for forms. Each offers ``value()``, ``set_value()`` and a ``changed`` signal,
so the form can gather raw input for the pydantic schema that validates it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, cast

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.services import pick_lists
from app.services.pick_lists import Choice, ChoicePage
from app.ui.context import AppContext
from app.ui.i18n import label, tr, tr_fmt


@dataclass(frozen=True)
class Spec:
    """One form field: its schema name, the kind of widget, and where choices come from."""

    name: str
    kind: str  # text | multiline | int | money | date | bool | enum | ref | refs
    enum: type[StrEnum] | None = None
    optional: bool = False
    ref: str | None = None  # enterprise | workshop | worker
    depends: str | None = None  # the field whose value narrows the choices
    placeholder: str = ""
    required: bool = False  # a choice the user must make though the schema allows none here


class Field(QWidget):
    changed = Signal()

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def narrow(self, _value: Any, *, by_user: bool = True) -> None:
        """The field this one depends on changed (e.g. the enterprise of a workshop)."""

    def lock(self) -> None:  # pragma: no cover - overridden where a field can be locked
        raise NotImplementedError


class TextField(Field):
    def __init__(self, placeholder: str = "", multiline: bool = False) -> None:
        super().__init__()
        self.hbox = layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QLineEdit | QPlainTextEdit
        if multiline:
            self.edit = QPlainTextEdit()
            self.edit.setPlaceholderText(placeholder)
            self.edit.setTabChangesFocus(True)
            lines = self.edit.fontMetrics().lineSpacing()
            self.edit.setMinimumHeight(2 * lines + 12)  # three lines show; more scroll inside
            self.edit.setMaximumHeight(3 * lines + 12)
            self.edit.textChanged.connect(self.changed)
        else:
            self.edit = QLineEdit()
            self.edit.setPlaceholderText(placeholder)
            self.edit.textChanged.connect(self.changed)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self) -> str:
        edit = self.edit
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.setPlainText(text)
        else:
            self.edit.setText(text)


class BoolField(Field):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.box = QCheckBox(text)
        self.box.toggled.connect(self.changed)
        layout.addWidget(self.box)
        self.setFocusProxy(self.box)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class DateField(TextField):
    """A date typed as 2026-01-31, or picked from a calendar."""

    def __init__(self, optional: bool, placeholder: str = "") -> None:
        super().__init__(placeholder or (tr("Form", "如 2026-01-31") if optional else ""))
        pick = QToolButton()
        pick.setText(tr("Form", "日历"))
        pick.setToolTip(tr("Form", "选择日期"))
        pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(pick)
        calendar = QCalendarWidget()
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(day: QDate) -> None:
            self.set_value(day.toPython())
            menu.close()

        calendar.clicked.connect(picked)
        pick.setMenu(menu)
        self.hbox.addWidget(pick)
        self.calendar = calendar
        if not optional:
            self.set_value(date.today())

    def set_value(self, value: Any) -> None:
        super().set_value(value.isoformat() if isinstance(value, date) else value)
        if isinstance(value, date):
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))


class EnumField(Field):
    """A choice among an enum's members. ``blank`` is the entry for "no value": （未填） for an
    optional field, （请选择） for a required one without a usual value (a required choice
    must be made, never defaulted to the first member)."""

    def __init__(self, enum: type[StrEnum], blank: str | None) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        if blank is not None:
            self.combo.addItem(blank, None)
        for member in enum:
            self.combo.addItem(label(member), member.value)
        self.combo.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def value(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: Any) -> None:
        wanted = None if value is None else str(value)
        i = self.combo.findData(wanted)
        if i < 0 and wanted is not None:
            # A stored value this version does not know stays as it is (shown as invalid),
            # so saving other fields cannot turn it into the first member.
            self.combo.addItem(tr_fmt("Form", "（无效值：{value}）", value=wanted), wanted)
            i = self.combo.count() - 1
        self.combo.setCurrentIndex(max(i, 0))


SEARCH_HINTS = {
    "enterprise": "输入名称或信用代码查找",
    "workshop": "输入名称查找",
    "worker": "输入姓名查找",
}


def shown(choice: Choice) -> str:
    return choice.label + (tr("Form", "（已删除）") if choice.deleted else "")


class RefField(Field):
    """Pick one record. Typing in the search box searches the whole ledger on the database
    lane; the chosen record is always one of the entries, whatever a search returned, so
    neither a search nor a reload can change what the field holds. Only the user does."""

    def __init__(self, ctx: AppContext, ref: str, blank: str) -> None:
        super().__init__()
        self.ctx, self.ref, self.blank = ctx, ref, blank
        self.dependency: Any = None
        self.current: Choice | None = None
        self.filling = False
        self.token = 0
        self.page = ChoicePage([])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.currentIndexChanged.connect(self._picked)
        layout.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Form", SEARCH_HINTS[ref]))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(170)
        layout.addWidget(self.search)
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(self.load)
        self.search.textChanged.connect(self.timer.start)
        self._show()
        self.load()

    # ---- what the field holds -----------------------------------------------------------

    def value(self) -> str | None:
        return None if self.current is None else self.current.id

    def set_value(self, value: Any) -> None:
        """Hold ``value``: a ``Choice`` (the stored reference with its label) or an id whose
        label the next load looks up."""
        if isinstance(value, Choice) or value is None:
            self.current = value
        else:
            self.current = Choice(str(value), "")
        self._show()
        if self.current is not None and not self.current.label:
            self.load()

    def lock(self) -> None:
        """Shown but not editable here (the complainant of a confidential case)."""
        self.combo.setEnabled(False)
        self.combo.setToolTip(tr("Form", "为反映人保密的诉求不显示反映人；如需更正，请先取消保密"))
        self.search.hide()

    def narrow(self, value: Any, *, by_user: bool = True) -> None:
        """The enterprise this field depends on is now ``value``. When the user chose another
        enterprise, a workshop or worker of the old one no longer applies."""
        if value == self.dependency:
            return
        self.dependency = value
        if by_user and self.current is not None:
            self.current = None
            self.changed.emit()
        self.load()

    # ---- loading ------------------------------------------------------------------------

    def load(self) -> None:
        self.token += 1
        token, ref, dep, text = self.token, self.ref, self.dependency, self.search.text()
        keep = self.current.id if self.current is not None and not self.current.label else None
        self.ctx.read(
            lambda s: (pick_lists.search(s, ref, dep, text), pick_lists.label_of(s, ref, keep)),
            lambda result: self._loaded(token, *result),
        )

    def _loaded(self, token: int, page: ChoicePage, kept: Choice | None) -> None:
        if token != self.token:
            return  # the user typed on: a newer search is on its way
        if kept is not None and self.current is not None and kept.id == self.current.id:
            self.current = kept
        self.page = page
        self._show()

    def _show(self) -> None:
        page = self.page
        self.filling = True
        self.combo.clear()
        self.combo.addItem(tr("Form", self.blank), None)
        if self.current is not None and all(c.id != self.current.id for c in page.choices):
            self.combo.addItem(shown(self.current), self.current.id)
        for choice in page.choices:
            self.combo.addItem(shown(choice), choice.id)
        if page.more:
            self.combo.addItem(tr("Form", "……还有更多，请在右侧输入查找"), MORE)
            model = cast(QStandardItemModel, self.combo.model())  # a QComboBox's own model
            more = model.item(self.combo.count() - 1)
            more.setEnabled(False)
        self.combo.setCurrentIndex(max(0, self.combo.findData(self.value())))
        self.filling = False

    def _picked(self, index: int) -> None:
        if self.filling:
            return
        data = self.combo.itemData(index)
        known = [*([self.current] if self.current else []), *self.page.choices]
        chosen = next((c for c in known if c.id == data), None)
        if chosen != self.current:
            self.current = chosen
            self.changed.emit()


MORE = "__more__"


class RefsField(Field):
    """Several workers (those a visit reached), ticked in a list of the enterprise's workers.

    What is ticked is kept apart from what the list shows: workers already reached stay at
    the top (ticked) whatever a search returns, and a search only adds candidates."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dependency: Any = None
        self.wanted: dict[str, Choice] = {}
        self.token = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Form", "输入姓名查找"))
        self.search.setClearButtonEnabled(True)
        column.addWidget(self.search)
        self.list = QListWidget()
        self.list.setMaximumHeight(110)
        self.list.itemChanged.connect(self._ticked)
        column.addWidget(self.list)
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(self.load)
        self.search.textChanged.connect(self.timer.start)
        self.page = ChoicePage([])

    def narrow(self, value: Any, *, by_user: bool = True) -> None:
        if value == self.dependency:
            return
        self.dependency = value
        if by_user and self.wanted:
            self.wanted = {}  # workers of another enterprise cannot be reached by this visit
            self.changed.emit()
        self.load()

    def load(self) -> None:
        self.token += 1
        token, dep, text = self.token, self.dependency, self.search.text()
        if not dep:
            self._loaded(token, ChoicePage([]))
            return
        self.ctx.read(
            lambda s: pick_lists.worker_choices(s, dep, text),
            lambda page: self._loaded(token, page),
        )

    def _loaded(self, token: int, page: ChoicePage) -> None:
        if token == self.token:
            self.page = page
            self._show()

    def _show(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        listed = [*self.wanted.values()]
        listed += [c for c in self.page.choices if c.id not in self.wanted]
        for choice in listed:
            item = QListWidgetItem(shown(choice))
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = choice.id in self.wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def _ticked(self, item: QListWidgetItem) -> None:
        row_id = str(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            found = next((c for c in self.page.choices if c.id == row_id), None)
            self.wanted[row_id] = found or Choice(row_id, item.text())
        else:
            self.wanted.pop(row_id, None)
        self.changed.emit()

    def value(self) -> tuple[str, ...]:
        return tuple(sorted(self.wanted))

    def set_value(self, value: Any) -> None:
        """``value``: the stored workers as ``Choice`` items (with labels), or ids."""
        self.wanted = {}
        for v in value or ():
            choice = v if isinstance(v, Choice) else Choice(str(v), str(v))
            self.wanted[choice.id] = choice
        self._show()


def make_field(ctx: AppContext, spec: Spec, blank: str | None = None) -> Field:
    """The widget for ``spec``; ``blank`` names the no-value entry of a choice (None: none)."""
    hint = tr("Form", spec.placeholder) if spec.placeholder else ""
    if spec.kind in ("text", "int", "money"):
        return TextField(hint)
    if spec.kind == "multiline":
        return TextField(hint, multiline=True)
    if spec.kind == "date":
        return DateField(spec.optional, hint)
    if spec.kind == "bool":
        return BoolField()
    if spec.kind == "enum":
        assert spec.enum is not None
        return EnumField(spec.enum, blank)
    if spec.kind == "ref":
        assert spec.ref is not None
        return RefField(ctx, spec.ref, blank or "（请选择）")
    if spec.kind == "refs":
        return RefsField(ctx)
    raise ValueError(spec.kind)
