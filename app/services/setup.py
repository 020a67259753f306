"""Making a new data folder: encrypted file, key pairs, replica identity — all or nothing.

The CLI's ``jiceng init`` and the GUI's first-run screen both call ``initialise``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.schemas.enums import Role
from app.services.replica import ReplicaInfo, init_replica, rehome_district
from app.storage.store import Store, StoreError, create_store
from app.sync import client
from app.sync import keys as keyfiles
from app.sync.http import Transport

if TYPE_CHECKING:
    from nacl.signing import SigningKey


def initialise(
    data_dir: Path,
    passphrase: str,
    *,
    name: str,
    role: Role,
    district: str | None = None,
    code: str | None = None,
) -> ReplicaInfo:
    """Create the data folder's file, keys and identity; on any failure leave no half of it."""
    if paths.db_path(data_dir).exists():
        raise StoreError("already_initialised", str(data_dir))
    existed = data_dir.exists()
    store = None
    try:
        store = create_store(data_dir, passphrase)
        pairs = keyfiles.generate()
        with store.write() as session:
            info = init_replica(
                session, name=name, role=role, district=district, code=code, keys=pairs.public
            )
        keyfiles.save(data_dir, pairs, passphrase)
        return info
    except BaseException:
        if store is not None:
            store.close()
            store = None
        _remove_new(data_dir, existed)
        raise
    finally:
        if store is not None:
            store.close()


def _remove_new(data_dir: Path, existed: bool) -> None:
    db = paths.db_path(data_dir)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(paths.keys_dir(data_dir), ignore_errors=True)
    if not existed:
        shutil.rmtree(data_dir, ignore_errors=True)


@dataclass(frozen=True)
class Joined:
    device_id: str
    district_name: str
    enterprises_moved: int


def join_server(
    store: Store,
    server_url: str,
    code: str,
    signing: SigningKey,
    transport: Transport | None = None,
) -> Joined:
    """Enroll with a server using a one-time code (signed with this replica's key, which the
    server binds to it), and join the district it assigns."""
    reply = client.request_enrollment(store, server_url, code, signing, transport)
    with store.write() as session:
        client.save_enrollment(session, server_url, reply)
        moved = rehome_district(session, reply.district_id, reply.district_name)
    return Joined(reply.device_id, reply.district_name, moved)
