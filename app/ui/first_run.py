"""First run: who is using this computer, for which district; optionally a server, the
district's public key, and demo data. Setting up runs off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.schemas.base import InputError
from app.schemas.enums import Role
from app.services.demo import DemoSpec, generate
from app.services.peers import PeerError, read_key_file, trust_key
from app.services.replica import DEFAULT_DISTRICT
from app.services.setup import initialise, join_server
from app.storage.store import Store, StoreError, open_store
from app.sync import keys as keyfiles
from app.sync.http import RetryPolicy, SyncError, Transport
from app.ui import ask
from app.ui import prefs as prefs_file
from app.ui.files import open_file
from app.ui.i18n import message, tr, tr_fmt
from app.ui.messages import PEER_MESSAGES, STORE_MESSAGES, SYNC_MESSAGES
from app.ui.tasks import Lane, Task

MIN_PASSPHRASE = 6


@dataclass(frozen=True)
class SetupRequest:
    folder: Path
    role: Role
    name: str
    district: str
    code: str | None
    passphrase: str
    server: str | None
    enroll_code: str | None
    key_file: Path | None
    demo: bool


def perform(request: SetupRequest, task: Task) -> Store:
    """Create the data folder and everything the user asked for; return the open store."""
    task.progress(0.05, tr("FirstRun", "正在创建加密数据文件…"))
    initialise(
        request.folder,
        request.passphrase,
        name=request.name,
        role=request.role,
        district=request.district or None,
        code=request.code,
    )
    store = open_store(request.folder, request.passphrase)
    if request.key_file is not None:
        identity = read_key_file(request.key_file)
        with store.write() as session:
            trust_key(session, identity)
    if request.server and request.enroll_code:
        task.progress(0.3, tr("FirstRun", "正在接入服务器…"))
        join_server(
            store,
            request.server,
            request.enroll_code,
            keyfiles.load(request.folder, request.passphrase).signing,
            Transport(request.server, retry=RetryPolicy(attempts=2)),
        )
    if request.demo:
        task.progress(0.5, tr("FirstRun", "正在生成演示数据…"))
        with store.write() as session:
            generate(session, DemoSpec(), progress=lambda f, _m: task.progress(0.5 + f / 2, ""))
    return store


class FirstRunDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("FirstRun", "首次设置"))
        self.folder = folder
        self.store: Store | None = None
        self.passphrase = ""
        self.lane = Lane(1)
        intro = QLabel(
            tr(
                "FirstRun",
                "基层是工会驻点干部的离线工作台账。数据加密保存在本机，"
                "联网时与市总工会服务器同步，也可用 U 盘同步包交给区总工会。",
            )
        )
        intro.setWordWrap(True)
        self.role = QComboBox()
        self.role.addItem(tr("FirstRun", "驻点干部"), Role.CADRE.value)
        self.role.addItem(tr("FirstRun", "区(县)总工会"), Role.DISTRICT.value)
        self.name = QLineEdit()
        self.name.setPlaceholderText(tr("FirstRun", "例如：张驻点"))
        self.district = QLineEdit()
        self.district.setPlaceholderText(tr("FirstRun", "例如：鼓楼区总工会"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("FirstRun", "诉求编号前缀，如 GL01（可不填）"))
        self.pass1 = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.pass2 = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.folder_label = QLabel(str(folder))
        change = QPushButton(tr("FirstRun", "更改…"))
        change.clicked.connect(self.change_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(change)
        basic = QGroupBox(tr("FirstRun", "基本信息"))
        form = QFormLayout(basic)
        form.addRow(tr("FirstRun", "角色"), self.role)
        form.addRow(tr("FirstRun", "姓名或单位*"), self.name)
        form.addRow(tr("FirstRun", "所属区(县)总工会"), self.district)
        form.addRow(tr("FirstRun", "编号前缀"), self.code)
        form.addRow(tr("FirstRun", "口令*"), self.pass1)
        form.addRow(tr("FirstRun", "再次输入口令*"), self.pass2)
        form.addRow(tr("FirstRun", "数据目录"), folder_row)
        online = QGroupBox(tr("FirstRun", "可选"))
        more = QFormLayout(online)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://jiceng.example.org")
        self.enroll_code = QLineEdit()
        self.enroll_code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.key_file = QLineEdit()
        self.key_file.setPlaceholderText(tr("FirstRun", "区总工会的公钥文件（.pub）"))
        browse = QPushButton(tr("FirstRun", "选择…"))
        browse.clicked.connect(self.choose_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_file, 1)
        key_row.addWidget(browse)
        self.demo = QCheckBox(tr("FirstRun", "生成演示数据（先熟悉程序，可随时删除数据目录重来）"))
        more.addRow(tr("FirstRun", "服务器地址"), self.server)
        more.addRow(tr("FirstRun", "接入码"), self.enroll_code)
        more.addRow(tr("FirstRun", "区总工会公钥"), key_row)
        more.addRow("", self.demo)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.step = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("FirstRun", "开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("FirstRun", "退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, basic, online, self.error, self.step, self.progress, self.buttons):
            layout.addWidget(w)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.resize(620, 640)

    def _role_changed(self) -> None:
        if self.role.currentData() == Role.DISTRICT.value and not self.district.text():
            self.district.setText(self.name.text())

    def change_folder(self) -> None:
        folder = ask.folder(self, tr("FirstRun", "选择数据目录"), self.folder)
        if folder is not None:
            self.folder = folder
            self.folder_label.setText(str(folder))

    def choose_key(self) -> None:
        """The district's key file, usually on the USB stick the last dialog looked at."""
        path = open_file(
            self,
            prefs_file.load(),
            tr("FirstRun", "选择公钥文件"),
            tr("FirstRun", "基层公钥文件 (*.pub *.json)"),
        )
        if path is not None:
            self.key_file.setText(str(path))

    def request(self) -> SetupRequest | None:
        problems = []
        if not self.name.text().strip():
            problems.append(tr("FirstRun", "请填写姓名或单位名称"))
        if len(self.pass1.text()) < MIN_PASSPHRASE:
            problems.append(tr("FirstRun", "口令至少 %n 个字符", None, MIN_PASSPHRASE))
        elif self.pass1.text() != self.pass2.text():
            problems.append(tr("FirstRun", "两次输入的口令不一致"))
        if bool(self.server.text().strip()) != bool(self.enroll_code.text().strip()):
            problems.append(tr("FirstRun", "服务器地址和接入码要一起填写"))
        key = self.key_file.text().strip()
        if key and not Path(key).is_file():
            problems.append(tr("FirstRun", "找不到公钥文件"))
        if problems:
            self.error.setText("；".join(problems))
            return None
        role = Role(self.role.currentData())
        district = self.district.text().strip() or (
            self.name.text().strip() if role == Role.DISTRICT else DEFAULT_DISTRICT
        )
        return SetupRequest(
            self.folder,
            role,
            self.name.text().strip(),
            district,
            self.code.text().strip().upper() or None,
            self.pass1.text(),
            self.server.text().strip() or None,
            self.enroll_code.text().strip() or None,
            Path(key) if key else None,
            self.demo.isChecked(),
        )

    def submit(self) -> None:
        request = self.request()
        if request is None:
            return
        self.error.clear()
        self.buttons.setEnabled(False)
        self.progress.show()
        self.passphrase = request.passphrase
        self.lane.start(lambda task: perform(request, task), self._done, self._failed, self._step)

    def _step(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        if message:
            self.step.setText(message)

    def _done(self, store: Any) -> None:
        self.store = store
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.progress.hide()
        self.step.clear()
        if isinstance(error, StoreError):
            text = message(STORE_MESSAGES, error.code, error.detail)
        elif isinstance(error, SyncError):
            text = message(SYNC_MESSAGES, error.code, error.detail)
            text = tr("FirstRun", "数据目录已建好，但接入服务器没有成功：") + text
        elif isinstance(error, InputError):
            text = str(error)
        elif isinstance(error, PeerError):
            text = tr_fmt(
                "FirstRun",
                "公钥文件无效：{reason}",
                reason=message(PEER_MESSAGES, error.code, error.detail),
            )
        else:
            text = f"{type(error).__name__}: {error}"
        self.error.setText(text)
