"""Small helpers for tests: moving changes between replicas, seeding records, dumping.

Shared helpers live in helper modules, never in a ``conftest.py`` or a test module
(tests/test_suite_layout.py): this one, tests/server_helpers.py (a live server),
tests/ui_helpers.py (the GUI tests') and tests/sheet_helpers.py (hand-built workbooks).
``conftest.py`` files hold the fixtures."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import orjson
import psycopg
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from nacl.signing import SigningKey
from sqlalchemy import text

from app.models import Replica, RowOwner
from app.schemas.enums import (
    AssistanceKind,
    FundingSource,
    IssueCategory,
    Role,
    Urgency,
    VisitKind,
)
from app.schemas.issues import IssueIn
from app.schemas.ledger import (
    AssistanceIn,
    EnterpriseIn,
    PracticeIn,
    VisitIn,
    WorkerIn,
    WorkshopIn,
)
from app.schemas.sync_api import DeviceRole
from app.schemas.validators import id_check_char
from app.services import enterprises, issues, visits, workers
from app.services.demo import DemoSpec, generate
from app.services.dump import dump_lines
from app.services.pick_lists import LIMIT
from app.services.replica import ReplicaInfo, init_replica, replica_info
from app.services.setup import join_server
from app.storage import atomic
from app.storage.store import Store, create_store, open_store
from app.sync import bundle as sync_bundle
from app.sync import enroll_proof, peers
from app.sync import keys as keyfiles
from app.sync.client import SyncReport, SyncRound, configured_server
from app.sync.http import RetryPolicy, Transport
from app.sync.keys import KeyPairs, PublicKeyFile
from app.sync.keys import generate as generate_keys
from app.sync.log import all_changes
from app.sync.merge import MergeResult, apply_changes
from app.sync.replica import ReplicaState

if TYPE_CHECKING:
    from tests.server_helpers import LiveServer

T = TypeVar("T")

# ---- test replicas (the fixtures in tests/conftest.py make them) ---------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PASSPHRASE = '测试口令 with spaces & "quotes"'

MakeReplica = Callable[..., Store]


SIGNING_KEYS: dict[str, SigningKey] = {}  # replica id → private signing key, of test replicas


@dataclass
class Node:
    """A replica with keys, as after ``jiceng init``: its store and its key pairs."""

    store: Store
    keys: KeyPairs
    info: ReplicaInfo

    def __post_init__(self) -> None:
        SIGNING_KEYS[self.info.replica_id] = self.keys.signing  # for tests.helpers.signing_of

    def read(self):  # type: ignore[no-untyped-def]  # so test helpers take a Node or a Store
        return self.store.read()

    def write(self):  # type: ignore[no-untyped-def]
        return self.store.write()

    def key_file(self) -> PublicKeyFile:
        i = self.info
        return PublicKeyFile(i.replica_id, i.name, i.role, i.district_name, self.keys.public)

    def trusts(self, *others: Node) -> None:
        with self.store.write() as s:
            for other in others:
                peers.trust(s, other.key_file())

    def peer(self, other: Node) -> peers.PeerInfo:
        with self.store.read() as s:
            found = peers.get(s, other.info.replica_id)
        assert found is not None
        return found


MakeNode = Callable[..., Node]


class MemoryKeyring(KeyringBackend):
    """A keyring backend living in this process, for the tests (this machine has no Secret
    Service). It goes through keyring's own backend interface, as the OS ones do."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)




def cadre_template(folder: Path, fill: Callable[[Store], T]) -> tuple[KeyPairs, T]:
    """A cadre's data folder as after ``jiceng init`` (张驻点 of 鼓楼区总工会, keys saved),
    filled once by ``fill`` for a module's tests to copy with ``copy_node``: building a large
    ledger per test would cost minutes."""
    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        init_replica(s, name="张驻点", role=Role.CADRE, district="鼓楼区总工会")
    pairs = give_keys(store)
    made = fill(store)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    keyfiles.save(folder, pairs, PASSPHRASE)
    return pairs, made


def copy_node(template: Path, keys: KeyPairs, folder: Path) -> Node:
    """A test's own copy of a ``cadre_template`` folder, opened (the caller closes it)."""
    shutil.copytree(template, folder)
    store = open_store(folder, PASSPHRASE)
    with store.read() as s:
        info = replica_info(s)
    return Node(store, keys, info)


