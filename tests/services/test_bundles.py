"""The bundle, key and peer services both shells call, on real bundle files and real data
files: export for a peer, a cheap preview, import, trusting a key file or a bundle's sender,
revoking, and held changes. Refusals carry codes; a refused import changes nothing."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

import app.sync.bundle as bundle_module
from app.services.bundles import (
    BundleError,
    UnknownSender,
    bundle_sender,
    export_bundle,
    held_changes,
    import_bundle,
    preview_bundle,
    recipients,
    record_export,
    release_held,
    trust_bundle_sender,
)
from app.services.peers import (
    PeerError,
    export_own_key,
    key_to_trust,
    list_peers,
    peer_state,
    read_key_file,
    revoke_peer,
    trust_key,
)
from app.sync import peers
from app.sync.keys import display_fingerprint, generate
from tests.helpers import (
    MakeNode,
    Node,
    add_enterprise,
    add_issue,
    bundle_for,
    changes_of,
    deliver,
    dump,
    hold_far_future_edit,
    sync_pair,
    write_key_file,
)


@pytest.fixture
def pair(make_node: MakeNode) -> tuple[Node, Node]:
    return make_node("张驻点", district="鼓楼区总工会"), make_node("鼓楼区总工会")


def paired(cadre: Node, office: Node) -> None:
    cadre.trusts(office)
    office.trusts(cadre)


def refused_code(error: pytest.ExceptionInfo[BaseException]) -> str:
    return error.value.code  # type: ignore[attr-defined,no-any-return]


# ---- trusting a bundle's sender from the bundle --------------------------------------------


def test_the_bundle_names_its_sender_with_the_keys_that_signed_it(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    sender = bundle_sender(stick)
    assert (sender.replica_id, sender.name) == (cadre.info.replica_id, "张驻点")
    assert sender.role == "cadre"
    assert sender.fingerprint == cadre.keys.public.fingerprint
    assert sender.district_name == "鼓楼区总工会"


def test_trusting_with_the_confirmed_fingerprint_lets_the_import_through(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    with office.store.write() as s, pytest.raises(UnknownSender) as refused:
        import_bundle(s, office.keys, stick)
    assert refused.value.code == "unknown_sender"
    with office.store.write() as s:
        trusted = trust_bundle_sender(s, stick, cadre.keys.public.fingerprint)
    assert trusted.trusted and trusted.keys == cadre.keys.public
    with office.store.write() as s:
        report = import_bundle(s, office.keys, stick)
    assert report.result.created["issue"] == 1


def test_a_fingerprint_the_user_did_not_confirm_trusts_nothing(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    before = dump(office.store)
    other = generate().public.fingerprint
    with office.store.write() as s, pytest.raises(BundleError) as refused:
        trust_bundle_sender(s, stick, other)
    assert refused.value.code == "sender_key_mismatch"
    with office.store.read() as s:
        assert peers.get(s, cadre.info.replica_id) is None
    assert dump(office.store) == before


def test_a_tampered_key_in_the_manifest_is_caught(pair: tuple[Node, Node], tmp_path: Path) -> None:
    """Swapping the carried keys for an attacker's breaks either the fingerprint or the
    signature: the bundle is then nobody's."""
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    data = stick.read_bytes()
    forged = generate().public
    tampered = data.replace(cadre.keys.public.sign_hex.encode(), forged.sign_hex.encode())
    assert tampered != data
    stick.write_bytes(tampered)
    with pytest.raises(BundleError) as refused:
        bundle_sender(stick)
    assert refused.value.code in ("sender_key_mismatch", "bad_signature")


