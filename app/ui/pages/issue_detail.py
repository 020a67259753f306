"""The right-hand pane of the case screen: one case, its timeline, and what can be done next."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.enums import (
    EventKind,
    FollowUpMethod,
    IssueCategory,
    IssueSource,
    IssueStatus,
    Satisfaction,
    Urgency,
    action,
)
from app.schemas.issues import NoteIn, TransitionIn
from app.schemas.vocabulary import field_label
from app.services import conflicts, issues
from app.services.case_form import CaseForm, case_form
from app.services.editing import EditValues
from app.services.files import safe_name
from app.services.issue_detail import EventView, IssueDetail, issue_detail
from app.ui import ask
from app.ui.case_pdf import draw_form, write_case_pdf
from app.ui.context import AppContext
from app.ui.files import save_file
from app.ui.forms import editors
from app.ui.forms.dialog import FormDialog
from app.ui.forms.fields import Spec
from app.ui.i18n import label, tr, tr_fmt

TRANSITION_FIELDS = {
    IssueStatus.REFERRED: [Spec("department", "text")],
    IssueStatus.RESOLVED: [Spec("resolution", "multiline"), Spec("on", "date")],
    IssueStatus.FOLLOWED_UP: [
        Spec("method", "enum", enum=FollowUpMethod, required=True),
        Spec("satisfaction", "enum", enum=Satisfaction, required=True),
        Spec("on", "date"),
    ],
    IssueStatus.DECLINED: [Spec("reason", "multiline")],
}
BADGE = "border-radius: 8px; padding: 2px 8px; color: white; background: {};"
STATUS_COLOURS = {
    "registered": "#6b7280",
    "accepted": "#2563eb",
    "in_progress": "#0d9488",
    "referred": "#7c3aed",
    "resolved": "#15803d",
    "followed_up": "#166534",
    "declined": "#9ca3af",
}


def plain(text: str) -> QLabel:
    """A label showing ``text`` as it is: a value a district-mate typed may hold markup
    (``<b>``, ``<img>``), which a label left to guess would render."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def badge(text: str, colour: str) -> QLabel:
    widget = QLabel(text)
    widget.setStyleSheet(BADGE.format(colour))
    return widget


