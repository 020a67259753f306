"""数据同步: the server connection, USB-stick bundles, trusted replicas, held changes.

Network and file work runs on the I/O lane, database work on the database lane; long jobs
report progress to the window's progress bar and can be cancelled (the import rolls back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.schemas.enums import Role
from app.services.bundles import bundle_sender, trust_bundle_sender
from app.services.files import default_name, safe_name
from app.services.setup import join_server
from app.storage import atomic
from app.sync import keys as keyfiles
from app.sync import peers
from app.sync.bundle import (
    Exchange,
    ExportResult,
    ImportReport,
    export_bundle,
    import_bundle,
    last_exchange,
    note_export,
)
from app.sync.bundle_format import BundleError
from app.sync.client import Refusals, configured_server, forget_refusals, refusals
from app.sync.http import RetryPolicy, Transport
from app.sync.keys import PublicKeyFile
from app.sync.quarantine import held_changes, release
from app.ui import ask
from app.ui.context import AppContext
from app.ui.files import open_file, save_file
from app.ui.i18n import label, message, records_phrase, tr
from app.ui.messages import BUNDLE_MESSAGES, SYNC_MESSAGES
from app.ui.online import OnlineSync
from app.ui.tasks import Task


def bundle_filter() -> str:
    return tr("Sync", "基层同步包 (*.jcb)")


def key_filter() -> str:
    return tr("Sync", "基层公钥文件 (*.pub *.json)")


def role_label(role: str) -> str:
    """驻点干部, 区(县)总工会 or 市总工会服务器, never the code."""
    try:
        return label(Role(role))
    except ValueError:
        return tr("Sync", "其他")


def bundle_message(error: BaseException) -> str:
    code, detail = getattr(error, "code", ""), getattr(error, "detail", "")
    if code == "cancelled":
        return tr("Sync", "已取消，本机数据没有改动")
    return message(BUNDLE_MESSAGES, code, detail) if code in BUNDLE_MESSAGES else str(error)


class SyncPage(QWidget):
    status = Signal(str)
    progress = Signal(object)  # a running Task, for the window's progress bar

    def __init__(self, ctx: AppContext, online: OnlineSync) -> None:
        super().__init__()
        self.ctx, self.online = ctx, online
        layout = QVBoxLayout(self)
        layout.addWidget(self._server_box())
        row = QHBoxLayout()
        row.addWidget(self._bundle_box())
        row.addWidget(self._held_box())
        layout.addLayout(row)
        layout.addWidget(self._peer_box())
        online.online.connect(self._online)
        # Bound methods, not lambdas: Qt drops a bound slot when this page is destroyed, while
        # the context and the online sync live on.
        online.reported.connect(self._synced)
        online.failed.connect(self._failed)
        online.unsent.connect(self._unsent)
        ctx.changed.connect(self.refresh)
        self.refresh()

    def _synced(self, _report: object) -> None:
        self.error.clear()
        self.refresh()

    def _unsent(self, n: int) -> None:
        self.unsent.setText(str(n))

    # ---- server -------------------------------------------------------------------------

    def _server_box(self) -> QGroupBox:
        box = QGroupBox(tr("Sync", "市总工会服务器"))
        form = QFormLayout(box)
        self.server = QLabel(tr("Sync", "未接入"))
        self.state = QLabel(tr("Sync", "—"))
        self.unsent = QLabel("—")
        self.last = QLabel("—")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        # Changes the server refused stay in view until they are sent again: a refusal is
        # not resent by itself, and must never look like a finished sync.
        self.refused = QLabel()
        self.refused.setStyleSheet("color: #b3261e;")
        self.refused.setWordWrap(True)
        self.resend = QPushButton(tr("Sync", "重新发送被拒收的变更"))
        self.resend.clicked.connect(self.resend_refused)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(tr("Sync", "立即同步"))
        self.sync_button.setObjectName("primary")
        enroll = QPushButton(tr("Sync", "接入服务器…"))
        buttons.addWidget(self.sync_button)
        buttons.addWidget(enroll)
        buttons.addStretch(1)
        form.addRow(tr("Sync", "服务器"), self.server)
        form.addRow(tr("Sync", "连接状态"), self.state)
        form.addRow(tr("Sync", "待发送的变更"), self.unsent)
        form.addRow(tr("Sync", "上次同步"), self.last)
        form.addRow("", self.error)
        self.refused_row = QWidget()
        line = QHBoxLayout(self.refused_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.refused, 1)
        line.addWidget(self.resend)
        form.addRow(tr("Sync", "服务器拒收"), self.refused_row)
        form.setRowVisible(self.refused_row, False)
        self.server_form = form
        form.addRow(buttons)
        self.sync_button.clicked.connect(self.sync_now)
        enroll.clicked.connect(self.enroll)
        return box

    def resend_refused(self) -> None:
        """Send refused changes again on the next sync (after the administrator has fixed what
        the server objected to), and sync now."""
        self.ctx.write(forget_refusals, lambda _n: self.sync_now(), None, frozenset({"sync"}))

    def _show_refusals(self, found: Refusals) -> None:
        self.server_form.setRowVisible(self.refused_row, found.count > 0)
        self.refused.setText(
            tr("Sync", "%1 条变更被服务器拒收，没有进入服务器：%2")
            .replace("%1", str(found.count))
            .replace("%2", found.first_reason)
        )

    def sync_now(self) -> None:
        if not self.online.enrolled():
            ask.inform(
                self, tr("Sync", "尚未接入服务器"), tr("Sync", "请先用管理员发放的接入码接入服务器。")
            )
            return
        self.status.emit(tr("Sync", "正在同步…"))
        self.online.sync_now()

    def enroll(self) -> None:
        url = ask.text(self, tr("Sync", "接入服务器"), tr("Sync", "服务器地址："), value="https://")
        if url is None or not url.strip():
            return
        code = ask.text(self, tr("Sync", "接入服务器"), tr("Sync", "一次性接入码："))
        if code is None or not code.strip():
            return
        store = self.ctx.store

        def job(_task: Task) -> Any:
            return join_server(
                store,
                url.strip(),
                code.strip(),
                self.ctx.keys().signing,
                Transport(url.strip(), retry=RetryPolicy(attempts=2)),
            )

        self.ctx.io.start(job, self._enrolled, self._failed)

    def _enrolled(self, joined: Any) -> None:
        self.ctx.refresh_info()
        self.ctx.changed.emit(frozenset({"*"}))
        self.status.emit(tr("Sync", "已接入，所属 %1").replace("%1", joined.district_name))
        self.online.sync_now()

    def _online(self, online: bool) -> None:
        self.state.setText(tr("Sync", "在线") if online else tr("Sync", "离线（联网后会自动同步）"))

    def _failed(self, error: BaseException) -> None:
        code, detail = getattr(error, "code", ""), getattr(error, "detail", "")
        self.error.setText(message(SYNC_MESSAGES, code, detail or str(error)))
        if code == "rejected":
            self.refresh()  # the refusals are stored now: show them until they are resent

    # ---- bundles ------------------------------------------------------------------------

    def _bundle_box(self) -> QGroupBox:
        box = QGroupBox(tr("Sync", "同步包（U 盘）"))
        layout = QVBoxLayout(box)
        self.recipient = QComboBox()
        export = QPushButton(tr("Sync", "导出同步包…"))
        imp = QPushButton(tr("Sync", "导入同步包…"))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Sync", "收件方")))
        row.addWidget(self.recipient, 1)
        row.addWidget(export)
        layout.addLayout(row)
        layout.addWidget(imp)
        self.exchange = QLabel()
        self.exchange.setWordWrap(True)
        self.exchange.setObjectName("exchange")
        layout.addWidget(self.exchange)
        self.exchanges: dict[str, tuple[peers.PeerInfo, Exchange]] = {}
        self.recipient.currentIndexChanged.connect(self._show_exchange)
        self.bundle_result = QLabel()
        self.bundle_result.setWordWrap(True)
        layout.addWidget(self.bundle_result)
        layout.addStretch(1)
        export.clicked.connect(self.export_bundle)
        imp.clicked.connect(self.import_bundle)
        return box

    def export_bundle(self) -> None:
        peer_id = self.recipient.currentData()
        if peer_id is None:
            ask.inform(
                self, tr("Sync", "没有收件方"), tr("Sync", "请先在下方信任对方的公钥文件。")
            )
            return
        name = default_name("bundle", self.ctx.info.name)
        chosen = save_file(self, self.ctx.prefs, tr("Sync", "导出同步包"), name, bundle_filter())
        if chosen is None:
            return
        ctx, target = self.ctx, chosen

        def job(task: Task) -> Any:
            pairs = keyfiles.load(ctx.data_dir, ctx.passphrase)
            with ctx.store.read() as session:
                peer = peers.get(session, peer_id)
                assert peer is not None
                return export_bundle(
                    session, pairs, peer, target, task.progress, lambda: task.cancelled
                )

        task = ctx.io.start(
            job,
            lambda r: self._exported(peer_id, r),
            lambda e: self.bundle_result.setText(bundle_message(e)),
        )
        self.progress.emit(task)

    def _exported(self, peer_id: str, result: ExportResult) -> None:
        self.bundle_result.setText(
            tr("Sync", "已导出 %1 条变更到 %2")
            .replace("%1", str(result.changes))
            .replace("%2", str(result.path))
        )
        self.ctx.write(lambda s: note_export(s, peer_id, result), touches=frozenset({"sync"}))

    def _show_exchange(self, *_why: object) -> None:
        """上次交区总工会: when the last bundle for the chosen recipient was written, and when
        its last bundle (with its receipts) came back."""
        found = self.exchanges.get(self.recipient.currentData() or "")
        if found is None:
            self.exchange.clear()
            return
        peer, ex = found
        head = (
            tr("Sync", "上次交区总工会")
            if peer.role == Role.DISTRICT
            else tr("Sync", "上次交 %1").replace("%1", peer.name)
        )
        sent = (
            tr("Sync", "%1 导出 %2 条变更（%3）")
            .replace("%1", local_time(ex.exported_at))
            .replace("%2", str(ex.exported_changes))
            .replace("%3", ex.file_name)
            if ex.exported_at
            else tr("Sync", "从未导出")
        )
        receipt = (
            tr("Sync", "上次收到回执：%1").replace("%1", local_time(ex.receipt_at))
            if ex.receipt_at
            else tr("Sync", "尚未收到对方的同步包（回执）")
        )
        self.exchange.setText(f"{head}：{sent}\n{receipt}")

    def import_bundle(self) -> None:
        chosen = open_file(self, self.ctx.prefs, tr("Sync", "导入同步包"), bundle_filter())
        if chosen is not None:
            self._import(chosen, confirm=True)

    def _import(self, source: Path, confirm: bool) -> None:
        """Read ``source`` in a dry run, show what it holds and (with ``confirm``) ask before
        importing it for real; an untrusted sender is offered for trust."""
        ctx = self.ctx

        def job(task: Task, dry: bool) -> ImportReport:
            pairs = keyfiles.load(ctx.data_dir, ctx.passphrase)
            with ctx.store.write() as session:
                return import_bundle(
                    session,
                    pairs,
                    source,
                    dry_run=dry,
                    progress=task.progress,
                    cancelled=lambda: task.cancelled,
                )

        def failed(error: BaseException) -> None:
            if isinstance(error, BundleError) and error.code == "unknown_sender" and confirm:
                ctx.io.start(lambda _t: bundle_sender(source), self._offer_trust(source), None)
            self._import_failed(error)

        def preview(report: ImportReport) -> None:
            if report.already_imported_at is not None:
                self.bundle_result.setText(describe(report))
                return
            if (
                confirm
                and not ask.confirm(
                    self,
                    tr("Sync", "导入同步包"),
                    describe(report) + "\n\n" + tr("Sync", "确定导入？"),
                )
            ):
                return
            real = ctx.db.start(lambda t: job(t, False), self._imported, self._import_failed)
            self.progress.emit(real)

        task = ctx.db.start(lambda t: job(t, True), preview, failed)
        self.progress.emit(task)

    def _offer_trust(self, source: Path) -> Callable[[PublicKeyFile], None]:
        """After an import refused for an untrusted sender: show who signed the bundle and
        its fingerprint, and trust it here once the user has compared the fingerprint."""

        def offer(sender: PublicKeyFile) -> None:
            question = (
                tr("Sync", "同步包来自尚未信任的 %1（%2）。").replace("%1", sender.name)
                .replace("%2", label(sender.role, Role))
                + "\n\n"
                + tr("Sync", "密钥指纹：%1").replace(
                    "%1", keyfiles.display_fingerprint(sender.fingerprint)
                )
                + "\n\n"
                + tr("Sync", "请通过电话或当面与对方核对指纹，完全一致后再信任。信任并导入？")
            )
            if not ask.confirm(self, tr("Sync", "信任发送方"), question):
                return
            fingerprint = sender.fingerprint
            self.ctx.write(
                lambda s: trust_bundle_sender(s, source, fingerprint),
                lambda _peer: self._import(source, confirm=False),
                self._import_failed,
                frozenset({"peer"}),
            )

        return offer

    def _imported(self, report: ImportReport) -> None:
        self.bundle_result.setText(describe(report))
        self.ctx.changed.emit(frozenset({"*"}))

    def _import_failed(self, error: BaseException) -> None:
        self.bundle_result.setText(bundle_message(error))

    # ---- held changes -------------------------------------------------------------------

    def _held_box(self) -> QGroupBox:
        box = QGroupBox(tr("Sync", "因时钟异常被隔离的变更"))
        layout = QVBoxLayout(box)
        self.held = QListWidget()
        release_button = QPushButton(tr("Sync", "放行全部"))
        release_button.clicked.connect(self.release_all)
        layout.addWidget(self.held)
        layout.addWidget(release_button)
        return box

    def release_all(self) -> None:
        ids = [self.held.item(i).text().split()[0] for i in range(self.held.count())]
        if ids and ids[0] != tr("Sync", "（无）"):
            self.ctx.write(lambda s: release(s, ids))

    # ---- peers --------------------------------------------------------------------------

    def _peer_box(self) -> QGroupBox:
        box = QGroupBox(tr("Sync", "受信任的副本（区总工会、其他干部、服务器）"))
        layout = QVBoxLayout(box)
        self.peers = QTableWidget(0, 4)
        self.peers.setHorizontalHeaderLabels(
            [tr("Sync", "名称"), tr("Sync", "角色"), tr("Sync", "状态"), tr("Sync", "密钥指纹")]
        )
        self.peers.horizontalHeader().setStretchLastSection(True)
        self.peers.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        row = QHBoxLayout()
        trust = QPushButton(tr("Sync", "信任公钥文件…"))
        mine = QPushButton(tr("Sync", "导出本机公钥…"))
        self.fingerprint = QLabel()
        row.addWidget(trust)
        row.addWidget(mine)
        row.addStretch(1)
        row.addWidget(self.fingerprint)
        layout.addWidget(self.peers)
        layout.addLayout(row)
        trust.clicked.connect(self.trust)
        mine.clicked.connect(self.export_key)
        return box

    def trust(self) -> None:
        path = open_file(self, self.ctx.prefs, tr("Sync", "选择对方的公钥文件"), key_filter())
        if path is None:
            return
        try:
            identity = keyfiles.read_public(path.read_bytes())
        except (OSError, keyfiles.KeyFileError):
            ask.warn(
                self, tr("Sync", "无法信任"), tr("Sync", "这不是有效的基层公钥文件。")
            )
            return
        shown = keyfiles.display_fingerprint(identity.fingerprint)
        question = (
            tr("Sync", "请与 %1 当面或电话核对指纹：\n\n%2\n\n指纹一致吗？")
            .replace("%1", identity.name)
            .replace("%2", shown)
        )
        if ask.confirm(self, tr("Sync", "核对指纹"), question):
            self.ctx.write(lambda s: peers.trust(s, identity), lambda _p: self.refresh())

    def export_key(self) -> None:
        name = f"{safe_name(self.ctx.info.name)}.pub"
        chosen = save_file(self, self.ctx.prefs, tr("Sync", "导出本机公钥"), name, key_filter())
        if chosen is None:
            return
        ctx, target = self.ctx, chosen

        def job(_task: Task) -> Any:
            pairs = keyfiles.load(ctx.data_dir, ctx.passphrase)
            i = ctx.info
            identity = keyfiles.PublicKeyFile(
                i.replica_id, i.name, i.role, i.district_name, pairs.public
            )
            atomic.write_bytes(target, keyfiles.export_public(identity, pairs))
            return target

        ctx.io.start(
            job, lambda p: self.status.emit(tr("Sync", "已导出公钥：%1").replace("%1", str(p)))
        )

    # ---- refresh ------------------------------------------------------------------------

    def refresh(self, *_why: object) -> None:
        def gather(session: Any) -> dict[str, Any]:
            config = configured_server(session)
            return {
                "config": (config.server_url, config.last_sync_at, config.last_error)
                if config
                else None,
                "peers": peers.list_peers(session),
                "held": held_changes(session),
                "refused": refusals(session),
                "exchanges": {
                    p.replica_id: (p, last_exchange(session, p.replica_id))
                    for p in peers.list_peers(session)
                    if p.trusted and p.role != "server"
                },
            }

        self.ctx.read(gather, self._show)

    def _show(self, data: dict[str, Any]) -> None:
        self._show_refusals(data["refused"])
        config = data["config"]
        if config:
            url, last, _error = config
            self.server.setText(url)
            self.last.setText(f"{last:%Y-%m-%d %H:%M}" if last else tr("Sync", "从未"))
            # The error line is cleared by a successful sync (``_synced``), not here: a refresh
            # racing a failure must not wipe the message the failure just showed.
        current = self.recipient.currentData()
        self.exchanges = data["exchanges"]
        self.recipient.blockSignals(True)
        self.recipient.clear()
        self.peers.setRowCount(0)
        for p in data["peers"]:
            state = tr("Sync", "已撤销") if p.revoked_at else tr("Sync", "已信任")
            row = self.peers.rowCount()
            self.peers.insertRow(row)
            for col, text in enumerate(
                (p.name, role_label(p.role), state, keyfiles.display_fingerprint(p.fingerprint))
            ):
                self.peers.setItem(row, col, QTableWidgetItem(text))
            if p.trusted and p.role != "server":
                self.recipient.addItem(p.name, p.replica_id)
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(current)))
        self.recipient.blockSignals(False)
        self._show_exchange()
        self.held.clear()
        for h in data["held"]:
            self.held.addItem(f"{h.id}  {h.entity}  {h.clock_time:%Y-%m-%d %H:%M}")
        if not data["held"]:
            self.held.addItem(tr("Sync", "（无）"))
        if self.ctx.info.fingerprint:
            self.fingerprint.setText(
                tr("Sync", "本机指纹：%1").replace(
                    "%1", keyfiles.display_fingerprint(self.ctx.info.fingerprint)
                )
            )


def local_time(utc: datetime | None) -> str:
    """A stored UTC time as the cadre's clock shows it."""
    return f"{utc.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}" if utc else ""