def test_own_revoked_and_rekeyed_senders_are_refused(
    pair: tuple[Node, Node], tmp_path: Path, make_node: MakeNode
) -> None:
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    fingerprint = cadre.keys.public.fingerprint
    with cadre.store.write() as s, pytest.raises(BundleError) as own:
        trust_bundle_sender(s, stick, fingerprint)
    assert own.value.code == "own_bundle"

    office.trusts(cadre)
    with office.store.write() as s:
        revoke_peer(s, cadre.info.replica_id)
    with office.store.write() as s, pytest.raises(BundleError) as revoked:
        trust_bundle_sender(s, stick, fingerprint)
    assert revoked.value.code == "revoked_sender"

    # A stick claiming to be from a cadre the clerk already trusts, signed with other keys
    # (a reinstall, or a thief's laptop): the new key must come as a key file.
    clerk = make_node("鼓楼区总工会")
    clerk.trusts(cadre)
    cadre.trusts(clerk)
    other_keys = generate()
    with cadre.store.read() as s:
        export_bundle(s, other_keys, clerk.info.replica_id, tmp_path / "b.jcb")
    with clerk.store.write() as s, pytest.raises(BundleError) as rekeyed:
        trust_bundle_sender(s, tmp_path / "b.jcb", other_keys.public.fingerprint)
    assert rekeyed.value.code == "sender_key_mismatch"
    with clerk.store.read() as s:
        assert peers.get(s, cadre.info.replica_id).keys == cadre.keys.public  # type: ignore[union-attr]


def test_the_fingerprint_as_read_aloud_is_accepted_and_a_short_one_is_not() -> None:
    from app.services.bundles import matches

    fingerprint = generate().public.fingerprint
    assert matches(fingerprint, fingerprint)
    assert matches(fingerprint, display_fingerprint(fingerprint))
    assert matches(fingerprint, display_fingerprint(fingerprint).lower().replace(" ", ""))
    assert not matches(fingerprint, display_fingerprint(fingerprint)[:20])  # too little checked
    assert not matches(fingerprint, "")
    assert not matches(fingerprint, display_fingerprint(generate().public.fingerprint))


# ---- export ------------------------------------------------------------------------------


