"""设置: language, data folder, backup folder (and a backup now), deadline rules, and the
ledger check's list of values to repair (shown only when there are some)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models import IsolatedValue
from app.schemas.enums import Urgency
from app.services.deadlines import DeadlinePolicy, load_policy, save_policy
from app.services.editing import EditValues
from app.services.files import default_name
from app.services.stored_check import dismiss, isolated
from app.storage.backup import snapshot
from app.ui import ask
from app.ui import prefs as prefs_file
from app.ui.context import AppContext
from app.ui.files import save_file
from app.ui.forms import editors
from app.ui.i18n import label, tr, tr_fmt
from app.ui.messages import isolated_line
from app.ui.tasks import Task


class SettingsPage(QWidget):
    status = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        general = QGroupBox(tr("Settings", "常规"))
        form = QFormLayout(general)
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.prefs.language)))
        form.addRow(tr("Settings", "界面语言"), self.language)
        self.restart_note = QLabel(tr("Settings", "重新启动后生效"))
        self.restart_note.setStyleSheet("color: #b45309;")
        self.restart_note.hide()
        form.addRow("", self.restart_note)
        form.addRow(tr("Settings", "数据目录"), QLabel(str(ctx.data_dir)))
        self.backup_dir = QLabel(ctx.prefs.backup_dir or tr("Settings", "（未设置）"))
        choose = QPushButton(tr("Settings", "选择…"))
        backup_now = QPushButton(tr("Settings", "立即备份"))
        row = QHBoxLayout()
        row.addWidget(self.backup_dir, 1)
        row.addWidget(choose)
        row.addWidget(backup_now)
        form.addRow(tr("Settings", "备份位置"), row)
        self.backup_result = QLabel()
        form.addRow("", self.backup_result)
        layout.addWidget(general)
        deadlines = QGroupBox(tr("Settings", "办理期限规则（天）"))
        self.deadline_form = QFormLayout(deadlines)
        self.days: dict[str, QSpinBox] = {}
        for urgency in Urgency:
            self._spin(urgency.value, label(urgency), 1, 90)
        self._spin("due_soon_days", tr("Settings", "提前提醒"), 0, 60)
        self._spin("follow_up_days", tr("Settings", "办结后回访期限"), 1, 365)
        self._spin("hardship_contact_days", tr("Settings", "困难职工走访/帮扶间隔"), 30, 3650)
        save = QPushButton(tr("Settings", "保存期限规则"))
        save.clicked.connect(self.save_policy)
        self.deadline_form.addRow("", save)
        layout.addWidget(deadlines)
        layout.addWidget(self._check_box())
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(self.set_language)
        choose.clicked.connect(self.choose_backup_dir)
        backup_now.clicked.connect(self.backup_now)
        ctx.read(load_policy, self._show_policy)
        ctx.changed.connect(self._reload_isolated)
        self._reload_isolated()

    # ---- 数据检查: values the ledger check set aside ---------------------------------------

    def _check_box(self) -> QGroupBox:
        self.check_box = QGroupBox(tr("Settings", "数据检查：需要核对修改的记录"))
        box = QVBoxLayout(self.check_box)
        box.addWidget(QLabel(tr("Settings", "以下存储的值不符合规则，已以替代值显示；修改相应字段后即不再列出。")))
        self.isolated_list = QListWidget()
        self.isolated_list.setObjectName("isolated")
        self.isolated_list.itemDoubleClicked.connect(lambda _item: self.repair())
        box.addWidget(self.isolated_list)
        buttons = QHBoxLayout()
        self.repair_button = QPushButton(tr("Settings", "修改该记录…"))
        self.repair_button.clicked.connect(self.repair)
        self.dismiss_button = QPushButton(tr("Settings", "保留替代值，不再提示"))
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.repair_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.check_box.hide()
        return self.check_box

    def _reload_isolated(self, *_why: object) -> None:
        self.ctx.read(isolated, self._show_isolated)

    def _show_isolated(self, entries: list[IsolatedValue]) -> None:
        self.isolated_list.clear()
        for e in entries:
            text = isolated_line(e.entity, e.row_id, e.field, e.reason, e.value, e.stand_in, tr)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (e.entity, e.row_id, e.field))
            self.isolated_list.addItem(item)
        self.check_box.setVisible(bool(entries))
        if entries:
            self.isolated_list.setCurrentRow(0)

    def _chosen(self) -> tuple[str, str, str] | None:
        item = self.isolated_list.currentItem()
        if item is None:
            return None
        kind, row_id, field = item.data(Qt.ItemDataRole.UserRole)
        return str(kind), str(row_id), str(field)

    def repair(self) -> None:
        """修改该记录: the record's own edit form (a worker's after a reason, as everywhere)."""
        chosen = self._chosen()
        if chosen is None:
            return
        kind, row_id, _field = chosen
        if kind not in editors.EDITORS:
            ask.inform(
                self,
                tr("Settings", "数据检查"),
                tr("Settings", "这类记录不能修改；如替代值无误，请选择“保留替代值，不再提示”。"),
            )
            return

        def edit(current: EditValues) -> None:
            editors.edit_dialog(self.ctx, kind, row_id, current, self).exec()

        editors.load_for_edit(self.ctx, kind, row_id, edit, parent=self)

    def dismiss(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            kind, row_id, field = chosen
            self.ctx.write(lambda s: dismiss(s, kind, row_id, field))

    def _spin(self, key: str, text: str, low: int, high: int) -> None:
        spin = QSpinBox()
        spin.setRange(low, high)
        self.days[key] = spin
        self.deadline_form.addRow(text, spin)

    def _show_policy(self, policy: DeadlinePolicy) -> None:
        self.policy = policy
        for urgency in Urgency:
            self.days[urgency.value].setValue(policy.urgency_days.get(urgency, 15))
        for key in ("due_soon_days", "follow_up_days", "hardship_contact_days"):
            self.days[key].setValue(getattr(policy, key))

    def save_policy(self) -> None:
        days = {u: self.days[u.value].value() for u in Urgency}
        changed = self.policy.model_copy(
            update={
                "urgency_days": days,
                **{
                    k: self.days[k].value()
                    for k in ("due_soon_days", "follow_up_days", "hardship_contact_days")
                },
            }
        )
        self.ctx.write(
            lambda s: save_policy(s, changed),
            lambda saved: self.status.emit(
                tr("Settings", "期限规则已保存") if saved else tr("Settings", "期限规则未作修改")
            ),
        )

    def set_language(self) -> None:
        self.ctx.prefs.language = self.language.currentData()
        prefs_file.save(self.ctx.prefs)
        self.restart_note.show()

    def choose_backup_dir(self) -> None:
        folder = ask.folder(self, tr("Settings", "选择备份位置"), self.ctx.backup_folder())
        if folder is not None:
            self.ctx.prefs.backup_dir = str(folder)
            prefs_file.save(self.ctx.prefs)
            self.backup_dir.setText(str(folder))

    def backup_now(self) -> None:
        """A backup where the user says (a USB stick, say), named after this replica and the
        time; the dialog starts in the last folder used, else the backup folder."""
        folder = self.ctx.backup_folder()
        folder.mkdir(parents=True, exist_ok=True)
        name = default_name("backup", self.ctx.info.name, at=datetime.now())
        target = save_file(
            self, self.ctx.prefs, tr("Settings", "立即备份"), name,
            tr("Settings", "基层备份 (*.db)"), folder,
        )  # fmt: skip
        if target is None:
            return
        engine, data_dir = self.ctx.store.engine, self.ctx.data_dir

        def job(_task: Task) -> Any:
            return snapshot(engine, target, data_dir=data_dir)

        self.ctx.io.start(
            job,
            lambda p: self.backup_result.setText(
                tr_fmt("Settings", "已备份到 {path}（加密）", path=p)
            ),
            lambda e: self.backup_result.setText(
                tr_fmt("Settings", "备份失败：{reason}", reason=e)
            ),
        )
