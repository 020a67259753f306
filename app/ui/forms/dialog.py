"""A form dialog checked by the same pydantic schema the services use.

Errors appear under their field as the user types (after a short pause) and again on save,
worded by the schema in Chinese. Enter saves, Esc cancels. Saving runs the service on the
database lane; the dialog closes only when the write succeeded, and a refusal from the
service (a rule, not a typo) is shown at the top without losing what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.base import FieldError, Input, InputError
from app.services.errors import ServiceError
from app.ui import keys
from app.ui.context import AppContext
from app.ui.forms.fields import Field, Spec, make_field
from app.ui.i18n import tr

ERROR_STYLE = "color: #b3261e; font-size: 9pt;"


class FormDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        title: str,
        schema: type[Input],
        specs: list[Spec],
        save: Callable[[Session, Any], Any],
        values: dict[str, Any] | None = None,
        touches: frozenset[str] = frozenset({"*"}),
        parent: QWidget | None = None,
        fixed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.fixed = fixed or {}  # values the form does not show but the schema needs
        self.setWindowTitle(title)
        self.ctx, self.schema, self.save_fn, self.touches = ctx, schema, save, touches
        self.result_value: Any = None
        self.touched: set[str] = set()
        self.fields: dict[str, Field] = {}
        self.errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        self.top_error = QLabel()
        self.top_error.setStyleSheet(ERROR_STYLE)
        self.top_error.setWordWrap(True)
        self.top_error.hide()
        outer.addWidget(self.top_error)
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for spec in specs:
            self._add(form, spec)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll)
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
        self.resize(560, min(760, 120 + 52 * len(specs)))
        self._wire(specs)
        for name, field in self.fields.items():
            if values and name in values:
                field.set_value(values[name])
            else:
                info = self.schema.model_fields.get(name)
                default = None if info is None or info.is_required() else info.default
                if default is not None and default != ():
                    field.set_value(default)  # the schema's usual value, e.g. 一般 urgency
        self.touched.clear()  # filling the form is not the user's typing

    def _add(self, form: QFormLayout, spec: Spec) -> None:
        field = make_field(self.ctx, spec)
        info = self.schema.model_fields.get(spec.name)
        text = tr("Fields", (info.title if info and info.title else spec.name))
        required = info is not None and info.is_required()
        label = QLabel(f"{text}{'*' if required else ''}")
        label.setBuddy(field)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(error)
        form.addRow(label, holder)
        self.fields[spec.name] = field
        self.errors[spec.name] = error
        field.changed.connect(lambda name=spec.name: self._edited(name))

    def _wire(self, specs: list[Spec]) -> None:
        for spec in specs:
            if spec.depends and spec.depends in self.fields:
                source, target = self.fields[spec.depends], self.fields[spec.name]
                source.changed.connect(lambda s=source, t=target: t.narrow(s.value()))
                target.narrow(source.value())

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
        return parsed

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
            label.setText("；".join(messages))
            label.setVisible(visible)
        if only is None or general:
            self.top_error.setText("；".join(general))
            self.top_error.setVisible(bool(general))

    def submit(self) -> None:
        parsed = self.validate()
        if parsed is None:
            return
        self.buttons.setEnabled(False)
        self.ctx.write(lambda s: self.save_fn(s, parsed), self._saved, self._refused, self.touches)

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
            self.top_error.setText(tr("Errors", error.message))
            self.top_error.show()
        else:
            self.ctx.error.emit(error)
