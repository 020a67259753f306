"""Bundles end to end: export, import, receipts, relays, and every refusal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChangeLog
from app.schemas.enums import IssueStatus
from app.schemas.issues import NoteIn, TransitionIn
from app.services import issues
from app.sync import bundle_format, peers
from app.sync.bundle import export_bundle, import_bundle
from app.sync.bundle_format import BundleError
from tests.helpers import MakeNode, Node, add_enterprise, add_issue, dump, export, imp


def log_size(node: Node) -> int:
    with node.store.read() as s:
        return s.execute(select(func.count()).select_from(ChangeLog)).scalar_one()


def test_round_trip_receipts_and_repeat(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d = trio
    eid = add_enterprise(a)
    add_issue(a, eid)
    first = imp(d, export(a, d, tmp_path / "a-to-d.jcb"))
    assert first.result.new_rows == 3 and not first.result.rejected  # enterprise, issue, event
    assert first.result.unchanged == 1  # the district row both made at init
    again = imp(d, tmp_path / "a-to-d.jcb")
    assert again.already_imported_at is not None
    # The district answers; its bundle carries receipts, so a learns what arrived.
    report = imp(a, export(d, a, tmp_path / "d-to-a.jcb"))
    assert report.unsent == 0 and report.delivered == log_size(a) - 1  # all but d's own row
    assert dump(a) == dump(d)
    # Next export from a to d carries only what d does not hold yet: nothing new.
    with a.store.read() as s:
        nothing = export_bundle(s, a.keys, a.peer(d), tmp_path / "again.jcb")
    assert nothing.changes == 0


def test_lost_stick_leaves_no_gap(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d = trio
    eid = add_enterprise(a)
    export(a, d, tmp_path / "lost.jcb")  # never arrives
    add_issue(a, eid)
    imp(d, export(a, d, tmp_path / "second.jcb"))  # carries the lost changes as well
    imp(a, export(d, a, tmp_path / "back.jcb"))
    assert dump(a) == dump(d)


def test_dry_run_changes_nothing(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d = trio
    add_issue(a, add_enterprise(a))
    path = export(a, d, tmp_path / "x.jcb")
    before, logged = dump(d), log_size(d)
    report = imp(d, path, dry_run=True)
    assert report.dry_run and report.result.new_rows > 0
    assert dump(d) == before and log_size(d) == logged
    assert imp(d, path).already_imported_at is None  # a dry run is not remembered


def test_relay_through_the_district(trio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, d = trio
    iid = add_issue(a, add_enterprise(a))
    imp(d, export(a, d, tmp_path / "a.jcb"))
    with d.store.write() as s:  # the district refers the case on
        issues.transition(s, iid, TransitionIn(to_status=IssueStatus.ACCEPTED))
    imp(b, export(d, b, tmp_path / "d-b.jcb"))  # b gets a's work through d
    with b.store.write() as s:
        issues.add_note(s, iid, NoteIn(text="李驻点协助核实"))
    imp(d, export(b, d, tmp_path / "b-d.jcb"))
    imp(a, export(d, a, tmp_path / "d-a.jcb"))
    imp(b, export(d, b, tmp_path / "d-b2.jcb"))
    assert dump(a) == dump(b) == dump(d)
    with a.store.read() as s:  # relayed changes keep their origin's ids
        origins = set(s.execute(select(ChangeLog.origin)).scalars())
    assert origins == {a.info.replica_id, b.info.replica_id, d.info.replica_id}


# ---- refusals ------------------------------------------------------------------------------


def refused(node: Node, path: Path, code: str) -> BundleError:
    before, logged = dump(node), log_size(node)
    with pytest.raises(BundleError) as err:
        imp(node, path)
    assert err.value.code == code, err.value
    assert dump(node) == before and log_size(node) == logged
    return err.value


@pytest.fixture
def sent(trio, tmp_path: Path) -> tuple[Node, Node, Node, Path]:  # type: ignore[no-untyped-def]
    a, b, d = trio
    eid = add_enterprise(a)
    for i in range(30):
        add_issue(a, eid, title=f"反映工资拖欠{i}")
    return a, b, d, export(a, d, tmp_path / "good.jcb")


def test_refuses_truncated_bundles(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = sent
    data = good.read_bytes()
    for cut in sorted({1, 15, 16, 100, len(data) // 2, len(data) - 80, len(data) - 1}):
        path = tmp_path / f"cut{cut}.jcb"
        path.write_bytes(data[:cut])
        with pytest.raises(BundleError) as err:
            imp(d, path)
        assert err.value.code in ("truncated", "not_a_bundle", "damaged"), cut
    refused(d, tmp_path / "cut100.jcb", "truncated")


def test_refuses_flipped_bytes_and_appended_bytes(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = sent
    data = bytearray(good.read_bytes())
    for pos in (20, 200, len(data) // 2, len(data) - 300, len(data) - 70):
        flipped = bytearray(data)
        flipped[pos] ^= 0x04
        path = tmp_path / f"flip{pos}.jcb"
        path.write_bytes(bytes(flipped))
        with pytest.raises(BundleError) as err:
            imp(d, path)
        assert err.value.code in ("digest_mismatch", "bad_signature", "damaged", "truncated")
    (tmp_path / "longer.jcb").write_bytes(bytes(data) + b"extra")
    refused(d, tmp_path / "longer.jcb", "truncated")


def test_refuses_what_is_not_a_bundle(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, _good = sent
    (tmp_path / "x.jcb").write_bytes(b"PK\x03\x04 a zip file perhaps")
    refused(d, tmp_path / "x.jcb", "not_a_bundle")
    (tmp_path / "empty.jcb").write_bytes(b"")
    refused(d, tmp_path / "empty.jcb", "not_a_bundle")


def test_refuses_wrong_recipient_and_unknown_sender(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b, d, good = sent
    b.trusts(a)
    refused(b, good, "not_for_me")  # for the district, not for b
    with d.store.write() as s:
        peers.revoke(s, a.info.replica_id)
    refused(d, good, "revoked_sender")
    stranger_view = d
    with stranger_view.store.write() as s:
        from app.models import Peer

        s.delete(s.get(Peer, a.info.replica_id))
    err = refused(d, good, "unknown_sender")
    assert a.info.name in err.detail


def test_refuses_a_sender_whose_key_changed(sent, make_node: MakeNode, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = sent
    impostor = make_node("张驻点")  # same name, other keys, signs a bundle claiming to be a
    with d.store.write() as s:
        peers.trust(
            s,
            a.key_file().__class__(
                a.info.replica_id,
                a.info.name,
                a.info.role,
                a.info.district_name,
                impostor.keys.public,
            ),
        )
    refused(d, good, "sender_key_mismatch")


def test_refuses_a_bundle_from_a_newer_schema(sent, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, _good = sent
    import app.sync.bundle as bundle_module

    monkeypatch.setattr(bundle_module, "SCHEMA_REV", 99)
    newer = export(a, d, tmp_path / "newer.jcb")
    monkeypatch.undo()
    err = refused(d, newer, "newer_schema")
    assert "99" in err.detail


def test_refuses_parts_swapped_between_bundles(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, _b, d, good = sent
    add_issue(a, add_enterprise(a, "南京恒远物流有限公司"))
    other = export(a, d, tmp_path / "other.jcb")
    g, o = bundle_format.open_bundle(good), bundle_format.open_bundle(other)
    magic = len(bundle_format.MAGIC)
    payload_o = other.read_bytes()[magic : magic + o.manifest.payload.size]
    trailer_g = good.read_bytes()[magic + g.manifest.payload.size :]
    (tmp_path / "swapped.jcb").write_bytes(bundle_format.MAGIC + payload_o + trailer_g)
    with pytest.raises(BundleError) as err:
        imp(d, tmp_path / "swapped.jcb")
    assert err.value.code in ("damaged", "digest_mismatch")


def test_refuses_decompression_bombs(sent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = sent
    tight = bundle_format.Limits(max_ratio=1, ratio_floor_bytes=0)
    with d.store.write() as s, pytest.raises(BundleError) as err:
        import_bundle(s, d.keys, good, limits=tight)
    assert err.value.code == "bomb"
    assert log_size(d) <= 2


def test_no_plaintext_left_in_temporary_folders(sent, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _a, _b, d, good = sent
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    imp(d, good)
    assert list(scratch.iterdir()) == []
    assert not [p for p in good.parent.iterdir() if p.name.startswith(".")]
    assert "反映工资拖欠".encode() not in good.read_bytes()
    assert oct(os.stat(good).st_mode & 0o777) == "0o600"
