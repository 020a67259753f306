"""The server's own signing key: it vouches for the changes the server itself writes.

Districts and provisional districts are changes under the server's origin (a push writes
none: the conflicts it finds are rows of the server's own, not changes). A district office
pulls them and may carry them by USB to a cadre, who accepts a relayed change only with its
origin's proof — so the server signs its own runs like any replica
(``app.sync.proofs.sign_own``), right after writing them, and introduces its key in every
pull. The seed lives in the server's database: whoever holds that database
is the server in every other sense already.
"""

from __future__ import annotations

from nacl.signing import SigningKey
from sqlalchemy.orm import Session

from app.models import Replica, Setting
from app.sync import proofs

SEED = "server.sign_seed"


def ensure_key(session: Session, row: Replica) -> None:
    """Give the server a signing key (once; servers made before keys get one on start)."""
    if session.get(Setting, SEED) is not None and row.sign_public:
        return
    key = SigningKey.generate()
    session.merge(Setting(key=SEED, value=key.encode().hex()))
    row.sign_public = key.verify_key.encode().hex()
    session.flush()


def sign_own(session: Session) -> None:
    """Sign the server's changes no proof covers yet (call after writing some)."""
    seed = session.get(Setting, SEED)
    row = session.get(Replica, 1)
    if seed is None or row is None:
        return
    proofs.sign_own(session, SigningKey(bytes.fromhex(seed.value)), row.replica_id)


def public_key(session: Session) -> bytes | None:
    row = session.get(Replica, 1)
    return bytes.fromhex(row.sign_public) if row is not None and row.sign_public else None