class IssueDetailPane(QWidget):
    status = Signal(str)
    undo_offer = Signal(str, object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.issue_id: str | None = None
        self.detail: IssueDetail | None = None
        self.placeholder = QLabel(tr("Issues", "在左侧选择一条诉求"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(QWidget())
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(scroll)
        self.scroller = scroll
        scroll.hide()
        ctx.changed.connect(self._changed)

    # ---- loading ------------------------------------------------------------------------

    def show_issue(self, issue_id: str | None) -> None:
        self.issue_id = issue_id
        if issue_id is None:
            self.scroller.hide()
            self.placeholder.show()
            return
        viewer = self.ctx.info.replica_id
        self.ctx.read(
            lambda s: issue_detail(s, issue_id, date.today(), viewer),
            lambda d: self._render(issue_id, d),
            self._gone,
        )

    def _gone(self, _error: BaseException) -> None:
        self.show_issue(None)

    def _changed(self, touched: frozenset[str]) -> None:
        if self.issue_id and ({"*", "issue", "issue_event", "conflict"} & touched):
            self.show_issue(self.issue_id)

    # ---- rendering ----------------------------------------------------------------------

    def _render(self, issue_id: str, d: IssueDetail) -> None:
        if issue_id != self.issue_id:
            return
        self.detail = d
        # A fresh page each time: the old one goes with all its buttons and sub-layouts.
        body = QWidget()
        self.content = QVBoxLayout(body)
        r = d.row
        title = QLabel(f"<b style='font-size:13pt'>{escape(r.title)}</b>")
        title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(plain(r.number))
        head.addWidget(badge(label(r.status, IssueStatus), STATUS_COLOURS.get(r.status, "#555")))
        if r.overdue:
            head.addWidget(badge(tr("Issues", "已超期"), "#b3261e"))
        if r.needs_review:
            head.addWidget(badge(tr("Issues", "有并发修改待核对"), "#b45309"))
        head.addStretch(1)
        self.content.addWidget(title)
        self.content.addLayout(head)
        self.content.addWidget(self._facts(d))
        for conflict in d.conflicts:
            self.content.addWidget(self._conflict(conflict))
        self.content.addLayout(self._actions(d))
        self.content.addWidget(QLabel(f"<b>{tr('Issues', '办理记录')}</b>"))
        self.content.addWidget(self._timeline(d))
        self.content.addStretch(1)
        old = self.scroller.takeWidget()
        self.scroller.setWidget(body)
        if old is not None:
            old.deleteLater()
        self.placeholder.hide()
        self.scroller.show()

    def _facts(self, d: IssueDetail) -> QWidget:
        r = d.row
        facts = [
            (tr("Issues", "企业"), r.enterprise_name),
            (tr("Issues", "反映人"), r.complainant or tr("Issues", "（未填）")),
            (tr("Issues", "类别"), label(r.category, IssueCategory)),
            (tr("Issues", "紧急程度"), label(r.urgency, Urgency)),
            (tr("Issues", "来源"), label(d.source, IssueSource)),
            (tr("Issues", "登记日期"), r.received_on.isoformat()),
            (tr("Issues", "办理期限"), r.due_on.isoformat()),
            (tr("Issues", "已办天数"), str(r.days_open)),
            (tr("Issues", "承办人"), r.assignee or ""),
        ]
        if d.confidential:  # the name itself is masked by the service (（保密）)
            facts.append((tr("Issues", "保密"), tr("Issues", "反映人要求保密，不显示姓名")))
        if r.collective:
            facts.append((tr("Issues", "涉及人数"), str(r.people_count)))
        if d.referred_to:
            facts.append((tr("Issues", "转办部门"), d.referred_to))
        if d.satisfaction:
            facts.append((tr("Issues", "满意度"), label(d.satisfaction, Satisfaction)))
        if d.follow_up_method:
            facts.append((tr("Issues", "回访方式"), label(d.follow_up_method, FollowUpMethod)))
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 4, 0, 4)
        for i, (name, value) in enumerate(facts):
            grid.addWidget(
                QLabel(f"<span style='color:#666'>{escape(name)}</span>"), i // 2, (i % 2) * 2
            )
            grid.addWidget(QLabel(escape(value)), i // 2, (i % 2) * 2 + 1)
        text = QTextBrowser()
        parts = [f"<p>{escape(d.description or '')}</p>"]
        if d.resolution:
            parts.append(f"<p><b>{tr('Issues', '办理结果')}：</b>{escape(d.resolution)}</p>")
        if d.decline_reason:
            parts.append(
                f"<p><b>{tr('Issues', '不予受理理由')}：</b>{escape(d.decline_reason)}</p>"
            )
        text.setHtml("".join(parts))
        text.setMaximumHeight(120)
        column = QVBoxLayout()
        wrapper = QWidget()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(box)
        column.addWidget(text)
        wrapper.setLayout(column)
        return wrapper

    def _conflict(self, c: conflicts.ConflictView) -> QWidget:
        frame = QFrame()
        frame.setStyleSheet(
            "QFrame { background: #fff7ed; border: 1px solid #fdba74; border-radius: 6px; }"
        )
        layout = QVBoxLayout(frame)
        field = tr("Fields", field_label(c.entity, c.field))
        layout.addWidget(QLabel(tr_fmt("Issues", "“{field}”被同时修改：", field=field)))

        def shown(value: object) -> str:
            return _shown(value, c.entity)

        layout.addWidget(plain(tr_fmt("Issues", "当前值：{value}", value=shown(c.winner_value))))
        layout.addWidget(plain(tr_fmt("Issues", "另一值：{value}", value=shown(c.loser_value))))
        row = QHBoxLayout()
        keep = QPushButton(tr("Issues", "保留当前值"))
        other = QPushButton(tr("Issues", "改用另一值"))
        keep.setProperty("choice", "keep")
        other.setProperty("choice", "other")
        keep.clicked.connect(lambda: self._resolve(c.id, "keep"))
        other.clicked.connect(lambda: self._resolve(c.id, "other"))
        row.addWidget(keep)
        row.addWidget(other)
        row.addStretch(1)
        layout.addLayout(row)
        return frame

    def _actions(self, d: IssueDetail) -> QVBoxLayout:
        """Next steps the lifecycle allows on the first row, everyday actions on the second,
        the printed form on the third (so the pane stays narrow in English too)."""
        steps, other, files = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        current = IssueStatus(d.row.status)
        for target in d.allowed:
            button = QPushButton(tr("labels", action(current, target)))
            button.setObjectName("primary")
            button.setProperty("target", target.value)
            button.clicked.connect(lambda _c=False, t=target: self.transition(t))
            steps.addWidget(button)
        for text, slot in (
            (tr("Issues", "添加办理记录"), self.add_note),
            (tr("Issues", "指派"), self.assign),
            (tr("Issues", "编辑"), self.edit),
            (tr("Issues", "删除"), self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            other.addWidget(button)
        for text, slot, tip in (
            (tr("Issues", "打印…"), self.print_pdf, tr("Issues", "把诉求登记表和办理单保存为 PDF")),
            (tr("Issues", "送打印机…"), self.print_paper, tr("Issues", "用系统打印对话框打印")),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            files.addWidget(button)
        steps.addStretch(1)
        other.addStretch(1)
        files.addStretch(1)
        column = QVBoxLayout()
        column.addLayout(steps)
        column.addLayout(other)
        column.addLayout(files)
        return column

    def _timeline(self, d: IssueDetail) -> QListWidget:
        timeline = QListWidget()
        timeline.setWordWrap(True)
        for e in d.events:
            when = e.occurred_at.isoformat(" ", "minutes")  # year 1 as 0001
            if e.kind == EventKind.TRANSITION:
                what = (
                    label(e.to_status, IssueStatus)
                    if e.from_status is None
                    else (
                        f"{label(e.from_status, IssueStatus)} → {label(e.to_status, IssueStatus)}"
                    )
                )
            else:
                what = label(e.kind, EventKind)
            extra = " · ".join(x for x in (e.detail and _detail(e), e.note) if x)
            timeline.addItem(
                f"{when}  {e.actor or ''}  {what}" + (f"\n    {extra}" if extra else "")
            )
        timeline.setMinimumHeight(140)
        return timeline

    # ---- actions ------------------------------------------------------------------------

    def transition(self, target: IssueStatus) -> None:
        if self.issue_id is None or self.detail is None:
            return
        issue_id, version = self.issue_id, self.detail.version
        verb = tr("labels", action(IssueStatus(self.detail.row.status), target))
        specs = [*TRANSITION_FIELDS.get(target, []), Spec("note", "multiline")]

        def save(session: Session, data: TransitionIn) -> None:
            issues.transition(session, issue_id, data, base_hlc=version)

        dialog = FormDialog(
            self.ctx,
            verb,
            TransitionIn,
            specs,
            save,
            parent=self,
            fixed={"to_status": target.value},
        )
        if dialog.exec():
            self.status.emit(
                tr_fmt("Issues", "已{action}，现为“{status}”", action=verb, status=label(target))
            )

    def print_pdf(self) -> None:
        """The case's printed form (登记表 and 办理单) as a PDF where the user says: gathered on
        the database lane, drawn and written on the I/O lane."""
        if self.issue_id is None or self.detail is None:
            return
        issue_id, number = self.issue_id, self.detail.row.number
        name = safe_name(tr_fmt("Issues", "诉求登记表-{number}", number=number)) + ".pdf"
        title = tr("Issues", "打印诉求登记表")
        target = save_file(self, self.ctx.prefs, title, name, "PDF (*.pdf)")
        if target is None:
            return

        def write(form: CaseForm) -> None:
            self.ctx.io.start(
                lambda _task: write_case_pdf(form, target),
                lambda pages: self.status.emit(
                    tr_fmt("Issues", "已生成 {path}（共 {pages} 页）", path=target, pages=pages)
                ),
                self.ctx.error.emit,
            )

        self.ctx.read(lambda s: case_form(s, issue_id), write)

    def print_paper(self) -> None:
        """The same form on a printer chosen in the system's print dialog (printed on the
        I/O lane, so a slow printer driver does not freeze the screen)."""
        if self.issue_id is None or self.detail is None:
            return
        issue_id, number = self.issue_id, self.detail.row.number
        printer = ask.printer(self, tr("Issues", "打印诉求登记表"), number)
        if printer is None:
            return

        def send(form: CaseForm) -> None:
            def job(_task: object) -> int:
                return draw_form(printer, form, date.today())

            self.ctx.io.start(
                job,
                lambda pages: self.status.emit(
                    tr_fmt(
                        "Issues",
                        "已送打印机：{number}（共 {pages} 页）",
                        number=number,
                        pages=pages,
                    )
                ),
                self.ctx.error.emit,
            )

        self.ctx.read(lambda s: case_form(s, issue_id), send)

    def add_note(self) -> None:
        if self.issue_id is None:
            return
        issue_id = self.issue_id
        dialog = FormDialog(
            self.ctx,
            tr("Issues", "添加办理记录"),
            NoteIn,
            [Spec("text", "multiline")],
            lambda s, data: issues.add_note(s, issue_id, data),
            parent=self,
        )
        dialog.exec()

    def assign(self) -> None:
        if self.issue_id is None or self.detail is None:
            return
        name = ask.text(
            self, tr("Issues", "指派"), tr("Issues", "承办人："), value=self.detail.row.assignee or ""
        )
        if name is not None and name.strip():
            issue_id = self.issue_id
            self.ctx.write(
                lambda s: issues.assign(s, issue_id, name),
            )

    def edit(self) -> None:
        if self.issue_id is None:
            return
        issue_id = self.issue_id
        editors.load_for_edit(
            self.ctx,
            "issue",
            issue_id,
            lambda cur: self._edit_in_dialog(issue_id, cur),
            self._refused,
        )

    def delete(self) -> None:
        if self.issue_id is None or self.detail is None:
            return
        issue_id, number = self.issue_id, self.detail.row.number
        if ask.confirm(
            self, tr("Issues", "确认删除"), tr_fmt("Issues", "删除诉求 {number}？", number=number)
        ):
            self.ctx.write(
                lambda s: issues.delete_issue(s, issue_id),
                lambda _r: self.undo_offer.emit(
                    tr_fmt("Issues", "已删除诉求 {number}", number=number),
                    lambda done: self.ctx.write(
                        lambda s: _restore(s, issue_id),
                        lambda _r: done(),
                    ),
                ),
            )

    def _resolve(self, conflict_id: str, choice: str) -> None:
        self.ctx.write(
            lambda s: conflicts.resolve_conflict(s, conflict_id, choice),
            lambda _r: self.status.emit(tr("Issues", "已处理并发修改")),
        )


    def _edit_in_dialog(self, issue_id: str, current: EditValues) -> None:
        editors.edit_dialog(self.ctx, "issue", issue_id, current, self).exec()

    def _refused(self, error: BaseException) -> None:
        message = getattr(error, "message", None)
        if message is None:
            self.ctx.error.emit(error)
            return
        ask.warn(self, tr("Issues", "未能完成"), tr("Errors", message))


def _restore(session: Session, issue_id: str) -> bool:
    from app.services.common import restore

    return restore(session, "issue", issue_id)


def _shown(value: object, entity: str = "issue") -> str:
    if isinstance(value, bool):
        return tr("Issues", "是") if value else tr("Issues", "否")
    if value is None:
        return tr("Issues", "（空）")
    if isinstance(value, dict):
        return "；".join(
            f"{tr('Fields', field_label(entity, k))}={_shown(v, entity)}" for k, v in value.items()
        )
    for enum in (IssueStatus, Urgency, IssueCategory, Satisfaction):
        if value in {m.value for m in enum}:
            return label(value, enum)
    return str(value)


def _detail(e: EventView) -> str:
    if e.detail in {m.value for m in Satisfaction}:
        return label(e.detail, Satisfaction)
    return str(e.detail)
