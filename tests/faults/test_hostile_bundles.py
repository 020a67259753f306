"""Hostile and damaged bundles (fault suite, item 6): whatever arrives on a USB stick is
refused before any write, with the specific reason, leaving the ledger as it was, no
plaintext in temporary folders, and memory bounded.

Damage from outside (bit flips, cuts, appended bytes, swapped parts) is caught by the
signature and the signed digest. Forgeries made with a trusted sender's own key (a buggy or
hostile sender) get past the signature, so they test the reader's own checks: lying sizes,
counts and ranges, foreign fields, and decompression bombs.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.models import ChangeLog, ImportedBundle
from app.schemas.enums import Role
from app.storage.store import Store
from app.sync import bundle_format as fmt
from app.sync import keys as keyfiles
from app.sync import peers
from app.sync.bundle import export_bundle, import_bundle
from app.sync.bundle_format import MAGIC, BundleError, BundleWriter
from app.sync.keys import KeyPairs
from app.ui.messages import BUNDLE_MESSAGES
from tests.child_memory import jiceng_measured
from tests.helpers import PASSPHRASE, MakeNode, Node, add_enterprise, add_issue, dump

TAIL = len(fmt.END) + 64 + 4  # manifest length, signature, end marker
OUTSIDE = {"not_a_bundle", "truncated", "damaged", "bad_signature", "digest_mismatch"}
HEADER_FLIP = OUTSIDE | {"unknown_sender", "sender_key_mismatch", "not_for_me", "newer_format"}
_READS = {"SELECT", "PRAGMA", "WITH", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


@pytest.fixture
def scene(make_node: MakeNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A cadre with 30 cases and a bundle of them for the district office, a second cadre
    the office also trusts; every temporary file goes to a scratch folder we can inspect."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    a, b = make_node("张驻点"), make_node("李驻点")
    d = make_node("鼓楼区总工会", role=Role.DISTRICT)
    d.trusts(a, b)
    a.trusts(d)
    b.trusts(d)
    eid = add_enterprise(a.store)
    for i in range(30):
        add_issue(a.store, eid, title=f"反映工资拖欠{i}")
    good = export(a, d, tmp_path / "good.jcb")
    yield a, b, d, good
    assert list(scratch.iterdir()) == [], "plaintext or temporaries left behind"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def export(src: Node, dst: Node, path: Path) -> Path:
    with src.store.read() as s:
        export_bundle(s, src.keys, src.peer(dst), path)
    return path


@contextmanager
def watch_writes(store: Store) -> Iterator[list[str]]:
    """Every statement that would change the file, as it is sent to SQLite."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().split(None, 1)[0].upper() not in _READS:
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)


def attempt(node: Node, data: bytes | Path, folder: Path, **kw: Any) -> BundleError:
    """Import ``data``; it must be refused with a documented code before any write."""
    path = data if isinstance(data, Path) else folder / "attempt.jcb"
    if not isinstance(data, Path):
        path.write_bytes(data)
    with (
        watch_writes(node.store) as writes,
        pytest.raises(BundleError) as err,
        node.store.write() as s,
    ):
        import_bundle(s, node.keys, path, **kw)
    assert err.value.code in BUNDLE_MESSAGES, err.value
    assert writes == [], f"{err.value.code}: written before the refusal: {writes[:2]}"
    return err.value


def unchanged(node: Node, before: list[str]) -> None:
    assert dump(node.store) == before
    with node.store.read() as s:
        assert s.execute(select(func.count()).select_from(ChangeLog)).scalar_one() <= 2
        assert s.execute(select(func.count()).select_from(ImportedBundle)).scalar_one() == 0


# ---- damage from outside -------------------------------------------------------------------


