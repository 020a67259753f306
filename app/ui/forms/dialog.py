"""A form dialog checked by the same pydantic schema the services use.

Errors appear under their field as the user types (after a short pause) and again on save,
worded by the schema in Chinese. Ctrl+Enter saves; Esc cancels, asking first when something
was typed. Saving runs the service on the database lane; the dialog closes only when the
write succeeded, and a refusal from the service (a rule, not a typo) is shown at the top
without losing what was typed. An edit form writes only the fields the user changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.base import FieldError, Input, InputError
from app.services.editing import EditValues, changed_fields
from app.services.errors import ServiceError
from app.ui import ask, keys
from app.ui.context import AppContext
from app.ui.forms.fields import Field, Spec, make_field
from app.ui.i18n import service_error, tr

ERROR_STYLE = "color: #b3261e; font-size: 9pt;"
WARNING_STYLE = "color: #92400e; font-size: 9pt;"  # to double-check; does not block the save
TALL = frozenset({"multiline", "refs"})  # kinds whose label sits at the top of its cell
SHORT = frozenset({"text", "int", "money", "date", "bool", "enum"})  # two of these share a row


def rows(specs: list[Spec]) -> list[tuple[Spec, ...]]:
    """The form's rows, in the fields' own order. A form of a few fields keeps one field to a
    row; a longer one puts two short fields side by side, gives a pick list (with its search
    box) a row of its own, and sets a run of multi-line texts two to a row, the first of an
    odd run (a visit's 走访情况) keeping the full width."""
    if len(specs) <= 7:
        return [(spec,) for spec in specs]
    out: list[tuple[Spec, ...]] = []
    i = 0
    while i < len(specs):
        spec = specs[i]
        if spec.kind == "multiline":
            end = i
            while end < len(specs) and specs[end].kind == "multiline":
                end += 1
            run = specs[i:end]
            if len(run) % 2:
                out.append((run[0],))
                run = run[1:]
            out += [(run[k], run[k + 1]) for k in range(0, len(run), 2)]
            i = end
        elif spec.kind in SHORT and i + 1 < len(specs) and specs[i + 1].kind in SHORT:
            out.append((spec, specs[i + 1]))
            i += 2
        else:
            out.append((spec,))
            i += 1
    return out


class FormDialog(QDialog):
    """A form over ``schema``. A new-record form calls ``save(session, parsed)``; an edit form
    (``edit`` given) calls ``save(session, parsed, fields)`` with only the fields the user
    changed, and an unchanged edit closes without writing anything."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        schema: type[Input],
        specs: list[Spec],
        save: Callable[..., Any],
        values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        fixed: dict[str, Any] | None = None,
        edit: EditValues | None = None,
    ) -> None:
        super().__init__(parent)
        self.fixed = fixed or {}  # values the form does not show but the schema needs
        self.setWindowTitle(title)
        self.ctx, self.schema, self.save_fn = ctx, schema, save
        self.edit = edit
        self.result_value: Any = None
        self.touched: set[str] = set()
        self.warned_now: set[str] = set()  # fields showing a warning
        self.confirmed: set[str] = set()  # warnings shown on a 保存 the user then repeated
        self.fields: dict[str, Field] = {}
        self.errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        self.top_error = QLabel()
        self.top_error.setStyleSheet(ERROR_STYLE)
        self.top_error.setWordWrap(True)
        self.top_error.hide()
        outer.addWidget(self.top_error)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        laid_out = rows(specs)
        for row, pair in enumerate(laid_out):
            for column, spec in enumerate(pair):
                self._add(row, column * 2, spec, wide=len(pair) == 1)
        for column in (1, 3):
            self.grid.setColumnStretch(column, 1)
        self.scroller = QScrollArea()  # only for a screen smaller than the forms are made for
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.body)
        outer.addWidget(self.scroller)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Form", "保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Form", "取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        keys.bind(self, "Ctrl+Return", self.submit, Qt.ShortcutContext.WindowShortcut)
        self.timer = QTimer(self, singleShot=True, interval=400)
        self.timer.timeout.connect(lambda: self.validate(quiet=True))
        self.two_columns = any(len(pair) == 2 for pair in laid_out)
        self._fill(values)
        self._wire(specs)
        self.fit_screen()
        self.initial = self.raw()  # what the user saw when the form opened
        self.touched.clear()  # filling the form is not the user's typing

    def _fill(self, values: dict[str, Any] | None) -> None:
        edit = self.edit
        for name, field in self.fields.items():
            if edit is not None:
                stored = edit.many.get(name) or edit.choices.get(name) or edit.values.get(name)
                field.set_value(stored)
                if name in edit.locked:
                    field.lock()
            elif values and name in values:
                field.set_value(values[name])
            else:
                default = self._default(name)
                if default is not None and default != ():
                    field.set_value(default)  # the schema's usual value, e.g. 一般 urgency

    def _default(self, name: str) -> Any:
        info = self.schema.model_fields.get(name)
        return None if info is None or info.is_required() else info.default

    def _blank(self, spec: Spec) -> str | None:
        """The no-value entry of a choice: （未填） where the field may stay empty, （请选择）
        where a choice is required and there is no usual value to start from."""
        info = self.schema.model_fields.get(spec.name)
        if spec.required:
            return tr("Form", "（请选择）")
        if spec.optional or (info is not None and not info.is_required() and info.default is None):
            return tr("Form", "（未填）")
        if info is not None and not info.is_required():
            return None if spec.kind == "enum" else tr("Form", "（请选择）")
        return tr("Form", "（请选择）")

    def _add(self, row: int, column: int, spec: Spec, wide: bool) -> None:
        field = make_field(self.ctx, spec, self._blank(spec))
        info = self.schema.model_fields.get(spec.name)
        text = tr("Fields", (info.title if info and info.title else spec.name))
        required = spec.required or (info is not None and info.is_required())
        label = QLabel(f"{text}{'*' if required else ''}")
        label.setBuddy(field)
        if spec.kind in TALL:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
        else:  # level with the field's text, also when a reason shows under the field
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            height = max(field.sizeHint().height(), QLineEdit().sizeHint().height())
            label.setMinimumHeight(height)
            field.setMinimumHeight(height)  # a check box sits level with its label
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        column_box = QVBoxLayout(holder)
        column_box.setContentsMargins(0, 0, 0, 0)
        column_box.setSpacing(2)
        column_box.addWidget(field)
        column_box.addWidget(error)  # the reason sits under its own field
        self.grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(holder, row, column + 1, 1, 3 if wide else 1, Qt.AlignmentFlag.AlignTop)
        self.fields[spec.name] = field
        self.errors[spec.name] = error
        field.changed.connect(lambda name=spec.name: self._edited(name))

    def fit_screen(self, grow_only: bool = False) -> None:
        """Open at the size the form needs, within the screen's free area: a long form is two
        short fields to a row, so even 1280×720 with a taskbar shows every field and the save
        button without scrolling."""
        need = self.body.sizeHint()
        width = max(need.width() + 40, 860 if self.two_columns else 520)
        height = need.height() + self.buttons.sizeHint().height() + 48
        height += self.top_error.sizeHint().height() if self.top_error.isVisibleTo(self) else 0
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        # leave room for the title bar, and for a taskbar the platform does not report
        width, height = min(width, screen.width() - 40), min(height, screen.height() - 80)
        if grow_only:
            width, height = max(width, self.width()), max(height, self.height())
        self.resize(width, height)

    def _wire(self, specs: list[Spec]) -> None:
        """Dependent lists (the workshops of the enterprise) start from the stored or preset
        enterprise, and follow the enterprise field when the user changes it."""
        for spec in specs:
            if not spec.depends:
                continue
            target = self.fields[spec.name]
            source = self.fields.get(spec.depends)
            if source is not None:
                source.changed.connect(lambda s=source, t=target: t.narrow(s.value()))
                target.narrow(source.value(), by_user=False)
            else:
                stored = self.edit.values if self.edit is not None else {}
                target.narrow(self.fixed.get(spec.depends, stored.get(spec.depends)), by_user=False)

    def _edited(self, name: str) -> None:
        self.touched.add(name)
        self.timer.start()

    def raw(self) -> dict[str, Any]:
        return {**self.fixed, **{name: field.value() for name, field in self.fields.items()}}

    def validate(self, quiet: bool = False) -> Any | None:
        """The parsed input, or None with the errors shown (only on touched fields if quiet)."""
        try:
            parsed = self.schema.parse(self.raw())
        except InputError as err:
            self.show_errors(err.errors, only=self.touched if quiet else None)
            return None
        self.show_errors([])
        self.warned_now = self.show_warnings(parsed, only=self.touched if quiet else None)
        return parsed

    def show_warnings(self, parsed: Any, only: set[str] | None = None) -> set[str]:
        """Show what the schema asks to double-check (an ID region code the national table
        lacks) under its field, without refusing; returns the fields warned about."""
        check = getattr(parsed, "warnings", None)
        shown: set[str] = set()
        for warning in check() if callable(check) else []:
            name = warning.field.split(".")[0]
            label = self.errors.get(name)
            if label is None or (only is not None and name not in only):
                continue
            label.setStyleSheet(WARNING_STYLE)
            label.setText(tr("Form", "请核对：") + tr("Errors", warning.message))
            label.setVisible(True)
            shown.add(name)
        if shown and self.isVisible():
            self.fit_screen(grow_only=True)
        return shown

    def show_errors(self, errors: list[FieldError], only: set[str] | None = None) -> None:
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for e in errors:
            name = e.field.split(".")[0]
            if name in self.errors:
                by_field.setdefault(name, []).append(tr("Errors", e.message))
            elif not e.field:
                general.append(tr("Errors", e.message))
        for name, label in self.errors.items():
            messages = by_field.get(name, [])
            visible = bool(messages) and (only is None or name in only)
            label.setStyleSheet(ERROR_STYLE)
            label.setText("；".join(messages))
            label.setVisible(visible)
        if only is None or general:
            self.top_error.setText("；".join(general))
            self.top_error.setVisible(bool(general))
        if self.isVisible():
            self.fit_screen(grow_only=True)  # room for the reasons, as far as the screen allows

    def changed_fields(self) -> frozenset[str]:
        """The fields a save of this edit form would write."""
        return changed_fields(self.schema, {**self.fixed, **self.initial}, self.raw())

    def submit(self) -> None:
        seen = set(self.warned_now)  # what the user could already read before pressing 保存
        parsed = self.validate()
        if parsed is None:
            return
        if self.warned_now - seen - self.confirmed:
            # A warning the user has not seen yet: show it and let a second 保存 go ahead.
            self.confirmed |= self.warned_now
            self.top_error.setText(tr("Form", "请核对标出的内容，无误后再次点击“保存”"))
            self.top_error.setVisible(True)
            return
        save = self.save_fn
        if self.edit is not None:
            fields = self.changed_fields()
            if not fields:
                self._saved(False)  # nothing changed: nothing is written
                return
            job: Callable[[Session], Any] = lambda s: save(s, parsed, fields)  # noqa: E731
        else:
            job = lambda s: save(s, parsed)  # noqa: E731
        self.buttons.setEnabled(False)
        self.ctx.write(job, self._saved, self._refused)

    def reject(self) -> None:
        """Esc or 取消: typed content is not thrown away without asking."""
        if self.raw() != self.initial and not ask.discard(self):
            return
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = next((f for f in self.fields.values() if f.isEnabled()), None)
        if first is not None:
            QTimer.singleShot(0, first.setFocus)

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, InputError):
            self.show_errors(error.errors)
            if not any(e.field.split(".")[0] in self.errors for e in error.errors):
                self.top_error.setText(str(error))
                self.top_error.show()
        elif isinstance(error, ServiceError):
            self.top_error.setText(service_error(error))
            self.top_error.show()
        else:
            self.ctx.error.emit(error)
