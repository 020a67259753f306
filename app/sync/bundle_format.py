"""The ``.jcb`` sync bundle file: layout, encryption, signature, and the checks on reading.

Layout (one streaming pass to write, so memory stays flat however large the ledger)::

    MAGIC | payload frames | manifest JSON | u32 manifest length | Ed25519 signature | END

* The payload is the changes as JSON lines, compressed with zstd, then encrypted with
  libsodium's ``secretstream`` (XChaCha20-Poly1305) under a fresh random key, in frames of
  ``u32 length + ciphertext``. secretstream authenticates every frame, their order, and the
  final frame, so a truncated or reordered payload cannot decrypt.
* The fresh key is wrapped for each recipient with a sealed box (X25519) to its public key:
  the district office, and the central server too, so a lost district key orphans nothing.
* The manifest is readable without any key (``jiceng bundle inspect``): who sent it, to whom,
  which changes of which origins it carries, counts, and the SHA-256 and size of the payload.
* The signature covers MAGIC and the manifest; the manifest pins the payload by its digest,
  so the signature covers every byte. Bytes appended or cut anywhere are detected by size.

All primitives come from PyNaCl (libsodium); nothing here is home-made cryptography.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import zstandard
from nacl import bindings as sodium
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import VerifyKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.storage import atomic
from app.sync import ranges as rng
from app.sync.keys import KeyPairs, PublicKeys

MAGIC = b"JICENG-BUNDLE\x00\x01\n"
END = b"\nJCB-END\x00"
FORMAT = 2  # this writer's format: 2 adds origin proof and key lines to the payload
READER = 2  # the newest format this reader understands
_FRAME = struct.Struct(">I")
_SIG = 64
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
CHUNK = 1 << 20  # plaintext bytes per encrypted frame
READ = 1 << 20  # decompressed bytes per read on import
MAX_WINDOW = 1 << 23  # zstd window an import may allocate (the writer's level 3 uses 2 MiB)


@dataclass(frozen=True)
class Limits:
    """What an import refuses outright (stated in the README)."""

    max_file_bytes: int = 1 << 30  # 1 GiB
    max_manifest_bytes: int = 4 << 20
    max_changes: int = 5_000_000
    max_ratio: int = 60  # decompressed bytes per compressed byte …
    ratio_floor_bytes: int = 1 << 20  # … once past this much (tiny bundles compress oddly)
    max_line_bytes: int = 1 << 20
    max_frame_bytes: int = CHUNK + 4096


LIMITS = Limits()


class BundleError(Exception):
    """A bundle refused; ``code`` is stable, ``detail`` says more for people."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# ---- manifest ----------------------------------------------------------------------------

Hex16 = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Sender(_Strict):
    replica_id: Hex16
    name: str = Field(max_length=100)
    role: str = Field(max_length=16)
    fingerprint: Hex64
    # The sender's public keys, so a receiver that does not trust it yet can, after the user
    # has compared the fingerprint with the sender's by phone or in person, trust it from the
    # bundle itself instead of from a separate key file. Never trusted without that check.
    sign_public: Hex64 | None = None
    enc_public: Hex64 | None = None
    district_name: str | None = Field(default=None, max_length=100)


class Recipient(_Strict):
    replica_id: Hex16
    fingerprint: Hex64
    wrapped_key: str = Field(max_length=200)


class Payload(_Strict):
    size: int = Field(ge=0)
    sha256: Hex64
    stream_header: str = Field(max_length=64)
    plain_bytes: int = Field(ge=0)


class Manifest(_Strict):
    format: int = Field(ge=1)
    min_reader: int = Field(ge=1)
    bundle_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    created_at: str = Field(max_length=40)
    sender: Sender
    recipients: list[Recipient] = Field(min_length=1, max_length=16)
    schema_rev: int = Field(ge=1)
    ranges: dict[Hex16, list[list[int]]]
    holdings: dict[Hex16, list[list[int]]]
    counts: dict[str, int]
    payload: Payload

    @field_validator("ranges", "holdings")
    @classmethod
    def _ranges(cls, value: dict[str, list[list[int]]]) -> dict[str, list[list[int]]]:
        for runs in value.values():
            if len(runs) > 100_000 or rng.normalise(runs) != runs:
                raise ValueError("ranges must be sorted, disjoint and merged")
        return value


# ---- writing -----------------------------------------------------------------------------


