"""A PNG of every screen, with demo data, rendered offscreen: ``make screenshots``.

Builds a throw-away data folder with the demo ledger, opens the real main window and visits
each page (and the case detail, a form and the first-run dialog), waiting for the database
lane to go quiet before each picture; the selected case's printed form (its first PDF page)
is shot too. Writes to ``build/screenshots/`` (``--out`` to change)
in Chinese, and with ``--language en`` in English.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QWidget

from app.schemas.enums import Role
from app.services.case_form import case_form
from app.services.demo import DemoSpec, generate
from app.services.setup import initialise
from app.storage.store import Store, open_store
from app.ui import i18n, style
from app.ui.case_pdf import write_case_pdf
from app.ui.context import AppContext
from app.ui.first_run import FirstRunDialog
from app.ui.fonts import apply_app_font, available_cjk_family
from app.ui.forms import editors
from app.ui.main_window import MainWindow
from app.ui.offscreen import use_virtual_screen
from app.ui.prefs import Prefs

use_virtual_screen(1366, 768)  # the laptop cadres use, so the window is shot as they see it

PASSPHRASE = "screenshots only"


def settle(ctx: AppContext, seconds: float = 0.6) -> None:
    """Let queued reads finish and their results paint (bounded)."""
    deadline = time.monotonic() + 20
    end = time.monotonic() + seconds
    while time.monotonic() < max(end, deadline if ctx.db.running else end):
        QCoreApplication.processEvents()
        time.sleep(0.02)
        if time.monotonic() >= end and not ctx.db.running and not ctx.io.running:
            break


def shoot(widget: QWidget, out: Path, name: str) -> Path:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def shoot_form(store: Store, issue_id: str, pdf: Path, out: Path, name: str) -> Path:
    """The first page of a case's printed form, at 2 pixels a point, on white paper."""
    with store.read() as session:
        form = case_form(session, issue_id)
    write_case_pdf(form, pdf)
    document = QPdfDocument()
    document.load(str(pdf))
    size = document.pagePointSize(0)
    page = document.render(0, QSize(round(size.width() * 2), round(size.height() * 2)))
    paper = QImage(page.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, page)
    painter.end()
    document.close()
    path = out / f"{name}.png"
    paper.save(str(path))
    print(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.language == "zh_CN" else f"-{args.language}"
    app = QApplication(sys.argv[:1])
    if apply_app_font(app) is None:
        print("warning: no CJK font installed (Debian: apt install fonts-noto-cjk)")
    i18n.install(app, args.language)
    style.apply(app)
    print(f"font: {available_cjk_family()}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        initialise(folder, PASSPHRASE, name="张驻点", role=Role.CADRE, district="鼓楼区总工会")
        store = open_store(folder, PASSPHRASE)
        with store.write() as session:
            generate(session, DemoSpec())
        ctx = AppContext(store, folder, Prefs(language=args.language), PASSPHRASE)
        window = MainWindow(ctx, auto_sync=False)
        window.place()
        for key in window.pages:
            window.go(key)
            settle(ctx)
            if key == "reports":
                page = window.pages["reports"]
                page.preset.setCurrentIndex(page.preset.findData("this_year"))  # type: ignore[attr-defined]
                settle(ctx)
            if key == "issues":
                page = window.pages["issues"]
                page.table.selectRow(2)  # type: ignore[attr-defined]
                settle(ctx)
            shoot(window, out, f"{key}{suffix}")
            if key == "issues" and page.detail.issue_id:  # type: ignore[attr-defined]
                issue_id = page.detail.issue_id  # type: ignore[attr-defined]
                shoot_form(store, issue_id, Path(tmp) / "form.pdf", out, f"case-form{suffix}")
        window.go("issues")
        dialog = editors.new_dialog(ctx, "issue", window)
        dialog.show()
        settle(ctx)
        dialog.submit()  # an empty form: the inline messages
        settle(ctx)
        shoot(dialog, out, f"form{suffix}")
        dialog.reject()
        first = FirstRunDialog(Path(tmp) / "new")
        first.show()
        settle(ctx, 0.2)
        shoot(first, out, f"first-run{suffix}")
        first.reject()
        window.online.stop()
        window.close()
        ctx.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
