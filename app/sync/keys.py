"""This replica's key pairs, and the public key files replicas exchange to trust each other.

Every replica has an Ed25519 signing key (bundles it sends are signed) and an X25519
encryption key (bundles for it are readable only with it), made at ``jiceng init`` with PyNaCl.
The private keys live in ``keys/replica.key`` in the data folder: owner-only permissions, and
encrypted with a key derived from the passphrase (Argon2id), so a copied data folder gives
away nothing without the passphrase — the same protection as the data file itself.

A public key file (``jiceng keys export``) names the replica and carries both public keys,
signed with the signing key. Its fingerprint — SHA-256 over both public keys — is what people
compare by phone or on paper before they trust a file that came on a USB stick.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from nacl import pwhash, secret
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from app.paths import KEY_FILE, key_file, keys_dir
from app.storage import atomic

PUBLIC_FORMAT = "jiceng-public-key/1"
_KDF = pwhash.argon2id


class KeyFileError(Exception):
    """A key file is missing, damaged, or the passphrase does not open it. ``code`` says which."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass(frozen=True)
class PublicKeys:
    sign: bytes  # Ed25519 verify key, 32 bytes
    enc: bytes  # X25519 public key, 32 bytes

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(b"jiceng-fp\x00" + self.sign + self.enc).hexdigest()

    @property
    def sign_hex(self) -> str:
        return self.sign.hex()

    @property
    def enc_hex(self) -> str:
        return self.enc.hex()

    @classmethod
    def from_hex(cls, sign: str, enc: str) -> PublicKeys:
        return cls(bytes.fromhex(sign), bytes.fromhex(enc))


@dataclass(frozen=True)
class KeyPairs:
    signing: SigningKey
    encryption: PrivateKey

    @property
    def public(self) -> PublicKeys:
        return PublicKeys(bytes(self.signing.verify_key), bytes(self.encryption.public_key))


def display_fingerprint(fingerprint: str) -> str:
    """The first 128 bits in groups of four, for reading aloud: ``3F2A 9C01 …``."""
    head = fingerprint[:32].upper()
    return " ".join(head[i : i + 4] for i in range(0, 32, 4))


def generate() -> KeyPairs:
    return KeyPairs(SigningKey.generate(), PrivateKey.generate())


def save(data_dir: Path, keys: KeyPairs, passphrase: str) -> Path:
    """Write the private keys, encrypted with the passphrase, atomically and owner-only."""
    salt = os.urandom(_KDF.SALTBYTES)
    box = secret.SecretBox(_derive(passphrase, salt))
    plain = bytes(keys.signing) + bytes(keys.encryption)
    record = {
        "format": "jiceng-private-keys/1",
        "kdf": "argon2id",
        "salt": _b64(salt),
        "box": _b64(bytes(box.encrypt(plain))),
        "public": {"sign": keys.public.sign_hex, "enc": keys.public.enc_hex},
    }
    folder = keys_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return atomic.write_bytes(folder / KEY_FILE, orjson.dumps(record, option=orjson.OPT_INDENT_2))


def load(data_dir: Path, passphrase: str) -> KeyPairs:
    path = key_file(data_dir)
    try:
        return loads(path.read_bytes(), passphrase, str(path))
    except FileNotFoundError:
        raise KeyFileError("missing", str(path)) from None


def loads(data: bytes, passphrase: str, where: str = "") -> KeyPairs:
    """The key pairs in a key file's contents (``where`` names it in errors)."""
    try:
        record = orjson.loads(data)
        salt, sealed = _unb64(record["salt"]), _unb64(record["box"])
    except (ValueError, KeyError, TypeError):
        raise KeyFileError("damaged", where) from None
    try:
        plain = secret.SecretBox(_derive(passphrase, salt)).decrypt(sealed)
    except CryptoError:
        raise KeyFileError("wrong_passphrase", where) from None
    return KeyPairs(SigningKey(plain[:32]), PrivateKey(plain[32:64]))


# ---- public key files ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicKeyFile:
    replica_id: str
    name: str
    role: str
    district_name: str
    keys: PublicKeys

    @property
    def fingerprint(self) -> str:
        return self.keys.fingerprint


def export_public(identity: PublicKeyFile, keys: KeyPairs) -> bytes:
    """The public key file for this replica, self-signed so nobody can alter its name."""
    body = {
        "format": PUBLIC_FORMAT,
        "replica_id": identity.replica_id,
        "name": identity.name,
        "role": identity.role,
        "district_name": identity.district_name,
        "sign_public": identity.keys.sign_hex,
        "enc_public": identity.keys.enc_hex,
        "fingerprint": identity.fingerprint,
    }
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    body["signature"] = keys.signing.sign(canonical).signature.hex()
    return orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def read_public(data: bytes) -> PublicKeyFile:
    """Check a public key file: its format, its fingerprint and its self-signature."""
    try:
        body: dict[str, Any] = orjson.loads(data)
        signature = bytes.fromhex(body.pop("signature"))
        keys = PublicKeys.from_hex(body["sign_public"], body["enc_public"])
        identity = PublicKeyFile(
            replica_id=str(body["replica_id"]),
            name=str(body["name"]),
            role=str(body["role"]),
            district_name=str(body.get("district_name") or ""),
            keys=keys,
        )
        PublicKey(keys.enc)  # a well-formed X25519 key
        verify = VerifyKey(keys.sign)
    except (ValueError, KeyError, TypeError, AttributeError, CryptoError):
        raise KeyFileError("not_a_key_file") from None
    if body.get("format") != PUBLIC_FORMAT:
        raise KeyFileError("not_a_key_file")
    if body.get("fingerprint") != keys.fingerprint:
        raise KeyFileError("fingerprint_mismatch")
    try:
        verify.verify(orjson.dumps(body, option=orjson.OPT_SORT_KEYS), signature)
    except BadSignatureError:
        raise KeyFileError("bad_signature") from None
    return identity


def _derive(passphrase: str, salt: bytes) -> bytes:
    return _KDF.kdf(
        secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=_KDF.OPSLIMIT_INTERACTIVE,
        memlimit=_KDF.MEMLIMIT_INTERACTIVE,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
