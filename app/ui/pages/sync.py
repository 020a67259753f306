"""数据同步: the server connection, USB-stick bundles, trusted replicas, held changes.

Network and file work runs on the I/O lane, database work on the database lane; long jobs
report progress to the window's progress bar and can be cancelled (the import rolls back).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.schemas.enums import Role
from app.services.bundles import (
    QUIET_DAYS,
    Exported,
    ImportReport,
    Preview,
    Recipient,
    UnknownSender,
    bundle_files,
    export_bundle,
    held_changes,
    import_bundle,
    preview_bundle,
    quiet_cadres,
    recipients,
    record_export,
    release_held,
    trust_bundle_sender,
)
from app.services.files import default_name, safe_name
from app.services.peers import (
    PeerError,
    PeerInfo,
    PublicKeyFile,
    display_fingerprint,
    export_own_key,
    key_to_trust,
    list_peers,
    peer_state,
    revoke_peer,
    trust_key,
)
from app.services.setup import join_server
from app.sync.client import Refusals, configured_server, forget_refusals, refusals
from app.sync.http import RetryPolicy, Transport
from app.ui import ask
from app.ui.context import AppContext
from app.ui.files import open_file, save_file, start_folder
from app.ui.i18n import changes_phrase, fill, label, message, records_phrase, tr, tr_fmt
from app.ui.messages import BUNDLE_MESSAGES, PEER_MESSAGES, SYNC_MESSAGES, local_time
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
    """A refusal of the bundle or peer services, in the words the command line uses too."""
    code, detail = getattr(error, "code", ""), getattr(error, "detail", "")
    if code == "cancelled":
        return tr("Sync", "已取消，本机数据没有改动")
    table = PEER_MESSAGES if isinstance(error, PeerError) else BUNDLE_MESSAGES
    return message(table, code, detail) if code in table else str(error)


def state_label(peer: PeerInfo) -> str:
    return {
        "trusted": tr("Sync", "已信任"),
        "revoked": tr("Sync", "已撤销"),
        "untrusted": tr("Sync", "未信任"),
    }[peer_state(peer)]


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
        # Changes the server holds because this laptop's clock ran ahead: not delivered yet.
        self.server_held = QLabel()
        self.server_held.setStyleSheet("color: #b45309;")
        self.server_held.setWordWrap(True)
        form.addRow(tr("Sync", "服务器暂存"), self.server_held)
        form.setRowVisible(self.server_held, False)
        self.server_form = form
        form.addRow(buttons)
        self.sync_button.clicked.connect(self.sync_now)
        enroll.clicked.connect(self.enroll)
        return box

    def resend_refused(self) -> None:
        """Send refused changes again on the next sync (after the administrator has fixed what
        the server objected to), and sync now."""
        self.ctx.write(forget_refusals, lambda _n: self.sync_now())

    def _show_refusals(self, found: Refusals) -> None:
        self.server_form.setRowVisible(self.refused_row, found.count > 0)
        self.refused.setText(
            tr_fmt(
                "Sync",
                "{count} 条变更被服务器拒收，没有进入服务器：{reason}",
                count=found.count,
                reason=found.first_reason,
            )
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
        self.status.emit(tr_fmt("Sync", "已接入，所属 {district}", district=joined.district_name))
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
        imports = QHBoxLayout()
        imports.addWidget(imp)
        many = QPushButton(tr("Sync", "导入文件夹中的全部同步包…"))
        many.setObjectName("import-folder")
        many.clicked.connect(self.import_folder)
        imports.addWidget(many)
        layout.addLayout(imports)
        self.quiet = QLabel()
        self.quiet.setWordWrap(True)
        self.quiet.setObjectName("quiet-cadres")
        self.quiet.setStyleSheet("color: #92400e;")
        self.quiet.hide()
        layout.addWidget(self.quiet)
        self.exchange = QLabel()
        self.exchange.setWordWrap(True)
        self.exchange.setObjectName("exchange")
        layout.addWidget(self.exchange)
        self.exchanges: dict[str, Recipient] = {}
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

        def job(task: Task) -> Exported:
            keys = ctx.keys()
            with ctx.store.read() as session:
                return export_bundle(
                    session, keys, peer_id, target, task.progress, lambda: task.cancelled
                )

        task = ctx.io.start(
            job,
            self._exported,
            lambda e: self.bundle_result.setText(bundle_message(e)),
        )
        self.progress.emit(task)

    def _exported(self, result: Exported) -> None:
        self.bundle_result.setText(
            tr_fmt("Sync", "已导出 {count} 条变更到 {path}", count=result.changes, path=result.path)
        )
        self.ctx.write(lambda s: record_export(s, result))

    def _show_exchange(self, *_why: object) -> None:
        """上次交区总工会: when the last bundle for the chosen recipient was written, and when
        its last bundle (with its receipts) came back."""
        found = self.exchanges.get(self.recipient.currentData() or "")
        if found is None:
            self.exchange.clear()
            return
        peer, ex = found.peer, found.exchange
        head = (
            tr("Sync", "上次交区总工会")
            if peer.role == Role.DISTRICT
            else tr_fmt("Sync", "上次交 {peer}", peer=peer.name)
        )
        sent = (
            tr_fmt(
                "Sync",
                "{time} 导出 {count} 条变更（{file}）",
                time=local_time(ex.exported_at),
                count=ex.exported_changes,
                file=ex.file_name,
            )
            if ex.exported_at
            else tr("Sync", "从未导出")
        )
        receipt = (
            tr_fmt("Sync", "上次收到回执：{time}", time=local_time(ex.receipt_at))
            if ex.receipt_at
            else tr("Sync", "尚未收到对方的同步包（回执）")
        )
        self.exchange.setText(f"{head}：{sent}\n{receipt}")

    def import_bundle(self) -> None:
        chosen = open_file(self, self.ctx.prefs, tr("Sync", "导入同步包"), bundle_filter())
        if chosen is not None:
            self._preview(chosen)

    def _preview(self, source: Path) -> None:
        """Check ``source`` and show what its manifest says it holds (nothing is merged for
        that), ask, then import it; an untrusted sender is offered for trust."""
        ctx = self.ctx

        def previewed(found: Preview) -> None:
            if found.already_imported_at is not None:
                self.bundle_result.setText(already_imported(found.already_imported_at))
                return
            question = describe_preview(found) + "\n\n" + tr("Sync", "确定导入？")
            if ask.confirm(self, tr("Sync", "导入同步包"), question):
                self._import(source)

        def failed(error: BaseException) -> None:
            self._import_failed(error)
            if isinstance(error, UnknownSender) and error.sender is not None:
                self._offer_trust(source, error.sender)

        task = ctx.read(lambda s: preview_bundle(s, ctx.keys(), source), previewed, failed)
        self.progress.emit(task)

    def import_folder(self) -> None:
        """导入文件夹中的全部同步包: a stick from several cadres, each bundle imported in its
        own transaction, oldest first; a bundle that cannot be imported is listed with why
        (an untrusted sender's: import it alone to trust it) and the others still import."""
        chosen = ask.folder(
            self, tr("Sync", "选择存放同步包的文件夹"), start_folder(self.ctx.prefs)
        )
        if chosen is None:
            return
        self.ctx.io.start(
            lambda _task: bundle_files([chosen]),
            lambda files: self._import_many(chosen, files),
            self._import_failed,
        )

    def _import_many(self, folder: Path, files: list[Path]) -> None:
        if not files:
            self.bundle_result.setText(tr("Sync", "该文件夹中没有同步包（*.jcb）"))
            return
        question = tr_fmt(
            "Sync",
            "导入 {folder} 中的 {count} 个同步包？每个同步包单独导入，无法导入的会列出原因。",
            folder=folder.name or str(folder),
            count=len(files),
        )
        if not ask.confirm(self, tr("Sync", "导入同步包"), question):
            return
        ctx = self.ctx
        lines: list[tuple[bool, str]] = []
        left = [len(files)]

        def one(path: Path) -> Callable[[Session, Task], ImportReport]:
            def job(session: Session, task: Task) -> ImportReport:
                return import_bundle(
                    session, ctx.keys(), path, progress=task.progress,
                    cancelled=lambda: task.cancelled,
                )  # fmt: skip

            return job

        def imported(path: Path) -> Callable[[ImportReport], None]:
            return lambda report: finished(path, describe(report), False)

        def refused(path: Path) -> Callable[[BaseException], None]:
            return lambda error: finished(path, bundle_message(error), True)

        def finished(path: Path, text: str, refused: bool) -> None:
            lines.append((refused, f"{path.name}：{text}"))
            left[0] -= 1
            if left[0] == 0:
                bad = sum(r for r, _ in lines)
                head = tr_fmt(
                    "Sync",
                    "共 {count} 个同步包：导入 {done} 个，未能导入 {refused} 个",
                    count=len(files),
                    done=len(files) - bad,
                    refused=bad,
                )
                self.bundle_result.setText("\n".join([head, *(t for _r, t in lines)]))
                self.refresh()

        for path in files:  # the database lane runs them in this order, one after another
            task = ctx.write_task(one(path), imported(path), refused(path))
            self.progress.emit(task)

    def _import(self, source: Path) -> None:
        """Import ``source`` for real, in one transaction on the database lane (cancelling
        rolls it back)."""
        ctx = self.ctx

        def job(session: Session, task: Task) -> ImportReport:
            keys = ctx.keys()  # read by the preview already: cached, quick
            return import_bundle(
                session, keys, source, progress=task.progress, cancelled=lambda: task.cancelled
            )

        self.progress.emit(ctx.write_task(job, self._imported, self._import_failed))

    def _offer_trust(self, source: Path, sender: PublicKeyFile) -> None:
        """After a bundle refused for an untrusted sender: show who signed it and its
        fingerprint, and trust it here (then import) once the user has compared the
        fingerprint."""
        question = (
            tr_fmt(
                "Sync",
                "同步包来自尚未信任的 {sender}（{role}）。",
                sender=sender.name,
                role=label(sender.role, Role),
            )
            + "\n\n"
            + tr_fmt(
                "Sync",
                "密钥指纹：{fingerprint}",
                fingerprint=display_fingerprint(sender.fingerprint),
            )
            + "\n\n"
            + tr("Sync", "请通过电话或当面与对方核对指纹，完全一致后再信任。信任并导入？")
        )
        if not ask.confirm(self, tr("Sync", "信任发送方"), question):
            return
        fingerprint = sender.fingerprint
        self.ctx.write(
            lambda s: trust_bundle_sender(s, source, fingerprint),
            lambda _peer: self._import(source),
            self._import_failed,
        )

    def _imported(self, report: ImportReport) -> None:
        self.bundle_result.setText(describe(report))

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
        """放行全部: the held changes on the list (the ones the user saw)."""
        items = (self.held.item(i) for i in range(self.held.count()))
        ids = [item.data(Qt.ItemDataRole.UserRole) for item in items]
        ids = [change_id for change_id in ids if change_id]
        if ids:
            self.ctx.write(lambda s: release_held(s, ids))

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
        self.peers.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.peers.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        row = QHBoxLayout()
        trust = QPushButton(tr("Sync", "信任公钥文件…"))
        self.revoke_button = QPushButton(tr("Sync", "撤销信任…"))
        self.revoke_button.setEnabled(False)
        mine = QPushButton(tr("Sync", "导出本机公钥…"))
        self.fingerprint = QLabel()
        row.addWidget(trust)
        row.addWidget(self.revoke_button)
        row.addWidget(mine)
        row.addStretch(1)
        row.addWidget(self.fingerprint)
        layout.addWidget(self.peers)
        layout.addLayout(row)
        trust.clicked.connect(self.trust)
        self.revoke_button.clicked.connect(self.revoke)
        mine.clicked.connect(self.export_key)
        self.peers.itemSelectionChanged.connect(self._selected_peer)
        self.known: dict[str, PeerInfo] = {}
        return box

    def trust(self) -> None:
        path = open_file(self, self.ctx.prefs, tr("Sync", "选择对方的公钥文件"), key_filter())
        if path is not None:
            self.ctx.read(lambda s: key_to_trust(s, path), self._compare, self._untrusted)

    def _compare(self, identity: PublicKeyFile) -> None:
        """The key file checked out: trust it once the user says the fingerprints match."""
        question = (
            tr_fmt(
                "Sync",
                "请与 {peer} 当面或电话核对指纹：\n\n{fingerprint}\n\n指纹一致吗？",
                peer=identity.name,
                fingerprint=display_fingerprint(identity.fingerprint),
            )
        )
        if ask.confirm(self, tr("Sync", "核对指纹"), question):
            self.ctx.write(
                lambda s: trust_key(s, identity),
                lambda _p: self.refresh(),
                self._untrusted,
            )

    def _untrusted(self, error: BaseException) -> None:
        ask.warn(self, tr("Sync", "无法信任"), bundle_message(error))

    def selected_peer(self) -> PeerInfo | None:
        rows = self.peers.selectionModel().selectedRows()
        item = self.peers.item(rows[0].row(), 0) if rows else None
        return self.known.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _selected_peer(self) -> None:
        peer = self.selected_peer()
        self.revoke_button.setEnabled(peer is not None and peer.revoked_at is None)

    def revoke(self) -> None:
        """撤销信任: the chosen peer's bundles are refused from now on."""
        peer = self.selected_peer()
        if peer is None or peer.revoked_at is not None:
            return
        question = tr_fmt(
            "Sync",
            "撤销对 {peer} 的信任？\n\n此后它的同步包将被拒绝；要再次信任，需要它的公钥文件。",
            peer=peer.name,
        )
        if not ask.confirm(self, tr("Sync", "撤销信任"), question):
            return
        replica_id = peer.replica_id
        self.ctx.write(
            lambda s: revoke_peer(s, replica_id),
            lambda p: self.status.emit(tr_fmt("Sync", "已撤销对 {peer} 的信任", peer=p.name)),
            lambda e: ask.warn(self, tr("Sync", "无法撤销"), bundle_message(e)),
        )

    def export_key(self) -> None:
        name = f"{safe_name(self.ctx.info.name)}.pub"
        chosen = save_file(self, self.ctx.prefs, tr("Sync", "导出本机公钥"), name, key_filter())
        if chosen is None:
            return
        ctx, target = self.ctx, chosen

        def job(_task: Task) -> Any:
            keys = ctx.keys()
            with ctx.store.read() as session:
                return export_own_key(session, keys, target)

        ctx.io.start(
            job,
            lambda done: self.status.emit(
                tr_fmt("Sync", "已导出公钥：{path}", path=done.path)
            ),
            lambda e: self.status.emit(bundle_message(e)),
        )

    # ---- refresh ------------------------------------------------------------------------

    def refresh(self, *_why: object) -> None:
        def gather(session: Any) -> dict[str, Any]:
            config = configured_server(session)
            return {
                "config": (config.server_url, config.last_sync_at, config.server_held)
                if config
                else None,
                "peers": list_peers(session),
                "held": held_changes(session),
                "refused": refusals(session),
                "recipients": recipients(session),
                "quiet": quiet_cadres(session, datetime.now(UTC).replace(tzinfo=None))
                if self.ctx.info.role == "district"
                else [],
            }

        self.ctx.read(gather, self._show)

    def _show_quiet(self, quiet: list[tuple[PeerInfo, datetime | None]]) -> None:
        """A district office: the trusted cadres nothing came from for two weeks."""
        names = [
            tr_fmt("Sync", "{name}（上次 {date}）", name=p.name, date=f"{at:%m-%d}")
            if at
            else tr_fmt("Sync", "{name}（从未收到）", name=p.name)
            for p, at in quiet
        ]
        self.quiet.setText(
            tr_fmt("Sync", "{days} 天内未收到同步包：{names}", days=QUIET_DAYS, names="、".join(names))
        )
        self.quiet.setVisible(bool(names))

    def _show_server_held(self, count: int) -> None:
        self.server_held.setText(
            tr_fmt(
                "Sync",
                "{count} 条变更因本机时钟超前被服务器暂存，尚未送达：请校正本机时间；"
                "服务器时间追上后会自动放行",
                count=count,
            )
        )
        self.server_form.setRowVisible(self.server_held, count > 0)

    def _show(self, data: dict[str, Any]) -> None:
        self._show_refusals(data["refused"])
        config = data["config"]
        if config:
            url, last, server_held = config
            self.server.setText(url)
            self.last.setText(f"{last:%Y-%m-%d %H:%M}" if last else tr("Sync", "从未"))
            self._show_server_held(server_held)
            # The error line is cleared by a successful sync (``_synced``), not here: a refresh
            # racing a failure must not wipe the message the failure just showed.
        current = self.recipient.currentData()
        self.exchanges = {r.peer.replica_id: r for r in data["recipients"]}
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for r in data["recipients"]:
            self.recipient.addItem(r.peer.name, r.peer.replica_id)
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(current)))
        self.recipient.blockSignals(False)
        self._show_exchange()
        self._show_quiet(data["quiet"])
        self.known = {p.replica_id: p for p in data["peers"]}
        chosen = self.selected_peer()
        self.peers.setRowCount(0)
        for p in data["peers"]:
            row = self.peers.rowCount()
            self.peers.insertRow(row)
            texts = (p.name, role_label(p.role), state_label(p), display_fingerprint(p.fingerprint))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.replica_id)
                self.peers.setItem(row, col, item)
            if chosen is not None and p.replica_id == chosen.replica_id:
                self.peers.selectRow(row)
        self._selected_peer()
        self.held.clear()
        for h in data["held"]:
            line = QListWidgetItem(f"{h.id}  {h.entity}  {h.clock_time:%Y-%m-%d %H:%M}")
            line.setData(Qt.ItemDataRole.UserRole, h.id)
            self.held.addItem(line)
        if not data["held"]:
            self.held.addItem(tr("Sync", "（无）"))
        if self.ctx.info.fingerprint:
            self.fingerprint.setText(
                tr_fmt(
                    "Sync",
                    "本机指纹：{fingerprint}",
                    fingerprint=display_fingerprint(self.ctx.info.fingerprint),
                )
            )