def describe(report: ImportReport) -> str:
    """What a bundle holds (or held) in records a clerk counts — 诉求 415 件（新 1 件）、走访
    201 次 — then only the exceptions that need attention, then what the sender now has."""
    if report.already_imported_at is not None:
        return tr("Sync", "该同步包已于 %1 导入，没有任何改动").replace(
            "%1", f"{report.already_imported_at:%Y-%m-%d %H:%M}"
        )
    r = report.result
    counts = {entity: len(ids) for entity, ids in r.touched.items() if entity != "conflict"}
    held = records_phrase(counts, r.created) or tr("Sync", "没有本机尚无的内容")
    head = tr("Sync", "来自 %1。本包含：%2") if report.dry_run else tr("Sync", "已导入来自 %1 的：%2")
    lines = [head.replace("%1", report.sender_name).replace("%2", held)]
    notes = [
        (r.conflicts, tr("Sync", "并发修改 %1 处，待处理")),
        (r.pending, tr("Sync", "%1 条变更待其前序记录到达后生效")),
        (r.quarantined, tr("Sync", "%1 条变更因时钟异常被隔离")),
        (len(r.rejected), tr("Sync", "%1 条变更被拒收")),
    ]
    lines += [text.replace("%1", str(n)) for n, text in notes if n]
    return (
        "\n".join(lines)
        + "\n"
        + tr("Sync", "本机变更已送达对方 %1 条，仍仅在本机 %2 条")
        .replace("%1", str(report.delivered))
        .replace("%2", str(report.unsent))
    )