def changes_of(store: Store) -> list[dict[str, Any]]:
    with store.read() as s:
        return all_changes(s)


def pushable(store: Store) -> list[dict[str, Any]]:
    """The changes a replica pushes to a server: all but its (server-owned) district rows."""
    return [c for c in changes_of(store) if c["entity"] != "district"]


def replica_of(store: Store) -> tuple[str, str | None]:
    """A replica's id and signing key (hex), as it enrolls with them."""

    with store.read() as s:
        row = s.get(Replica, 1)
        assert row is not None
        return row.replica_id, row.sign_public


def signing_of(target: Store | Node) -> SigningKey:
    """The private signing key of a replica, to enroll and sync as it. A ``Node`` has its
    pairs; a plain ``make_replica`` store gets a signing key here on first use (set on its
    replica row, as ``jiceng init`` would)."""
    if isinstance(target, Node):
        return target.keys.signing
    with target.write() as s:
        row = s.get(Replica, 1)
        assert row is not None
        if row.sign_public is None:
            key = SigningKey.generate()
            row.sign_public = key.verify_key.encode().hex()
            SIGNING_KEYS[row.replica_id] = key
        assert row.replica_id in SIGNING_KEYS, "a store keyed outside make_node or signing_of"
        return SIGNING_KEYS[row.replica_id]


def give_keys(store: Store) -> KeyPairs:
    """New key pairs for a replica: its public keys on its replica row (as ``jiceng init``
    sets them) and its signing key where ``signing_of`` finds it. No key file is saved
    (deriving the file's key costs a noticeable moment per replica): ``with_key_file``."""
    pairs = generate_keys()
    with store.write() as s:
        row = s.get(Replica, 1)
        assert row is not None
        row.sign_public, row.enc_public = pairs.public.sign_hex, pairs.public.enc_hex
        SIGNING_KEYS[row.replica_id] = pairs.signing
    return pairs


def with_key_file(store: Store) -> KeyPairs:
    """Give a ``make_replica`` store key pairs and a saved key file, as ``jiceng init`` does,
    for tests that run the CLI on its folder (``enroll`` and ``sync`` read the key file)."""
    pairs = give_keys(store)
    keyfiles.save(store.data_dir, pairs, PASSPHRASE)
    return pairs


def enroll_body(
    code: str,
    replica_id: str | None = None,
    *,
    name: str = "张驻点",
    role: str = "cadre",
    signing: SigningKey | None = None,
) -> dict[str, Any]:
    """An enrollment request as the client sends it: signed with ``signing`` (a fresh key
    unless given) over the code, the replica id and the key."""
    replica_id = replica_id or secrets.token_hex(8)
    sign_public, key_proof = enroll_proof.sign(signing or SigningKey.generate(), code, replica_id)
    return {
        "code": code,
        "replica_id": replica_id,
        "name": name,
        "role": role,
        "sign_public": sign_public,
        "key_proof": key_proof,
    }


def deliver(store: Store, changes: list[dict[str, Any]], **kw: Any) -> MergeResult:
    with store.write() as s:
        return apply_changes(s, changes, state=ReplicaState.load(s), **kw)


def sync_pair(a: Store, b: Store) -> None:
    deliver(b, changes_of(a))
    deliver(a, changes_of(b))


def dump(store: Store) -> list[str]:
    with store.read() as s:
        return list(dump_lines(s))


def dump_of(folder: Path) -> list[str]:
    """Open a data folder as the next start would (leftovers cleaned), check its integrity,
    and dump it."""

    store = open_store(folder, PASSPHRASE)
    try:
        with store.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return dump(store)
    finally:
        store.close()


def demo_ledger(folder: Path, seed: int) -> Store:
    """A new cadre's data folder with a 1,500-case demo ledger, for the kill -9 tests."""

    store = create_store(folder, PASSPHRASE)
    with store.write() as s:
        init_replica(s, name="张驻点", role=Role.CADRE, district="鼓楼区总工会")
        generate(s, DemoSpec(enterprises=4, workers=400, visits=200, issues=1500, seed=seed))
    return store


def add_enterprise(store: Store, name: str = "南京宏达精密机械有限公司") -> str:
    with store.write() as s:
        return enterprises.create_enterprise(s, EnterpriseIn(name=name, headcount=120))


