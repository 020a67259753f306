"""alembic, driven from code: the only way any schema is created or changed.

``upgrade`` runs on a connection the caller has inside a transaction, so the caller decides
what else shares that transaction (nothing, usually) and a failure rolls everything back.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

# SQLite full-text indexes are virtual tables made by hand in migrations; comparing the schema
# with the models must not mistake them (or their shadow tables) for tables the models lack.
FTS_TABLES = ("issue_fts", "visit_fts")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))


def schema_differences(connection: Connection) -> list[Any]:
    """What autogenerate would change to make this database match the models ([] = none)."""
    from alembic.autogenerate import compare_metadata

    from app.models import Base

    context = MigrationContext.configure(
        connection, opts={"include_object": include_object, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "migrations/versions is empty"
    return head


def known_revisions() -> set[str]:
    """Every revision this version of jiceng can upgrade from (or is at)."""
    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    command.upgrade(alembic_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    command.downgrade(alembic_config(connection), target)


def new_revision(message: str) -> None:
    """Autogenerate a revision against a scratch database at head (``make migration``)."""
    from app.storage.engine import make_engine, write_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "scratch.db", "scratch")
        with write_engine(engine).begin() as conn:
            if ScriptDirectory.from_config(alembic_config()).get_current_head():
                upgrade(conn)
            known = ScriptDirectory.from_config(alembic_config()).walk_revisions()
            rev_id = f"{len(list(known)) + 1:04d}"
            command.revision(
                alembic_config(conn), message=message, autogenerate=True, rev_id=rev_id
            )
        engine.dispose()


if __name__ == "__main__":
    new_revision(" ".join(sys.argv[1:]) or "change")
