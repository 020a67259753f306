"""Proof that an enrolling device holds the signing key it names.

The server binds a replica id to the Ed25519 key named at enrollment, and from then on
accepts that origin's relayed changes on that key's word. A public key and a replica id are
no secret (every district-mate pulls them), so naming them proves nothing: the device also
signs the one-time code it redeems together with its id and key. The code makes the
signature useless for any other enrollment.
"""

from __future__ import annotations

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey

_TAG = b"jiceng-enroll/1\x00"


def message(code: str, replica_id: str, sign_public: str) -> bytes:
    return _TAG + "\x00".join((code, replica_id, sign_public)).encode("utf-8")


def sign(signing: SigningKey, code: str, replica_id: str) -> tuple[str, str]:
    """The key (hex) and the signature (hex) an enrollment request carries."""
    public = signing.verify_key.encode().hex()
    return public, signing.sign(message(code, replica_id, public)).signature.hex()


def verified(code: str, replica_id: str, sign_public: str, signature: str) -> bool:
    try:
        VerifyKey(bytes.fromhex(sign_public)).verify(
            message(code, replica_id, sign_public), bytes.fromhex(signature)
        )
    except (BadSignatureError, CryptoError, ValueError, TypeError):
        return False
    return True