class BundleWriter:
    """Stream changes into a new bundle at ``path``; nothing appears there until ``finish``."""

    def __init__(self, path: Path, recipients: list[tuple[str, PublicKeys]]) -> None:
        self.path = path
        self.tmp = atomic.temporary_for(path)
        self._key = os.urandom(sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES)
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        self._header = sodium.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, self._key
        )
        self._zstd = zstandard.ZstdCompressor(level=3).compressobj()
        self._pending = bytearray()
        self._digest = hashlib.sha256()
        self._size = 0
        self._plain = 0
        self._recipients = [
            (replica_id, keys, SealedBox(PublicKey(keys.enc)).encrypt(self._key))
            for replica_id, keys in recipients
        ]
        atomic.create_private(self.tmp)
        self._file: BinaryIO = open(self.tmp, "wb")  # noqa: SIM115 - closed in finish/abort
        try:
            os.chmod(self.tmp, 0o600)
            self._file.write(MAGIC)
        except BaseException:
            self.abort()  # the caller never gets this writer, so it cannot clean up
            raise

    def add(self, line: bytes) -> None:
        self._plain += len(line) + 1
        self._pending += self._zstd.compress(line + b"\n")
        while len(self._pending) >= CHUNK:
            self._frame(bytes(self._pending[:CHUNK]), _TAG_MESSAGE)
            del self._pending[:CHUNK]

    def _frame(self, chunk: bytes, tag: int) -> None:
        cipher = sodium.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, None, tag)
        frame = _FRAME.pack(len(cipher)) + cipher
        self._file.write(frame)
        self._digest.update(frame)
        self._size += len(frame)

    def finish(self, fields: dict[str, Any], keys: KeyPairs) -> Manifest:
        """Seal the payload, sign the manifest, fsync and rename into place."""
        try:
            self._pending += self._zstd.flush()
            self._frame(bytes(self._pending), _TAG_FINAL)
            manifest = Manifest.model_validate(
                {
                    **fields,
                    "format": FORMAT,
                    "min_reader": 2,  # a reader of format 1 would take proof lines for changes
                    "recipients": [
                        {"replica_id": rid, "fingerprint": k.fingerprint, "wrapped_key": _b64(w)}
                        for rid, k, w in self._recipients
                    ],
                    "payload": {
                        "size": self._size,
                        "sha256": self._digest.hexdigest(),
                        "stream_header": _b64(self._header),
                        "plain_bytes": self._plain,
                    },
                },
                strict=False,
            )
            body = manifest.model_dump_json().encode()
            signature = keys.signing.sign(MAGIC + body).signature
            self._file.write(body + _FRAME.pack(len(body)) + signature + END)
            self._file.close()
            atomic.replace(self.tmp, self.path)
            return manifest
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.tmp.unlink(missing_ok=True)


# ---- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A bundle whose structure was checked; nothing decrypted yet."""

    path: Path
    manifest: Manifest
    body: bytes
    signature: bytes


def open_bundle(path: Path, limits: Limits = LIMITS) -> Opened:
    """Read and check the frame of a bundle: magic, trailer, sizes, manifest schema."""
    try:
        return _open_bundle(path, limits)
    except OSError as err:  # missing, a folder (IsADirectoryError was a traceback), no access
        raise BundleError("unreadable", f"{path}（{err.strerror or err}）") from None


def _open_bundle(path: Path, limits: Limits) -> Opened:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise BundleError("too_large", f"{size} bytes > {limits.max_file_bytes}")
    tail = len(END) + _SIG + _FRAME.size
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise BundleError("not_a_bundle")
        if size < len(MAGIC) + tail:
            raise BundleError("truncated")
        f.seek(size - tail)
        trailer = f.read(tail)
        if trailer[-len(END) :] != END:
            raise BundleError("truncated")
        (length,) = _FRAME.unpack(trailer[: _FRAME.size])
        signature = trailer[_FRAME.size : _FRAME.size + _SIG]
        if length > limits.max_manifest_bytes or length > size - len(MAGIC) - tail:
            raise BundleError("damaged", "manifest length")
        f.seek(size - tail - length)
        body = f.read(length)
    try:
        manifest = Manifest.model_validate_json(body)
    except ValidationError:
        raise BundleError("damaged", "manifest") from None
    if size != len(MAGIC) + manifest.payload.size + length + tail:
        raise BundleError("damaged", "size does not match the manifest")
    return Opened(path, manifest, body, signature)


def verify_signature(opened: Opened, sender: PublicKeys) -> None:
    try:
        VerifyKey(sender.sign).verify(MAGIC + opened.body, opened.signature)
    except BadSignatureError:
        raise BundleError("bad_signature") from None