def test_one_bit_flipped_at_every_header_position(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = scene
    data = good.read_bytes()
    opened = fmt.open_bundle(good)
    trailer_start = len(MAGIC) + opened.manifest.payload.size
    positions = [*range(len(MAGIC)), *range(trailer_start, len(data))]
    before, codes = dump(d.store), set()
    for pos in positions:
        for bit in range(8):
            flipped = bytearray(data)
            flipped[pos] ^= 1 << bit
            codes.add(code := attempt(d, bytes(flipped), tmp_path).code)
            assert code in HEADER_FLIP, (pos, bit, code)
    unchanged(d, before)
    # The sweep reached each layer: magic, manifest schema, identity, signature, framing.
    assert {"not_a_bundle", "damaged", "bad_signature", "truncated"} <= codes, codes


def test_bits_flipped_at_random_payload_positions(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = scene
    data = good.read_bytes()
    size = fmt.open_bundle(good).manifest.payload.size
    before, rng = dump(d.store), random.Random(6)
    for _ in range(400):
        flipped = bytearray(data)
        flipped[len(MAGIC) + rng.randrange(size)] ^= 1 << rng.randrange(8)
        assert attempt(d, bytes(flipped), tmp_path).code == "digest_mismatch"
    unchanged(d, before)


def test_truncated_at_many_offsets_and_bytes_appended(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = scene
    data = good.read_bytes()
    before = dump(d.store)
    offsets = {*range(len(MAGIC) + 2), *range(len(data) - 2 * TAIL, len(data))}
    offsets |= set(range(0, len(data), max(1, len(data) // 150)))
    for cut in sorted(offsets - {len(data)}):
        code = attempt(d, data[:cut], tmp_path).code
        assert code in {"not_a_bundle", "truncated", "damaged"}, (cut, code)
    for extra in (b"\0", b"\n", os.urandom(63), b"\0" * 4096, fmt.END, data):
        code = attempt(d, data + extra, tmp_path).code
        assert code in {"truncated", "damaged"}, (len(extra), code)
    unchanged(d, before)


def test_parts_swapped_between_two_valid_bundles(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = scene
    add_issue(a.store, add_enterprise(a.store, "南京恒远物流有限公司"))
    other = export(a, d, tmp_path / "other.jcb")
    (pg, tg), (po, to) = _split(good), _split(other)
    before = dump(d.store)
    assert attempt(d, MAGIC + po + tg, tmp_path).code in {"damaged", "digest_mismatch"}
    assert attempt(d, MAGIC + pg + to, tmp_path).code in {"damaged", "digest_mismatch"}
    unchanged(d, before)


def _split(path: Path) -> tuple[bytes, bytes]:
    data = path.read_bytes()
    end = len(MAGIC) + fmt.open_bundle(path).manifest.payload.size
    return data[len(MAGIC) : end], data[end:]


# ---- who signed it -------------------------------------------------------------------------


def test_unsigned_and_wrongly_signed_bundles(scene, make_node: MakeNode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, d, good = scene
    data = good.read_bytes()
    before = dump(d.store)
    sig_at = len(data) - len(fmt.END) - 64
    unsigned = data[:sig_at] + bytes(64) + data[sig_at + 64 :]
    assert attempt(d, unsigned, tmp_path).code == "bad_signature"
    stripped = data[:sig_at] + data[sig_at + 64 :]
    assert attempt(d, stripped, tmp_path).code in {"truncated", "damaged"}
    # Claims to be from a, signed by b (whom the office trusts): the signer is not the sender.
    assert attempt(d, forge(good, b.keys), tmp_path).code == "bad_signature"
    # Claims to be from b, with b's fingerprint, but signed by a.
    as_b = forge(good, a.keys, lambda m: m["sender"].update(_sender(b)))
    assert attempt(d, as_b, tmp_path).code == "bad_signature"
    # Signed by a stranger with its own name on it, then by a sender the office revoked.
    stranger = make_node("王陌生")
    stranger.trusts(d)
    assert attempt(d, export(stranger, d, tmp_path / "s.jcb"), tmp_path).code == "unknown_sender"
    with d.store.write() as s:
        peers.revoke(s, a.info.replica_id)
    assert attempt(d, good, tmp_path).code == "revoked_sender"
    unchanged(d, before)


def _sender(node: Node) -> dict[str, str]:
    return {"replica_id": node.info.replica_id, "fingerprint": node.keys.public.fingerprint}


def test_older_bundle_after_a_newer_one(scene, make_node: MakeNode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, old = scene
    add_issue(a.store, add_enterprise(a.store, "南京恒远物流有限公司"))
    newer = export(a, d, tmp_path / "newer.jcb")
    with d.store.write() as s:
        assert import_bundle(s, d.keys, newer).result.new_rows > 0
    before = dump(d.store)
    err = attempt(d, old, tmp_path)
    assert err.code == "superseded" and err.detail.startswith("20")
    assert dump(d.store) == before
    # An older bundle whose changes are *not* all here (this office's file was restored
    # from a backup since, say) is imported as usual: refusing it would lose them.
    office = make_node("玄武区总工会", role=Role.DISTRICT)
    office.trusts(a)
    a.trusts(office)
    older = export(a, office, tmp_path / "older.jcb")
    with office.store.write() as s:
        _remember_newer(s, a)
    with office.store.write() as s:
        assert import_bundle(s, office.keys, older).result.new_rows > 0
    # A sender whose clock was once ahead makes later bundles look older. One that carries
    # no new change but new receipts (a learned what d holds) is still imported for them.
    with d.store.write() as s:
        _remember_newer(s, a)
    with a.store.write() as s:
        import_bundle(s, a.keys, export(d, a, tmp_path / "d-to-a.jcb"))
    receipts = export(a, d, tmp_path / "receipts.jcb")
    assert fmt.open_bundle(receipts).manifest.counts["changes"] == 0
    with d.store.write() as s:
        report = import_bundle(s, d.keys, receipts)
        assert report.delivered > 0  # d now knows what a holds of d's own changes


def _remember_newer(session: Any, sender: Node) -> None:
    """As if a bundle from ``sender`` dated far in the future had been imported."""
    session.add(
        ImportedBundle(
            bundle_id="ffffffff-ffff-7fff-bfff-ffffffffffff",
            sender=sender.info.replica_id,
            imported_at=datetime.now(UTC).replace(tzinfo=None),
        )
    )


# ---- forgeries by a trusted sender's own key -----------------------------------------------


def forge(
    src: Path,
    keys: KeyPairs,
    edit: Callable[[dict[str, Any]], None] = lambda m: None,
    payload: bytes | None = None,
) -> bytes:
    """``src`` with its manifest edited (and optionally another payload), signed by ``keys``."""
    opened = fmt.open_bundle(src)
    body_payload = payload if payload is not None else _split(src)[0]
    manifest = json.loads(opened.body)
    edit(manifest)
    body = json.dumps(manifest, ensure_ascii=False).encode()
    signature = keys.signing.sign(MAGIC + body).signature
    return MAGIC + body_payload + body + struct.pack(">I", len(body)) + signature + fmt.END


def manifest_of(path: Path) -> dict[str, Any]:
    return json.loads(fmt.open_bundle(path).body)


def bump(section: str, key: str, delta: int) -> Callable[[dict[str, Any]], None]:
    return lambda m: m[section].update({key: m[section][key] + delta})


def shorten_ranges(m: dict[str, Any]) -> None:
    for runs in m["ranges"].values():
        runs[-1][1] -= 1


Edit = Callable[[dict[str, Any]], None]
LIES: dict[str, tuple[Edit, set[str]]] = {
    "payload size +1": (bump("payload", "size", 1), {"damaged"}),
    "payload size -1": (bump("payload", "size", -1), {"damaged"}),
    "plain size -1": (bump("payload", "plain_bytes", -1), {"bomb"}),
    "plain size +1": (bump("payload", "plain_bytes", 1), {"damaged"}),
    "count +1": (bump("counts", "changes", 1), {"mismatch"}),
    "count -1": (bump("counts", "changes", -1), {"mismatch"}),
    "range short": (shorten_ranges, {"mismatch"}),
    "digest": (lambda m: m["payload"].update(sha256="0" * 64), {"digest_mismatch"}),
    "stream header": (lambda m: m["payload"].update(stream_header="AAAA"), {"damaged"}),
    "entries with ../": (lambda m: m.update(entries=[{"path": "../../.bashrc"}]), {"damaged"}),
    "absolute path": (lambda m: m["payload"].update(path="/etc/passwd"), {"damaged"}),
    "newer format": (lambda m: m.update(min_reader=3, format=3), {"newer_format"}),
    "newer schema": (lambda m: m.update(schema_rev=99), {"newer_schema"}),
    "bundle id": (
        lambda m: m.update(bundle_id="../../../../etc/passwd-0000000000000"),
        {"damaged"},
    ),
}


@pytest.mark.parametrize("lie", list(LIES))
def test_forged_manifest_lies_are_caught(scene, tmp_path: Path, lie: str) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = scene
    edit, codes = LIES[lie]
    before = dump(d.store)
    assert attempt(d, forge(good, a.keys, edit), tmp_path).code in codes
    unchanged(d, before)
    with d.store.write() as s:  # the honest original still imports
        assert import_bundle(s, d.keys, good).result.new_rows > 0


def test_a_frame_whose_length_lies(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = scene
    payload = bytearray(_split(good)[0])
    (length,) = struct.unpack(">I", payload[:4])
    for wrong in (0, length - 1, length + 1, len(payload), 2**32 - 1):
        payload[:4] = struct.pack(">I", wrong)
        digest = hashlib.sha256(payload).hexdigest()
        pinned = lambda m, h=digest: m["payload"].update(sha256=h)  # noqa: E731
        forged = forge(good, a.keys, pinned, bytes(payload))
        assert attempt(d, forged, tmp_path).code == "damaged", wrong


def attempt_measured(node: Node, path: Path, folder: Path) -> tuple[BundleError, int]:
    """``attempt``, and the peak of Python memory allocated while it ran."""
    tracemalloc.start()
    try:
        err = attempt(node, path, folder)
        return err, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOMB = 256 << 20  # bytes of plaintext, compressed to a few kilobytes


def write_bomb(scene, path: Path, honest: bool) -> Path:  # type: ignore[no-untyped-def]
    """A real bomb, signed by a trusted sender: 256 MiB of newlines (which split into no
    changes at all, so only the size checks can stop it) in one small encrypted frame;
    ``honest``: the manifest states the size it unpacks to."""
    a, _b, d, good = scene
    fields = {k: v for k, v in manifest_of(good).items() if k not in _WRITER_FIELDS}
    writer = BundleWriter(path, [(d.info.replica_id, d.keys.public)])
    for _ in range(BOMB >> 20):
        writer.add(b"\n" * ((1 << 20) - 1))
    if not honest:
        writer._plain = 1000  # the lie under test
    writer.finish(fields, a.keys)
    assert path.stat().st_size < 64 << 10
    return path


@pytest.mark.parametrize("honest", [True, False], ids=["stated-size", "lying-size"])
def test_decompression_bomb_is_refused_in_bounded_memory(  # type: ignore[no-untyped-def]
    scene, tmp_path: Path, honest: bool
) -> None:
    _a, _b, d, _good = scene
    path = write_bomb(scene, tmp_path / "bomb.jcb", honest)
    before = dump(d.store)
    err, peak = attempt_measured(d, path, tmp_path)
    assert err.code == "bomb"
    assert peak < 48 << 20, f"peak {peak >> 20} MiB while refusing a {BOMB >> 20} MiB bomb"
    unchanged(d, before)


@pytest.mark.parametrize("honest", [True, False], ids=["stated-size", "lying-size"])
def test_a_bomb_costs_the_importing_process_little_resident_memory(  # type: ignore[no-untyped-def]
    scene, tmp_path: Path, honest: bool
) -> None:
    """The same bomb given to ``jiceng bundle import`` in a process of its own, whose peak
    resident set (libzstd's and libsodium's buffers included, which tracemalloc cannot
    see) is compared with the same command's on the honest 30-case bundle, measured in this
    run."""
    _a, _b, d, good = scene
    keyfiles.save(d.store.data_dir, d.keys, PASSPHRASE)
    folder = str(d.store.data_dir)
    path = write_bomb(scene, tmp_path / "bomb.jcb", honest)
    code, _out, _err, baseline = jiceng_measured(
        tmp_path, "bundle", "import", str(good), "--data-dir", folder, "--dry-run"
    )
    assert code == 0, _err
    code, _out, err, peak = jiceng_measured(
        tmp_path, "bundle", "import", str(path), "--data-dir", folder
    )
    assert code == 1 and "解压后的大小超出限制" in err, err
    assert peak < baseline + 48, f"{peak:.0f} MiB against {baseline:.0f} MiB for a good bundle"


_WRITER_FIELDS = {"format", "min_reader", "recipients", "payload"}


def test_an_over_long_line_is_refused_in_bounded_memory(scene, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = scene
    fields = {k: v for k, v in manifest_of(good).items() if k not in _WRITER_FIELDS}
    path = tmp_path / "long.jcb"
    writer = BundleWriter(path, [(d.info.replica_id, d.keys.public)])
    writer.add(b'{"origin": "' + os.urandom(4 << 20).hex().encode() + b'"}')  # incompressible
    writer.finish(fields, a.keys)
    err, peak = attempt_measured(d, path, tmp_path)
    assert (err.code, err.detail) == ("damaged", "line too long")
    assert peak < 48 << 20
