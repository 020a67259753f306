"""Trusting a bundle's sender from the bundle: only the keys whose fingerprint the user
confirmed, never this replica's own, never over a revoked or differently keyed peer."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.bundles import bundle_sender, trust_bundle_sender
from app.sync import peers
from app.sync.bundle import export_bundle, import_bundle
from app.sync.bundle_format import BundleError
from app.sync.keys import generate
from tests.helpers import MakeNode, Node, add_enterprise, add_issue, dump


def bundle_for(sender: Node, receiver: Node, out: Path) -> Path:
    sender.trusts(receiver)
    add_issue(sender.store, add_enterprise(sender.store))
    with sender.store.write() as s:
        export_bundle(s, sender.keys, sender.peer(receiver), out)
    return out


@pytest.fixture
def pair(make_node: MakeNode) -> tuple[Node, Node]:
    return make_node("张驻点", district="鼓楼区总工会"), make_node("鼓楼区总工会")


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
    with office.store.write() as s, pytest.raises(BundleError) as refused:
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
        peers.revoke(s, cadre.info.replica_id)
    with office.store.write() as s, pytest.raises(BundleError) as revoked:
        trust_bundle_sender(s, stick, fingerprint)
    assert revoked.value.code == "revoked_sender"

    # A stick claiming to be from a cadre the clerk already trusts, signed with other keys
    # (a reinstall, or a thief's laptop): the new key must come as a key file.
    clerk = make_node("鼓楼区总工会")
    clerk.trusts(cadre)
    cadre.trusts(clerk)
    other_keys = generate()
    with cadre.store.write() as s:
        export_bundle(s, other_keys, cadre.peer(clerk), tmp_path / "b.jcb")
    with clerk.store.write() as s, pytest.raises(BundleError) as rekeyed:
        trust_bundle_sender(s, tmp_path / "b.jcb", other_keys.public.fingerprint)
    assert rekeyed.value.code == "sender_key_mismatch"
    with clerk.store.read() as s:
        assert peers.get(s, cadre.info.replica_id).keys == cadre.keys.public  # type: ignore[union-attr]


def test_the_fingerprint_as_read_aloud_is_accepted_and_a_short_one_is_not() -> None:
    from app.services.bundles import matches
    from app.sync.keys import display_fingerprint

    fingerprint = generate().public.fingerprint
    assert matches(fingerprint, fingerprint)
    assert matches(fingerprint, display_fingerprint(fingerprint))
    assert matches(fingerprint, display_fingerprint(fingerprint).lower().replace(" ", ""))
    assert not matches(fingerprint, display_fingerprint(fingerprint)[:20])  # too little checked
    assert not matches(fingerprint, "")
    assert not matches(fingerprint, display_fingerprint(generate().public.fingerprint))