def check_digest(opened: Opened) -> None:
    """The payload on disk is exactly the one the signed manifest names."""
    digest = hashlib.sha256()
    left = opened.manifest.payload.size
    with open(opened.path, "rb") as f:
        f.seek(len(MAGIC))
        while left:
            block = f.read(min(left, 1 << 20))
            if not block:
                raise BundleError("truncated")
            digest.update(block)
            left -= len(block)
    if digest.hexdigest() != opened.manifest.payload.sha256:
        raise BundleError("digest_mismatch")


def unwrap_key(opened: Opened, replica_id: str, keys: KeyPairs) -> bytes:
    mine = keys.public.fingerprint
    for recipient in opened.manifest.recipients:
        if recipient.replica_id == replica_id and recipient.fingerprint == mine:
            try:
                return SealedBox(PrivateKey(bytes(keys.encryption))).decrypt(
                    base64.b64decode(recipient.wrapped_key, validate=True)
                )
            except (CryptoError, ValueError):
                raise BundleError("damaged", "wrapped key") from None
    raise BundleError("not_for_me")


def read_lines(opened: Opened, file_key: bytes, limits: Limits = LIMITS) -> Iterator[bytes]:
    """Decrypt, decompress and split the payload, refusing bombs and over-long lines.

    Memory stays bounded whatever the bundle says: zstd is read through a stream reader in
    blocks of ``READ`` bytes (a one-shot ``decompress`` of a single 1 MiB frame of zeros
    would return gigabytes at once), and its window is capped at ``MAX_WINDOW``.
    """
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        header = base64.b64decode(opened.manifest.payload.stream_header, validate=True)
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, file_key)
    except (CryptoError, ValueError):
        raise BundleError("damaged", "stream header") from None
    source = _Plaintext(_frames(opened, state, limits))
    reader = zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).stream_reader(
        source,  # type: ignore[arg-type]  # zstandard's stubs want IO[bytes]; it only calls read()
        read_size=READ,
        read_across_frames=True,
    )
    budget = max(limits.ratio_floor_bytes, opened.manifest.payload.size * limits.max_ratio)
    produced = 0
    carry = b""
    while True:
        try:
            plain = reader.read(READ)
        except zstandard.ZstdError:
            raise BundleError("damaged", "compression") from None
        if not plain:
            break
        produced += len(plain)
        if produced > budget or produced > opened.manifest.payload.plain_bytes:
            raise BundleError("bomb", "decompresses beyond the stated size or ratio")
        lines = (carry + plain).split(b"\n")
        carry = lines.pop()
        if len(carry) > limits.max_line_bytes:
            raise BundleError("damaged", "line too long")
        yield from (line for line in lines if line)
    source.drain()  # every frame authenticated, the final one included
    if carry or produced != opened.manifest.payload.plain_bytes:
        raise BundleError("damaged", "payload size")


class _Plaintext(io.RawIOBase):
    """The decrypted frames as a readable stream, for zstd's stream reader."""

    def __init__(self, frames: Iterator[bytes]) -> None:
        self._frames = frames
        self._chunk = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._chunk:
            chunk = next(self._frames, None)
            if chunk is None:
                return 0
            self._chunk = memoryview(chunk)
        n = min(len(buffer), len(self._chunk))
        buffer[:n] = self._chunk[:n]
        self._chunk = self._chunk[n:]
        return n

    def drain(self) -> None:
        """Read what zstd did not need: trailing frames must still authenticate, and any
        plaintext after the compressed data is damage."""
        if self._chunk or any(self._frames):
            raise BundleError("damaged", "data after the compressed payload")


def _frames(opened: Opened, state: Any, limits: Limits) -> Iterator[bytes]:
    left = opened.manifest.payload.size
    with open(opened.path, "rb") as f:
        f.seek(len(MAGIC))
        final = False
        while left:
            head = f.read(_FRAME.size)
            (length,) = _FRAME.unpack(head) if len(head) == _FRAME.size else (-1,)
            if final or not _ABYTES <= length <= min(left - _FRAME.size, limits.max_frame_bytes):
                raise BundleError("damaged", "frame")
            try:
                chunk, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                    state, f.read(length), None
                )
            except CryptoError:
                raise BundleError("damaged", "payload authentication") from None
            left -= _FRAME.size + length
            final = tag == _TAG_FINAL
            yield chunk
    if not final:
        raise BundleError("truncated")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
