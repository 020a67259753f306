"""``jiceng print issue NUMBER``: the printed per-case form, as a real PDF file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.schemas.enums import IssueStatus
from app.schemas.issues import NoteIn, TransitionIn
from app.schemas.ledger import WorkerIn
from app.services import issues, workers
from app.services.case_form import case_form
from app.storage.store import open_store
from tests.helpers import PASSPHRASE, add_enterprise, add_issue, jiceng

ID_NUMBER = "11010519491231002X"
READ_WITH_QT = """
import sys
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
app = QGuiApplication([])
document = QPdfDocument()
document.load(sys.argv[1])
print(document.pageCount())
for n in range(document.pageCount()):
    print(document.getAllText(n).text())
"""


def pdf_pages_and_text(path: Path) -> tuple[int, str]:
    """Poppler's ``pdfinfo``/``pdftotext`` where installed, else Qt's own PDF reader."""
    if shutil.which("pdftotext") and shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return pages, text
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", READ_WITH_QT, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    first, _, rest = out.partition("\n")
    return int(first), rest


def make_cases(data: Path) -> tuple[str, str]:
    """A handled case with a named, reachable complainant, and a confidential one."""
    with open_store(data, PASSPHRASE) as store:
        eid = add_enterprise(store)
        with store.write() as s:
            wid = workers.create_worker(
                s,
                WorkerIn(
                    enterprise_id=eid, name="李小红", phone="13812345678", id_number=ID_NUMBER
                ),
            )
            hidden = workers.create_worker(
                s, WorkerIn(enterprise_id=eid, name="王秘密", phone="13900001111")
            )
        open_id = add_issue(store, eid, worker_id=wid, assignee="张驻点")
        secret_id = add_issue(
            store, eid, title="反映班组长打击报复", worker_id=hidden, confidential=True
        )
        with store.write() as s:
            issues.transition(s, open_id, TransitionIn(to_status=IssueStatus.ACCEPTED))
            for n in range(60):  # enough to continue the timeline on further pages
                issues.add_note(
                    s, open_id, NoteIn(text=f"第{n + 1}次与企业人事部门沟通补发工资事宜")
                )
        with store.read() as s:
            return case_form(s, open_id).number, case_form(s, secret_id).number


def test_print_issue_writes_the_form(data: Path, tmp_path: Path) -> None:
    number, secret = make_cases(data)
    out = tmp_path / "登记表.pdf"
    done = jiceng("print", "issue", number, "--data-dir", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert number in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_mode & 0o777 == 0o600
    pages, text = pdf_pages_and_text(out)
    assert pages >= 2  # 60 notes do not fit one page
    flat = re.sub(r"\s+", "", text)
    assert flat.count(number) >= pages  # every page names its case
    for shown in ("职工诉求登记表", "诉求办理单", "反映工资拖欠三个月", "李小红", "138****5678"):
        assert shown in flat, shown
    assert "第60次与企业人事部门沟通补发工资事宜" in flat
    assert f"共{pages}页" in flat
    assert "13812345678" not in flat and ID_NUMBER not in flat

    hidden = tmp_path / "保密.pdf"
    done = jiceng("print", "issue", secret, "--data-dir", str(data), "--out", str(hidden))
    assert done.returncode == 0, done.stderr
    pages, text = pdf_pages_and_text(hidden)
    flat = re.sub(r"\s+", "", text)
    assert pages == 1 and secret in flat and "反映班组长打击报复" in flat
    assert "（保密）" in flat
    assert "王秘密" not in flat and "1111" not in flat


def test_print_issue_refuses_an_unknown_number(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    done = jiceng("print", "issue", "GL01-2099-9999", "--data-dir", str(data), "--out", str(out))
    assert done.returncode == 1
    assert "找不到编号为 GL01-2099-9999 的诉求" in done.stderr
    assert not out.exists()
    wrong = jiceng("print", "issue", "GL01-2099-9999", "--data-dir", str(data), "--out", "x.txt")
    assert wrong.returncode == 1 and "--out 应为 .pdf 文件" in wrong.stderr