def already_imported(at: datetime) -> str:
    return tr_fmt("Sync", "该同步包已于 {time} 导入，没有任何改动", time=local_time(at))


def delivered(sent: int, unsent: int) -> str:
    return tr_fmt(
        "Sync", "本机变更已送达对方 {sent} 条，仍仅在本机 {unsent} 条", sent=sent, unsent=unsent
    )


def describe_preview(found: Preview) -> str:
    """What a bundle holds by its manifest, before it is imported — 5 条变更：诉求 3 条、企业
    2 条, how many of them are not here yet — then what the sender will have of ours."""
    if found.changes:
        head = (
            tr_fmt(
                "Sync",
                "来自 {sender}。本包含 {count} 条变更：{kinds}",
                sender=found.sender_name,
                count=found.changes,
                kinds=changes_phrase(found.by_entity),
            )
        )
    else:
        head = tr_fmt("Sync", "来自 {sender}。本包只有对方的回执，不含变更", sender=found.sender_name)
    lines = [head]
    if found.changes:
        lines.append(
            tr_fmt("Sync", "其中本机尚无的 {count} 条", count=found.new_changes)
            if found.new_changes
            else tr("Sync", "没有本机尚无的内容")
        )
    lines.append(delivered(found.delivered, found.unsent))
    return "\n".join(lines)


def describe(report: ImportReport) -> str:
    """What an import brought in records a clerk counts — 诉求 415 件（新 1 件）、走访 201 次 —
    then only the exceptions that need attention, then what the sender now has."""
    if report.already_imported_at is not None:
        return already_imported(report.already_imported_at)
    r = report.result
    counts = {entity: len(ids) for entity, ids in r.touched.items() if entity != "conflict"}
    held = records_phrase(counts, r.created) or tr("Sync", "没有本机尚无的内容")
    head = tr_fmt("Sync", "已导入来自 {sender} 的：{records}", sender=report.sender_name, records=held)
    lines = [head]
    notes = [
        (r.conflicts, tr("Sync", "并发修改 {count} 处，待处理")),
        (r.pending, tr("Sync", "{count} 条变更待其前序记录到达后生效")),
        (r.quarantined, tr("Sync", "{count} 条变更因时钟异常被隔离")),
        (len(r.rejected), tr("Sync", "{count} 条变更被拒收")),
    ]
    lines += [fill(text, count=n) for n, text in notes if n]
    return "\n".join(lines) + "\n" + delivered(report.delivered, report.unsent)