def add_worker(store: Store, enterprise_id: str, name: str = "李小红") -> str:
    with store.write() as s:
        return workers.create_worker(
            s, WorkerIn(enterprise_id=enterprise_id, name=name, phone="13812345678")
        )


def add_issue(
    store: Store, enterprise_id: str, title: str = "反映工资拖欠三个月", **kw: Any
) -> str:
    data = {
        "enterprise_id": enterprise_id,
        "title": title,
        "description": kw.pop("description", "职工反映所在车间工资拖欠三个月未发"),
        "category": kw.pop("category", IssueCategory.WAGES),
        "urgency": kw.pop("urgency", Urgency.NORMAL),
        "received_on": kw.pop("received_on", date.today()),
        **kw,
    }
    with store.write() as s:
        return issues.open_issue(s, IssueIn(**data))


def add_visit(store: Store, enterprise_id: str, **kw: Any) -> str:
    data = {
        "enterprise_id": enterprise_id,
        "visited_on": kw.pop("visited_on", date.today()),
        "kind": kw.pop("kind", VisitKind.SURVEY),
        "summary": kw.pop("summary", "到一车间了解职工工资发放情况"),
        **kw,
    }
    with store.write() as s:
        return visits.record_visit(s, VisitIn(**data))


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A one-sheet workbook with ``rows``, as a district office would receive it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def id_with(region: str, born: date) -> str:
    """A valid ID number of someone born on ``born`` in ``region`` (its check character
    computed), for the region-code warnings."""
    body = f"{region}{born:%Y%m%d}123"
    return body + id_check_char(body)


# ---- the command line, run as a user runs it (tests/cli and the backup and restore tests) ----


