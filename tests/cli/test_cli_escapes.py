"""No name from data reaches the terminal raw (``app.cli.common.shown``).

Every command that lists or reports names is run on data holding hostile ones — an ESC
sequence that clears the screen, BEL, a right-to-left override, CR and LF that would forge
lines, a C1 CSI — and nothing it writes to stdout or stderr may carry a control or format
character other than the program's own line ends and tab separators.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.cli import main as cli_main
from app.cli.common import shown, shown_json
from app.ids import uuid7
from app.models import Device
from app.schemas.enums import Role
from app.server import admin
from app.server.db import prepare, server_engine, writer
from app.sync.writer import utc_now
from tests.helpers import PASSPHRASE, MakeNode, add_enterprise, save_keys

# What a hostile peer, device or spreadsheet might call itself.
HOSTILE = "坏\x1b[2J\x1b]0;标题\x07\u202e名\r伪造\n行\t列\x9b31m\u2066尾\u200b"
ESCAPED = "\\x1b[2J"  # how its first escape must look once printed
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def raw(text: str) -> list[str]:
    """The characters in ``text`` a terminal would act on (our own line ends and tabs aside)."""
    return [ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in UNSAFE]


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """``jiceng argv`` in this process; fails when anything raw reached stdout or stderr."""
    try:
        code = cli_main(list(argv))
    except SystemExit as usage:  # argparse refuses a bad value before any command runs
        code = int(usage.code or 0)
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not raw(stream), (argv, raw(stream), stream)
    return Run(code, captured.out, captured.err)


def set_column(folder: Path, table: str, column: str, value: str, where: str = "1 = 1") -> None:
    """Write ``value`` straight into the data file, past every service's validation, as a
    hostile peer's data or an older version's might hold it."""
    from app.storage.store import open_store

    store = open_store(folder, PASSPHRASE)
    try:
        with store.write() as session:
            session.execute(text(f"UPDATE {table} SET {column} = :v WHERE {where}"), {"v": value})
    finally:
        store.close()


def test_shown_escapes_every_control_and_format_character() -> None:
    assert shown("张驻点 (鼓楼)　一") == "张驻点 (鼓楼)　一"  # names as people write them
    assert shown(HOSTILE) == (
        "坏\\x1b[2J\\x1b]0;标题\\x07\\u202e名\\r伪造\\n行\\t列\\x9b31m\\u2066尾\\u200b"
    )
    for ch in ("\x00", "\x7f", "\x85", "\u061c", "\u202a", "\u2069", "\u2028", "\ufeff", "\ud800"):
        assert not raw(shown(f"a{ch}b")), repr(ch)
    assert shown(Path("/tmp/a\x1bb")) == "/tmp/a\\x1bb"


def test_shown_json_is_the_same_json_and_safe() -> None:
    import orjson

    value = {"name": HOSTILE + "\U000e0001", "n": [1, 2]}
    document = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    assert raw(document)  # orjson alone leaves C1 and format characters raw
    safe = shown_json(document)
    assert not raw(safe) and json.loads(safe) == value


@pytest.fixture
def ledgers(make_node: MakeNode, tmp_path: Path) -> tuple[Path, Path, str, str]:
    """A cadre and its district office, trusting each other, each knowing the other and
    itself by a hostile name; the cadre holds an enterprise with one."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office = make_node("鼓楼区总工会", role=Role.DISTRICT, district="鼓楼区总工会")
    cadre.trusts(office)
    office.trusts(cadre)
    enterprise = add_enterprise(cadre.store)
    folders = (save_keys(cadre), save_keys(office))
    ids = (cadre.info.replica_id, office.info.replica_id)
    cadre.store.close()
    office.store.close()
    for folder in folders:
        set_column(folder, "replica", "name", HOSTILE)
        set_column(folder, "peer", "name", HOSTILE)
    set_column(folders[0], "enterprise", "name", HOSTILE, f"id = '{enterprise}'")
    return folders[0], folders[1], ids[0], ids[1]


