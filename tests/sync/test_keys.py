"""Key pairs, encrypted key files, public key files and fingerprints."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pytest

from app.sync import keys


def test_private_keys_are_encrypted_and_owner_only(tmp_path: Path) -> None:
    pairs = keys.generate()
    path = keys.save(tmp_path, pairs, "口令")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    raw = path.read_bytes()
    assert bytes(pairs.signing) not in raw and bytes(pairs.encryption) not in raw
    assert bytes(pairs.signing).hex() not in raw.decode()
    loaded = keys.load(tmp_path, "口令")
    assert loaded.public == pairs.public
    with pytest.raises(keys.KeyFileError) as err:
        keys.load(tmp_path, "别的口令")
    assert err.value.code == "wrong_passphrase"
    assert not list(path.parent.glob(".*tmp*"))


def test_missing_and_damaged_key_files(tmp_path: Path) -> None:
    with pytest.raises(keys.KeyFileError) as err:
        keys.load(tmp_path, "x")
    assert err.value.code == "missing"
    keys.save(tmp_path, keys.generate(), "x")
    (tmp_path / "keys" / keys.KEY_FILE).write_text("{not json")
    with pytest.raises(keys.KeyFileError) as err:
        keys.load(tmp_path, "x")
    assert err.value.code == "damaged"


def identity(pairs: keys.KeyPairs) -> keys.PublicKeyFile:
    return keys.PublicKeyFile(
        "0123456789abcdef", "鼓楼区总工会", "district", "鼓楼区总工会", pairs.public
    )


def test_public_key_file_round_trip() -> None:
    pairs = keys.generate()
    data = keys.export_public(identity(pairs), pairs)
    read = keys.read_public(data)
    assert read == identity(pairs)
    assert len(read.fingerprint) == 64
    shown = keys.display_fingerprint(read.fingerprint)
    assert len(shown.split()) == 8 and shown.replace(" ", "") == read.fingerprint[:32].upper()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "冒名顶替", "bad_signature"),
        ("role", "server", "bad_signature"),
        ("fingerprint", "0" * 64, "fingerprint_mismatch"),
        ("format", "something-else", "not_a_key_file"),
    ],
)
def test_tampered_public_key_files_are_refused(field: str, value: str, code: str) -> None:
    pairs = keys.generate()
    body = orjson.loads(keys.export_public(identity(pairs), pairs))
    body[field] = value
    with pytest.raises(keys.KeyFileError) as err:
        keys.read_public(orjson.dumps(body))
    assert err.value.code == code


def test_swapped_public_key_is_caught_by_the_fingerprint() -> None:
    pairs, other = keys.generate(), keys.generate()
    body = orjson.loads(keys.export_public(identity(pairs), pairs))
    body["enc_public"] = other.public.enc_hex  # a man in the middle swaps the encryption key
    with pytest.raises(keys.KeyFileError) as err:
        keys.read_public(orjson.dumps(body))
    assert err.value.code == "fingerprint_mismatch"


@pytest.mark.parametrize("data", [b"", b"garbage", b"[]", b'{"format": 1}'])
def test_garbage_is_not_a_key_file(data: bytes) -> None:
    with pytest.raises(keys.KeyFileError):
        keys.read_public(data)