def test_a_bundle_is_written_for_the_peer_named_by_name_id_or_fingerprint(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    """The name, the replica id and the fingerprint as read aloud all find the office; a
    folder gets the name the sync screen proposes; the last export is remembered per peer."""
    cadre, office = pair
    paired(cadre, office)
    add_issue(cadre.store, add_enterprise(cadre.store))
    shown = display_fingerprint(office.keys.public.fingerprint)
    folder = tmp_path / "usb"
    folder.mkdir()
    for n, to in enumerate(("鼓楼区总工会", office.info.replica_id, shown)):
        with cadre.store.read() as s:
            done = export_bundle(s, cadre.keys, to, tmp_path / f"{n}.jcb")
        assert done.recipient.replica_id == office.info.replica_id
        assert done.path == tmp_path / f"{n}.jcb" and done.path.is_file()
    with cadre.store.read() as s:
        done = export_bundle(s, cadre.keys, "鼓楼区总工会", folder)
    assert done.path.parent == folder and done.path.name.startswith("张驻点-同步包-")
    assert done.changes == len(changes_of(cadre.store)) == done.manifest.counts["changes"]

    with cadre.store.read() as s:
        (before,) = recipients(s)
    assert before.peer.name == "鼓楼区总工会" and before.exchange.exported_at is None
    with cadre.store.write() as s:
        record_export(s, done)
    with cadre.store.read() as s:
        (after,) = recipients(s)
    assert after.exchange.exported_changes == done.changes
    assert after.exchange.file_name == done.path.name and after.exchange.receipt_at is None
    with office.store.write() as s:
        import_bundle(s, office.keys, done.path)
    with office.store.read() as s:
        reply = export_bundle(s, office.keys, "张驻点", tmp_path / "reply.jcb")
    with cadre.store.write() as s:
        import_bundle(s, cadre.keys, reply.path)
    with cadre.store.read() as s:
        (receipted,) = recipients(s)
    assert receipted.exchange.receipt_at is not None


def test_a_key_file_names_a_recipient_not_trusted_here(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    """``--to office.pub``: the bundle is written for those keys without trusting them; the
    office reads it once it trusts the cadre."""
    cadre, office = pair
    office.trusts(cadre)
    add_issue(cadre.store, add_enterprise(cadre.store))
    key = write_key_file(office, tmp_path / "office.pub")
    with cadre.store.read() as s:
        done = export_bundle(s, cadre.keys, str(key), tmp_path / "b.jcb")
        assert peers.get(s, office.info.replica_id) is None  # not trusted by writing for it
    assert done.recipient.trusted_at is None
    with office.store.write() as s:
        report = import_bundle(s, office.keys, done.path)
    assert report.result.created["issue"] == 1


def test_no_bundle_for_this_replica_a_revoked_peer_nobody_or_an_ambiguous_name(
    pair: tuple[Node, Node], make_node: MakeNode, tmp_path: Path
) -> None:
    cadre, office = pair
    paired(cadre, office)
    out = tmp_path / "b.jcb"
    own = write_key_file(cadre, tmp_path / "own.pub")

    def refused(to: str) -> tuple[str, str]:
        with cadre.store.read() as s, pytest.raises(PeerError) as err:
            export_bundle(s, cadre.keys, to, out)
        return err.value.code, err.value.detail

    assert refused(cadre.info.replica_id) == ("own_replica", "")
    assert refused(str(own)) == ("own_replica", "")
    assert refused("玄武区总工会") == ("unknown_recipient", "玄武区总工会")
    twin = make_node("鼓楼区总工会")  # a reinstalled office: same name, another replica
    cadre.trusts(twin)
    with cadre.store.read() as s, pytest.raises(PeerError) as ambiguous:
        export_bundle(s, cadre.keys, "鼓楼区总工会", out)
    assert ambiguous.value.code == "ambiguous_peer"
    assert {p.replica_id for p in ambiguous.value.matches} == {
        office.info.replica_id,
        twin.info.replica_id,
    }
    with cadre.store.write() as s:
        revoke_peer(s, office.info.replica_id)
    assert refused(office.info.replica_id) == ("revoked_peer", "鼓楼区总工会")
    assert not out.exists()


# ---- preview -----------------------------------------------------------------------------


def test_the_preview_counts_from_the_manifest_merges_nothing_and_writes_nothing(
    pair: tuple[Node, Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cadre, office = pair
    paired(cadre, office)
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    merges: list[int] = []
    real = bundle_module.apply_changes
    monkeypatch.setattr(
        bundle_module, "apply_changes", lambda s, c, **k: merges.append(len(c)) or real(s, c, **k)
    )
    before = dump(office.store)
    with office.store.write() as s:
        found = preview_bundle(s, office.keys, stick)
    assert merges == [] and dump(office.store) == before
    assert found.sender_name == "张驻点" and found.already_imported_at is None
    assert found.changes == len(changes_of(cadre.store)) == found.new_changes
    assert found.by_entity["issue"] == 1 and found.by_entity["enterprise"] == 1
    assert "proof_lines" not in found.by_entity and "changes" not in found.by_entity
    assert sum(found.by_entity.values()) == found.changes
    own = len([c for c in changes_of(office.store) if c["origin"] == office.info.replica_id])
    assert (found.delivered, found.unsent) == (0, own)

    with office.store.write() as s:
        report = import_bundle(s, office.keys, stick)
    assert merges and (report.delivered, report.unsent) == (found.delivered, found.unsent)
    with office.store.read() as s:
        again = preview_bundle(s, office.keys, stick)
    assert again.already_imported_at is not None


def test_the_preview_says_when_everything_in_a_bundle_is_here_already(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    paired(cadre, office)
    sync_pair(cadre.store, office.store)  # the cadre holds the office's changes too
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    with office.store.read() as s:
        first = preview_bundle(s, office.keys, stick)
    assert 0 < first.new_changes < first.changes  # the office's own changes came back too
    sync_pair(cadre.store, office.store)  # the new ones came another way (the server)
    with office.store.read() as s:
        found = preview_bundle(s, office.keys, stick)
    assert found.changes == first.changes and found.new_changes == 0
    # What the cadre held of the office's when it wrote the bundle counts as delivered.
    own = [c for c in changes_of(office.store) if c["origin"] == office.info.replica_id]
    assert (found.delivered, found.unsent) == (len(own), 0)


def test_preview_and_import_name_an_untrusted_sender_for_trust(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    with office.store.read() as s, pytest.raises(UnknownSender) as previewed:
        preview_bundle(s, office.keys, stick)
    with office.store.write() as s, pytest.raises(UnknownSender) as imported:
        import_bundle(s, office.keys, stick)
    for err in (previewed.value, imported.value):
        assert err.code == "unknown_sender" and "张驻点" in err.detail
        assert err.fingerprint == cadre.keys.public.fingerprint
        assert err.sender is not None and err.sender.keys == cadre.keys.public


@pytest.mark.parametrize("how", ["torn", "flipped", "not_for_me", "own"])
def test_a_refused_bundle_is_refused_by_preview_and_import_and_changes_nothing(
    pair: tuple[Node, Node], make_node: MakeNode, tmp_path: Path, how: str
) -> None:
    cadre, office = pair
    paired(cadre, office)
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    reader, keys = office.store, office.keys
    data = stick.read_bytes()
    if how == "torn":
        stick.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        flipped = bytearray(data)
        flipped[len(data) // 3] ^= 1
        stick.write_bytes(bytes(flipped))
    elif how == "not_for_me":
        stranger = make_node("玄武区总工会")
        stranger.trusts(cadre)
        reader, keys = stranger.store, stranger.keys
    else:
        reader, keys = cadre.store, cadre.keys
    expected = {
        "torn": {"truncated"},
        "flipped": {"damaged", "digest_mismatch", "bad_signature", "truncated"},
        "not_for_me": {"not_for_me", "damaged"},
        "own": {"own_bundle"},
    }[how]
    before = dump(reader)
    with reader.read() as s, pytest.raises(BundleError) as previewed:
        preview_bundle(s, keys, stick)
    with pytest.raises(BundleError) as imported, reader.write() as s:
        import_bundle(s, keys, stick)
    assert {refused_code(previewed), refused_code(imported)} <= expected
    assert dump(reader) == before


# ---- import ------------------------------------------------------------------------------


def test_import_reports_progress_and_a_cancel_rolls_everything_back(
    pair: tuple[Node, Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cadre, office = pair
    paired(cadre, office)
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    monkeypatch.setattr(bundle_module, "BATCH", 1)  # a check between every change
    steps: list[float] = []
    before = dump(office.store)
    with pytest.raises(BundleError) as cancelled, office.store.write() as s:
        import_bundle(
            s,
            office.keys,
            stick,
            progress=lambda f, _m: steps.append(f),
            cancelled=lambda: len(steps) > 2,
        )
    assert cancelled.value.code == "cancelled"
    assert dump(office.store) == before  # the caller's transaction rolled back

    steps.clear()
    with office.store.write() as s:
        report = import_bundle(s, office.keys, stick, progress=lambda f, _m: steps.append(f))
    assert report.result.created["issue"] == 1 and not report.dry_run
    assert steps == sorted(steps) and 0 < steps[-1] <= 1
    with office.store.write() as s:
        again = import_bundle(s, office.keys, stick)
    assert again.already_imported_at is not None


def test_a_dry_run_says_what_would_change_and_changes_nothing(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    paired(cadre, office)
    stick = bundle_for(cadre, office, tmp_path / "a.jcb")
    before = dump(office.store)
    with office.store.write() as s:
        report = import_bundle(s, office.keys, stick, dry_run=True)
    assert report.dry_run and report.result.created["issue"] == 1
    assert dump(office.store) == before
    with office.store.write() as s:
        assert import_bundle(s, office.keys, stick).already_imported_at is None


# ---- key files and peers -----------------------------------------------------------------


def test_this_replicas_key_file_is_exported_and_never_trusted_here(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, office = pair
    with cadre.store.read() as s:
        done = export_own_key(s, cadre.keys, tmp_path / "张驻点.pub")
    assert done.fingerprint == cadre.keys.public.fingerprint
    identity = read_key_file(done.path)
    assert identity == cadre.key_file()
    with cadre.store.write() as s, pytest.raises(PeerError) as asked:
        key_to_trust(s, done.path)
    assert asked.value.code == "own_key"
    with cadre.store.write() as s, pytest.raises(PeerError) as trusted:
        trust_key(s, identity)
    assert trusted.value.code == "own_key"
    with cadre.store.read() as s:
        assert list_peers(s) == []

    with office.store.write() as s:
        peer = trust_key(s, key_to_trust(s, done.path))
    assert peer.trusted and peer.keys == cadre.keys.public and peer_state(peer) == "trusted"


def test_a_key_file_that_is_none_or_was_altered_is_refused_with_its_code(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    cadre, _office = pair
    key = write_key_file(cadre, tmp_path / "张驻点.pub")
    body = orjson.loads(key.read_bytes())

    def code(path: Path) -> str:
        with pytest.raises(PeerError) as err:
            read_key_file(path)
        return err.value.code

    assert code(tmp_path / "missing.pub") == "unreadable"
    (tmp_path / "torn.pub").write_text("{", encoding="utf-8")
    assert code(tmp_path / "torn.pub") == "not_a_key_file"
    (tmp_path / "renamed.pub").write_bytes(orjson.dumps({**body, "name": "市总工会"}))
    assert code(tmp_path / "renamed.pub") == "bad_signature"
    (tmp_path / "wrong.pub").write_bytes(orjson.dumps({**body, "fingerprint": "0" * 64}))
    assert code(tmp_path / "wrong.pub") == "fingerprint_mismatch"
    with pytest.raises(PeerError) as unwritable, cadre.store.read() as s:
        export_own_key(s, cadre.keys, tmp_path / "no-such-folder" / "k.pub")
    assert unwritable.value.code == "unwritable"


def test_revoking_by_name_and_trusting_the_key_file_again(
    pair: tuple[Node, Node], make_node: MakeNode, tmp_path: Path
) -> None:
    cadre, office = pair
    paired(cadre, office)
    with office.store.write() as s:
        revoked = revoke_peer(s, "张驻点")
        assert revoke_peer(s, "张驻点").revoked_at == revoked.revoked_at  # twice: no change
    assert peer_state(revoked) == "revoked" and not revoked.trusted
    with office.store.read() as s:
        assert recipients(s) == []
    with office.store.write() as s, pytest.raises(PeerError) as nobody:
        revoke_peer(s, "王驻点")
    assert (nobody.value.code, nobody.value.detail) == ("unknown_peer", "王驻点")
    twin = make_node("张驻点")
    office.trusts(twin)
    with office.store.write() as s, pytest.raises(PeerError) as ambiguous:
        revoke_peer(s, "张驻点")
    assert ambiguous.value.code == "ambiguous_peer" and len(ambiguous.value.matches) == 2
    key = write_key_file(cadre, tmp_path / "张驻点.pub")
    with office.store.write() as s:
        again = trust_key(s, key_to_trust(s, key))  # a key file undoes a revocation
    assert again.trusted


# ---- held changes ------------------------------------------------------------------------


def test_held_changes_are_listed_and_released(make_replica) -> None:  # type: ignore[no-untyped-def]
    a, b = make_replica("张驻点"), make_replica("区总工会", role="district")
    sync_pair(a, b)
    add_enterprise(a)
    deliver(b, changes_of(a))
    change_id = hold_far_future_edit(a, b)
    with b.read() as s:
        (held,) = held_changes(s)
    assert held.id == change_id and held.entity == "enterprise"
    with b.write() as s:
        assert release_held(s, ["nonsense", "abc:notanumber"]).released == 0
        assert release_held(s, [change_id]).released == 1
    with b.read() as s:
        assert held_changes(s) == []
