"""Starting the desktop app: font, language, style; unlock or first-run; the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.storage import keychain
from app.storage.lock import FolderInUse, FolderLock
from app.storage.store import Store, StoreError, open_store
from app.ui import ask, i18n, style
from app.ui import prefs as prefs_file
from app.ui.context import AppContext
from app.ui.first_run import FirstRunDialog
from app.ui.fonts import apply_app_font
from app.ui.main_window import MainWindow
from app.ui.messages import STORE_MESSAGES
from app.ui.tasks import Lane, keep_gc_pauses_short


class UnlockDialog(QDialog):
    """Ask for the passphrase and open the data file (key derivation and any pending
    migration run on a worker thread, so the window stays alive).

    Where the OS has a keyring, a checkbox offers to remember the passphrase there, and a
    remembered one is tried first; asking the keyring also happens on the worker thread (a
    Secret Service that does not answer must not freeze the window)."""

    def __init__(
        self, folder: Path, parent: QWidget | None = None, lock: FolderLock | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.lock = lock  # the one-app-per-folder lock, moved along when the folder changes
        self.store: Store | None = None
        self.passphrase = ""
        self.lane = Lane(1)
        self.keyring_lane = Lane(1)  # a keyring that never answers must not hold up opening
        self.remembered: str | None = None  # what the keyring holds for this folder
        self.setWindowTitle(i18n.tr("Unlock", "打开数据"))
        self.field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText(i18n.tr("Unlock", "口令"))
        self.keep = QCheckBox(i18n.tr("Unlock", "在本机系统钥匙串中记住口令"))
        self.keep.hide()  # shown once the keyring is known to exist
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(i18n.tr("Unlock", "打开"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            i18n.tr("Unlock", "退出")
        )
        self.other = self.buttons.addButton(
            i18n.tr("Unlock", "打开其他数据目录…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.other.clicked.connect(self.choose_folder)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self._show_folder()
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.field)
        layout.addWidget(self.keep)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, 180)

    def _show_folder(self) -> None:
        self.where.setText(i18n.tr_fmt("Unlock", "数据目录：{folder}", folder=self.folder))

    def choose_folder(self) -> bool:
        """Open another data folder instead (another office's ledger, a copy on a USB stick),
        one the user picks. Refused in words when it holds no data file or another window has
        it open; True once the dialog is on the new folder."""
        folder = ask.folder(self, i18n.tr("Unlock", "选择数据目录"), self.folder.parent)
        if folder is None:
            return False
        if not paths.db_path(folder).exists():
            self.error.setText(
                i18n.tr_fmt("Unlock", "{folder} 中没有基层数据文件", folder=folder)
            )
            return False
        try:
            lock = FolderLock(folder).acquire() if self.lock is not None else None
        except FolderInUse:
            self.error.setText(i18n.message(STORE_MESSAGES, "in_use", str(folder)))
            return False
        if self.lock is not None:
            self.lock.release()
        self.lock, self.folder = lock, folder
        self.remembered, self.passphrase = None, ""
        self.error.clear()
        self.field.clear()
        self._show_folder()
        self.try_keychain()
        return True

    def try_keychain(self) -> None:
        """Ask the keyring (off the GUI thread) and open with what it remembers, if any.
        Typing stays possible meanwhile; a passphrase typed first wins."""
        folder = self.folder
        self.keyring_lane.start(
            lambda _t: (keychain.available(), keychain.recall(folder)),
            self._keychain_answered,
            None,
        )

    def _keychain_answered(self, answer: tuple[bool, str | None]) -> None:
        available, remembered = answer
        self.keep.setVisible(available)
        self.remembered = remembered
        self.keep.setChecked(remembered is not None)
        if remembered and not self.passphrase and self.store is None:
            self.submit(remembered)

    def submit(self, passphrase: str | None = None) -> None:
        self.passphrase = passphrase if passphrase is not None else self.field.text()
        if not self.passphrase:
            self.error.setText(i18n.tr("Unlock", "请输入口令"))
            return
        self.buttons.setEnabled(False)
        self.error.setText(i18n.tr("Unlock", "正在打开…"))
        chosen, folder = self.passphrase, self.folder
        keep = not self.keep.isHidden() and self.keep.isChecked()
        forget = self.remembered is not None and not keep
        from_keyring = chosen == self.remembered

        def open_and_remember(_t: object) -> Store:
            try:
                store = open_store(folder, chosen)
            except StoreError as err:
                if err.code == "wrong_passphrase" and from_keyring:
                    keychain.forget(folder)  # it no longer opens the file: ask instead
                raise
            if keep:
                keychain.remember(folder, chosen)
            elif forget:
                keychain.forget(folder)
            return store

        self.lane.start(open_and_remember, self._opened, self._failed)

    def _opened(self, store: Store) -> None:
        self.store = store
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        stale = isinstance(error, StoreError) and error.code == "wrong_passphrase"
        if stale and self.passphrase == self.remembered:
            self.remembered = None  # the task forgot it
        self.passphrase = ""
        if isinstance(error, StoreError):
            self.error.setText(i18n.message(STORE_MESSAGES, error.code, error.detail))
        else:
            self.error.setText(f"{type(error).__name__}: {error}")
        self.field.selectAll()
        self.field.setFocus()


# The installed translators, held for as long as the process runs.
_translators: list[QTranslator] = []


def setup_application(argv: list[str] | None = None) -> tuple[QApplication, prefs_file.Prefs]:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("jiceng")
    app.setApplicationDisplayName(i18n.tr("Main", "基层"))
    prefs = prefs_file.load()
    apply_app_font(app)
    _translators[:] = i18n.install(app, prefs.language)
    style.apply(app)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    return app, prefs


def open_window(
    folder: Path,
    prefs: prefs_file.Prefs,
    auto_sync: bool = True,
    *,
    explicit: bool = False,
    lock: FolderLock | None = None,
) -> tuple[MainWindow | None, FolderLock | None]:
    """Unlock or set up ``folder``, then build the main window (None if the user gave up),
    with the folder lock now held (the unlock window may have moved to another folder).

    The folder becomes the default for the next start only when the user chose it here: a
    folder given once with ``--data-dir`` (``explicit``) must not silently replace it."""
    if paths.db_path(folder).exists():
        unlock = UnlockDialog(folder, lock=lock)
        preset = os.environ.get("JICENG_PASSPHRASE")
        if preset:
            unlock.submit(preset)  # scripted start (screenshots, benchmarks): no prompt
        else:
            unlock.try_keychain()
        dialog: UnlockDialog | FirstRunDialog = unlock
    else:
        dialog = FirstRunDialog(folder)
    accepted = dialog.exec()
    lock = getattr(dialog, "lock", lock)
    if not accepted or dialog.store is None:
        return None, lock
    if not explicit or dialog.folder != folder:
        prefs.data_dir = str(dialog.folder)
        prefs_file.save(prefs)
    ctx = AppContext(dialog.store, dialog.folder, prefs, dialog.passphrase)
    return MainWindow(ctx, auto_sync=auto_sync), lock


def run_app(data_dir: str | None) -> int:
    app, prefs = setup_application()
    folder = paths.resolve_data_dir(data_dir or prefs.data_dir)
    lock: FolderLock | None
    try:  # one app per data folder; held until the process ends
        lock = FolderLock(folder).acquire()
    except FolderInUse:
        text = i18n.message(STORE_MESSAGES, "in_use", str(folder))
        ask.warn(None, i18n.tr("Main", "基层"), text)
        return 1
    window, lock = open_window(folder, prefs, explicit=data_dir is not None, lock=lock)
    if window is None:
        if lock is not None:
            lock.release()
        return 0
    window.place()
    keep_gc_pauses_short()
    code = app.exec()
    window.ctx.shutdown()
    if lock is not None:
        lock.release()
    return int(code)
