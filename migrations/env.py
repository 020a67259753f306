"""alembic environment: migrations run on a connection the app hands over.

The app (``app.storage.migrate``) passes an open connection inside a transaction in
``config.attributes["connection"]``, so a whole upgrade is one transaction: a crash leaves the
old schema or the new one, never a mix. SQLite needs batch mode to alter tables. New
revisions come from ``make migration m="..."`` (``app.storage.migrate.new_revision``), which
hands over a scratch database's connection for autogenerate (docs/storage.md#migrations).
"""

from __future__ import annotations

from alembic import context

from app.models import Base
from app.storage.migrate import include_object


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise SystemExit(
            "jiceng migrations run through the app: `jiceng init`, or `make migration m=...`"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
