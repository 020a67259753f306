"""Files that appear whole or not at all, readable by their owner only.

Everything jiceng writes outside its database holds personal data or keys (key files,
bundles, backups, workbooks, PDFs, preferences that name folders), and a crash, a full disk
or a pulled USB stick must never leave half a file under the real name. So every writer
creates a temporary beside the target (owner-only from its first byte), fsyncs it, renames
it over the target and fsyncs the folder — through this one module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE = 0o600


def temporary_for(target: Path) -> Path:
    """The temporary a write of ``target`` goes through (``clean_leftovers`` knows the
    shape, so one left by a killed process is removed)."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def create_private(path: Path) -> None:
    """An empty file only its owner can read; writers that open it by name keep the mode."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(temporary: Path, target: Path) -> Path:
    """Make ``temporary`` durable and owner-only, then put it in ``target``'s place; on any
    failure the temporary is removed and the target is as it was."""
    try:
        os.chmod(temporary, PRIVATE)
        with open(temporary, "rb+") as f:  # writable: Windows flushes only such handles
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


@contextmanager
def writing(target: Path) -> Iterator[Path]:
    """``with writing(target) as tmp:`` — write ``tmp`` (created owner-only); it replaces
    ``target`` when the block ends normally and is removed when it raises."""
    temporary = temporary_for(target)
    create_private(temporary)
    try:
        yield temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    replace(temporary, target)


def write_bytes(target: Path, data: bytes) -> Path:
    """``data`` as ``target``, whole or not at all."""
    with writing(target) as temporary, os.fdopen(os.open(temporary, os.O_WRONLY), "wb") as f:
        f.write(data)  # through a descriptor: the fault sweeps see (and fail) this write
    return target
