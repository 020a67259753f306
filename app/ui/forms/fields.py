"""Field widgets for forms. Each offers ``value()``, ``set_value()`` and a ``changed`` signal,
so the form can gather raw input for the pydantic schema that validates it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
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
    QWidget,
    QWidgetAction,
)
from sqlalchemy.orm import Session

from app.services import records
from app.ui.context import AppContext
from app.ui.i18n import label, tr


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


class Field(QWidget):
    changed = Signal()

    def value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def narrow(self, _value: Any) -> None:
        """The field this one depends on changed (e.g. the enterprise of a workshop)."""


class TextField(Field):
    def __init__(self, placeholder: str = "", multiline: bool = False) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QLineEdit | QPlainTextEdit
        if multiline:
            self.edit = QPlainTextEdit()
            self.edit.setPlaceholderText(placeholder)
            self.edit.setTabChangesFocus(True)
            self.edit.setMinimumHeight(70)
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
        calendar.clicked.connect(lambda d: (self.set_value(d.toPython()), menu.close()))
        pick.setMenu(menu)
        self.layout().addWidget(pick)  # type: ignore[union-attr]
        self.calendar = calendar
        if not optional:
            self.set_value(date.today())

    def set_value(self, value: Any) -> None:
        super().set_value(value.isoformat() if isinstance(value, date) else value)
        if isinstance(value, date):
            self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))


class EnumField(Field):
    def __init__(self, enum: type[StrEnum], optional: bool) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        if optional:
            self.combo.addItem(tr("Form", "（未填）"), None)
        for member in enum:
            self.combo.addItem(label(member), member.value)
        self.combo.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def value(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: Any) -> None:
        i = self.combo.findData(None if value is None else str(value))
        self.combo.setCurrentIndex(max(i, 0))


Loader = Callable[[Session, Any, str], list[records.Choice]]

LOADERS: dict[str, Loader] = {
    "enterprise": lambda s, _dep, _text: records.enterprise_choices(s),
    "workshop": lambda s, dep, _text: records.workshop_choices(s, dep),
    "worker": lambda s, dep, text: records.worker_choices(s, dep, text),
}


class RefField(Field):
    """Pick a record. Choices load on the database lane; typing narrows worker lists."""

    def __init__(self, ctx: AppContext, ref: str, optional: bool, searchable: bool) -> None:
        super().__init__()
        self.ctx, self.ref, self.optional = ctx, ref, optional
        self.dependency: Any = None
        self.wanted: Any = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(18)
        self.combo.currentIndexChanged.connect(self.changed)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.search: QLineEdit | None = None
        if searchable:
            self.search = QLineEdit()
            self.search.setPlaceholderText(tr("Form", "输入姓名查找"))
            self.search.setMaximumWidth(140)
            layout.addWidget(self.search)
            self.timer = QTimer(self, singleShot=True, interval=250)
            self.timer.timeout.connect(self.load)
            self.search.textChanged.connect(self.timer.start)
        self.load()

    def load(self) -> None:
        dep, text = self.dependency, self.search.text() if self.search else ""
        loader = LOADERS[self.ref]
        self.ctx.read(lambda s: loader(s, dep, text), self._fill)

    def _fill(self, choices: list[records.Choice]) -> None:
        keep = self.wanted if self.wanted is not None else self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        if self.optional:
            self.combo.addItem(tr("Form", "（未填）"), None)
        for choice in choices:
            self.combo.addItem(choice.label, choice.id)
        i = self.combo.findData(keep)
        self.combo.setCurrentIndex(i if i >= 0 else 0)
        self.combo.blockSignals(False)
        self.changed.emit()

    def value(self) -> str | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: Any) -> None:
        self.wanted = value
        i = self.combo.findData(value)
        if i >= 0:
            self.combo.setCurrentIndex(i)

    def narrow(self, value: Any) -> None:
        if value != self.dependency:
            self.dependency = value
            self.load()


class RefsField(Field):
    """Several workers (those a visit reached), ticked in a list."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dependency: Any = None
        self.wanted: set[str] = set()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        self.list.itemChanged.connect(self.changed)
        layout.addWidget(self.list)

    def narrow(self, value: Any) -> None:
        self.dependency = value
        dep = value
        self.ctx.read(lambda s: records.worker_choices(s, dep, limit=500), self._fill)

    def _fill(self, choices: list[records.Choice]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = choice.id in self.wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def value(self) -> tuple[str, ...]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return tuple(
            str(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        )

    def set_value(self, value: Any) -> None:
        self.wanted = set(value or ())


def make_field(ctx: AppContext, spec: Spec) -> Field:
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
        return EnumField(spec.enum, spec.optional)
    if spec.kind == "ref":
        assert spec.ref is not None
        return RefField(ctx, spec.ref, spec.optional, searchable=spec.ref == "worker")
    if spec.kind == "refs":
        return RefsField(ctx)
    raise ValueError(spec.kind)