def jiceng(
    *args: str, passphrase: str | None = PASSPHRASE, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JICENG_PASSPHRASE"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the machine's
    if passphrase is not None:
        env["JICENG_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


# ---- bundles and key files on disk (tests/services/test_bundles.py, the CLI and GUI tests) ----


def bundle_for(sender: Node, receiver: Node, out: Path) -> Path:
    """A case written on ``sender`` and a bundle of it for ``receiver`` at ``out`` (the sender
    trusts the receiver's key file first; the receiver is left as it was)."""
    from app.services.bundles import export_bundle

    sender.trusts(receiver)
    add_issue(sender.store, add_enterprise(sender.store))
    with sender.store.read() as s:
        export_bundle(s, sender.keys, receiver.info.replica_id, out)
    return out


def export(src: Node, dst: Node, path: Path) -> Path:
    """``src``'s bundle for ``dst`` at ``path``, as ``app.sync.bundle`` exports it (``src``
    trusts ``dst``'s key already)."""
    with src.store.read() as s:
        sync_bundle.export_bundle(s, src.keys, src.peer(dst), path)
    return path


def imp(node: Node, path: Path, **kw: object) -> sync_bundle.ImportReport:
    """Import the bundle at ``path`` into ``node`` (``dry_run=True`` and the like in ``kw``)."""
    with node.store.write() as s:
        return sync_bundle.import_bundle(s, node.keys, path, **kw)  # type: ignore[arg-type]


def write_key_file(node: Node, path: Path) -> Path:
    """``node``'s public key file, as 导出本机公钥 writes it."""
    atomic.write_bytes(path, keyfiles.export_public(node.key_file(), node.keys))
    return path


def save_keys(node: Node) -> Path:
    """``node``'s private key file in its data folder, as ``jiceng init`` leaves it (for the
    CLI and the desktop app, which read it); returns the data folder."""
    keyfiles.save(node.store.data_dir, node.keys, PASSPHRASE)
    return node.store.data_dir


def hold_far_future_edit(source: Store, target: Store) -> str:
    """Deliver to ``target`` an edit of ``source``'s last enterprise change stamped three
    hours ahead: quarantined there. Returns its id (``origin:counter``)."""
    from app.sync.hlc import Timestamp, wall_ms

    last = [c for c in changes_of(source) if c["entity"] == "enterprise"][-1]
    with target.read() as s:
        clocks = orjson.loads(
            s.execute(text("SELECT clocks FROM enterprise WHERE id = :id"), {"id": last["row_id"]})
            .scalar_one()
        )
    future = Timestamp(wall_ms() + 3 * 3_600_000, 0, last["origin"]).encode()
    edit = {
        **last,
        "counter": 10_000,
        "fields": {"headcount": 7},
        "hlc": future,
        "base_hlc": max(clocks.values()),
    }
    held = deliver(target, [edit])
    assert held.quarantined == 1
    return f"{edit['origin']}:{edit['counter']}"


# ---- a ledger larger than one page of every pick list -------------------------------------


@dataclass(frozen=True)
class PickListLedger:
    """What ``pick_list_ledger`` made: the crowded enterprise, and rows whose stored
    references all lie beyond the first page of their pick lists."""

    enterprise_id: str  # sorted last of all enterprises, with more workshops and workers than
    # one pick-list page
    deleted_workshop_id: str  # a workshop deleted after a case referred to it


def pick_list_ledger(store: Store, over: int = 10) -> PickListLedger:
    """More enterprises, workshops of one enterprise and workers of one enterprise than
    ``pick_lists.LIMIT``; every visit, case, assistance and practice refers to rows that sort
    after the first page, so a pick list that held only its first page would lose them."""
    n = LIMIT + over
    with store.write() as s:
        eids = [
            enterprises.create_enterprise(
                s, EnterpriseIn(name=f"企业{i:03d}号有限公司", headcount=50 + i)
            )
            for i in range(n)
        ]
        crowded = eids[-1]
        shops = [
            enterprises.create_workshop(
                s, WorkshopIn(enterprise_id=crowded, name=f"车间{i:03d}", headcount=10)
            )
            for i in range(n)
        ]
        staff = [
            workers.create_worker(
                s,
                WorkerIn(
                    enterprise_id=crowded,
                    workshop_id=shops[-1 - i % over],
                    name=f"职工{i:03d}",
                    phone=f"139{i:08d}",
                    member=i % 2 == 0,
                ),
            )
            for i in range(n + 50)
        ]
        late = staff[n:]  # names after the first page
        gone = enterprises.create_workshop(s, WorkshopIn(enterprise_id=crowded, name="车间撤销"))
        for i in range(over):
            visits.record_visit(
                s,
                VisitIn(
                    enterprise_id=crowded,
                    workshop_id=shops[-1 - i],
                    visited_on=date.today() - timedelta(days=i),
                    kind=VisitKind.TALK,
                    summary=f"到车间与职工谈心第{i}次",
                    people_count=3,
                    worker_ids=(late[i], late[i + 1]),
                    workshop_ids=(shops[-2 - i],),
                ),
            )
            issues.open_issue(
                s,
                IssueIn(
                    enterprise_id=crowded,
                    workshop_id=gone if i == 0 else shops[-1 - i],
                    worker_id=late[i],
                    title=f"反映加班费未足额发放第{i}件",
                    description="班组职工反映加班费按最低工资计算",
                    category=IssueCategory.WAGES,
                    received_on=date.today() - timedelta(days=i),
                    confidential=i == 1,
                ),
            )
            workers.give_assistance(
                s,
                AssistanceIn(
                    worker_id=late[i],
                    given_on=date.today() - timedelta(days=i),
                    kind=AssistanceKind.CASH,
                    amount=Decimal(500 + i),
                    funding_source=FundingSource.UNION_FUNDS,
                ),
            )
            visits.add_practice(
                s,
                PracticeIn(
                    enterprise_id=eids[-2 - i],
                    title=f"班前十分钟谈心第{i}条",
                    content="每天班前由班组长与职工谈心十分钟",
                    collected_on=date.today() - timedelta(days=i),
                ),
            )
        enterprises.delete_workshop(s, gone)
    return PickListLedger(crowded, gone)


# ---- a process saving to be killed (tests/faults: the kill -9 and canary tests) -----------

ROOT = Path(__file__).resolve().parents[1]  # the repository
SAVER = Path(__file__).with_name("faults") / "saver_child.py"


def start_saver(folder: Path, log: Path) -> subprocess.Popen[bytes]:
    """tests/faults/saver_child.py, saving into ``folder`` and logging each save to ``log``
    once it has committed."""
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(SAVER), str(folder), str(log)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def committed(log: Path) -> set[str]:
    """The saves the saver has reported committed so far."""
    if not log.exists():
        return set()
    return {line for line in log.read_text("utf-8").splitlines() if line}


def wait_for_saves(log: Path, before: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the child has saved at least once more (bounded), so kills land mid-work."""
    deadline = time.monotonic() + 30
    while len(committed(log)) <= before:
        if proc.poll() is not None:
            raise AssertionError(f"the saver stopped: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        if time.monotonic() > deadline:
            raise AssertionError("the saver made no progress in 30 s")
        time.sleep(0.01)


# ---- talking to a running server (tests/server_helpers.py's LiveServer) --------------------

FAST = RetryPolicy(attempts=3, sleep=lambda _s: None)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def enroll(
    server: LiveServer,
    district: str | None = None,
    replica_id: str | None = None,
    store: Store | Node | None = None,
    role: DeviceRole = "cadre",
) -> str:
    """A device token over raw HTTP, from a code of ``role`` (the role the device then
    declares too); with ``store``, enrolled as that replica (its id and key), else as a
    fresh replica id with a fresh key."""
    signing = None
    if store is not None:
        replica_id, signing = replica_of(_store(store))[0], signing_of(store)
    body = enroll_body(server.code(district, role=role), replica_id, role=role, signing=signing)
    reply = httpx.post(f"{server.url}/api/v1/enroll", json=body)
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert answer["protocol"] == "jiceng-sync/1" and answer["district_name"]
    return str(answer["token"])


def push(server: LiveServer, token: str, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    reply = httpx.post(
        f"{server.url}/api/v1/sync/push", json={"changes": changes}, headers=auth(token), timeout=60
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]  # type: ignore[no-any-return]


def pull_all(server: LiveServer, token: str) -> list[dict[str, Any]]:
    got, cursor = [], 0
    for _ in range(1000):
        reply = httpx.get(
            f"{server.url}/api/v1/sync/pull",
            params={"after": cursor, "limit": 200},
            headers=auth(token),
        ).json()
        got += reply["changes"]
        cursor = reply["next"]
        if not reply["more"]:
            return got
    raise AssertionError("pull did not end")


def join(server: LiveServer, store: Store | Node) -> None:
    """Enroll a replica as the app does (``join_server``, signed with its key), with a
    code of its role, as the administrator would make it."""
    signing = signing_of(store)
    with _store(store).read() as s:
        role: DeviceRole = "district" if ReplicaState.load(s).role == "district" else "cadre"
    code = server.code(role=role)
    join_server(_store(store), server.url, code, signing, Transport(server.url, retry=FAST))


def sync(
    store: Store | Node, url: str | None = None, attempts: int = 3, *, signed: bool = True
) -> SyncReport:
    """One sync round as the app runs it (its own changes signed, unless not ``signed``),
    optionally via ``url``."""
    plain = _store(store)
    with plain.read() as s:
        config = configured_server(s)
        assert config is not None
    transport = Transport(
        url or config.server_url,
        config.token,
        retry=RetryPolicy(attempts=attempts, sleep=lambda _s: None),
        timeout=5,
    )
    try:
        signing = signing_of(store) if signed else None
        return SyncRound(plain, transport=transport, signing=signing).run()
    finally:
        transport.close()


def move_owner(server: LiveServer, row_id: str, district_id: str) -> None:
    """Hand an enterprise to another district on the server, as an administrator would."""
    with server.session() as s, s.begin():
        owner = s.get(RowOwner, ("enterprise", row_id))
        if owner is None:
            s.add(RowOwner(entity="enterprise", row_id=row_id, district_id=district_id))
        else:
            owner.district_id = district_id


def _store(target: Store | Node) -> Store:
    return target.store if isinstance(target, Node) else target


# ---- PostgreSQL (the pg_database fixture in tests/conftest.py) ----------------------------

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{db}"


def postgres_available() -> str | None:
    """None if PostgreSQL answers, else why not."""
    try:
        with psycopg.connect(PG_ADMIN) as conn:
            conn.execute("SELECT 1")
        return None
    except psycopg.Error as err:
        return f"PostgreSQL on 127.0.0.1:5432 is not reachable ({type(err).__name__})"


def require_postgres() -> None:
    problem = postgres_available()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}; with CI=true the PostgreSQL tests must run")
    pytest.skip(f"{problem}; CI runs these")