def test_ledger_peer_and_bundle_commands_escape_names(
    ledgers: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cadre, office, cadre_id, office_id = ledgers
    listed = run(capsys, "peers", "list", "--data-dir", str(cadre))
    assert listed.code == 0 and ESCAPED in listed.out
    assert [len(line.split("\t")) for line in listed.out.splitlines()] == [5]  # no forged column

    assert run(capsys, "stats", "--data-dir", str(cadre)).code == 0
    figures = run(capsys, "stats", "--data-dir", str(cadre), "--json")
    assert json.loads(figures.out)["entities"]
    dumped = run(capsys, "dump", "--data-dir", str(cadre))
    rows = [json.loads(line) for line in dumped.out.splitlines()]
    assert HOSTILE in [r["fields"].get("name") for r in rows]  # escaped, and still the same JSON

    hostile_path = str(tmp_path / f"包{HOSTILE}.jcb")
    typed = run(
        capsys,
        "bundle",
        "export",
        "--data-dir",
        str(cadre),
        "--to",
        office_id,
        "--out",
        hostile_path,
    )
    assert typed.code == 2 and "--out" in typed.err  # a path argument is refused, escaped
    bundle = tmp_path / "包.jcb"
    exported = run(
        capsys,
        "bundle",
        "export",
        "--data-dir",
        str(cadre),
        "--to",
        office_id,
        "--out",
        str(bundle),
    )
    assert exported.code == 0 and exported.out.count(ESCAPED) == 1  # the recipient
    inspected = run(capsys, "bundle", "inspect", str(bundle))
    assert inspected.code == 0 and ESCAPED in inspected.out
    manifest: dict[str, Any] = json.loads(
        run(capsys, "bundle", "inspect", str(bundle), "--json").out
    )
    assert manifest["sender"]["name"] == HOSTILE

    trial = run(capsys, "bundle", "import", "--data-dir", str(office), str(bundle), "--dry-run")
    assert trial.code == 0 and ESCAPED in trial.out
    done = run(capsys, "bundle", "import", "--data-dir", str(office), str(bundle))
    assert done.code == 0 and ESCAPED in done.out

    elsewhere = str(tmp_path / "x.jcb")
    refused = run(
        capsys,
        "bundle",
        "export",
        "--data-dir",
        str(cadre),
        "--to",
        f"无{HOSTILE}",
        "--out",
        elsewhere,
    )
    assert refused.code == 2 and "--to" in refused.err  # names as arguments are refused
    backup = run(capsys, "backup", "--data-dir", str(cadre), "--out", str(tmp_path / HOSTILE))
    assert backup.code == 2 and "--out" in backup.err
    revoked = run(capsys, "peers", "revoke", "--data-dir", str(office), cadre_id)
    assert revoked.code == 0 and ESCAPED in revoked.out


def test_server_admin_commands_escape_device_and_district_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "server"
    admin_args = ("server", "admin", "--data-dir", str(folder))
    assert run(capsys, *admin_args, "add-district", "鼓楼区总工会").code == 0
    run(capsys, *admin_args, "add-district", HOSTILE)  # taken or refused: shown either way
    unknown = run(capsys, *admin_args, "enroll-code", "--district", f"无{HOSTILE}")
    assert unknown.code == 2 and "--district" in unknown.err

    engine = server_engine(None, folder, PASSPHRASE)
    prepare(engine)
    with Session(writer(engine)) as s, s.begin():
        district_id, _ = admin.add_district(s, "玄武区总工会")
        device_id = uuid7()
        s.add(
            Device(
                id=device_id,
                district_id=district_id,
                replica_id="00112233445566ff",
                name=HOSTILE,
                role=f"district{HOSTILE}",  # what an older server stored from a body
                token_hash="00" * 32,
                enrolled_at=utc_now(),
            )
        )
        s.execute(
            text("UPDATE district SET name = :v WHERE id = :i"), {"v": HOSTILE, "i": district_id}
        )
    engine.dispose()

    listed = run(capsys, *admin_args, "devices")
    assert listed.code == 0 and listed.out.count(ESCAPED) == 3  # name, role, district
    assert [len(line.split("\t")) for line in listed.out.splitlines()] == [6]
    revoked = run(capsys, *admin_args, "revoke", device_id)
    assert revoked.code == 0 and ESCAPED in revoked.out


def test_what_a_server_answers_is_escaped(
    make_node: MakeNode, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server (or whatever answers in its place) names the district, the device and the
    reasons for refusals: all of it is shown escaped."""
    from app.services import setup
    from app.sync import client
    from app.sync.client import SyncReport
    from app.sync.http import SyncError

    folder = str(save_keys(make_node("张驻点")))

    def joined(*_args: object, **_kw: object) -> setup.Joined:
        return setup.Joined(HOSTILE, HOSTILE, 3)

    monkeypatch.setattr(setup, "join_server", joined)
    enrolled = run(capsys, "enroll", "--data-dir", folder, "--server", "http://x", "--code", "AB")
    assert enrolled.code == 0 and enrolled.out.count(ESCAPED) == 3

    @dataclass
    class Config:
        server_url: str = "http://127.0.0.1:9"
        token: str = "t"

    class Round:
        outcome: SyncReport | SyncError = SyncReport(rejected=[(HOSTILE, HOSTILE)])

        def __init__(self, *_args: object, **_kw: object) -> None:
            pass

        def run(self) -> SyncReport:
            if isinstance(self.outcome, SyncError):
                raise self.outcome
            return self.outcome

    monkeypatch.setattr(client, "configured_server", lambda _session: Config())
    monkeypatch.setattr(client, "SyncRound", Round)
    rejected = run(capsys, "sync", "--data-dir", folder)
    assert rejected.code == 1 and rejected.out.count(ESCAPED) == 2
    Round.outcome = SyncError("refused", HOSTILE, 400)
    refused = run(capsys, "sync", "--data-dir", folder)
    assert refused.code == 1 and ESCAPED in refused.err
