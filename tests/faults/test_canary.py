"""Canary: a worker's fake ID number, phone and hardship note go through a whole workflow —
forms' services, a crash, a bundle to the district office and its import, a masked workbook,
a backup and a restore (which keeps the replaced file) — and then every file the workflow
touched is searched for them in plain text."""

from __future__ import annotations

import os
import signal
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest

from app.schemas.ledger import AssistanceIn, WorkerIn
from app.schemas.validators import id_check_char
from app.services import workers
from app.services.reports import Period, Scope
from app.services.restore import restore
from app.services.workbook import export_workbook
from app.storage.backup import snapshot
from app.sync.bundle import export_bundle, import_bundle
from tests.helpers import (
    PASSPHRASE,
    MakeNode,
    add_enterprise,
    committed,
    start_saver,
    wait_for_saves,
)

ID = "11010519770707123" + id_check_char("11010519770707123")
PHONE = "13987650042"
NOTE = "金丝雀困难说明QX7"
CANARIES = (ID, PHONE, NOTE)
ENCODINGS = ("utf-8", "utf-16-le", "gb18030")


def plain_texts(path: Path) -> list[bytes]:
    """The bytes a reader of this file could see: the file itself, and for a workbook (a zip
    of XML) each member inflated."""
    data = path.read_bytes()
    out = [data]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            out.extend(z.read(name) for name in z.namelist())
    return out


def leaks(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        for blob in plain_texts(path):
            for canary in CANARIES:
                if any(canary.encode(e) in blob for e in ENCODINGS):
                    found.append(f"{path.relative_to(root)}: {canary}")
    return found


def test_personal_data_appears_nowhere_in_plain_text(
    make_node: MakeNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setenv("JICENG_CONFIG_DIR", str(tmp_path / "config"))
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", district="鼓楼区总工会")
    cadre.trusts(office)
    office.trusts(cadre)
    eid = add_enterprise(cadre.store)
    with cadre.write() as s:
        wid = workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=eid,
                name="金丝雀",
                id_number=ID,
                phone=PHONE,
                hardship_level="extreme",
                hardship_reason=NOTE,
            ),
        )
        workers.give_assistance(
            s,
            AssistanceIn(
                worker_id=wid,
                given_on=date.today(),
                kind="cash",
                amount="800",
                funding_source="union_funds",
            ),
        )
    log = tmp_path / "saves.log"
    proc = start_saver(cadre.store.data_dir, log)  # a crash in the middle of later work
    try:
        wait_for_saves(log, len(committed(log)), proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    bundle = tmp_path / "stick" / "to-district.jcb"
    bundle.parent.mkdir()
    with cadre.read() as s:
        export_bundle(s, cadre.keys, cadre.peer(office), bundle)
    with office.write() as s:
        import_bundle(s, office.keys, bundle)
    today = date.today()
    with office.read() as s:
        export_workbook(
            s, Period(today.replace(day=1), today), Scope(), tmp_path / "台账.xlsx", today=today
        )
    saved = snapshot(cadre.store.engine, cadre.store.data_dir / "backups" / "manual.db")
    cadre.store.close()  # as at the end of a day: WAL checkpointed into the encrypted file
    kept = restore(cadre.store.data_dir, saved, PASSPHRASE).kept  # the old file kept aside
    assert kept is not None and kept.exists()
    assert os.listdir(tmp_path / "stick") == ["to-district.jcb"]
    assert leaks(tmp_path) == []


def test_the_scan_would_see_a_leak(tmp_path: Path) -> None:
    """The scanner's own check: a workbook with the full ID number is caught."""
    with zipfile.ZipFile(tmp_path / "leak.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", f"<t>{ID}</t>")
    (tmp_path / "note.txt").write_text(NOTE, encoding="gb18030")
    assert sorted(leaks(tmp_path)) == [f"leak.xlsx: {ID}", f"note.txt: {NOTE}"]
